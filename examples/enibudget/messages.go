package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/eni/ec2limits"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// The library's notes and errors speak to Go programmers (they name the
// option or function to use); a person running this program needs the
// flag instead. forPeople rewrites the phrases the eni package uses.
var forPeople = strings.NewReplacer(
	"(see BudgetOptions.OtherENIs)", "(count them with -instance-type TYPE -other-enis N)",
	"only in snapshots read with WithStoppingTasks", "only when the cluster is read with -cluster NAME -stopping",
	"with eni.ParseLimitsTSV and eni.Layer", "in a -limits FILE",
	"loaded with eni.ParseLimitsTSV/ParseLimitsJSON and eni.Layer, or read them live with package ec2limits",
	"given with -limits FILE, or read them live with -cluster, which asks EC2",
	// The same error when EC2 was asked (-cluster) and does not offer the type.
	"loaded with eni.ParseLimitsTSV/ParseLimitsJSON and eni.Layer", "given with -limits FILE",
	"eni: instance type", "instance type",
	"(supply them: eni.ParseLimitsTSV, package ec2limits)", "(give them in a -limits FILE, or read the cluster live with -cluster, which asks EC2)",
)

func notesForPeople(notes []string) []string {
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = forPeople.Replace(n)
	}
	return out
}

// plainNotes are notes for people as the text reports print them: a
// note quoting a snapshot's or limits file's text is quoted whole when
// that text is not printable (awswire.Plain).
func plainNotes(notes []string) []string {
	out := notesForPeople(notes)
	for i, n := range out {
		out[i] = awswire.Plain(n)
	}
	return out
}

// unknownType rewrites eni's unknown-type error for this program: which
// flags supply the numbers, and the nearest names the built-in table knows
// (a typo, or a newer size of a known family).
func unknownType(err error) error {
	var ue *eni.UnknownTypeError
	if !errors.As(err, &ue) {
		return err
	}
	// The built-in source names its vintage itself; a -limits file layered
	// over it does not, and the built-in table was asked as well.
	where := ue.Source + " ENI limits"
	if !strings.Contains(ue.Source, eni.DataVintage) {
		where += " nor in the built-in ones (" + eni.DataVintage + ")"
	}
	msg := fmt.Sprintf("instance type %q is not in the %s; give its numbers in a -limits FILE "+
		"(.tsv or .json with the built-in columns: instance_type, max_enis, ipv4_per_eni, ... tasks_with_trunking)", ue.InstanceType, where)
	if strings.Contains(ue.Source, ec2limits.Source) {
		// -cluster: EC2 was asked, and does not offer the type here.
		msg += "; EC2 (ec2:DescribeInstanceTypes) was asked and does not offer it in this region"
	} else {
		msg += ", or read a cluster live with -cluster, which asks EC2 (ec2:DescribeInstanceTypes)"
	}
	if near := nearest(ue.InstanceType, eni.BuiltinTypes(), 3); len(near) > 0 {
		msg += "; known names near it: " + strings.Join(near, ", ")
	}
	return errors.New(msg)
}

// nearest returns up to n names closest to name by edit distance, only
// those close enough to be a plausible typo or sibling.
func nearest(name string, names []string, n int) []string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	limit := max(2, len(name)/3)
	for _, c := range names {
		if d := editDistance(name, c); d <= limit {
			cs = append(cs, cand{c, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

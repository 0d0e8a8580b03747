package eni

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Limits files from users: any input gives a table or a *DataError, never
// a panic.
func FuzzParseLimits(f *testing.F) {
	f.Add("instance_type\tmax_enis\tipv6_per_eni\tbare_metal\tnotes\nx.large\t3\t\tfalse\tnonpositive\n", false)
	f.Add(`[{"instance_type":"x.large","max_enis":3,"tasks_with_trunking":-2}]`, true)
	f.Add("# c\ninstance_type\nx\n", false)
	f.Fuzz(func(t *testing.T, in string, isJSON bool) {
		var tab *Table
		var err error
		if isJSON {
			tab, err = ParseLimitsJSON(strings.NewReader(in), "f.json")
		} else {
			tab, err = ParseLimitsTSV(strings.NewReader(in), "f.tsv")
		}
		if err != nil {
			// A bad file is named, with a line inside it.
			var de *DataError
			if errors.As(err, &de) && (de.Name != "f.json" && de.Name != "f.tsv" || de.Line < 0 || de.Line > strings.Count(in, "\n")+1) {
				t.Fatalf("error names %s line %d of a %d-line input: %v", de.Name, de.Line, strings.Count(in, "\n")+1, err)
			}
			return
		}
		if tab == nil {
			t.Fatal("nil table without error")
		}
		// Every row loaded resolves by its name, with the limits a
		// budget can use: at least one ENI, and the default card's
		// share of them.
		for name := range tab.types {
			it, err := tab.Lookup(context.Background(), name)
			if err != nil || it.Name != name {
				t.Fatalf("%q: looked up %q, %v", name, it.Name, err)
			}
			if it.MaxENIs < 1 || it.DefaultCardENIs < 1 || it.DefaultCardENIs > it.MaxENIs || it.NetworkCards < 1 {
				t.Fatalf("%q: unusable limits %+v", name, it)
			}
		}
	})
}

// Snapshot files: any input loads or fails with an error, never panics,
// and what loads writes back and loads again the same.
func FuzzReadSnapshot(f *testing.F) {
	// A small seed keeps the fuzzer fast: one of each kind from the sample.
	full := sampleSnapshot()
	small := &Snapshot{Cluster: "s", TakenAt: full.TakenAt, ContainerInstances: full.ContainerInstances[1:2],
		Tasks: full.Tasks[7:9], TaskDefinitions: full.TaskDefinitions[:1]}
	var seed bytes.Buffer
	if err := small.WriteJSON(&seed); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.Bytes())
	f.Add([]byte(`{"describeTasks":[{"tasks":[{"taskArn":"a","createdAt":"2026-01-01T00:00:00Z"}]}]}`))
	f.Add([]byte(`{"describeTaskDefinition":[{}]}`))
	f.Add([]byte("{\"describeTasks\": [{},\n  {\"tasks\":\n    [{\"cpu\": 1}]}]}")) // an error on line 3
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadSnapshot(bytes.NewReader(data), "f.json")
		if err != nil {
			// A position inside a Describe output is the file's.
			var we *awswire.Error
			if errors.As(err, &we) {
				if we.Offset < 0 || we.Offset > int64(len(data)) {
					t.Fatalf("offset %d outside the %d-byte file: %v", we.Offset, len(data), err)
				}
				before := data[:we.Offset]
				line := 1 + bytes.Count(before, []byte{'\n'})
				col := len(before) - bytes.LastIndexByte(before, '\n')
				if we.Line != line || we.Column != col {
					t.Fatalf("line %d column %d, but offset %d is line %d column %d: %v", we.Line, we.Column, we.Offset, line, col, err)
				}
			}
			return
		}
		var b bytes.Buffer
		if err := s.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		s2, err := ReadSnapshot(bytes.NewReader(b.Bytes()), "again.json")
		if err != nil {
			t.Fatalf("written snapshot does not load: %v", err)
		}
		var b2 bytes.Buffer
		if err := s2.WriteJSON(&b2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), b2.Bytes()) {
			t.Fatalf("round trip changed the snapshot:\n%s\n%s", b.Bytes(), b2.Bytes())
		}
	})
}

// A limits file saved with a byte-order mark reads as the same file
// without one (issue 15).
func TestLimitsSkipBOM(t *testing.T) {
	tsv := "instance_type\tmax_enis\nx9.large\t4\n"
	js := `[{"instance_type":"x9.large","max_enis":4}]`
	for name, parse := range map[string]func(string) (*Table, error){
		"tsv":  func(s string) (*Table, error) { return ParseLimitsTSV(strings.NewReader(s), "l.tsv") },
		"json": func(s string) (*Table, error) { return ParseLimitsJSON(strings.NewReader(s), "l.json") },
	} {
		in := tsv
		if name == "json" {
			in = js
		}
		tab, err := parse("\ufeff" + in)
		if err != nil {
			t.Errorf("%s with a BOM: %v", name, err)
			continue
		}
		if it, err := tab.Lookup(context.Background(), "x9.large"); err != nil || it.MaxENIs != 4 {
			t.Errorf("%s with a BOM: %+v, %v", name, it, err)
		}
	}
}

// FuzzTaskSize: a task definition's task-level cpu or memory ("1024",
// "1 vCPU", "2 GB") reads as a number of units no instance is short of
// reading (not negative, not wrapped), or is refused with a message.
func FuzzTaskSize(f *testing.F) {
	for _, s := range []string{"1024", "1 vCPU", "0.25 vcpu", "2 GB", "2gb", "NaN", "inf", "-1", "1e300", "1e18 gb", "0x10", " 512 ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, unit := range []string{"vcpu", "gb"} {
			n, err := parseSize(s, unit)
			if err != nil {
				if n != 0 || err.Error() == "" {
					t.Fatalf("parseSize(%q, %s) = %d, %v", s, unit, n, err)
				}
				continue
			}
			if n < 0 || n > math.MaxInt32 {
				t.Fatalf("parseSize(%q, %s) = %d", s, unit, n)
			}
		}
	})
}

// FuzzPlacementConstraint: a task definition's memberOf expression is
// parsed to terms WhatIf can evaluate, or set aside as unsupported;
// never a panic, and a term parsed has what its operator needs.
func FuzzPlacementConstraint(f *testing.F) {
	for _, s := range []string{
		"attribute:ecs.instance-type == t2.small",
		"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
		"attribute:ecs.availability-zone !in ['a', \"b\"] and attribute:stack exists",
		"attribute:stack != prod && attribute:x ! exists",
		"attribute:x in []", "attribute:x in [a,", "'unterminated", "task:group == x", "attribute:ecs.os-type =~ lin.*",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		mt := types.TaskDefinitionPlacementConstraintTypeMemberOf
		ok, unsupported := parseConstraints([]types.TaskDefinitionPlacementConstraint{{Type: mt, Expression: &expr}})
		if len(ok)+len(unsupported) != 1 {
			t.Fatalf("%q: %d parsed, %d unsupported", expr, len(ok), len(unsupported))
		}
		for _, c := range ok {
			if len(c.terms) == 0 {
				t.Fatalf("%q: parsed to no terms", expr)
			}
			for _, term := range c.terms {
				if term.name == "" || (term.op == "==" || term.op == "!=") && len(term.args) != 1 {
					t.Fatalf("%q: term %+v", expr, term)
				}
			}
			all := func(string) (string, bool, bool) { return "v", true, true }
			none := func(string) (string, bool, bool) { return "", false, true }
			c.eval(all)
			c.eval(none)
		}
	})
}

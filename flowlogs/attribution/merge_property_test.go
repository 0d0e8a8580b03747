package attribution

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/ecsfieldgen"
)

// TestMergeEqualsOneRun: for random histories and records made by
// ecsfieldgen (with and without v7 ecs-* fields: bare ecs-task-id, ecs-task-arn, both, an
// ID contradicting the ARN, the ARN in ecs-task-id, cluster name or ARN,
// tasks the history lacks, task ENIs, unknown ENIs, NODATA), split
// randomly into 1–4 parts, some read with an older history (without some
// tasks), Merge in random orders, and a Merger asked for its sum after
// each part, give one run's group totals by task, service, family,
// instance and cluster, its Total, Stats and Unattributed totals. Left
// out, as documented differences: a task the history does not know whose
// records carry different ecs-* values (each made task has fixed values,
// written by every format that has the field; a record of a format
// without the field never names it), and the ECSFieldOnly count of
// records an older history did not know the task of.
//
// ECSNET_MERGE_SEEDS sets the number of seeds (default 300).
func TestMergeEqualsOneRun(t *testing.T) {
	seeds := 300
	if s := os.Getenv("ECSNET_MERGE_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		seeds = n
	}
	for seed := range uint64(seeds) {
		if msg := mergeSeed(t, seed); msg != "" {
			t.Errorf("seed %d: %s", seed, msg)
		}
	}
}

// propRun reads recs, in order, into an Attributor over h.
func propRun(t *testing.T, h *history.Index, recs []*ecsfieldgen.Record) *Attributor {
	t.Helper()
	a := New(h, WithSyncAddAll())
	for _, in := range ecsfieldgen.Texts(recs) {
		if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in), flowlogs.WithFields(Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// propTotals is what must agree: group totals by every GroupBy, Total,
// Stats and the unattributed totals.
func propTotals(p *Partial, noECSOnly bool) string {
	var b strings.Builder
	for _, g := range allGroupBys {
		r := p.Result(g)
		fmt.Fprintf(&b, "by %v:", g)
		var keys []string
		for _, grp := range r.Groups {
			keys = append(keys, fmt.Sprintf(" %q=%d/%d/%d", grp.Key, grp.Bytes(), grp.Packets(), grp.Records))
		}
		slices.Sort(keys)
		b.WriteString(strings.Join(keys, ""))
		b.WriteString("\n")
	}
	s := p.Stats
	if noECSOnly {
		s.ECSFieldOnly = 0
	}
	fmt.Fprintf(&b, "total %+v\nstats %+v\nunattributed", p.Total, s)
	for _, u := range p.Unattributed {
		fmt.Fprintf(&b, " %v=%+v", u.Reason, u.Totals)
	}
	return b.String()
}

// mergeSeed runs one seed (its generator, after making the case,
// picks the merge orders), returning a description of the first
// disagreement, "" if none.
func mergeSeed(t *testing.T, seed uint64) string {
	rng := ecsfieldgen.NewRand(seed)
	c, err := ecsfieldgen.Generate(rng, t0)
	if err != nil {
		t.Fatal(err)
	}
	parts, olderPart := c.Parts, c.OlderPart
	oneRun := propRun(t, c.Full, c.Records()).Partial()
	want := propTotals(oneRun, olderPart >= 0)
	if r := propTotals(oneRun, olderPart >= 0); r != want {
		return "unstable"
	}
	var ps []*Partial
	for i, recs := range parts {
		h := c.Full
		if i == olderPart {
			h = c.Older
		}
		p := propRun(t, h, recs).Partial()
		p.Inputs = []Input{{Name: fmt.Sprint("part", i)}}
		ps = append(ps, p)
	}
	describe := func(order []int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "older part %d (removed %v), merge order %v\n", olderPart, c.Removed, order)
		for i, p := range parts {
			fmt.Fprintf(&b, "part %d:\n", i)
			for _, r := range p {
				fmt.Fprintf(&b, "  [%s] %s\n", strings.Join(r.ECS, " "), r.Line())
			}
		}
		return b.String()
	}
	for range 3 {
		order := rng.Perm(len(parts))
		var in []*Partial
		for _, i := range order {
			in = append(in, ps[i])
		}
		m, err := Merge(in...)
		if err != nil {
			t.Fatal(err)
		}
		if got := propTotals(m, olderPart >= 0); got != want {
			return fmt.Sprintf("Merge differs from one run:\n%s\ngot:\n%s\nwant:\n%s", describe(order), got, want)
		}
		var mg Merger
		for _, p := range in {
			if err := mg.Add(p); err != nil {
				t.Fatal(err)
			}
			mg.Partial()
		}
		if got := propTotals(mg.Partial(), olderPart >= 0); got != want {
			return fmt.Sprintf("Merger (asked after each part) differs from one run:\n%s\ngot:\n%s\nwant:\n%s", describe(order), got, want)
		}
	}
	return ""
}

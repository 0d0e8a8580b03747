package attribution

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestMergeEqualsOneRun: for random histories and records (with
// and without v7 ecs-* fields: bare ecs-task-id, ecs-task-arn, both, an
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

const propAcct = "arn:aws:ecs:us-east-1:123456789012:"

// propRec is one record: the ecs-* fields its format carries (absent
// fields are not columns), and the rest.
type propRec struct {
	ecs           []string // column names, in order
	vals          map[string]string
	eni, src, dst string
	bytes, pkts   int
	start         int64
	nodata        bool
	older         bool // may be read with the older history
}

func (r *propRec) head() string {
	return "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction " + strings.Join(r.ecs, " ")
}

func (r *propRec) line() string {
	var b strings.Builder
	if r.nodata {
		fmt.Fprintf(&b, "7 %s - - - - - - - %d %d - NODATA -", r.eni, r.start, r.start+30)
	} else {
		fmt.Fprintf(&b, "7 %s %s %s 40000 443 6 %d %d %d %d ACCEPT OK egress", r.eni, r.src, r.dst, r.pkts, r.bytes, r.start, r.start+30)
	}
	for _, c := range r.ecs {
		v := r.vals[c]
		if v == "" {
			v = "-"
		}
		b.WriteString(" " + v)
	}
	return b.String()
}

// propRun reads recs, in order, into an Attributor over h.
func propRun(t *testing.T, h *history.Index, recs []*propRec) *Attributor {
	t.Helper()
	a := New(h, WithSyncAddAll())
	for i := 0; i < len(recs); {
		head := recs[i].head()
		var lines []string
		for ; i < len(recs) && recs[i].head() == head; i++ {
			lines = append(lines, recs[i].line())
		}
		in := head + "\n" + strings.Join(lines, "\n") + "\n"
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

type propTask struct {
	arn, id, cluster, clusterName, service, taskDef, inst, instID string
	eni, ip                                                       string
	known                                                         bool // in the history
}

// mergeSeed runs one seed, returning a description of the first
// disagreement, "" if none.
func mergeSeed(t *testing.T, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	clusters := []string{"a", "b"}
	var insts []history.Instance
	for i, c := range clusters {
		insts = append(insts, history.Instance{ARN: fmt.Sprintf("%scontainer-instance/%s/ci%d", propAcct, c, i), ClusterARN: propAcct + "cluster/" + c,
			Valid: history.Interval{Start: t0}})
	}
	var tasks []*propTask
	nKnown := 2 + rng.IntN(3)
	for i := range nKnown {
		c := clusters[rng.IntN(2)]
		id := fmt.Sprintf("t%d", i)
		tk := &propTask{id: id, clusterName: c, service: fmt.Sprintf("s%d", rng.IntN(3)), taskDef: fmt.Sprintf("%stask-definition/f%d:1", propAcct, rng.IntN(3)),
			eni: fmt.Sprintf("eni-t%d", i), ip: fmt.Sprintf("10.0.1.%d", i+1), known: true}
		tasks = append(tasks, tk)
	}
	if rng.IntN(2) == 0 {
		// A task of the same ID in the other cluster.
		o := tasks[rng.IntN(len(tasks))]
		c := "a"
		if o.clusterName == "a" {
			c = "b"
		}
		n := len(tasks)
		tasks = append(tasks, &propTask{id: o.id, clusterName: c, service: "s9", taskDef: propAcct + "task-definition/f9:1",
			eni: fmt.Sprintf("eni-t%d", n), ip: fmt.Sprintf("10.0.1.%d", n+1), known: true})
	}
	for i := range 1 + rng.IntN(3) {
		c := []string{"a", "b", "c"}[rng.IntN(3)]
		tasks = append(tasks, &propTask{id: fmt.Sprintf("u%d", i), clusterName: c, service: fmt.Sprintf("s%d", rng.IntN(3)),
			taskDef: fmt.Sprintf("%stask-definition/f%d:2", propAcct, rng.IntN(3))})
	}
	for _, tk := range tasks {
		tk.arn = propAcct + "task/" + tk.clusterName + "/" + tk.id
		tk.cluster = propAcct + "cluster/" + tk.clusterName
		if tk.clusterName != "c" && rng.IntN(2) == 0 {
			in := insts[slices.Index(clusters, tk.clusterName)]
			tk.inst = in.ARN
			tk.instID = in.ARN[strings.LastIndexByte(in.ARN, '/')+1:]
		}
	}
	var full, older []history.Task
	removed := map[string]bool{} // task IDs the older history lacks
	if rng.IntN(2) == 0 {
		removed[fmt.Sprintf("t%d", rng.IntN(nKnown))] = true
	}
	for _, tk := range tasks {
		if !tk.known {
			continue
		}
		ht := history.Task{ARN: tk.arn, ClusterARN: tk.cluster, Group: "service:" + tk.service, TaskDefinitionARN: tk.taskDef,
			NetworkMode: netmode.ModeAWSVPC, ENI: tk.eni, IPv4: netip.MustParseAddr(tk.ip), Valid: history.Interval{Start: t0},
			ContainerInstanceARN: tk.inst, LaunchType: "FARGATE"}
		ht.Family, ht.Revision = history.FamilyRevision(tk.taskDef)
		if tk.inst != "" {
			ht.LaunchType = "EC2"
		}
		full = append(full, ht)
		if !removed[tk.id] {
			older = append(older, ht)
		}
	}
	hFull, hOlder := mustIndex(full, insts), mustIndex(older, insts)
	// An older history that lacks a task ID makes one task of the
	// records' first reference to it, where the full one knows two
	// tasks of the ID (and a bare ID is the greater ARN's): in a part
	// read with it, only the greatest ARN of a removed ID is named.
	greatest := map[string]string{}
	for _, ht := range full {
		id := ht.ARN[strings.LastIndexByte(ht.ARN, '/')+1:]
		greatest[id] = max(greatest[id], ht.ARN)
	}
	removedENI := map[string]bool{}
	for _, tk := range tasks {
		if tk.known && removed[tk.id] {
			removedENI[tk.eni], removedENI[tk.ip] = true, true
		}
	}

	knownT := slices.DeleteFunc(slices.Clone(tasks), func(tk *propTask) bool { return !tk.known })
	var recs []*propRec
	n := 5 + rng.IntN(25)
	for range n {
		r := &propRec{vals: map[string]string{}, bytes: 1 + rng.IntN(1000), pkts: 1 + rng.IntN(9),
			start: t0.Add(time.Duration(rng.IntN(600)) * time.Second).Unix(), src: "10.0.9.9", dst: "52.94.1.1", eni: "-"}
		kt := knownT[rng.IntN(len(knownT))]
		switch rng.IntN(4) {
		case 0:
			r.eni = kt.eni
		case 1:
			r.eni = "eni-unknown"
		case 2:
			r.eni = "-"
		}
		if rng.IntN(3) == 0 {
			r.src = kt.ip // step 4 on an unknown interface
		}
		switch k := rng.IntN(10); {
		case k == 0:
			r.nodata = true
			if rng.IntN(2) == 0 {
				r.ecs = []string{"ecs-task-id"}
			}
		case k <= 3: // no ecs-* fields, or absent ones
			if rng.IntN(2) == 0 {
				r.ecs = []string{"ecs-task-id", "ecs-task-arn"}
			}
		default:
			tk := tasks[rng.IntN(len(tasks))]
			switch rng.IntN(5) {
			case 0: // bare ecs-task-id
				r.ecs = []string{"ecs-task-id"}
				r.vals["ecs-task-id"] = tk.id
			case 1:
				r.ecs = []string{"ecs-task-arn"}
				r.vals["ecs-task-arn"] = tk.arn
			case 2:
				r.ecs = []string{"ecs-task-arn", "ecs-task-id"}
				r.vals["ecs-task-arn"], r.vals["ecs-task-id"] = tk.arn, tk.id
			case 3: // an ecs-task-id the ARN contradicts
				r.ecs = []string{"ecs-task-id", "ecs-task-arn"}
				r.vals["ecs-task-arn"], r.vals["ecs-task-id"] = tk.arn, tasks[rng.IntN(len(tasks))].id
			case 4: // the ARN in ecs-task-id
				r.ecs = []string{"ecs-task-id"}
				r.vals["ecs-task-id"] = tk.arn
			}
			// A task the history lacks has fixed values, in every
			// format that has the fields; a history task's may be
			// absent.
			if !tk.known || rng.IntN(2) == 0 {
				r.ecs = append(r.ecs, "ecs-service-name", "ecs-task-definition-arn")
				r.vals["ecs-service-name"], r.vals["ecs-task-definition-arn"] = tk.service, tk.taskDef
				if tk.clusterName == "c" || rng.IntN(2) == 0 {
					r.ecs = append(r.ecs, "ecs-cluster-name")
					r.vals["ecs-cluster-name"] = tk.clusterName
				} else {
					r.ecs = append(r.ecs, "ecs-cluster-arn")
					r.vals["ecs-cluster-arn"] = tk.cluster
				}
				if rng.IntN(2) == 0 {
					r.ecs = append(r.ecs, "ecs-container-instance-id")
					r.vals["ecs-container-instance-id"] = tk.instID
				} else {
					r.ecs = append(r.ecs, "ecs-container-instance-arn")
					r.vals["ecs-container-instance-arn"] = tk.inst
				}
			}
			rng.Shuffle(len(r.ecs), func(i, j int) { r.ecs[i], r.ecs[j] = r.ecs[j], r.ecs[i] })
			// An older history finds the same task, or (the task's ID
			// all removed) makes it by ID or by its ARN.
			ref := r.vals["ecs-task-arn"]
			if ref == "" {
				ref = r.vals["ecs-task-id"]
			}
			rid := ref[strings.LastIndexByte(ref, '/')+1:]
			r.older = !removedENI[r.eni] && !removedENI[r.src] &&
				(!removed[rid] || !strings.Contains(ref, "/") || ref == greatest[rid])
		}
		if !removed[kt.id] && r.eni != kt.eni && !r.nodata && len(r.vals) == 0 && !removedENI[r.eni] && !removedENI[r.src] {
			r.older = true
		}
		if r.nodata {
			r.older = true
		}
		recs = append(recs, r)
	}
	// Split into parts; the part read with the older history gets only
	// records it attributes as the full one does.
	nParts := 1 + rng.IntN(4)
	olderPart := -1
	if len(removed) > 0 && nParts > 1 {
		olderPart = rng.IntN(nParts)
	}
	parts := make([][]*propRec, nParts)
	for _, r := range recs {
		p := rng.IntN(nParts)
		if p == olderPart && !r.older {
			p = (p + 1) % nParts
		}
		parts[p] = append(parts[p], r)
	}
	if olderPart >= 0 {
		// Anchors: a record of each removed task on its ENI, in a part
		// that knows it (Merge learns its ARN from there).
		for _, tk := range knownT {
			if removed[tk.id] {
				r := &propRec{eni: tk.eni, src: tk.ip, dst: "52.94.1.1", bytes: 7, pkts: 1, start: t0.Add(time.Minute).Unix()}
				recs = append(recs, r)
				q := (olderPart + 1) % nParts
				parts[q] = append(parts[q], r)
			}
		}
	}
	var all []*propRec
	for _, p := range parts {
		all = append(all, p...)
	}
	oneRun := propRun(t, hFull, all).Partial()
	want := propTotals(oneRun, olderPart >= 0)
	if r := propTotals(oneRun, olderPart >= 0); r != want {
		return "unstable"
	}
	var ps []*Partial
	for i, recs := range parts {
		h := hFull
		if i == olderPart {
			h = hOlder
		}
		p := propRun(t, h, recs).Partial()
		p.Inputs = []Input{{Name: fmt.Sprint("part", i)}}
		ps = append(ps, p)
	}
	describe := func(order []int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "older part %d (removed %v), merge order %v\n", olderPart, slices.Sorted(maps.Keys(removed)), order)
		for i, p := range parts {
			fmt.Fprintf(&b, "part %d:\n", i)
			for _, r := range p {
				fmt.Fprintf(&b, "  [%s] %s\n", strings.Join(r.ecs, " "), r.line())
			}
		}
		return b.String()
	}
	for range 3 {
		order := rng.Perm(nParts)
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

// Package ecsfieldgen generates random ECS task histories and version 7
// VPC Flow Log records as the input of differential tests: runs that
// must agree (one run against merged partials, Go against SQL) read the
// same generated records. The records cover the ecs-* field variants (a
// bare ecs-task-id, ecs-task-arn, both, an ID contradicting the ARN, the
// ARN in ecs-task-id, cluster name or ARN, instance ID or ARN, absent
// fields), tasks the history lacks, task ENIs, unknown ENIs and NODATA;
// they are split into parts, one of which may be read with an older
// history that lacks some tasks.
//
// Generation is deterministic: the same *rand.Rand state gives the same
// case, and leaves the generator in the same state.
package ecsfieldgen

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// Account is the ARN prefix (partition, region and account) of every
// generated ARN.
const Account = "arn:aws:ecs:us-east-1:123456789012:"

// NewRand returns the generator the differential tests use for seed.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5eed))
}

// Record is one generated flow log record: the ecs-* fields its format
// carries (absent fields are not columns), and the rest.
type Record struct {
	ECS           []string          // ecs-* column names, in order
	Vals          map[string]string // ecs-* values by column; "" is written "-"
	ENI, Src, Dst string
	Bytes, Pkts   int
	Start         int64 // Unix seconds; the record ends 30 seconds later
	NoData        bool
	Older         bool // may be read with the older history
}

// Head is the header line of r's format.
func (r *Record) Head() string {
	return "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction " + strings.Join(r.ECS, " ")
}

// Line is r in its format, without a newline.
func (r *Record) Line() string {
	var b strings.Builder
	if r.NoData {
		fmt.Fprintf(&b, "7 %s - - - - - - - %d %d - NODATA -", r.ENI, r.Start, r.Start+30)
	} else {
		fmt.Fprintf(&b, "7 %s %s %s 40000 443 6 %d %d %d %d ACCEPT OK egress", r.ENI, r.Src, r.Dst, r.Pkts, r.Bytes, r.Start, r.Start+30)
	}
	for _, c := range r.ECS {
		v := r.Vals[c]
		if v == "" {
			v = "-"
		}
		b.WriteString(" " + v)
	}
	return b.String()
}

// Texts renders recs, in order, as flow log texts: one for each run of
// consecutive records of one format, its header line then its records,
// each line ending in a newline.
func Texts(recs []*Record) []string {
	var texts []string
	for i := 0; i < len(recs); {
		head := recs[i].Head()
		var lines []string
		for ; i < len(recs) && recs[i].Head() == head; i++ {
			lines = append(lines, recs[i].Line())
		}
		texts = append(texts, head+"\n"+strings.Join(lines, "\n")+"\n")
	}
	return texts
}

// Case is one generated input: the histories, and the records split
// into parts.
type Case struct {
	Instances  []history.Instance
	Tasks      []history.Task // the full history's
	OlderTasks []history.Task // the older history's: Tasks less those of Removed
	Full       *history.Index // over Tasks
	Older      *history.Index // over OlderTasks
	Removed    []string       // task IDs the older history lacks, sorted
	// Parts are the records split into parts; part OlderPart (-1 if
	// none) holds only records the older history attributes as the full
	// one does, and is to be read with it.
	Parts     [][]*Record
	OlderPart int
}

// Records returns the parts' records, part after part.
func (c *Case) Records() []*Record {
	var all []*Record
	for _, p := range c.Parts {
		all = append(all, p...)
	}
	return all
}

// task is a generated task: in the history (known), or only named by
// records' ecs-* fields.
type task struct {
	arn, id, cluster, clusterName, service, taskDef, inst, instID string
	eni, ip                                                       string
	known                                                         bool // in the history
}

// Generate makes a case from rng, every task and instance valid from t0
// on and every record starting in the 10 minutes after it. Each made
// task (one the history lacks) has fixed ecs-* values, written by every
// format that has the field; a record of a format without the field
// never names it.
func Generate(rng *rand.Rand, t0 time.Time) (*Case, error) {
	clusters := []string{"a", "b"}
	var insts []history.Instance
	for i, c := range clusters {
		insts = append(insts, history.Instance{ARN: fmt.Sprintf("%scontainer-instance/%s/ci%d", Account, c, i), ClusterARN: Account + "cluster/" + c,
			Valid: history.Interval{Start: t0}})
	}
	var tasks []*task
	nKnown := 2 + rng.IntN(3)
	for i := range nKnown {
		c := clusters[rng.IntN(2)]
		id := fmt.Sprintf("t%d", i)
		tk := &task{id: id, clusterName: c, service: fmt.Sprintf("s%d", rng.IntN(3)), taskDef: fmt.Sprintf("%stask-definition/f%d:1", Account, rng.IntN(3)),
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
		tasks = append(tasks, &task{id: o.id, clusterName: c, service: "s9", taskDef: Account + "task-definition/f9:1",
			eni: fmt.Sprintf("eni-t%d", n), ip: fmt.Sprintf("10.0.1.%d", n+1), known: true})
	}
	for i := range 1 + rng.IntN(3) {
		c := []string{"a", "b", "c"}[rng.IntN(3)]
		tasks = append(tasks, &task{id: fmt.Sprintf("u%d", i), clusterName: c, service: fmt.Sprintf("s%d", rng.IntN(3)),
			taskDef: fmt.Sprintf("%stask-definition/f%d:2", Account, rng.IntN(3))})
	}
	for _, tk := range tasks {
		tk.arn = Account + "task/" + tk.clusterName + "/" + tk.id
		tk.cluster = Account + "cluster/" + tk.clusterName
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
	hFull, err := history.NewIndex(full, insts)
	if err != nil {
		return nil, err
	}
	hOlder, err := history.NewIndex(older, insts)
	if err != nil {
		return nil, err
	}
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

	knownT := slices.DeleteFunc(slices.Clone(tasks), func(tk *task) bool { return !tk.known })
	var recs []*Record
	n := 5 + rng.IntN(25)
	for range n {
		r := &Record{Vals: map[string]string{}, Bytes: 1 + rng.IntN(1000), Pkts: 1 + rng.IntN(9),
			Start: t0.Add(time.Duration(rng.IntN(600)) * time.Second).Unix(), Src: "10.0.9.9", Dst: "52.94.1.1", ENI: "-"}
		kt := knownT[rng.IntN(len(knownT))]
		switch rng.IntN(4) {
		case 0:
			r.ENI = kt.eni
		case 1:
			r.ENI = "eni-unknown"
		case 2:
			r.ENI = "-"
		}
		if rng.IntN(3) == 0 {
			r.Src = kt.ip // step 4 on an unknown interface
		}
		switch k := rng.IntN(10); {
		case k == 0:
			r.NoData = true
			if rng.IntN(2) == 0 {
				r.ECS = []string{"ecs-task-id"}
			}
		case k <= 3: // no ecs-* fields, or absent ones
			if rng.IntN(2) == 0 {
				r.ECS = []string{"ecs-task-id", "ecs-task-arn"}
			}
		default:
			tk := tasks[rng.IntN(len(tasks))]
			switch rng.IntN(5) {
			case 0: // bare ecs-task-id
				r.ECS = []string{"ecs-task-id"}
				r.Vals["ecs-task-id"] = tk.id
			case 1:
				r.ECS = []string{"ecs-task-arn"}
				r.Vals["ecs-task-arn"] = tk.arn
			case 2:
				r.ECS = []string{"ecs-task-arn", "ecs-task-id"}
				r.Vals["ecs-task-arn"], r.Vals["ecs-task-id"] = tk.arn, tk.id
			case 3: // an ecs-task-id the ARN contradicts
				r.ECS = []string{"ecs-task-id", "ecs-task-arn"}
				r.Vals["ecs-task-arn"], r.Vals["ecs-task-id"] = tk.arn, tasks[rng.IntN(len(tasks))].id
			case 4: // the ARN in ecs-task-id
				r.ECS = []string{"ecs-task-id"}
				r.Vals["ecs-task-id"] = tk.arn
			}
			// A task the history lacks has fixed values, in every
			// format that has the fields; a history task's may be
			// absent.
			if !tk.known || rng.IntN(2) == 0 {
				r.ECS = append(r.ECS, "ecs-service-name", "ecs-task-definition-arn")
				r.Vals["ecs-service-name"], r.Vals["ecs-task-definition-arn"] = tk.service, tk.taskDef
				if tk.clusterName == "c" || rng.IntN(2) == 0 {
					r.ECS = append(r.ECS, "ecs-cluster-name")
					r.Vals["ecs-cluster-name"] = tk.clusterName
				} else {
					r.ECS = append(r.ECS, "ecs-cluster-arn")
					r.Vals["ecs-cluster-arn"] = tk.cluster
				}
				if rng.IntN(2) == 0 {
					r.ECS = append(r.ECS, "ecs-container-instance-id")
					r.Vals["ecs-container-instance-id"] = tk.instID
				} else {
					r.ECS = append(r.ECS, "ecs-container-instance-arn")
					r.Vals["ecs-container-instance-arn"] = tk.inst
				}
			}
			rng.Shuffle(len(r.ECS), func(i, j int) { r.ECS[i], r.ECS[j] = r.ECS[j], r.ECS[i] })
			// An older history finds the same task, or (the task's ID
			// all removed) makes it by ID or by its ARN.
			ref := r.Vals["ecs-task-arn"]
			if ref == "" {
				ref = r.Vals["ecs-task-id"]
			}
			rid := ref[strings.LastIndexByte(ref, '/')+1:]
			r.Older = !removedENI[r.ENI] && !removedENI[r.Src] &&
				(!removed[rid] || !strings.Contains(ref, "/") || ref == greatest[rid])
		}
		if !removed[kt.id] && r.ENI != kt.eni && !r.NoData && len(r.Vals) == 0 && !removedENI[r.ENI] && !removedENI[r.Src] {
			r.Older = true
		}
		if r.NoData {
			r.Older = true
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
	parts := make([][]*Record, nParts)
	for _, r := range recs {
		p := rng.IntN(nParts)
		if p == olderPart && !r.Older {
			p = (p + 1) % nParts
		}
		parts[p] = append(parts[p], r)
	}
	if olderPart >= 0 {
		// Anchors: a record of each removed task on its ENI, in a part
		// that knows it (Merge learns its ARN from there).
		for _, tk := range knownT {
			if removed[tk.id] {
				r := &Record{ENI: tk.eni, Src: tk.ip, Dst: "52.94.1.1", Bytes: 7, Pkts: 1, Start: t0.Add(time.Minute).Unix()}
				q := (olderPart + 1) % nParts
				parts[q] = append(parts[q], r)
			}
		}
	}
	var ids []string
	for id := range removed {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return &Case{Instances: insts, Tasks: full, OlderTasks: older, Full: hFull, Older: hOlder, Removed: ids,
		Parts: parts, OlderPart: olderPart}, nil
}

package partials_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/netmode"
	"github.com/parquet-go/parquet-go"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// cluster is a small cluster: awsvpc tasks of two services (one replaced
// half-way, its ENI reused), on two instances.
func cluster(t testing.TB) *history.Index {
	t.Helper()
	ci := func(n int) string {
		return fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:container-instance/demo/ci%d", n)
	}
	var tasks []history.Task
	for i := range 6 {
		svc := []string{"web", "api"}[i%2]
		tk := history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/demo/t%02d", i),
			ClusterARN: "arn:aws:ecs:us-east-1:123456789012:cluster/demo", Group: "service:" + svc, Family: svc, Revision: 2,
			TaskDefinitionARN: "arn:aws:ecs:us-east-1:123456789012:task-definition/" + svc + ":2",
			LaunchType:        "EC2", NetworkMode: netmode.ModeAWSVPC, ContainerInstanceARN: ci(i % 2), AvailabilityZone: "us-east-1a",
			ENI: fmt.Sprintf("eni-%02d", i%5), IPv4: netip.AddrFrom4([4]byte{10, 0, 1, byte(10 + i%5)}), Version: 3,
			Valid: history.Interval{Start: t0.Add(-time.Hour).Add(123456 * time.Microsecond)}}
		if i == 0 {
			tk.Valid.End = t0.Add(30 * time.Minute)
		}
		if i == 5 {
			tk.Valid.Start = t0.Add(31 * time.Minute)
		}
		tasks = append(tasks, tk)
	}
	insts := []history.Instance{
		{ARN: ci(0), EC2InstanceID: "i-0", InstanceType: "m6i.large", AvailabilityZone: "us-east-1a", ENI: "eni-i0", IPv4: netip.MustParseAddr("10.0.1.200")},
		{ARN: ci(1), EC2InstanceID: "i-1", InstanceType: "m6i.large", AvailabilityZone: "us-east-1a", ENI: "eni-i1", IPv4: netip.MustParseAddr("10.0.1.201")},
	}
	h, err := history.NewIndex(tasks, insts)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// objects returns n flow-log objects of random v5 records over the
// cluster; peers are public addresses and one private address that is no
// task's, so a peer's class does not depend on which record met it first.
func objects(seed uint64, n, lines int) []string {
	rng := rand.New(rand.NewPCG(seed, 1))
	const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction\n"
	out := make([]strings.Builder, n)
	for i := range out {
		out[i].WriteString(header)
	}
	for range lines {
		eni := fmt.Sprintf("eni-%02d", rng.IntN(6))
		task := fmt.Sprintf("10.0.1.%d", 10+rng.IntN(5))
		peer := []string{"93.184.216.34", "52.95.110.1", "8.8.8.8", "10.9.9.9", "1.1.1.1"}[rng.IntN(5)]
		src, dst, dir := peer, task, "ingress"
		if rng.IntN(2) == 0 {
			src, dst, dir = task, peer, "egress"
		}
		start := t0.Add(time.Duration(rng.IntN(7200)) * time.Second).Unix()
		status := "OK"
		if rng.IntN(40) == 0 {
			status = "NODATA"
		}
		fmt.Fprintf(&out[rng.IntN(n)], "5 123456789012 %s %s %s %d %d 6 %d %d %d %d %s %s %s\n",
			eni, src, dst, 1024+rng.IntN(4), []int{443, 8080, 5432}[rng.IntN(3)], 1+rng.IntN(50), 40+rng.IntN(90000),
			start, start+59, []string{"ACCEPT", "REJECT"}[rng.IntN(2)], status, dir)
	}
	s := make([]string, n)
	for i := range out {
		s[i] = out[i].String()
	}
	return s
}

func attribute(t testing.TB, h *history.Index, texts []string) *attribution.Attributor {
	t.Helper()
	a := attribution.New(h)
	for _, txt := range texts {
		r := flowlogs.NewReader(strings.NewReader(txt), flowlogs.WithFields(attribution.Fields()...))
		if err := a.AddAll(r.All()); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func render(t testing.TB, r *attribution.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func roundTrip(t testing.TB, p *attribution.Partial) *attribution.Partial {
	t.Helper()
	var b bytes.Buffer
	if err := partials.Write(&b, p); err != nil {
		t.Fatal(err)
	}
	q, err := partials.Read(bytes.NewReader(b.Bytes()), int64(b.Len()), "test.parquet")
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestSplitMergeReport: one partial per object, written and read back,
// merged in any order: the report is the single run's, byte for byte.
func TestSplitMergeReport(t *testing.T) {
	h := cluster(t)
	for _, n := range []int{1, 2, 7} {
		objs := objects(uint64(n), n, 3000)
		whole := attribute(t, h, objs)
		var ps []*attribution.Partial
		for _, o := range objs {
			ps = append(ps, roundTrip(t, attribute(t, h, []string{o}).Partial()))
		}
		for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
			ps[i], ps[j] = ps[j], ps[i]
		}
		merged, err := attribution.Merge(ps...)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByInstance, attribution.ByCluster} {
			want, got := render(t, whole.Result(g)), render(t, merged.Result(g))
			if got != want {
				t.Fatalf("%d objects, by %v: merged report differs:\n%s\nwant\n%s", n, g, got, want)
			}
		}
		// A merged partial round-trips too.
		if got, want := render(t, roundTrip(t, merged).Result(attribution.ByTask)), render(t, whole.Result(attribution.ByTask)); got != want {
			t.Fatalf("%d objects: merged partial after a round trip differs", n)
		}
	}
}

// TestReadErrors: a damaged file is refused with the row and column.
func TestReadErrors(t *testing.T) {
	h := cluster(t)
	p := attribute(t, h, objects(3, 1, 200)).Partial()
	at := func(h int) *time.Time { t := time.Date(2026, 12, 6, h, 0, 0, 0, time.UTC); return &t }
	p.Inputs = []attribution.Input{{Name: "a", Since: *at(1), Until: *at(2)}, {Name: "a", Since: *at(2)}, {Name: "b"}}
	rows, err := partials.Rows(p)
	if err != nil {
		t.Fatal(err)
	}
	write := func(rows []partials.Row, meta bool) []byte {
		var b bytes.Buffer
		opts := []parquet.WriterOption{}
		if meta {
			opts = append(opts, parquet.KeyValueMetadata(partials.MetadataKey, fmt.Sprint(partials.SchemaVersion)))
		}
		w := parquet.NewGenericWriter[partials.Row](&b, opts...)
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	// The first row of each kind, and the second task's row.
	first := map[string]int{}
	secondTask := -1
	for i, r := range rows {
		if _, ok := first[r.Kind]; !ok {
			first[r.Kind] = i
		} else if r.Kind == partials.KindTask && secondTask < 0 {
			secondTask = i
		}
	}
	taskRow := first[partials.KindTask]
	for _, k := range []string{partials.KindMethod, partials.KindInput, partials.KindInterface, partials.KindPeer, partials.KindPort, partials.KindClass, partials.KindPoint} {
		if _, ok := first[k]; !ok || secondTask < 0 {
			t.Fatalf("the partial has no %s row, or one task: too few rows to test", k)
		}
	}
	// again repeats row i just after it.
	again := func(i int) func([]partials.Row) []partials.Row {
		return func(r []partials.Row) []partials.Row { return slices.Insert(r, i+1, r[i]) }
	}
	in := first[partials.KindInput]
	for _, c := range []struct {
		name   string
		edit   func([]partials.Row) []partials.Row
		meta   bool
		row    int64
		column string
	}{
		{"no version", func(r []partials.Row) []partials.Row { return r }, false, 0, ""},
		{"negative", func(r []partials.Row) []partials.Row { r[taskRow].BytesIn = -1; return r }, true, int64(taskRow + 1), "bytes_in"},
		{"kind", func(r []partials.Row) []partials.Row { r[1].Kind = "nope"; return r }, true, 2, "kind"},
		{"peer", func(r []partials.Row) []partials.Row { r[taskRow+1].Peer = "300.1.1.1/32"; return r }, true, int64(taskRow + 2), "peer"},
		{"orphan", func(r []partials.Row) []partials.Row { r[taskRow+1].TaskARN = "x"; return r }, true, int64(taskRow + 2), "task_arn"},
		{"meta twice", func(r []partials.Row) []partials.Row { return append(r, r[0]) }, true, int64(len(rows) + 1), "kind"},
		{"no meta", func(r []partials.Row) []partials.Row { return r[1:] }, true, 1, "kind"},
		{"step", func(r []partials.Row) []partials.Row { r[0].StepSeconds = 0; return r }, true, 1, ""},
		// The column SQL checks must say what the metadata says.
		{"schema_version column", func(r []partials.Row) []partials.Row { r[0].SchemaVersion--; return r }, true, 1, "schema_version"},
		{"mode", func(r []partials.Row) []partials.Row { r[taskRow].NetworkMode = "vpc"; return r }, true, int64(taskRow + 1), "network_mode"},
		{"rule version", func(r []partials.Row) []partials.Row { r[0].RuleVersion = 0; return r }, true, 1, ""},
		// The instance's columns on a task row that says it has none.
		{"instance not known", func(r []partials.Row) []partials.Row { r[taskRow].InstanceKnown = false; return r }, true, int64(taskRow + 1), "instance_known"},
		{"method twice", again(first[partials.KindMethod]), true, int64(first[partials.KindMethod] + 2), "method"},
		{"interface twice", again(first[partials.KindInterface]), true, int64(first[partials.KindInterface] + 2), "interface_id"},
		{"peer twice", again(first[partials.KindPeer]), true, int64(first[partials.KindPeer] + 2), "peer"},
		{"port twice", again(first[partials.KindPort]), true, int64(first[partials.KindPort] + 2), "port"},
		{"class twice", again(first[partials.KindClass]), true, int64(first[partials.KindClass] + 2), "peer_class"},
		{"point twice", again(first[partials.KindPoint]), true, int64(first[partials.KindPoint] + 2), "bucket_start"},
		{"task twice", again(taskRow), true, int64(taskRow + 2), "task_arn"},
		// Inputs as Merge takes them: valid, in order, none overlapping
		// another (a file that broke this would let Merge count an
		// object's records twice).
		{"input twice", again(in), true, int64(in + 2), "input_name"},
		{"input out of order", func(r []partials.Row) []partials.Row { r[in+2].InputName = "0"; return r }, true, int64(in + 3), "input_name"},
		{"inputs overlap", func(r []partials.Row) []partials.Row {
			r[in+1].InputSince = at(0)
			r[in+1].InputUntil = at(3)
			return r
		}, true, int64(in + 2), "input_name"},
		{"input unnamed", func(r []partials.Row) []partials.Row { r[in].InputName = ""; return r }, true, int64(in + 1), "input_name"},
		{"input window empty", func(r []partials.Row) []partials.Row { r[in].InputUntil = at(1); return r }, true, int64(in + 1), "input_name"},
		{"input sub-second", func(r []partials.Row) []partials.Row {
			x := at(1).Add(time.Millisecond)
			r[in].InputSince = &x
			return r
		}, true, int64(in + 1), "input_name"},
		{"task out of order", func(r []partials.Row) []partials.Row {
			r[secondTask].TaskARN = "arn:aws:ecs:a"
			return r
		}, true, int64(secondTask + 1), "task_arn"},
		// A peer of the first task after the second task's row: a task's
		// rows follow its task row, before the next task's.
		{"peer after the next task", func(r []partials.Row) []partials.Row {
			return slices.Insert(r, secondTask+1, r[first[partials.KindPeer]])
		}, true, int64(secondTask + 2), "task_arn"},
	} {
		b := write(c.edit(append([]partials.Row(nil), rows...)), c.meta)
		_, err := partials.Read(bytes.NewReader(b), int64(len(b)), "bad.parquet")
		var pe *partials.Error
		if !errors.As(err, &pe) || pe.Name != "bad.parquet" || pe.Row != c.row || pe.Column != c.column {
			t.Errorf("%s: got %v (%+v), want row %d column %q", c.name, err, pe, c.row, c.column)
		}
	}
	if _, err := partials.Read(bytes.NewReader([]byte("not parquet")), 11, "junk"); err == nil {
		t.Error("junk: no error")
	}
}

// TestLargeRoundTrip: the partial of a large cluster's object, whose
// columns are mostly one value (zeros, one cluster, one launch type), reads
// back: the size checks that refuse lying files must take what Write
// writes, and Write keeps columns compact (dictionary and delta encodings)
// so that no page expands past what a Parquet guard allows.
func TestLargeRoundTrip(t *testing.T) {
	p := bigPartial(4000, 20, 10)
	var b bytes.Buffer
	if err := partials.Write(&b, p); err != nil {
		t.Fatal(err)
	}
	q, err := partials.Read(bytes.NewReader(b.Bytes()), int64(b.Len()), "large.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Tasks) != len(p.Tasks) || q.Total != p.Total || len(q.Tasks[3999].Peers) != 20 {
		t.Fatalf("read back %d tasks, total %+v", len(q.Tasks), q.Total)
	}
	if cap(q.Tasks) != len(q.Tasks) {
		t.Errorf("Tasks made with room for %d, not at their length %d: grown as read", cap(q.Tasks), len(q.Tasks))
	}
	// The guard allows a column chunk 1024 times its compressed size; a
	// constant column written plain (8 bytes a value) passes that at
	// about 400,000 rows, which a large cluster's object reaches. Written
	// compactly, no column comes near (the most, 110 times, is a delta-
	// encoded port column).
	f, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, rg := range f.Metadata().RowGroups {
		for i, c := range rg.Columns {
			m := c.MetaData
			if m.TotalUncompressedSize > 256*(m.TotalCompressedSize+1024) {
				t.Errorf("column %d (%s) expands from %d to %d bytes", i, strings.Join(m.PathInSchema, "."), m.TotalCompressedSize, m.TotalUncompressedSize)
			}
		}
	}
}

// TestRepeatedTaskRows: a file whose kind column claims 200,000 task
// rows in a megabyte and a half (one task, repeated: its rows' only
// difference is a random version, which no count need agree with) is
// refused for its repeated task, without making room for 200,000 tasks
// first (74 MB).
func TestRepeatedTaskRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rows := make([]partials.Row, 200_001)
	rows[0] = partials.Row{Kind: partials.KindMeta, StepSeconds: 300, PeersKept: 64, PortsKept: 32, InterfacesKept: 16, PeerPrefixV4: 32, PeerPrefixV6: 128,
		RuleVersion: attribution.RuleVersion, SchemaVersion: partials.SchemaVersion}
	for i := 1; i < len(rows); i++ {
		rows[i] = partials.Row{Kind: partials.KindTask, TaskARN: "arn:aws:ecs:us-east-1:123456789012:task/prod/0", NetworkMode: "awsvpc",
			TaskVersion: rng.Int64()}
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[partials.Row](&b, parquet.KeyValueMetadata(partials.MetadataKey, fmt.Sprint(partials.SchemaVersion)),
		parquet.Compression(&parquet.Zstd))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 2<<20 {
		t.Fatalf("the file is %d bytes, not a megabyte and a half", b.Len())
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := partials.Read(bytes.NewReader(b.Bytes()), int64(b.Len()), "repeated.parquet")
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "appears twice") {
		t.Fatalf("%v, want the repeated task refused", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
		t.Errorf("reading %d bytes allocated %d", b.Len(), n)
	}
}

// TestWriteStream: a partial written from Attributor.PartialStream is the
// file Write makes of Attributor.Partial, byte for byte; a Partial that
// has Tasks as well as a stream is refused.
func TestWriteStream(t *testing.T) {
	a := attribute(t, cluster(t), objects(7, 4, 3000))
	var whole, streamed bytes.Buffer
	if err := partials.Write(&whole, a.Partial()); err != nil {
		t.Fatal(err)
	}
	head, tasks := a.PartialStream()
	if head.Tasks != nil {
		t.Fatalf("PartialStream's head has %d tasks", len(head.Tasks))
	}
	if err := partials.WriteStream(&streamed, head, tasks); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole.Bytes(), streamed.Bytes()) {
		t.Fatalf("streamed partial differs: %d bytes, Write's %d", streamed.Len(), whole.Len())
	}
	p := a.Partial()
	if len(p.Tasks) < 3 {
		t.Fatalf("%d tasks: too few to tell", len(p.Tasks))
	}
	if err := partials.WriteStream(io.Discard, p, tasks); err == nil || !strings.Contains(err.Error(), "Tasks as well as a stream") {
		t.Errorf("WriteStream of a Partial with Tasks: %v", err)
	}
}

// The options that decide attribution (schema version 2) come back as
// written, so Merge refuses parts made with others; a file of version 1,
// which does not record them, is refused for its version.
func TestAttributionOptionsRoundTrip(t *testing.T) {
	h := cluster(t)
	topo := attribution.Topology{VPCs: []attribution.VPC{{ID: "vpc-1", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}}}
	a := attribution.New(h, attribution.WithoutIPFallback(), attribution.WithLateSlack(90*time.Second), attribution.WithTopology(topo))
	r := flowlogs.NewReader(strings.NewReader(objects(7, 1, 200)[0]), flowlogs.WithFields(attribution.Fields()...))
	if err := a.AddAll(r.All()); err != nil {
		t.Fatal(err)
	}
	p := a.Partial()
	q := roundTrip(t, p)
	if q.Config != p.Config || !q.Config.NoIPFallback || q.Config.LateSlack != 90*time.Second || q.Config.Topology != attribution.TopologyDigest(topo) {
		t.Fatalf("options read back as %v, written %v", q.Config, p.Config)
	}
	if _, err := attribution.Merge(q, roundTrip(t, attribute(t, h, objects(7, 1, 200)).Partial())); !errors.Is(err, attribution.ErrIncompatible) {
		t.Fatalf("parts of other options merged: %v", err)
	}
	rows, err := partials.Rows(p)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[partials.Row](&b, parquet.KeyValueMetadata(partials.MetadataKey, "1"))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := partials.Read(bytes.NewReader(b.Bytes()), int64(b.Len()), "v1.parquet"); !errors.Is(err, partials.ErrVersion) {
		t.Fatalf("a version 1 file: %v", err)
	}
}

// TestPartialsRoundTripInventsInstance: a task known only from records'
// ecs-* fields, whose container instance ID no history describes, has no
// instance (TaskPart.Instance nil), and read back has none either: the
// task row says so (instance_known), where Read once made an instance of
// container_instance_arn. An ID of the history's instance is resolved to
// it (attribution's RuleVersion 2), and that instance comes back.
func TestPartialsRoundTripInventsInstance(t *testing.T) {
	h := cluster(t)
	s := t0.Add(time.Minute).Unix()
	text := fmt.Sprintf("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-cluster-name ecs-container-instance-id ecs-task-id\n"+
		"7 eni-x 10.0.7.6 10.0.2.9 40000 443 6 1 1000 %[1]d %[2]d ACCEPT OK demo 0123456789abcdef0123456789abcdef bbbb\n"+
		"7 eni-x 10.0.7.7 10.0.2.9 40000 443 6 1 1000 %[1]d %[2]d ACCEPT OK demo ci1 cccc\n", s, s+30)
	a := attribute(t, h, []string{text})
	p := a.Partial()
	q := roundTrip(t, p)
	if len(p.Tasks) != 2 || len(q.Tasks) != 2 {
		t.Fatalf("tasks: %d written, %d read", len(p.Tasks), len(q.Tasks))
	}
	for i, tp := range p.Tasks {
		got := q.Tasks[i].Instance
		switch want := tp.Instance; {
		case tp.Task.ID() == "bbbb" && (want != nil || got != nil):
			t.Errorf("task bbbb: instance %+v, read back as %+v; want none", want, got)
		case tp.Task.ID() == "cccc" && (want == nil || got == nil || got.ARN != want.ARN || got.EC2InstanceID != "i-1"):
			t.Errorf("task cccc: instance %+v, read back as %+v; want the history's ci1", want, got)
		}
	}
	for _, g := range []attribution.GroupBy{attribution.ByInstance, attribution.ByCluster} {
		if got, want := render(t, q.Result(g)), render(t, a.Result(g)); got != want {
			t.Errorf("by %v: read back\n%s\nwant\n%s", g, got, want)
		}
	}
}

// TestRuleVersionRoundTrip: the meta row records attribution.RuleVersion;
// a file of another version reads, and groups, on its own, and merges
// with parts of its version but not with this code's.
func TestRuleVersionRoundTrip(t *testing.T) {
	h := cluster(t)
	p := attribute(t, h, objects(5, 1, 200)).Partial()
	if q := roundTrip(t, p); q.Config.RuleVersion != attribution.RuleVersion || q.Config != p.Config {
		t.Fatalf("options read back as %v, written %v", q.Config, p.Config)
	}
	rows, err := partials.Rows(p)
	if err != nil {
		t.Fatal(err)
	}
	rows[0].RuleVersion = attribution.RuleVersion + 1
	b := writeRows(t, rows)
	other, err := partials.Read(bytes.NewReader(b), int64(len(b)), "next.parquet")
	if err != nil {
		t.Fatal(err)
	}
	if other.Config.RuleVersion != attribution.RuleVersion+1 {
		t.Fatalf("rule version read back as %d", other.Config.RuleVersion)
	}
	if got, want := render(t, other.Result(attribution.ByTask)), render(t, p.Result(attribution.ByTask)); got != want {
		t.Errorf("a part of another rule version groups otherwise:\n%s\nwant\n%s", got, want)
	}
	_, err = attribution.Merge(p, other)
	if !errors.Is(err, attribution.ErrIncompatible) || !strings.Contains(err.Error(), fmt.Sprintf("rule version %d, not %d", attribution.RuleVersion+1, attribution.RuleVersion)) {
		t.Errorf("parts of two rule versions: %v", err)
	}
	if _, err := attribution.Merge(other, other); err != nil {
		t.Errorf("parts of one other rule version: %v", err)
	}
}

// TestInputsRoundTrip: a part's inputs, and a merge's, read back as
// written, so that merging files refuses what merging the Partials
// refuses: a merged file beside one of its own parts. Write refuses the
// inputs Read would.
func TestInputsRoundTrip(t *testing.T) {
	h := cluster(t)
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	objs := objects(7, 2, 300)
	var files []*attribution.Partial
	for i, o := range objs {
		p := attribute(t, h, []string{o}).Partial()
		p.Inputs = []attribution.Input{{Name: fmt.Sprint("object-", i), Since: at, Until: at.Add(time.Hour)}, {Name: "tail", Since: at.Add(time.Duration(i) * time.Hour), Until: at.Add(time.Duration(i+1) * time.Hour)}}
		q := roundTrip(t, p)
		if !reflect.DeepEqual(q.Inputs, p.Inputs) {
			t.Fatalf("inputs read back as %v, written %v", q.Inputs, p.Inputs)
		}
		files = append(files, q)
	}
	merged, err := attribution.Merge(files...)
	if err != nil {
		t.Fatal(err)
	}
	m := roundTrip(t, merged)
	if len(m.Inputs) != 4 || !reflect.DeepEqual(m.Inputs, merged.Inputs) {
		t.Fatalf("merged inputs read back as %v, merged %v", m.Inputs, merged.Inputs)
	}
	var oe *attribution.OverlapError
	if _, err := attribution.Merge(m, files[1]); !errors.As(err, &oe) || oe.Input.Name != "object-1" {
		t.Errorf("a merged file beside its part: %v", err)
	}
	for name, ins := range map[string][]attribution.Input{
		"out of order": {{Name: "b"}, {Name: "a"}},
		"overlapping":  {{Name: "a", Until: at.Add(time.Second)}, {Name: "a", Since: at}},
		"unnamed":      {{}},
		"sub-second":   {{Name: "a", Since: at.Add(time.Millisecond)}},
	} {
		p := *files[0]
		p.Inputs = ins
		if err := partials.Write(io.Discard, &p); err == nil {
			t.Errorf("%s: written", name)
		}
	}
}

// TestInputBounds: Write refuses an input bound the file's millisecond
// column or an SQL engine cannot hold (a bound in the year 73 billion
// wrapped to 01:00 the same day, and read back a window the part did not
// have); Read refuses a bound at Go's zero time written as a time, not
// NULL, which Go would read as no bound and SQL as the year 1.
func TestInputBounds(t *testing.T) {
	h := cluster(t)
	at := func(h int) time.Time { return time.Date(2026, 12, 6, h, 0, 0, 0, time.UTC) }
	p := attribute(t, h, objects(3, 1, 50)).Partial()
	for _, until := range []time.Time{time.Unix(1<<61+at(1).Unix(), 0).UTC(), time.Date(300_000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		p.Inputs = []attribution.Input{{Name: "x", Since: at(0), Until: until}}
		if err := partials.Write(io.Discard, p); err == nil {
			t.Errorf("until %v: written", until)
		}
	}
	p.Inputs = []attribution.Input{{Name: "x", Since: at(0)}}
	rows, err := partials.Rows(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if rows[i].Kind == partials.KindInput {
			var yearOne time.Time
			rows[i].InputUntil = &yearOne
		}
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[partials.Row](&b, parquet.KeyValueMetadata(partials.MetadataKey, fmt.Sprint(partials.SchemaVersion)))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var pe *partials.Error
	if _, err := partials.Read(bytes.NewReader(b.Bytes()), int64(b.Len()), "year-one.parquet"); !errors.As(err, &pe) || pe.Column != "input_name" ||
		!strings.Contains(err.Error(), "a bound at 0001-01-01T00:00:00Z, not NULL") {
		t.Errorf("a bound at the zero time: %v", err)
	}
}

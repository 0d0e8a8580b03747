package intervals

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/netmode"
)

// roundTrip writes rows as Parquet and reads them back.
func roundTrip(t *testing.T, rows []Row) []Row {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, rows); err != nil {
		t.Fatal(err)
	}
	got, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "history.parquet")
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// sameRows compares rows field by field, times by instant.
func sameRows(t *testing.T, what string, got, want []Row) {
	t.Helper()
	if len(got) != len(want) {
		var g, w []string
		for _, r := range got {
			g = append(g, rowText(r))
		}
		for _, r := range want {
			w = append(w, rowText(r))
		}
		t.Fatalf("%s: %d rows, want %d:\n%s", what, len(got), len(want), firstDiff(strings.Join(g, "\n"), strings.Join(w, "\n")))
	}
	for i := range got {
		g, w := got[i], want[i]
		for _, p := range []**time.Time{&g.Start, &g.End, &w.Start, &w.End} {
			if *p != nil {
				u := (*p).UTC()
				*p = &u
			}
		}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: row %d:\n got  %s\n want %s", what, i+1, rowText(g), rowText(w))
		}
	}
}

func rowText(r Row) string {
	p := func(v *int64) string {
		if v == nil {
			return "-"
		}
		return fmt.Sprint(*v)
	}
	q := func(v *time.Time) string {
		if v == nil {
			return "-"
		}
		return v.UTC().Format(time.RFC3339Nano)
	}
	b := fmt.Sprintf("%s %s %d:%d-%d [%s %s %s late %s] [%s %s]", r.Kind, r.Key, r.Protocol, r.PortFirst, r.PortLast,
		p(r.FirstSecond), p(r.LastSecond), p(r.NextFirstSecond), p(r.LateBaseSecond), q(r.Start), q(r.End))
	r.FirstSecond, r.LastSecond, r.NextFirstSecond, r.LateBaseSecond, r.Start, r.End = nil, nil, nil, nil, nil, nil
	return b + fmt.Sprintf(" %+v", r)
}

// attribute runs attribution over h for the records and returns the JSON
// reports by task and by service.
func attribute(t *testing.T, h *history.Index, records func() iterRecords) (string, string) {
	t.Helper()
	a := attribution.New(h)
	if err := a.AddAll(records()); err != nil {
		t.Fatal(err)
	}
	var out [2]string
	for i, g := range []attribution.GroupBy{attribution.ByTask, attribution.ByService} {
		var b bytes.Buffer
		if err := report.WriteJSON(&b, a.Result(g)); err != nil {
			t.Fatal(err)
		}
		out[i] = b.String()
	}
	return out[0], out[1]
}

type iterRecords = func(yield func(*flowlogs.Record, error) bool)

// checkTrip checks the whole trip for one history: Build, WriteParquet,
// ReadParquet, Index, then the same rows again and the same attribution.
func checkTrip(t *testing.T, h *history.Index, records func() iterRecords) {
	t.Helper()
	rows, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	read := roundTrip(t, rows)
	sameRows(t, "read back", read, rows)
	back, err := Index(read)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(back)
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, "Build(Index(rows))", again, rows)
	wantTask, wantSvc := attribute(t, withInstanceAZ(t, h), records)
	gotTask, gotSvc := attribute(t, back, records)
	if gotTask != wantTask {
		t.Errorf("by task, the rebuilt history attributes otherwise:\n%s", firstDiff(gotTask, wantTask))
	}
	if gotSvc != wantSvc {
		t.Errorf("by service, the rebuilt history attributes otherwise:\n%s", firstDiff(gotSvc, wantSvc))
	}
}

// withInstanceAZ is h with the AZ of each task that has none set to its
// instance's, as the table carries it (the one difference reports show).
func withInstanceAZ(t *testing.T, h *history.Index) *history.Index {
	t.Helper()
	var ts []history.Task
	for _, tk := range h.Tasks() {
		c := *tk
		if in, ok := h.Instance(c.ContainerInstanceARN); ok && c.AvailabilityZone == "" {
			c.AvailabilityZone = in.AvailabilityZone
		}
		ts = append(ts, c)
	}
	var is []history.Instance
	for _, in := range h.Instances() {
		is = append(is, *in)
	}
	x, err := history.NewIndex(ts, is)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// TestRoundTripSample: the embedded sample's history, through the table
// and back, attributes the sample's flow logs exactly as the history
// itself (the JSON reports by task and by service, byte for byte).
func TestRoundTripSample(t *testing.T) {
	h := sampleHistory(t)
	records := func() iterRecords {
		return source.Records(context.Background(), &source.Dir{Root: "../../../examples/attribute/sample/flowlogs"})
	}
	checkTrip(t, h, records)
	// The task fields reports show survive; the sample's records are
	// attributed at all.
	rows, _ := Build(h)
	back, err := Index(rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range h.Tasks() {
		got, ok := back.Task(want.ARN)
		if !ok {
			t.Fatalf("task %s lost", want.ARN)
		}
		if got.TaskDefinitionARN != want.TaskDefinitionARN || got.Revision != want.Revision || got.NetworkMode != want.NetworkMode {
			t.Errorf("task %s: definition %q rev %d mode %v, want %q %d %v", want.ARN, got.TaskDefinitionARN, got.Revision,
				got.NetworkMode, want.TaskDefinitionARN, want.Revision, want.NetworkMode)
		}
	}
	byTask, _ := attribute(t, back, records)
	if !strings.Contains(byTask, `"arn": "arn:aws:ecs:`) {
		t.Fatalf("no task attributed:\n%.400s", byTask)
	}
}

// genHistory is a random history: awsvpc tasks that reuse ENIs and
// addresses, sometimes with executionStoppedAt; bridge and host tasks on
// instances reusing host ports and ranges; an instance replaced by
// another on the same address; an instance without interface; times
// between whole seconds. Owners of a key follow each other as on ECS (the
// next created up to two minutes before the last one's stoppedAt) or, when
// wild, at random times, three and more at once.
func genHistory(r *rand.Rand, wild bool) (*history.Index, []string) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	at := func(sec int) time.Time {
		t := t0.Add(time.Duration(sec) * time.Second)
		if r.IntN(3) == 0 {
			t = t.Add(time.Duration(r.IntN(1000)) * time.Millisecond)
		}
		return t
	}
	next := map[string]int{} // slot → when its next owner may start
	life := func(tk *history.Task, slot string, open int) {
		start := r.IntN(3000)
		if !wild {
			start = next[slot] + r.IntN(300) - 120
		}
		tk.Valid.Start = at(start)
		if r.IntN(10) < open {
			next[slot] = start + 100_000 // the slot's later owners come much later
			return
		}
		end := start + 60 + r.IntN(1800)
		next[slot] = end
		tk.Valid.End = at(end)
		if r.IntN(2) == 0 {
			tk.ExecutionStoppedAt = tk.Valid.End.Add(-time.Duration(r.IntN(120_000)) * time.Millisecond)
		}
		if !wild {
			next[slot] = end + 1 + r.IntN(2)*10000 // an open owner ends the slot
		}
	}
	const acct = "arn:aws:ecs:us-east-1:111122223333:"
	cluster := acct + "cluster/gen"
	insts := []history.Instance{
		{ARN: acct + "container-instance/gen/a", EC2InstanceID: "i-a", ClusterARN: cluster, AvailabilityZone: "us-east-1a",
			ENI: "eni-ia", IPv4: netip.MustParseAddr("10.0.9.1"), TrunkENI: "eni-trunk", Valid: history.Interval{Start: at(-3600)}},
		{ARN: acct + "container-instance/gen/b", EC2InstanceID: "i-b", ClusterARN: cluster, AvailabilityZone: "us-east-1b",
			ENI: "eni-ib", IPv4: netip.MustParseAddr("10.0.9.2"), Valid: history.Interval{Start: at(-3600), End: at(1500 + r.IntN(600))}},
		// b's address, taken over by c (an instance replaced).
		{ARN: acct + "container-instance/gen/c", EC2InstanceID: "i-c", ClusterARN: cluster, AvailabilityZone: "us-east-1b",
			ENI: "eni-ic", IPv4: netip.MustParseAddr("10.0.9.2"), Valid: history.Interval{Start: at(1200 + r.IntN(600))}},
		// An instance the history knows without its interface.
		{ARN: acct + "container-instance/gen/d", EC2InstanceID: "i-d", ClusterARN: cluster, AvailabilityZone: "us-east-1a"},
	}
	if r.IntN(2) == 0 {
		insts[0].IPv6 = netip.MustParseAddr("2600:1f18::9")
	}
	var tasks []history.Task
	var lines []string
	services := []string{"service:web", "service:api", "family:batch"}
	lastENI := map[int]string{}
	for i := range 14 {
		id := fmt.Sprintf("%032x", i+1)
		svc := services[r.IntN(len(services))]
		fam := svc[strings.IndexByte(svc, ':')+1:]
		slot := r.IntN(4)
		tk := history.Task{ARN: acct + "task/gen/" + id, ClusterARN: cluster, Group: svc,
			TaskDefinitionARN: acct + "task-definition/" + fam + ":3", Family: fam, Revision: 3,
			LaunchType: "FARGATE", AvailabilityZone: "us-east-1a", NetworkMode: netmode.ModeAWSVPC,
			ENI: fmt.Sprintf("eni-t%d", i), SubnetID: "subnet-1",
			IPv4: netip.MustParseAddr(fmt.Sprintf("10.0.1.%d", 1+slot))}
		if e := lastENI[slot]; e != "" && r.IntN(4) == 0 {
			tk.ENI = e // an ENI handed on with its address
		}
		lastENI[slot] = tk.ENI
		if wild {
			tk.ENI = fmt.Sprintf("eni-t%d", r.IntN(6))
		}
		if slot%2 == 1 {
			tk.IPv6 = netip.MustParseAddr(fmt.Sprintf("2600:1f18:0:1::%x", 0xa+slot))
		}
		if i%3 == 1 {
			tk.LaunchType, tk.ContainerInstanceARN = "EC2", insts[0].ARN
		}
		if i%5 == 4 {
			tk.Family, tk.Revision, tk.TaskDefinitionARN, tk.Group = "", 0, "", ""
		}
		life(&tk, fmt.Sprint("ip", slot), 3)
		tasks = append(tasks, tk)
	}
	for i := range 9 {
		id := fmt.Sprintf("%032x", 100+i)
		in := insts[r.IntN(len(insts))]
		tk := history.Task{ARN: acct + "task/gen/" + id, ClusterARN: cluster, Group: "service:legacy",
			TaskDefinitionARN: acct + "task-definition/legacy:2", Family: "legacy", Revision: 2,
			LaunchType: "EC2", ContainerInstanceARN: in.ARN, NetworkMode: netmode.ModeBridge}
		var slot string
		switch i % 4 {
		case 0:
			tk.NetworkMode = netmode.ModeHost
			tk.Bindings = []history.Binding{{Proto: netmode.TCP, HostPort: 9100, HostPortLast: 9100}}
			slot = "9100"
		case 1:
			lo := uint16(50000)
			if wild {
				lo += uint16(r.IntN(3))
			}
			tk.Bindings = []history.Binding{{Proto: netmode.UDP, HostPort: lo, HostPortLast: lo + 3}}
			slot = "50000"
		case 2:
			tk.NetworkMode = netmode.ModeUnknown
			fallthrough
		default:
			p := uint16(32768 + r.IntN(3))
			tk.Bindings = []history.Binding{{Proto: netmode.TCP, HostPort: p, HostPortLast: p},
				{Proto: netmode.TCP, HostPort: p, HostPortLast: p, BindIP: netip.MustParseAddr("::")}}
			slot = fmt.Sprint(p)
		}
		if r.IntN(3) == 0 {
			tk.AvailabilityZone = in.AvailabilityZone
		}
		life(&tk, in.ARN+slot, 5)
		tasks = append(tasks, tk)
	}
	h, err := history.NewIndex(tasks, insts)
	if err != nil {
		panic(err)
	}
	// Records on the tasks' and instances' interfaces and addresses,
	// around the times they change hands.
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	for range 400 {
		tk := tasks[r.IntN(len(tasks))]
		sec := tk.Valid.Start.Unix() + int64(r.IntN(1900)) - 60
		if !tk.Valid.End.IsZero() && r.IntN(2) == 0 {
			sec = tk.Valid.End.Unix() + int64(r.IntN(130)) - 65
		}
		if !tk.ExecutionStoppedAt.IsZero() && r.IntN(3) == 0 {
			sec = tk.ExecutionStoppedAt.Unix() + int64(r.IntN(5)) - 2
		}
		eni, local, peer := tk.ENI, "10.0.1.9", pick("52.94.1.1", "10.0.5.5", "8.8.8.8")
		if tk.IPv4.IsValid() {
			local = tk.IPv4.String()
		}
		lport, rport, proto := "443", fmt.Sprint(40000+r.IntN(1000)), "6"
		if tk.ENI == "" || r.IntN(4) == 0 {
			in := insts[r.IntN(len(insts))]
			eni, local = pick(cmp.Or(in.ENI, "-"), "-", "eni-trunk"), in.IPv4.String()
			if !in.IPv4.IsValid() {
				local = "10.0.9.9"
			}
			lport = pick("9100", "32768", "32769", "32770", "50000", "50002", "50003", "50005", "22")
			if strings.HasPrefix(lport, "500") {
				proto = "17"
			}
		}
		if tk.IPv6.IsValid() && r.IntN(3) == 0 {
			local, peer = tk.IPv6.String(), "2600:1f18:ffff::9"
		}
		src, dst, sp, dp := peer, local, rport, lport
		if r.IntN(2) == 0 {
			src, dst, sp, dp = local, peer, lport, rport
		}
		lines = append(lines, fmt.Sprintf("2 111122223333 %s %s %s %s %s %s %d %d %d %d %s OK",
			eni, src, dst, sp, dp, proto, 1+r.IntN(50), 40+r.IntN(10000), sec, sec+30, pick("ACCEPT", "REJECT")))
	}
	return h, lines
}

// TestRoundTripGenerated: random histories, through the table and back,
// give the same rows and attribute random records exactly alike.
func TestRoundTripGenerated(t *testing.T) {
	for seed := range uint64(40) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			h, lines := genHistory(rand.New(rand.NewPCG(seed, 11)), false)
			checkTrip(t, h, linesRecords(lines))
		})
	}
}

// TestRoundTripWild: histories whose owners overlap at random, three and
// more at once, either rebuild exactly (the same rows, the same
// attribution) or fail with ErrInexact; most rebuild.
func TestRoundTripWild(t *testing.T) {
	exact := 0
	const seeds = 40
	for seed := range uint64(seeds) {
		h, lines := genHistory(rand.New(rand.NewPCG(seed, 12)), true)
		rows, err := Build(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Index(rows); errors.Is(err, ErrInexact) {
			continue
		} else if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		exact++
		checkTrip(t, h, linesRecords(lines))
	}
	t.Logf("%d of %d wild histories rebuilt exactly", exact, seeds)
	if exact < seeds/2 {
		t.Fatalf("only %d of %d wild histories rebuilt exactly", exact, seeds)
	}
}

func linesRecords(lines []string) func() iterRecords {
	return headedRecords("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status", lines)
}

// headedRecords is the records of lines, read in the format of header.
func headedRecords(header string, lines []string) func() iterRecords {
	text := header + "\n" + strings.Join(lines, "\n") + "\n"
	return func() iterRecords {
		return func(yield func(*flowlogs.Record, error) bool) {
			rd := flowlogs.NewReader(strings.NewReader(text))
			defer rd.Close()
			for rec, err := range rd.All() {
				if !yield(rec, err) {
					return
				}
			}
		}
	}
}

// TestReadParquetErrors: files that are not intervals files of this
// version, and rows that do not hold, are refused with an error naming
// the file, the row and the column.
func TestReadParquetErrors(t *testing.T) {
	rows := sampleRows(t)
	write := func(rows []Row) []byte {
		var b bytes.Buffer
		if err := WriteParquet(&b, rows); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	good := write(rows)
	bad := func(i int, f func(r *Row)) []byte {
		rs := append([]Row(nil), rows...)
		f(&rs[i])
		return write(rs)
	}
	n := func(v int64) *int64 { return &v }
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"not parquet", []byte("kind,key\ntask,x\n"), "not a Parquet file"},
		{"truncated", good[:len(good)/2], "history.parquet"},
		{"corrupt footer length", append(append([]byte{}, good[:len(good)-8]...), 0xff, 0xff, 0xff, 0x7f, 'P', 'A', 'R', '1'), "corrupt"},
		{"unknown kind", bad(3, func(r *Row) { r.Kind = "task_mac" }), `row 4: kind: unknown kind "task_mac"`},
		{"bad address", bad(len(rows)-1, func(r *Row) { r.IPv4 = "10.0.0.300" }), "ipv4"},
		{"mapped address", bad(len(rows)-1, func(r *Row) { r.IPv4 = "::ffff:10.0.0.1" }), "ipv4"},
		{"bad mode", bad(0, func(r *Row) { r.NetworkMode = "nat" }), "network_mode"},
		{"seconds disagree", bad(0, func(r *Row) { r.FirstSecond = n(*r.FirstSecond + 1) }), "first_second"},
		{"bad definition", bad(0, func(r *Row) { r.TaskDefinition = "web:x" }), "task_definition"},
	}
	for _, c := range cases {
		_, err := ReadParquet(bytes.NewReader(c.file), int64(len(c.file)), "history.parquet")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "history.parquet") {
			t.Errorf("%s: %v, want an error naming history.parquet and %q", c.name, err, c.want)
		}
	}

	// Another schema version, or a Parquet file of something else.
	type other struct {
		Kind string `parquet:"kind"`
	}
	var b bytes.Buffer
	if err := writeOther(&b, []other{{"task"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadParquet(bytes.NewReader(b.Bytes()), int64(b.Len()), "x.parquet"); !errors.Is(err, ErrVersion) {
		t.Errorf("a file without the schema version: %v, want ErrVersion", err)
	}
	// The version, but not the columns.
	type wrong struct {
		Kind int32 `parquet:"kind"`
	}
	b.Reset()
	if err := writeOther(&b, []wrong{{1}}, parquet.KeyValueMetadata(MetadataKey, "1")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadParquet(bytes.NewReader(b.Bytes()), int64(b.Len()), "x.parquet"); err == nil || !strings.Contains(err.Error(), "x.parquet: kind: column of type INT(32,true), want STRING") {
		t.Errorf("a file of other columns: %v", err)
	}
}

// TestIndexErrors: rows that do not make one history are refused.
func TestIndexErrors(t *testing.T) {
	rows := sampleRows(t)
	firstKeyed := 0
	for rows[firstKeyed].Kind == KindTask || rows[firstKeyed].Owner != "task" {
		firstKeyed++
	}
	cases := []struct {
		name string
		edit func([]Row) []Row
		want string
	}{
		{"no rows", func([]Row) []Row { return nil }, "no tasks"},
		{"task twice", func(rs []Row) []Row {
			return append(rs, rs[slices.IndexFunc(rs, func(r Row) bool { return r.Kind == KindTask })])
		}, "two task rows"},
		{"row left out", func(rs []Row) []Row { return slices.Delete(rs, len(rs)-1, len(rs)) }, "do not rebuild"},
		{"no task row", func(rs []Row) []Row {
			var out []Row
			for _, r := range rs {
				if r.Kind != KindTask || r.TaskARN != rows[firstKeyed].TaskARN {
					out = append(out, r)
				}
			}
			return out
		}, "has no task row"},
		{"overlap", func(rs []Row) []Row { return append(rs, rs[firstKeyed]) }, "overlaps"},
	}
	for _, c := range cases {
		rs := c.edit(append([]Row(nil), rows...))
		_, err := Index(rs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func writeOther[T any](w io.Writer, rows []T, opts ...parquet.WriterOption) error {
	pw := parquet.NewGenericWriter[T](w, opts...)
	if _, err := pw.Write(rows); err != nil {
		return err
	}
	return pw.Close()
}

// TestReadPartitioned: the files WritePartitioned writes read back one by
// one, and their rows together rebuild the history.
func TestReadPartitioned(t *testing.T) {
	h := sampleHistory(t)
	rows, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	files, err := WritePartitioned(t.TempDir(), rows)
	if err != nil {
		t.Fatal(err)
	}
	var all []Row
	for _, f := range files {
		rs, err := ReadParquetFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, rs...)
	}
	back, err := Index(all)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(back)
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, "partitions", again, rows)
	if len(files) > 1 {
		rs, err := ReadParquetFile(files[len(files)-1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Index(rs); err == nil {
			t.Errorf("one partition of %d rebuilt a history", len(files))
		}
	}
}

// TestReadParquetCorruptBytes: a file with bytes overwritten here and
// there gives rows or an error, never a panic (parquet-go panics on some
// corrupt pages; ReadParquet turns that into an error).
func TestReadParquetCorruptBytes(t *testing.T) {
	rows := sampleRows(t)
	var b bytes.Buffer
	if err := WriteParquet(&b, rows); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	failed := 0
	for range 1500 {
		d := bytes.Clone(b.Bytes())
		for range 1 + r.IntN(4) {
			d[r.IntN(len(d))] = byte(r.IntN(256))
		}
		if rs, err := ReadParquet(bytes.NewReader(d), int64(len(d)), "x.parquet"); err != nil {
			failed++
		} else {
			_, _ = Index(rs)
		}
	}
	if failed == 0 {
		t.Fatal("no corrupt file was refused")
	}
}

// TestIndexHostPortBound: a task holding every host port of both
// protocols, which Index once refused (over a MaxHostPorts bound, as it
// spelled ranges out port by port), is two rows, and the history rebuilt
// from them answers for any port.
func TestIndexHostPortBound(t *testing.T) {
	const arn = "arn:aws:ecs:us-east-1:111122223333:task/prod/all"
	doc := `{"containerInstances":[{"containerInstanceArn":"` + rangeInst + `","ec2InstanceId":"i-1","status":"ACTIVE","registeredAt":"2026-11-25T09:00:00Z"}]}
{"tasks":[{"taskArn":"` + arn + `","containerInstanceArn":"` + rangeInst + `","launchType":"EC2",
 "lastStatus":"RUNNING","version":2,"createdAt":"2026-11-25T10:00:00Z",
 "containers":[{"name":"all","networkBindings":[
  {"bindIP":"0.0.0.0","containerPortRange":"1-65535","hostPortRange":"1-65535","protocol":"tcp"},
  {"bindIP":"0.0.0.0","containerPortRange":"1-65535","hostPortRange":"1-65535","protocol":"udp"}]}]}]}`
	b := history.NewBuilder()
	if _, err := b.Load(strings.NewReader(doc), "d.json"); err != nil {
		t.Fatal(err)
	}
	rows, err := Build(b.Index())
	if err != nil {
		t.Fatal(err)
	}
	h, err := Index(rows)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		proto netmode.Protocol
		port  uint16
	}{{netmode.TCP, 1}, {netmode.UDP, 40000}, {netmode.TCP, 65535}} {
		if got, ok := h.TaskByHostPort(rangeInst, c.port, c.proto, when); !ok || got.ARN != arn {
			t.Errorf("%v port %d: %v, %v", c.proto, c.port, got, ok)
		}
	}
}

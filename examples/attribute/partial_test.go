package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// sampleInputs are the flags that read the embedded sample from disk, as
// a user's files would be.
var sampleInputs = []string{"-tasks", "sample/tasks",
	"-network", "sample/network/describe-subnets.json,sample/network/describe-vpcs.json,sample/network/describe-network-interfaces.json"}

// samplePartials writes one partial per flow-log object of the sample
// into dir and returns their paths.
func samplePartials(t *testing.T, dir string, extra ...string) []string {
	t.Helper()
	var objs []string
	err := filepath.WalkDir("sample/flowlogs", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			objs = append(objs, p)
		}
		return err
	})
	if err != nil || len(objs) < 2 {
		t.Fatalf("sample objects: %v, %v", objs, err)
	}
	slices.Sort(objs)
	// The line names the options, the topology's digest among them, for
	// comparing with what a fan-out worker logs.
	topo, err := sampleTopology()
	if err != nil {
		t.Fatal(err)
	}
	wrote := "topology " + attribution.TopologyDigest(topo) + ", rule version"
	var out []string
	for i, o := range objs {
		p := filepath.Join(dir, "part-"+strconv.Itoa(i)+".parquet")
		args := append(append(append([]string{}, sampleInputs...), "-flowlogs", o, "-partial", p), extra...)
		stdout, stderr := runOut(t, args...)
		if stdout != "" || !strings.Contains(stderr, "wrote "+p) || !strings.Contains(stderr, wrote) {
			t.Fatalf("-partial: stdout %q, stderr %q", stdout, stderr)
		}
		out = append(out, p)
	}
	return out
}

// TestMergeEqualsSample: the sample split into one partial per flow-log
// object, merged, renders byte for byte what one run over the sample
// does, in every format and grouping, from files, a directory, flags after
// the files, a merge of merges, and S3.
func TestMergeEqualsSample(t *testing.T) {
	dir := t.TempDir()
	parts := samplePartials(t, dir)
	for _, by := range []string{"task", "service", "family", "instance", "cluster"} {
		for _, format := range []string{"json", "csv", "table"} {
			want, _ := runOut(t, "-by", by, "-format", format)
			got, _ := runOut(t, append([]string{"-merge", "-by", by, "-format", format}, parts...)...)
			if got != want {
				t.Fatalf("-merge -by %s -format %s:\n%s\nwant:\n%s", by, format, got, want)
			}
		}
	}
	want, _ := runOut(t, "-format", "json", "-by", "service")

	// A directory, and flags after the files.
	if got, _ := runOut(t, "-merge", dir, "-format", "json", "-by", "service"); got != want {
		t.Errorf("-merge DIR -format json -by service differs")
	}
	// A merge of merges (a reduce in two levels), in another order.
	half := len(parts) / 2
	a, b := filepath.Join(t.TempDir(), "a.parquet"), filepath.Join(t.TempDir(), "b.parquet")
	runOut(t, append([]string{"-merge", "-partial", a}, parts[half:]...)...)
	runOut(t, append([]string{"-merge", "-partial", b}, parts[:half]...)...)
	if got, _ := runOut(t, "-merge", a, b, "-format", "json", "-by", "service"); got != want {
		t.Errorf("merge of merges differs:\n%s\nwant\n%s", got, want)
	}
	// -html renders the merged result too.
	page := filepath.Join(t.TempDir(), "r.html")
	if _, stderr := runOut(t, "-merge", dir, "-html", page); !strings.Contains(stderr, "wrote "+page) {
		t.Errorf("-html: %s", stderr)
	}
	// From S3, where the workers write them.
	objects := map[string][]byte{}
	for i, p := range parts {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		objects["partials/cluster=demo/date=2026-11-25/hour="+strconv.Itoa(10+i%2)+"/"+filepath.Base(p)] = body
	}
	objects["partials/_SUCCESS"] = []byte("not a partial")
	fakeS3(t, objects)
	if got, _ := runOut(t, "-merge", "s3://flow-logs/partials/", "-format", "json", "-by", "service"); got != want {
		t.Errorf("-merge s3:// differs:\n%s", got)
	}
	first := "s3://flow-logs/partials/cluster=demo/date=2026-11-25/hour=10/" + filepath.Base(parts[0])
	code, _, stderr := runCode(t, "-merge", "s3://flow-logs/partials/", "s3://flow-logs/partials/cluster=demo/")
	if !strings.Contains(stderr, first+" (in s3://flow-logs/partials/) and "+first+" (in s3://flow-logs/partials/cluster=demo/) are the same object") || code != 1 {
		t.Errorf("-merge of overlapping prefixes: exit %d, %s", code, stderr)
	}
}

// TestMergeMistakes: every misuse says what is wrong and exits 1.
func TestMergeMistakes(t *testing.T) {
	dir := t.TempDir()
	parts := samplePartials(t, dir)
	other := samplePartials(t, t.TempDir(), "-step", "1m")
	noFallback := samplePartials(t, t.TempDir(), "-ip-fallback=false")
	empty := t.TempDir()
	junk := writeFile(t, t.TempDir(), "junk.parquet", "PAR1 not really")
	body, err := os.ReadFile(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	copied := writeFile(t, t.TempDir(), "copy.parquet", string(body))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-merge"}, "-merge needs the partial files"},
		{[]string{"-merge", "-tasks", "sample/tasks", parts[0]}, "-tasks does not apply to -merge"},
		{[]string{"-merge", "-step", "1m", parts[0]}, "-step does not apply to -merge"},
		{[]string{"-merge", empty}, "-merge: no .parquet files in directory " + empty},
		{[]string{"-merge", filepath.Join(empty, "nope.parquet")}, "no such file"},
		{[]string{"-merge", junk}, "junk.parquet"},
		{[]string{"-merge", parts[0], other[0]}, "made with other options than the partials before it (1m0s buckets, not 5m0s): "},
		// Parts attributed otherwise: their sum matches no run.
		{[]string{"-merge", parts[0], noFallback[1]}, "made with other options than the partials before it (no IP fallback, not the IP fallback): "},
		// The same partial twice would add its counts twice.
		{[]string{"-merge", parts[0], parts[0]}, "-merge: " + parts[0] + " and " + parts[0] + " are the same file"},
		{[]string{"-merge", dir, parts[1]}, "-merge: " + parts[1] + " (in " + dir + ") and " + parts[1] + " are the same file"},
		{[]string{"-merge", dir, dir + "/"}, " (in " + dir + ") and "},
		{[]string{"-merge", dir, copied}, "-merge: " + parts[2] + " (in " + dir + ") and " + copied + " hold the same bytes, a copy: its "},
		{[]string{"-partial", "x.parquet", "-format", "json"}, "-format applies to a report"},
		{[]string{parts[0]}, "unexpected argument"},
		{[]string{"-tasks", "sample/tasks", "-flowlogs", parts[0]}, parts[0] + " is a partial result (-partial writes them), not flow logs: add it up with -merge"},
	} {
		code, stdout, stderr := runCode(t, c.args...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, c.want) || strings.Count(stderr, "attribute: ") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

// TestPartialNothingAttributed: one object's partial may attribute
// nothing (an object of a NAT gateway's interface): -partial notes it and
// writes the partial, whose counts still add up in a merge; an object
// with no records at all is an error, and no partial is written.
func TestPartialNothingAttributed(t *testing.T) {
	dir := t.TempDir()
	// Records in the sample's hour on an interface no task or instance had.
	logs := writeFile(t, dir, "nat.log", v2Header+
		"2 123456789012 eni-0ffffffffffffffff 192.0.2.5 198.51.100.7 41030 8080 6 17 21279 1795602844 1795602902 ACCEPT OK\n"+
		"2 123456789012 eni-0ffffffffffffffff 198.51.100.7 192.0.2.5 8080 41030 6 9 4000 1795602844 1795602902 ACCEPT OK\n")
	p := filepath.Join(dir, "nat.parquet")
	code, stdout, stderr := runCode(t, append(append([]string{}, sampleInputs...), "-flowlogs", logs, "-partial", p)...)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "note: no record could be attributed") || !strings.Contains(stderr, "wrote "+p+" (0 tasks, 2 records, 1 input; 5m0s buckets") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Merged with the sample's partials, its two records (25,279 bytes, 26
	// packets) are in the total.
	sample, _ := runOut(t, "-format", "csv")
	merged, _ := runOut(t, append([]string{"-merge", "-format", "csv", p}, samplePartials(t, t.TempDir())...)...)
	want, got := totalRow(t, sample), totalRow(t, merged)
	if got[0] != want[0]+25279 || got[1] != want[1]+26 || got[2] != want[2]+2 {
		t.Errorf("merged total %v, want the sample's %v and 25,279 bytes, 26 packets, 2 records", got, want)
	}

	empty := writeFile(t, dir, "empty.log", v2Header)
	q := filepath.Join(dir, "empty.parquet")
	code, _, stderr = runCode(t, append(append([]string{}, sampleInputs...), "-flowlogs", empty, "-partial", q)...)
	if code != 1 || !strings.Contains(stderr, "no flow-log records in") {
		t.Errorf("an object with no records: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(q); err == nil {
		t.Errorf("%s written for an object with no records", q)
	}

	// An object that no task of the history could have sent, for the
	// history spans another time, is not one that legitimately
	// attributes nothing: the history given is the wrong one.
	old := writeFile(t, dir, "old.log", v2Header+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.2.20 443 50000 6 10 1000 1577880000 1577880060 ACCEPT OK\n")
	r := filepath.Join(dir, "old.parquet")
	code, stdout, stderr = runCode(t, append(append([]string{}, sampleInputs...), "-flowlogs", old, "-partial", r)...)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "attribute: the task data and the flow logs do not overlap in time") || strings.Contains(stderr, "note:") {
		t.Errorf("an object outside the history's time: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(r); err == nil {
		t.Errorf("%s written for an object outside the history's time", r)
	}
}

// totalRow returns the bytes, packets and records of a CSV report's total
// row.
func totalRow(t *testing.T, csv string) (n [3]uint64) {
	t.Helper()
	for _, line := range strings.Split(csv, "\n") {
		if f := strings.Split(line, ","); f[0] == "total" && len(f) > 8 {
			for i := range n {
				v, err := strconv.ParseUint(f[6+i], 10, 64)
				if err != nil {
					t.Fatalf("total row %q: %v", line, err)
				}
				n[i] = v
			}
			return n
		}
	}
	t.Fatalf("no total row in:\n%s", csv)
	return n
}

// TestReadAhead: parts read concurrently, at most n ahead of add, reach
// add in order; the first error in part order is the one returned, and
// no read starts after it.
func TestReadAhead(t *testing.T) {
	const n = 3
	var mu sync.Mutex
	inFlight, most, started := 0, 0, 0
	mk := func(i int, fail bool) part {
		return part{name: strconv.Itoa(i), read: func(context.Context) (*attribution.Partial, error) {
			mu.Lock()
			inFlight++
			started++
			most = max(most, inFlight)
			mu.Unlock()
			time.Sleep(time.Duration((i*7)%5) * time.Millisecond) // finish out of order
			if fail {
				return nil, fmt.Errorf("part %d is bad", i)
			}
			return &attribution.Partial{Total: attribution.Totals{Records: uint64(i)}}, nil
		}}
	}
	var parts []part
	for i := range 40 {
		parts = append(parts, mk(i, i == 25 || i == 31))
	}
	var got []int
	err := readAhead(context.Background(), parts, n, 1<<20, func(p part, q *attribution.Partial) error {
		mu.Lock()
		inFlight-- // held by add now
		mu.Unlock()
		got = append(got, int(q.Total.Records))
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "part 25 is bad") {
		t.Fatalf("error %v, want part 25's", err)
	}
	var want []int
	for i := range 25 {
		want = append(want, i)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("add saw %v, want 0 to 24 in order", got)
	}
	// n read ahead, and the one add has; reads up to n past the bad
	// part may have started.
	if most > n+1 || started > 26+n {
		t.Fatalf("%d parts held at once (want ≤ %d), %d reads started (want ≤ %d)", most, n+1, started, 26+n)
	}
	// Parts as large as the byte bound are read one ahead.
	mu.Lock()
	inFlight, most = 0, 0
	mu.Unlock()
	big := slices.Clone(parts[:20])
	for i := range big {
		big[i].size = 5 << 20
	}
	err = readAhead(context.Background(), big, n, 1<<20, func(p part, q *attribution.Partial) error {
		mu.Lock()
		inFlight--
		mu.Unlock()
		return nil
	})
	if err != nil || most > 2 {
		t.Fatalf("large parts: %v, %d held at once (want ≤ 2: one read ahead)", err, most)
	}
	// add's error stops it too.
	calls := 0
	err = readAhead(context.Background(), parts[:10], n, 1<<20, func(p part, q *attribution.Partial) error {
		calls++
		if calls == 4 {
			return errors.New("add failed")
		}
		return nil
	})
	if err == nil || err.Error() != "add failed" || calls != 4 {
		t.Fatalf("add's error: %v after %d calls", err, calls)
	}
	// The caller's context ending (an interrupt) stops it too, although
	// the reads after the ones under way never start.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		calls := 0
		done <- readAhead(ctx, parts[:20], n, 1<<20, func(p part, q *attribution.Partial) error {
			if calls++; calls == 5 {
				cancel()
			}
			return nil
		})
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("after an interrupt: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("readAhead still waits for reads that never started after its context ended")
	}
}

// The same partial under two S3 keys (an output prefix changed, a backup
// copy) or a local copy of a prefix given with the prefix: S3 objects
// were compared by name only, so each was counted twice, with exit 0.
// Now copies are found by ETag and size, and a local file by its MD5.
func TestMergeCopiesInS3(t *testing.T) {
	dir := t.TempDir()
	parts := samplePartials(t, dir)
	objects := map[string][]byte{}
	for _, p := range parts {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		objects["partials/cluster=demo/date=2026-11-25/hour=10/"+filepath.Base(p)] = body
	}
	body, err := os.ReadFile(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	objects["backup/"+filepath.Base(parts[0])] = body
	fakeS3(t, objects)
	runOut(t, "-merge", "s3://flow-logs/partials/", "-format", "json", "-by", "cluster")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"an object copied under another prefix", []string{"s3://flow-logs/partials/", "s3://flow-logs/backup/"}, "s3://flow-logs/backup/" + filepath.Base(parts[0]) + " (in s3://flow-logs/backup/) hold the same bytes, a copy"},
		{"a local copy of the prefix", []string{dir, "s3://flow-logs/partials/"}, "hold the same bytes, a copy"},
	} {
		code, out, stderr := runCode(t, append([]string{"-merge"}, append(c.args, "-format", "json", "-by", "cluster")...)...)
		if code != 1 || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stdout %d bytes, stderr %q; want 1 and %q", c.name, code, len(out), stderr, c.want)
		}
	}
}

// A merged partial written among its parts would be added to them by the
// next -merge of that directory: every record counted twice, exit 0.
// Writing it there, or over one of them, is refused.
func TestMergeOutputNotAmongItsInputs(t *testing.T) {
	dir := t.TempDir()
	parts := samplePartials(t, dir)
	for _, c := range []struct {
		out  string
		args []string
	}{
		{filepath.Join(dir, "all.parquet"), []string{dir}},
		{filepath.Join(dir, "sub", "all.parquet"), []string{dir}},
		{parts[0], parts},
	} {
		code, _, stderr := runCode(t, append([]string{"-merge", "-partial", c.out}, c.args...)...)
		if code != 1 || !strings.Contains(stderr, "lies in -merge input") {
			t.Errorf("-merge -partial %s: exit %d, %s", c.out, code, stderr)
		}
	}
	// Beside the directory, not in it, is fine.
	if code, _, stderr := runCode(t, "-merge", "-partial", filepath.Join(t.TempDir(), "all.parquet"), dir); code != 0 {
		t.Errorf("-merge -partial elsewhere: exit %d, %s", code, stderr)
	}
}

// TestMergeRefusesOverlap: a partial names the flow-log objects it read,
// and the window of record starts it kept, so -merge refuses partials that
// hold the same records (a merged partial beside one of its own parts, a
// partial of a copy of an object, windows of one object that overlap),
// each of which used to add up, counting records twice, exit 0. Windows
// that do not overlap add up to the whole run.
func TestMergeRefusesOverlap(t *testing.T) {
	dir := t.TempDir()
	parts := samplePartials(t, dir)
	all := filepath.Join(t.TempDir(), "all.parquet")
	runOut(t, append([]string{"-merge", "-partial", all}, parts...)...)
	objs, err := filepath.Glob("sample/flowlogs/AWSLogs/*/vpcflowlogs/*/*/*/*/*.log.gz")
	if err != nil || len(objs) != len(parts) {
		t.Fatalf("sample objects %v, %v", objs, err)
	}
	delivery := strings.TrimSuffix(filepath.Base(objs[1]), ".log.gz")
	// The second object, decompressed into a flat folder.
	tmp := t.TempDir()
	unzipped := writeFile(t, tmp, delivery+".log", string(gunzipFile(t, objs[1])))
	// Its partial is the one of the object in the tree, byte for byte:
	// a copy. Read with a window that keeps every record, it is another
	// file that holds the same records.
	copyPart, copyWindow := filepath.Join(tmp, "copy.parquet"), filepath.Join(tmp, "copy-window.parquet")
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", unzipped, "-partial", copyPart)...)
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", unzipped, "-partial", copyWindow, "-until", "2026-11-26T00:00:00Z")...)

	window := func(name string, flags ...string) string {
		p := filepath.Join(tmp, name+".parquet")
		runOut(t, append(append(append([]string{}, sampleInputs...), "-flowlogs", "sample/flowlogs", "-partial", p), flags...)...)
		return p
	}
	early := window("early", "-until", "2026-11-25T10:30:00Z")
	late := window("late", "-since", "2026-11-25T10:30:00Z")
	middle := window("middle", "-since", "2026-11-25T10:15:00Z", "-until", "2026-11-25T10:45:00Z")

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		// A partial's window ends after its last record: one object's,
		// after that object's.
		{"a merge beside its part", []string{all, parts[1]}, "-merge " + parts[1] + ": holds records that " + all + " holds too (it read " +
			delivery + " [-∞, 2026-11-25T10:09:06Z), and that one " + delivery + " [-∞, 2026-11-25T10:09:06Z))"},
		{"a part beside its merge", []string{parts[1], all}, "-merge " + all + ": holds records that " + parts[1] + " holds too"},
		{"a partial of a copy", append([]string{copyPart}, parts...), "-merge: " + copyPart + " and " + parts[1] + " hold the same bytes, a copy"},
		{"a partial of a copy, windowed", append([]string{copyWindow}, parts...), "-merge " + parts[1] + ": holds records that " + copyWindow + " holds too (it read " +
			delivery + " [-∞, 2026-11-25T10:09:06Z), and that one " + delivery + " [-∞, 2026-11-26T00:00:00Z))"},
		{"overlapping windows", []string{early, middle}, "-merge " + middle + ": holds records that " + early + " holds too (it read "},
		{"overlapping windows, named", []string{early, middle}, " [2026-11-25T10:15:00Z, 2026-11-25T10:45:00Z), and that one "},
		{"overlapping windows, named", []string{early, middle}, " [-∞, 2026-11-25T10:30:00Z)): "},
	} {
		code, stdout, stderr := runCode(t, append([]string{"-merge"}, c.args...)...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "counted twice") && !strings.Contains(stderr, "count them twice") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 and %q", c.name, code, stdout, stderr, c.want)
		}
	}
	want, _ := runOut(t, "-format", "json", "-by", "service")
	if got, _ := runOut(t, "-merge", early, late, "-format", "json", "-by", "service"); got != want {
		t.Errorf("windows that do not overlap:\n%s\nwant the whole run's\n%s", got, want)
	}
}

// TestMergeOfNothing: partials that hold no records (a library user's:
// -partial refuses such an input) add up to nothing, which -merge says,
// whether it renders the sum or writes it.
func TestMergeOfNothing(t *testing.T) {
	parts := samplePartials(t, t.TempDir())
	p, err := partials.ReadFile(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var empties []string
	for i := range 2 {
		name := filepath.Join(dir, fmt.Sprintf("empty-%d.parquet", i))
		empty := &attribution.Partial{Config: p.Config}
		if err := cli.WriteFile(name, func(w io.Writer) error { return partials.Write(w, empty) }); err != nil {
			t.Fatal(err)
		}
		empties = append(empties, name)
	}
	sum := filepath.Join(t.TempDir(), "sum.parquet")
	for _, args := range [][]string{{"-merge"}, {"-merge", "-partial", sum}} {
		code, stdout, stderr := runCode(t, append(args, empties...)...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "attribute: the 2 partials hold no flow-log records") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(sum); err == nil {
		t.Errorf("%s written for partials with no records", sum)
	}
}

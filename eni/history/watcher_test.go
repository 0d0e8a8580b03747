package history

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/fakeaws"

	"github.com/ecsnet/ecsnet/netmode"
)

type fakeCluster struct {
	srv *fakeaws.ECS
	api *ecs.Client
}

func newFakeCluster(t *testing.T, tasks ...types.Task) *fakeCluster {
	t.Helper()
	ci := types.ContainerInstance{
		ContainerInstanceArn: ptr(ciA), Ec2InstanceId: ptr("i-0123"), Status: ptr("ACTIVE"), RegisteredAt: ptr(at(-60)),
		Attributes: []types.Attribute{{Name: ptr("ecs.instance-type"), Value: ptr("c5.large")}, {Name: ptr("ecs.availability-zone"), Value: ptr("us-east-1a")}},
	}
	td := types.TaskDefinition{
		TaskDefinitionArn: ptr("arn:aws:ecs:us-east-1:111122223333:task-definition/legacy:2"),
		Family:            ptr("legacy"), Revision: 2, Status: types.TaskDefinitionStatusActive,
		NetworkMode: types.NetworkModeBridge,
	}
	web := types.TaskDefinition{
		TaskDefinitionArn: ptr("arn:aws:ecs:us-east-1:111122223333:task-definition/web:7"),
		Family:            ptr("web"), Revision: 7, Status: types.TaskDefinitionStatusActive,
		NetworkMode: types.NetworkModeAwsvpc,
	}
	srv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: []types.ContainerInstance{ci}, Tasks: tasks}}, td, web)
	t.Cleanup(srv.Close)
	srv.SetPageSize(1) // every list is many pages
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 5, DropEvery: 7})
	api := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	return &fakeCluster{srv: srv, api: api}
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

func mustPoll(t *testing.T, w *Watcher, wantAppended int) {
	t.Helper()
	st, err := w.Poll(context.Background())
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	if len(st.Problems) > 0 {
		t.Fatalf("problems: %v", st.Problems)
	}
	if st.Appended != wantAppended {
		t.Fatalf("appended %d lines, want %d (%+v)", st.Appended, wantAppended, st)
	}
}

func TestWatcherRestartedMidRun(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	path := filepath.Join(t.TempDir(), "history.jsonl")
	clock := at(5)
	primary := func(ctx context.Context, ids []string) (map[string]PrimaryInterface, error) {
		out := map[string]PrimaryInterface{}
		for _, id := range ids {
			out[id] = PrimaryInterface{ENI: "eni-prim-" + id, IPv4: netip.MustParseAddr("10.0.0.10")}
		}
		return out, nil
	}
	start := func() *Watcher {
		w := NewWatcher(fc.api, "prod", path)
		w.Now = func() time.Time { return clock }
		w.Primary = primary
		return w
	}

	w := start()
	mustPoll(t, w, 5) // network mode of legacy:2, t1, b1, the instance, its primary interface
	mustPoll(t, w, 0) // nothing changed: nothing written

	// Between polls t1 stops, a short-lived task s1 starts and stops (it is
	// only ever seen STOPPED), and t2 takes t1's IP.
	clock = at(40)
	s1 := awsvpcTask("s1", "eni-s1", "10.0.1.7", 12, 14)
	t2 := awsvpcTask("t2", "eni-2", "10.0.1.5", 31, -1)
	for _, tk := range []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30), s1, t2} {
		if err := fc.srv.UpdateTask("prod", tk); err != nil {
			t.Fatal(err)
		}
	}
	mustPoll(t, w, 3)
	if len(lines(t, path)) != 8 {
		t.Fatalf("%d lines", len(lines(t, path)))
	}

	// Crash in the middle of the next write: half a line at the end.
	w.Close()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	torn := `{"version":"0","detail-type":"ECS Task State Change","source":"ecsnet.history","detail":{"taskArn":"arn:aws:ecs:us-e`
	if _, err := f.WriteString(torn); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	w = start()
	rec, err := w.Open()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Lines != 8 || rec.Dropped != int64(len(torn)) || rec.Completed {
		t.Fatalf("recovery %+v", rec)
	}
	mustPoll(t, w, 0) // the restarted watcher writes nothing it already had

	// s1 and t1 age out of ECS (an hour after stopping); t2 stops.
	clock = at(120)
	fc.srv.SetMissing(taskARN("s1"), taskARN("t1"))
	if err := fc.srv.UpdateTask("prod", awsvpcTask("t2", "eni-2", "10.0.1.5", 31, 90)); err != nil {
		t.Fatal(err)
	}
	mustPoll(t, w, 1)
	w.Close()

	got := lines(t, path)
	if len(got) != 9 {
		t.Fatalf("%d lines:\n%s", len(got), strings.Join(got, "\n"))
	}
	seen := map[string]bool{}
	for _, l := range got {
		if seen[l] {
			t.Fatalf("duplicate line %s", l)
		}
		seen[l] = true
	}

	// The file alone gives the whole history, through the ordinary loader.
	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	for _, c := range []struct {
		ip   string
		min  int
		want string
	}{{"10.0.1.5", 10, "t1"}, {"10.0.1.7", 13, "s1"}, {"10.0.1.5", 35, "t2"}, {"10.0.1.5", 95, ""}} {
		tk, ok := x.TaskByIP(netip.MustParseAddr(c.ip), at(c.min))
		if (c.want == "") == ok || (ok && tk.ID() != c.want) {
			t.Errorf("%s at %d: got %v, want %q", c.ip, c.min, tk, c.want)
		}
	}
	in, ok := x.InstanceByIP(netip.MustParseAddr("10.0.0.10"), at(10))
	if !ok || in.ENI != "eni-prim-i-0123" || in.InstanceType != "c5.large" || in.Cluster() != "prod" {
		t.Fatalf("instance %+v", in)
	}
	if tk, ok := x.TaskByHostPort(ciA, 32768, netmode.TCP, at(100)); !ok || tk.ID() != "b1" || tk.NetworkMode != netmode.ModeBridge {
		t.Fatalf("host port: %+v", tk)
	}
	if len(fc.srv.Faulted()) == 0 {
		t.Fatal("no faults were injected")
	}

	// A third start reads the same history.
	w = start()
	defer w.Close()
	if _, err := w.Open(); err != nil {
		t.Fatal(err)
	}
	if a, b := taskSet(w.Index()), taskSet(x); !reflect.DeepEqual(a, b) {
		t.Fatal("reopened history differs from the loaded file")
	}
}

func taskSet(x *Index) []Task {
	var out []Task
	for _, t := range x.Tasks() {
		out = append(out, *t)
	}
	return out
}

func TestWatcherCompletesLineMissingOnlyItsNewline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	if err := os.WriteFile(path, []byte(first), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "prod", path)
	defer w.Close()
	rec, err := w.Open()
	if err != nil || !rec.Completed || rec.Lines != 1 {
		t.Fatalf("%+v %v", rec, err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != first+"\n" {
		t.Fatalf("newline not added (%v)", err)
	}
	if _, ok := w.Index().Task(evTask); !ok {
		t.Fatal("task lost")
	}
}

func TestWatcherRefusesCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	in := []byte("{\"detail-type\":\"ECS Task State Change\",\"detail\":{\"taskArn\":7}}\n{}\n")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "prod", path)
	_, err := w.Open()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || pe.Path != "detail.taskArn" {
		t.Fatalf("err = %v", err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, in) {
		t.Fatalf("file modified (%v)", err)
	}
}

// A file that is not a history file is refused untouched, whatever its
// end looks like: Open would otherwise cut it as a torn or zeroed last
// line, or Poll append events to it.
func TestWatcherRefusesOtherFiles(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 5000 6 1 40 1 2 ACCEPT OK\n"))
	zw.Close()
	for name, in := range map[string][]byte{
		"parquet":                []byte("PAR1\x15\x04\x15\x10\x00\x00PAR1"),
		"gzip":                   gz.Bytes(),
		"compact JSON":           []byte(`{"tasks":[]}`),
		"compact JSON, one line": []byte("{\"tasks\":[]}\n"),
		"describe-tasks":         []byte("{\n  \"tasks\": []\n}\n"),
		"flow log":               []byte("version account-id interface-id\n2 1 eni-1\n"),
		"blank first line":       []byte("\n{\"version\":\"0\",\"detail-type\":\"x\",\"detail\":{}}\n"),
		"event without a detail": []byte("{\"version\":\"0\",\"detail-type\":\"x\"}\n"),
		// Files that start with a NUL byte: not a first write zeroed.
		"WebAssembly":   []byte("\x00asm\x01\x00\x00\x00\x01\x07\x01`\x02\x7f\x7f\x01\x7f\n"),
		"MP4 with text": []byte("\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00\nsome text\nmore text\n"),
		"UTF-16BE JSON": []byte("\x00{\x00\"\x00t\x00\"\x00:\x001\x00}\x00\n"),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "h.jsonl")
			if err := os.WriteFile(path, in, 0o644); err != nil {
				t.Fatal(err)
			}
			w := NewWatcher(nil, "prod", path)
			defer w.Close()
			_, err := w.Open()
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(err.Error(), "not a history file") {
				t.Fatalf("err = %v", err)
			}
			if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, in) {
				t.Fatalf("file modified (%v)", err)
			}
		})
	}
}

// countingAPI cancels the context on the n-th poll.
type countingAPI struct {
	ECSAPI
	polls  int
	stopAt int
	cancel context.CancelFunc
}

func (c *countingAPI) ListContainerInstances(ctx context.Context, in *ecs.ListContainerInstancesInput, f ...func(*ecs.Options)) (*ecs.ListContainerInstancesOutput, error) {
	if in.NextToken == nil {
		c.polls++
		if c.polls == c.stopAt {
			c.cancel()
		}
	}
	return c.ECSAPI.ListContainerInstances(ctx, in, f...)
}

func TestWatcherRun(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	fc.srv.SetFaults(fakeaws.Faults{})
	ctx, cancel := context.WithCancel(context.Background())
	api := &countingAPI{ECSAPI: fc.api, stopAt: 3, cancel: cancel}
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(api, "prod", path)
	w.Interval = time.Millisecond
	defer w.Close()
	done := make(chan struct{})
	go func() { // snapshots while Run polls (checked by -race)
		defer close(done)
		for ctx.Err() == nil {
			w.Index().TaskByENI("eni-1", at(1))
		}
	}()
	if err := w.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	<-done
	if api.polls != 3 {
		t.Fatalf("%d polls", api.polls)
	}
	sc := bufio.NewScanner(strings.NewReader(strings.Join(lines(t, path), "\n")))
	n := 0
	for sc.Scan() {
		n++
	}
	if n != 2 { // t1 and the instance
		t.Fatalf("%d lines", n)
	}
}

// FuzzWatcherOpen: whatever the file holds, Open either refuses it
// untouched or leaves a file that opens again cleanly to the same history.
func FuzzWatcherOpen(f *testing.F) {
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	f.Add([]byte(first + "\n" + first[:40]))
	f.Add([]byte(first))
	f.Add([]byte("\n\n{}\n"))
	f.Add([]byte(first + "\n\x00\x00\x00\n" + first + "\n"))
	f.Add([]byte(first + "\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, in []byte) { _ = checkOpenRepairs(t, in) })
}

// checkOpenRepairs returns Open's error when it refused the file.
func checkOpenRepairs(t *testing.T, in []byte) error {
	path := filepath.Join(t.TempDir(), "h.jsonl")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "prod", path)
	_, err := w.Open()
	if err != nil {
		if got, rerr := os.ReadFile(path); rerr != nil || !bytes.Equal(got, in) {
			t.Fatalf("refused file was modified (%v, read: %v)", err, rerr)
		}
		return err
	}
	want := taskSet(w.Index())
	w.Close()
	w2 := NewWatcher(nil, "prod", path)
	defer w2.Close()
	rec, err := w2.Open()
	if err != nil || rec.Dropped != 0 || rec.Completed {
		t.Fatalf("second open: %+v %v", rec, err)
	}
	if !reflect.DeepEqual(taskSet(w2.Index()), want) {
		t.Fatal("history changed between opens")
	}
	return nil
}

// TestWatcherOpenCutsAnywhere tears a history file at every 97th byte
// (fuzzing finds more; this runs everywhere, deterministically).
func TestWatcherOpenCutsAnywhere(t *testing.T) {
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n <= len(data); n += 97 {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			if err := checkOpenRepairs(t, data[:n]); err != nil {
				t.Fatalf("a torn file was refused: %v", err)
			}
		})
		// A power loss: the file's size committed, its last data not.
		zeroed := append(data[:n:n], make([]byte, 300)...)
		t.Run(strconv.Itoa(n)+"+zeros", func(t *testing.T) {
			if err := checkOpenRepairs(t, zeroed); err != nil {
				t.Fatalf("a zero-filled tail was refused: %v", err)
			}
		})
		// A block zeroed inside: repaired if only one poll's lines follow
		// it, refused otherwise.
		holed := bytes.Clone(data)
		clear(holed[n:min(n+64, len(holed))])
		t.Run(strconv.Itoa(n)+"+hole", func(t *testing.T) { checkOpenRepairs(t, holed) })
	}
	if err := checkOpenRepairs(t, bytes.TrimSuffix(data, []byte("\n"))); err != nil {
		t.Fatal(err)
	}
}

func TestWatcherRecoversFromFailedWrite(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	defer w.Close()
	mustPoll(t, w, 2) // t1 and the instance
	if err := fc.srv.UpdateTask("prod", awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30)); err != nil {
		t.Fatal(err)
	}

	w.f.Close() // the disk goes away under the watcher
	_, err := w.Poll(context.Background())
	var we *WriteError
	if !errors.As(err, &we) {
		t.Fatalf("err = %v", err)
	}
	mustPoll(t, w, 1) // reopened from the file: the stop is written once
	mustPoll(t, w, 0)
	if n := len(lines(t, path)); n != 3 {
		t.Fatalf("%d lines", n)
	}
}

func TestDecoderLineInPrettyPrintedFile(t *testing.T) {
	data, err := os.ReadFile("testdata/describe-tasks.json")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), `"hostPort": 32768,`, `"hostPort": "32768",`, 1)
	wantLine := 1 + strings.Count(bad[:strings.Index(bad, `"hostPort": "32768"`)], "\n")
	_, err = NewBuilder().Load(strings.NewReader(bad), "describe-tasks.json")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != wantLine || pe.Path != "tasks[1].containers[0].networkBindings[0].hostPort" {
		t.Fatalf("err = %v, want line %d", err, wantLine)
	}
}

// powerLossFiles polls a cluster twice and returns the file after the
// first poll (synced: it survives a power loss) and the second poll's
// write, the one a power loss can damage.
func powerLossFiles(t *testing.T) (path string, good, last []byte, fc *fakeCluster) {
	t.Helper()
	fc = newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	fc.srv.SetFaults(fakeaws.Faults{})
	path = filepath.Join(t.TempDir(), "history.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	w.Now = func() time.Time { return at(5) }
	mustPoll(t, w, 4) // legacy:2's network mode, t1, b1, the instance
	var err error
	if good, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	for _, tk := range []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30), awsvpcTask("t2", "eni-2", "10.0.1.6", 31, -1)} {
		if err := fc.srv.UpdateTask("prod", tk); err != nil {
			t.Fatal(err)
		}
	}
	w.Now = func() time.Time { return at(40) }
	mustPoll(t, w, 2)
	w.Close()
	all, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, good, all[len(good):], fc
}

func TestWatcherRecoversFromPowerLossTail(t *testing.T) {
	zeros := func(n int) []byte { return make([]byte, n) }
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	for _, c := range []struct {
		name string
		tail func(last []byte) []byte // what the disk holds of the last write
		keep int                      // bytes of the last write kept
		rec  Recovery                 // Lines counted on top of the good ones
	}{
		{"all zeros", func(l []byte) []byte { return zeros(len(l)) }, 0,
			Recovery{ZeroFilled: true}},
		{"zero-filled line", func(l []byte) []byte { return cat(zeros(40), []byte("\n")) }, 0,
			Recovery{ZeroFilled: true, DroppedLines: 1}},
		{"first block zeroed, the rest written", func(l []byte) []byte { return cat(zeros(20), l[20:]) }, 0,
			Recovery{ZeroFilled: true, DroppedLines: 2}},
		{"first line written, then zeros", func(l []byte) []byte {
			i := bytes.IndexByte(l, '\n') + 1
			return cat(l[:i], zeros(len(l)-i))
		}, -1, Recovery{Lines: 1, ZeroFilled: true}},
		{"whole but the newline, then zeros", func(l []byte) []byte {
			i := bytes.IndexByte(l, '\n')
			return cat(l[:i], zeros(len(l)-i))
		}, -1, Recovery{Lines: 1, Completed: true, ZeroFilled: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path, good, last, fc := powerLossFiles(t)
			tail := c.tail(last)
			if err := os.WriteFile(path, cat(good, tail), 0o644); err != nil {
				t.Fatal(err)
			}
			keep := c.keep
			if keep < 0 { // the first line of the last write
				keep = bytes.IndexByte(last, '\n') + 1
			}
			w := NewWatcher(fc.api, "prod", path)
			w.Now = func() time.Time { return at(40) }
			defer w.Close()
			rec, err := w.Open()
			if err != nil {
				t.Fatal(err)
			}
			want := c.rec
			want.Lines += 4
			want.Dropped = int64(len(tail) - keep)
			if want.Completed { // the newline written took one NUL byte's place
				want.Dropped++
			}
			if rec != want {
				t.Fatalf("recovery %+v, want %+v", rec, want)
			}
			if !strings.Contains(rec.String(), "zero-filled") {
				t.Errorf("String() = %q", rec.String())
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, cat(good, last[:keep])) {
				t.Fatalf("file after recovery:\n%q\nwant\n%q", got, cat(good, last[:keep]))
			}
			// The next poll writes what was lost again, and only that.
			mustPoll(t, w, bytes.Count(last[keep:], []byte("\n")))
			if got, err = os.ReadFile(path); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, cat(good, last)) {
				t.Fatalf("file after the next poll:\n%s\nwant\n%s", got, cat(good, last))
			}
		})
	}
}

// NUL bytes followed by lines of two polls are not a power-loss tail (only
// the last write can be lost): the file is refused untouched.
func TestWatcherRefusesNULsBeforeOlderPolls(t *testing.T) {
	path, good, last, _ := powerLossFiles(t)
	in := bytes.Join([][]byte{append(make([]byte, minZeroRun), '\n'), good, last}, nil)
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "prod", path)
	_, err := w.Open()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(err.Error(), "more than one poll") {
		t.Fatalf("err = %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, in) {
		t.Fatal("refused file was modified")
	}
}

// A second Watcher on a file (a recorder restarted while the old one
// still runs) wrote its first poll at offset 0, over the first one's
// lines: the file no longer loaded and a task only the first saw was
// lost. The file is locked: the second is refused when it opens it.
func TestSecondWatcherRefused(t *testing.T) {
	if runtime.GOOS == "plan9" || runtime.GOOS == "solaris" || runtime.GOOS == "aix" {
		t.Skip("no flock or LockFileEx: TestWatcherStopsWhenFileWrittenElsewhere covers it")
	}
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w1 := NewWatcher(fc.api, "prod", path)
	defer w1.Close()
	if _, err := w1.Open(); err != nil {
		t.Fatal(err)
	}
	w2 := NewWatcher(fc.api, "prod", path)
	defer w2.Close()
	if _, err := w2.Open(); !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Watcher's Open: %v, want ErrInUse naming the file", err)
	}
	mustPoll(t, w1, 2) // t1, the instance
	w1.Close()
	// Once the first has closed it, the file is anyone's.
	if _, err := w2.Open(); err != nil {
		t.Fatalf("Open after the first Watcher closed: %v", err)
	}
}

// Where nothing locks the file, or another program appends to it, the
// Watcher finds the file not as it left it and stops with a WriteError,
// leaving the other writer's bytes alone (writing at its own end would
// overwrite them, and cutting back would drop them).
func TestWatcherStopsWhenFileWrittenElsewhere(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	defer w.Close()
	mustPoll(t, w, 2)
	other, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	const theirs = "{\"a line\":\"another program wrote\"}\n"
	if _, err := other.WriteString(theirs); err != nil {
		t.Fatal(err)
	}
	other.Close()
	before, _ := os.ReadFile(path)
	if err := fc.srv.UpdateTask("prod", awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30)); err != nil {
		t.Fatal(err)
	}
	_, err = w.Poll(context.Background())
	var we *WriteError
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "another program writes it") {
		t.Fatalf("poll after another writer: %v, want a WriteError", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("the file changed:\n%s\nwant:\n%s", after, before)
	}
}

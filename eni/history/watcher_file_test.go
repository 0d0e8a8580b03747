package history

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestUnusableValueFileLoads: a task with a value the history
// cannot use (an IPv4 address out of range, an unknown protocol) is
// recorded without it and reported once by the poll. The line written
// kept the value, so every later Builder.Load of the Watcher's own file
// returned an error for it: examples/attribute -tasks and
// examples/lambda refuse any such error, so one odd value from ECS made
// the whole file unreadable to them for good, while the Watcher itself
// read it back without a word.
func TestUnusableValueFileLoads(t *testing.T) {
	bad := awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)
	bad.Attachments[0].Details[4] = kv("privateIPv4Address", "10.0.1.999")
	bad.Attachments[0].Details = append(bad.Attachments[0].Details, kv("privateIPv4Address", "10.0.1.6"))
	bad.Containers[0].NetworkInterfaces[0].Ipv6Address = ptr("not-an-address")
	b1 := bridgeTask("b1", 32768, 0, -1)
	b1.Containers[0].NetworkBindings = append(b1.Containers[0].NetworkBindings, types.NetworkBinding{
		ContainerPort: ptr(int32(53)), HostPort: ptr(int32(5353)), Protocol: "sctp",
	})
	fc := newFakeCluster(t, bad, b1)
	fc.srv.SetFaults(fakeaws.Faults{})
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	w.Now = func() time.Time { return at(5) }
	st, err := w.Poll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Problems) != 2 {
		t.Fatalf("problems %v, want t1's and b1's", st.Problems)
	}
	mem := w.Index().Tasks()
	w.Close()

	b := NewBuilder()
	if _, err := b.LoadFiles(path); err != nil {
		t.Errorf("Load of the Watcher's own file: %v", err)
	}
	if got := b.Index().Tasks(); !reflect.DeepEqual(got, mem) {
		t.Errorf("loaded %+v, the Watcher held %+v", got, mem)
	}
	if got := mem[0]; got.ARN == taskARN("t1") && got.IPv4 != mustAddr("10.0.1.6") {
		t.Errorf("t1's IPv4 %v, want the usable 10.0.1.6", got.IPv4)
	}
	// Read back, nothing is new: no line is appended again.
	w2 := NewWatcher(fc.api, "prod", path)
	defer w2.Close()
	w2.Now = func() time.Time { return at(6) }
	if st, err := w2.Poll(context.Background()); err != nil || st.Appended != 0 {
		t.Errorf("poll after resume: %+v, %v; want nothing appended", st, err)
	}
}

// TestWholeBadLastLineRefused: a last line without its newline
// whose JSON is whole but whose values are not a history's (the file
// edited by hand, saved by an editor that adds no final newline) was cut
// off as "a torn last line", with what it recorded; the same line with
// its newline is refused as a *ParseError, the file left untouched.
func TestWholeBadLastLineRefused(t *testing.T) {
	fc, path, data, _ := polledFile(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	edited := bytes.TrimSuffix(bytes.Replace(data, []byte(`"status":"ACTIVE"`), []byte(`"status":5`), 1), []byte("\n"))
	if bytes.Equal(edited, bytes.TrimSuffix(data, []byte("\n"))) || !bytes.HasSuffix(edited, []byte("}")) {
		t.Fatal("the edit did not apply to the last line")
	}
	for _, nl := range []string{"\n", ""} {
		file := append(bytes.Clone(edited), nl...)
		if err := os.WriteFile(path, file, 0o644); err != nil {
			t.Fatal(err)
		}
		w2 := NewWatcher(fc.api, "prod", path)
		rec, err := w2.Open()
		w2.Close()
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 2 || pe.Name != path {
			t.Errorf("newline %q: Open = %v, %v; want a *ParseError at %s:2", nl, rec, err, path)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, file) {
			t.Errorf("newline %q: the file was changed: %d bytes, were %d", nl, len(after), len(file))
		}
	}
	// Whole, and good, but of no use to the history (another event,
	// added by hand): kept, its newline added, as with one.
	other := `{"version":"0","detail-type":"ECS Service Action","source":"aws.ecs","time":"2026-11-25T10:00:00Z","detail":{}}`
	file := append(bytes.Clone(data), other...)
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	w2 := NewWatcher(fc.api, "prod", path)
	rec, err := w2.Open()
	w2.Close()
	if after, _ := os.ReadFile(path); err != nil || rec.Dropped != 0 || !bytes.Equal(after, append(file, '\n')) {
		t.Errorf("a whole last line of another event: Open = %v, %v; the file is %d bytes, want %d", rec, err, len(after), len(file)+1)
	}
}

// TestBOMFileOpens: a history file saved by an editor that starts
// it with a UTF-8 byte order mark (Windows) is read by Builder.Load (the
// splitter skips the mark), but the Watcher refused it as "not a history
// file", an error that misnames it, and record could not continue it.
func TestBOMFileOpens(t *testing.T) {
	fc, path, data, mem := polledFile(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1))
	lines := bytes.Count(data, []byte("\n"))
	for _, tail := range []string{"", "torn", "\x00\x00\x00\x00"} {
		file := append([]byte("\xef\xbb\xbf"), data...)
		file = append(file, tail...)
		if err := os.WriteFile(path, file, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := NewBuilder().LoadFiles(path); err != nil && tail == "" {
			t.Fatalf("Load: %v", err)
		}
		w2 := NewWatcher(fc.api, "prod", path)
		rec, err := w2.Open()
		if err != nil || rec.Lines != lines {
			t.Errorf("tail %q: Open = %v, %v; want %d lines read back", tail, rec, err, lines)
			w2.Close()
			continue
		}
		if got := w2.Index().Tasks(); !reflect.DeepEqual(got, mem) {
			t.Errorf("tail %q: read back %+v, want %+v", tail, got, mem)
		}
		if st, err := w2.Poll(context.Background()); err != nil || st.Appended != 0 {
			t.Errorf("tail %q: poll after resume: %+v, %v; want nothing appended", tail, st, err)
		}
		w2.Close()
		if after, _ := os.ReadFile(path); !bytes.Equal(after, append([]byte("\xef\xbb\xbf"), data...)) {
			t.Errorf("tail %q: the file after resume is not the original", tail)
		}
	}
}

// TestInstanceClusterArnWrongType: the cluster ARN a Watcher writes
// into a container instance's line (detail.clusterArn), edited by hand to
// another type, was read as no cluster at all, without a word, by the
// Watcher resuming and by Builder.Load alike: the instance lost its
// cluster (which the Watcher's check that a file is one cluster's reads).
// Every other value of the line of the wrong type is an error.
func TestInstanceClusterArnWrongType(t *testing.T) {
	fc, path, data, _ := polledFile(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	edited := bytes.Replace(data, []byte(`"clusterArn":"`+cluster+`","agentConnected"`), []byte(`"clusterArn":5,"agentConnected"`), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("the edit did not apply")
	}
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	var pe *ParseError
	if _, err := NewBuilder().LoadFiles(path); !errors.As(err, &pe) || pe.Path != "detail.clusterArn" {
		t.Errorf("Load: %v; want a *ParseError at detail.clusterArn", err)
	}
	w2 := NewWatcher(fc.api, "prod", path)
	defer w2.Close()
	if _, err := w2.Open(); !errors.As(err, &pe) || pe.Line != 2 || pe.Path != "detail.clusterArn" {
		t.Errorf("Open: %v; want a *ParseError at line 2, detail.clusterArn", err)
	}
}

// polledFile is the file one poll of a cluster of tasks writes: the fake
// cluster, the file's path and bytes, and the tasks the Watcher held.
func polledFile(t *testing.T, tasks ...types.Task) (*fakeCluster, string, []byte, []*Task) {
	t.Helper()
	fc := newFakeCluster(t, tasks...)
	fc.srv.SetFaults(fakeaws.Faults{})
	path := filepath.Join(t.TempDir(), "h.jsonl")
	w := NewWatcher(fc.api, "prod", path)
	if _, err := w.Poll(context.Background()); err != nil {
		t.Fatal(err)
	}
	mem := w.Index().Tasks()
	w.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fc, path, data, mem
}

// TestWithoutUnusableEveryField: each kind of value taskFromSDK reports
// unusable (an attachment's IPv4 and IPv6 detail, a network interface's
// IPv4 and IPv6 address, a binding) is left out of the copy the Watcher
// writes, which converts again without a problem, while the task given is
// not changed.
func TestWithoutUnusableEveryField(t *testing.T) {
	str := func(s string) *string { return &s }
	in := types.Task{TaskArn: str("arn:aws:ecs:us-east-1:1:task/c/x"),
		Attachments: []types.Attachment{{Type: str("ElasticNetworkInterface"), Details: []types.KeyValuePair{
			{Name: str("networkInterfaceId"), Value: str("eni-1")},
			{Name: str("privateIPv4Address"), Value: str("10.0.1.999")},
			{Name: str("privateIPv6Address"), Value: str("fd00::zz")},
		}}},
		Containers: []types.Container{{Name: str("web"),
			NetworkInterfaces: []types.NetworkInterface{{PrivateIpv4Address: str("10.0.2.999"), Ipv6Address: str("fd00::yy")}},
			NetworkBindings: []types.NetworkBinding{
				{ContainerPort: aws32(80), HostPort: aws32(32768), Protocol: types.TransportProtocolTcp},
				{ContainerPort: aws32(81), HostPort: aws32(32769), Protocol: "sctp"},
			}}},
	}
	before := fmt.Sprintf("%#v", in)
	_, err := taskFromSDK(&in)
	var n int
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if fe := (*FieldError)(nil); errors.As(e, &fe) {
			n++
		}
	}
	if n != 5 {
		t.Fatalf("%d unusable values reported (%v), want 5", n, err)
	}
	out := withoutUnusable(&in, err)
	if fmt.Sprintf("%#v", in) != before {
		t.Error("the task given was changed")
	}
	if _, err := taskFromSDK(out); err != nil {
		t.Errorf("the copy still has unusable values: %v", err)
	}
	if d := out.Attachments[0].Details; len(d) != 1 || *d[0].Name != "networkInterfaceId" {
		t.Errorf("details %+v, want the interface ID alone", d)
	}
	if b := out.Containers[0].NetworkBindings; len(b) != 1 || *b[0].ContainerPort != 80 {
		t.Errorf("bindings %+v, want the tcp one alone", b)
	}
}

func aws32(v int32) *int32 { return &v }

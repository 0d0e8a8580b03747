package history

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestFieldErrorReportedOnce: a running task with a value the
// history cannot use is reported when its line is written, not again on
// every poll that finds it unchanged (record prints every problem: the
// same line every minute for as long as the task runs).
func TestFieldErrorReportedOnce(t *testing.T) {
	bad := awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)
	bad.Attachments[0].Details[4] = kv("privateIPv4Address", "10.0.1.999")
	bad.Containers = nil
	fc := newFakeCluster(t, bad)
	fc.srv.SetFaults(fakeaws.Faults{})
	w := NewWatcher(fc.api, "prod", filepath.Join(t.TempDir(), "h.jsonl"))
	defer w.Close()
	var counts []int
	for range 3 {
		st, err := w.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var fe *FieldError
		if len(st.Problems) > 0 && !errors.As(st.Problems[0], &fe) {
			t.Fatalf("problems %v", st.Problems)
		}
		counts = append(counts, len(st.Problems))
	}
	if !reflect.DeepEqual(counts, []int{1, 0, 0}) {
		t.Errorf("problems per poll %v, want [1 0 0]: reported once, when the task's line is written", counts)
	}
}

// TestWatcherStopsWhenFileReplaced: the history file removed or
// replaced (an editor's save, logrotate's rename and create) leaves the
// Watcher writing to a file no path names: every later line is lost, and
// a second Watcher can lock the new file. It must stop, as when another
// program appends.
func TestWatcherStopsWhenFileReplaced(t *testing.T) {
	for _, replace := range []bool{false, true} {
		fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
		fc.srv.SetFaults(fakeaws.Faults{})
		path := filepath.Join(t.TempDir(), "h.jsonl")
		w := NewWatcher(fc.api, "prod", path)
		mustPoll(t, w, 2)
		data, _ := os.ReadFile(path)
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if replace { // the same bytes, another file
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := fc.srv.UpdateTask("prod", awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30)); err != nil {
			t.Fatal(err)
		}
		_, err := w.Poll(context.Background())
		var we *WriteError
		if !errors.As(err, &we) {
			t.Errorf("replace=%v: poll after the file was removed: %v, want a WriteError", replace, err)
		}
		w.Close()
	}
}

// TestPrimaryReadsBackTheSame: a primary interface the Primary func
// returns is written as text and read back by the Decoder's rules (an
// IPv6 address is one, without a zone): what the Watcher keeps in memory
// must be what the file gives back, and the file must open again.
func TestPrimaryReadsBackTheSame(t *testing.T) {
	for _, p := range []PrimaryInterface{
		{ENI: "eni-p", IPv4: netip.MustParseAddr("10.0.0.9"), IPv6: netip.MustParseAddr("fe80::1%eth0")},
		{ENI: "eni-p", IPv4: netip.MustParseAddr("10.0.0.9"), IPv6: netip.MustParseAddr("::ffff:10.0.0.9")},
	} {
		fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
		fc.srv.SetFaults(fakeaws.Faults{})
		path := filepath.Join(t.TempDir(), "h.jsonl")
		w := NewWatcher(fc.api, "prod", path)
		w.Now = func() time.Time { return at(5) }
		w.Primary = func(_ context.Context, ids []string) (map[string]PrimaryInterface, error) {
			out := map[string]PrimaryInterface{}
			for _, id := range ids {
				out[id] = p
			}
			return out, nil
		}
		if _, err := w.Poll(context.Background()); err != nil {
			t.Fatal(err)
		}
		mem := w.Index().Instances()
		w.Close()
		w2 := NewWatcher(fc.api, "prod", path)
		if _, err := w2.Open(); err != nil {
			t.Errorf("%v: the file the poll wrote does not open again: %v", p, err)
			continue
		}
		if file := w2.Index().Instances(); !reflect.DeepEqual(file, mem) {
			t.Errorf("%v: from the file %+v, from memory %+v", p, *file[0], *mem[0])
		}
		w2.Close()
	}
}

// TestRunStopsOnAFileItCannotUse: with OnPollError, Run carries on
// after failed polls (ECS throttling, a network blip); a history file it
// refuses (not a history file, edited, another cluster's) is refused the
// same way on every poll, for ever, while nothing is recorded. Run must
// return that error, as it does for a file it cannot write.
func TestRunStopsOnAFileItCannotUse(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	path := filepath.Join(t.TempDir(), "h.jsonl")
	if err := os.WriteFile(path, []byte("not a history file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(fc.api, "prod", path)
	w.Interval = time.Millisecond
	calls := 0
	w.OnPollError = func(error) { calls++ }
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err := w.Run(ctx)
	var pe *ParseError
	if !errors.As(err, &pe) || calls > 0 {
		t.Errorf("Run = %v after %d OnPollError calls: want the file's *ParseError, at once", err, calls)
	}
}

// TestRejectedPrimaryReportedOnce: a primary interface the history
// cannot keep (an IPv6 address as the IPv4 one) was asked for again and
// reported on every poll, an EC2 call and a line a minute for the
// instance's life.
func TestRejectedPrimaryReportedOnce(t *testing.T) {
	fc := newFakeCluster(t, awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1))
	fc.srv.SetFaults(fakeaws.Faults{})
	w := NewWatcher(fc.api, "prod", filepath.Join(t.TempDir(), "h.jsonl"))
	defer w.Close()
	w.Now = func() time.Time { return at(5) }
	asked := 0
	w.Primary = func(_ context.Context, ids []string) (map[string]PrimaryInterface, error) {
		asked++
		out := map[string]PrimaryInterface{}
		for _, id := range ids {
			out[id] = PrimaryInterface{ENI: "eni-p", IPv4: netip.MustParseAddr("2001:db8::9")}
		}
		return out, nil
	}
	var problems []error
	for range 3 {
		st, err := w.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		problems = append(problems, st.Problems...)
	}
	if asked != 1 || len(problems) != 1 || !strings.Contains(problems[0].Error(), "not asked again") {
		t.Errorf("asked %d times, problems %v; want one of each", asked, problems)
	}
}

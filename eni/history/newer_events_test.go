package history

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reviewFile is a history file with one task, an event a newer ecsnet
// wrote (a detail type this version does not know, from
// "ecsnet.history"), and one of AWS's of a detail type the history does
// not use, which stays skipped as documented.
const reviewFile = `{"version":"0","detail-type":"ECS Task State Change","source":"ecsnet.history","time":"2026-11-01T10:00:00Z",` +
	`"resources":["arn:aws:ecs:us-west-2:999999999999:task/demo/old"],"detail":{"taskArn":"arn:aws:ecs:us-west-2:999999999999:task/demo/old",` +
	`"clusterArn":"arn:aws:ecs:us-west-2:999999999999:cluster/demo","lastStatus":"STOPPED","desiredStatus":"STOPPED","version":5,` +
	`"createdAt":1793000000,"stoppedAt":1793000600}}` + "\n" +
	`{"version":"0","detail-type":"ecsnet Something New","source":"ecsnet.history","time":"2026-11-01T10:01:00Z","resources":[],"detail":{"x":1}}` + "\n" +
	`{"version":"0","detail-type":"ECS Service Action","source":"aws.ecs","time":"2026-11-01T10:02:00Z","resources":[],"detail":{"eventName":"SERVICE_STEADY_STATE"}}` + "\n"

// TestDecoderCountsNewer: an ecsnet.history event of a detail type
// this version does not know was skipped as one of AWS's other events,
// without a word: it is counted apart (Newer), and AWS's still as skipped.
func TestDecoderCountsNewer(t *testing.T) {
	d := NewDecoder(strings.NewReader(reviewFile))
	n := 0
	for {
		_, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 || d.Newer() != 1 || d.Skipped() != 1 {
		t.Errorf("%d records, Newer %d, Skipped %d; want 1, 1, 1", n, d.Newer(), d.Skipped())
	}
}

// TestLoadCountsNewer: Builder.Load's stats count them, LoadFiles'
// add them up.
func TestLoadCountsNewer(t *testing.T) {
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(reviewFile), "h.jsonl")
	if err != nil || st.Newer != 1 || st.Skipped != 1 || st.Tasks != 1 {
		t.Fatalf("%+v, %v", st, err)
	}
	file := filepath.Join(t.TempDir(), "h.jsonl")
	if err := os.WriteFile(file, []byte(reviewFile), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err = NewBuilder().LoadFiles(file, file)
	if err != nil || st.Newer != 2 {
		t.Fatalf("LoadFiles: %+v, %v", st, err)
	}
	// Only such events: no records, and the error says what was there.
	_, err = NewBuilder().Load(strings.NewReader(strings.Split(reviewFile, "\n")[1]+"\n"), "new.jsonl")
	if err == nil || !strings.Contains(err.Error(), "1 event of a newer ecsnet") {
		t.Errorf("only a newer event: %v", err)
	}
}

// TestWatcherOpenCountsNewer: a Watcher reopening the file says, in
// its Recovery, how many lines it read back of a newer ecsnet, and keeps
// them in the file.
func TestWatcherOpenCountsNewer(t *testing.T) {
	file := filepath.Join(t.TempDir(), "h.jsonl")
	if err := os.WriteFile(file, []byte(reviewFile), 0o644); err != nil {
		t.Fatal(err)
	}
	w := NewWatcher(nil, "demo", file)
	defer w.Close()
	rec, err := w.Open()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Lines != 3 || rec.Newer != 1 || !strings.Contains(rec.String(), "1 event of a newer ecsnet (a detail type this version does not know) skipped") {
		t.Errorf("%+v: %s", rec, rec)
	}
	if b, _ := os.ReadFile(file); string(b) != reviewFile {
		t.Errorf("the file changed:\n%s", b)
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
)

// TestLogGroupAllMalformed: -lenient over a log group whose every
// event is malformed (here: a -log-format that is not the group's) read
// no record at all. The program said "none of the 2047 records read from
// log group … lies in -since/-until", a wrong cause (every event was in
// the window; none parsed), where files skipped whole are refused as
// not flow logs: cwlogs's Progress.Events counts the malformed events too,
// and they were taken for records parsed.
func TestLogGroupAllMalformed(t *testing.T) {
	startFakes(t)
	code, out, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams", "-lenient",
		"-log-format", "${version} ${account-id} ${interface-id}")
	if code != 1 || out != "" || strings.Contains(stderr, "lies in -since/-until") ||
		!strings.Contains(stderr, "attribute: -lenient: "+sampleLogGroup+": not one of its lines is a flow-log record (2047 malformed)") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 saying no event was a record", code, out, stderr)
	}
}

// TestLiveProgressCounts: the progress line of a log group read
// ends with the read's own counts. Its last line added the read's totals
// to the counts the read had already drawn: "10/9 objects, 4094 records"
// for 9 streams and 2047 records.
func TestLiveProgressCounts(t *testing.T) {
	startFakes(t)
	defer cli.AsTerminal()()
	code, _, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams", "-format", "csv")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\r")
	last := lines[len(lines)-1]
	if code != 0 || !strings.HasPrefix(last, "flow logs: 9/9 streams, 2047 events,") {
		t.Errorf("exit %d, last progress line %q; want 9/9 streams and 2047 events (stderr %q)", code, last, stderr)
	}
}

// TestJoinedErrorsOnePrefix: an error of several files (the
// library joins them, one a line) is printed with the program's prefix
// alone, as a one-line error is (cli.OnePrefix: "one prefix per
// message"). Its second and later lines kept the library's:
// "history: …/describe-subnets.json: holds no tasks …".
func TestJoinedErrorsOnePrefix(t *testing.T) {
	dir := writeSample(t)
	code, out, stderr := runCode(t, "-tasks", filepath.Join(dir, "sample", "network"), "-flowlogs", filepath.Join(dir, "sample", "flowlogs"))
	if code != 1 || out != "" || strings.Count(stderr, "holds no tasks") != 3 || strings.Contains(stderr, "history: ") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 1 and three files named without the library's prefix", code, out, stderr)
	}
}

// TestPartialOverItsInput: -partial naming a file the run reads
// replaced that input with the partial ("nothing already read is lost"):
// a Parquet flow-log file given as -flowlogs and as -partial was gone
// after the run, and a later run over it read a partial. -merge refuses
// the same for its inputs (mergeOutsideInputs); a run refuses it before
// reading, and leaves the input as it was.
func TestPartialOverItsInput(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	export := filepath.Join(t.TempDir(), "export")
	runOut(t, "-export", export, "-q")
	flows := filepath.Join(export, "flowlogs.parquet")
	before, err := os.ReadFile(flows)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ args []string }{
		{[]string{"-tasks", tasks, "-flowlogs", flows, "-partial", flows}},
		{[]string{"-tasks", tasks, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-partial", filepath.Join(dir, "sample", "flowlogs", "part.parquet")}},
	} {
		code, out, stderr := runCode(t, c.args...)
		if code != 1 || out != "" || !strings.Contains(stderr, "lies in -flowlogs input") {
			t.Errorf("%q: exit %d, stderr %q; want 1 and the partial refused", c.args, code, stderr)
		}
	}
	if after, err := os.ReadFile(flows); err != nil || !bytes.Equal(after, before) {
		t.Errorf("the -flowlogs input was replaced (%v)", err)
	}
}

// TestLogGroupLenientCountsStreams: -lenient's line for a clean log
// group read counts the streams it read, which it called files.
func TestLogGroupLenientCountsStreams(t *testing.T) {
	startFakes(t)
	code, _, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-all-streams", "-lenient", "-format", "csv")
	if code != 0 || !strings.Contains(stderr, "attribute: -lenient: no malformed lines in 9 streams") {
		t.Errorf("exit %d, stderr %q; want the 9 streams counted", code, stderr)
	}
}

// TestLiveHistoryShowsProgress: -cluster reads the whole cluster, pages
// and describe calls that take minutes in a large one: on a terminal it
// shows how far it has come, and ends that line before the next.
func TestLiveHistoryShowsProgress(t *testing.T) {
	startFakes(t)
	defer cli.AsTerminal()()
	code, _, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", "90m", "-format", "csv")
	i := strings.Index(stderr, "\rdescribe task definitions: ")
	if code != 0 || !strings.Contains(stderr, "\rdescribe tasks: ") || i < 0 || !strings.Contains(stderr[i:], "\nattribute: cluster demo: ") {
		t.Errorf("exit %d, stderr %q; want the describe stages drawn and their line ended", code, stderr)
	}
}

package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
)

// runCode runs the program as main does and returns its exit status,
// stdout and stderr (with the message main prints).
func runCode(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	code := cli.Code("attribute", err, &errOut)
	return code, out.String(), errOut.String()
}

const v2Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sampleTasks(t *testing.T, dir string) string {
	return filepath.Join(dir, "sample", "tasks")
}

// TestNoSilentZeros: each input that has no answer ends with exit 1 and
// a message saying what is missing, never a table of zeros.
func TestNoSilentZeros(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	tmp := t.TempDir()
	empty := writeFile(t, tmp, "empty.log", "")
	headerOnly := writeFile(t, tmp, "header.log", v2Header)
	emptyDir := filepath.Join(tmp, "nothing")
	os.Mkdir(emptyDir, 0o755)
	// 2020: long before the sample's tasks.
	old := writeFile(t, tmp, "old.log", v2Header+
		"2 123456789012 eni-0a1b2c3d4e5f60a11 10.0.1.10 10.0.2.20 443 50000 6 10 1000 1577880000 1577880060 ACCEPT OK\n")
	// In the tasks' time, on an interface nobody knows.
	stranger := writeFile(t, tmp, "stranger.log", v2Header+
		"2 123456789012 eni-00000000000000000 192.0.2.1 192.0.2.2 443 50000 6 10 1000 1795600800 1795600852 ACCEPT OK\n")
	// Flow logs whose format lacks what a join needs: a time, and an
	// interface, address or task to join on.
	noStart := writeFile(t, tmp, "nostart.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes action log-status\n"+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.2.20 443 50000 6 10 1000 ACCEPT OK\n")
	tiny := writeFile(t, tmp, "tiny.log", "version interface-id\n2 eni-0a1b2c3d4e5f60711\n")
	bareNoStart := writeFile(t, tmp, "barenostart.log", "2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.2.20 443 50000 6 10 1000 ACCEPT OK\n")
	noJoin := writeFile(t, tmp, "nojoin.log", "version account-id bytes start end\n2 123456789012 1000 1795600800 1795600852\n")
	nothing := writeFile(t, tmp, "nothing.log", "version bytes\n2 1000\n")
	dashes := writeFile(t, tmp, "dashes.log", v2Header+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.2.20 443 50000 6 10 1000 - - ACCEPT OK\n")
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"no start field", []string{"-tasks", tasks, "-flowlogs", noStart}, []string{"no record could be attributed to a task: " + noStart + " has no start or end field: its records cannot be placed in time"}},
		{"no start field, two files", []string{"-tasks", tasks, "-flowlogs", noStart + "," + tiny}, []string{noStart + " has no start or end field", "; " + tiny + " has no start or end field"}},
		{"no start field in -log-format", []string{"-tasks", tasks, "-flowlogs", bareNoStart, "-log-format", "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${action} ${log-status}"},
			[]string{"-log-format (" + bareNoStart + " has no header line) has no start or end field"}},
		{"no field to join on", []string{"-tasks", tasks, "-flowlogs", noJoin}, []string{noJoin + " has no interface-id, address or ecs-task field: its records name nothing to join to a task"}},
		{"start never given", []string{"-tasks", tasks, "-flowlogs", dashes}, []string{"no record could be attributed to a task: none of the 1 records read from " + dashes + " carries a start time"}},
		{"neither", []string{"-tasks", tasks, "-flowlogs", nothing}, []string{nothing + " has neither a start or end field nor an interface-id, address or ecs-task field"}},
		{"empty file", []string{"-tasks", tasks, "-flowlogs", empty}, []string{"no flow-log records", empty, "empty or header lines only"}},
		{"header only", []string{"-tasks", tasks, "-flowlogs", headerOnly}, []string{"no flow-log records", headerOnly}},
		{"empty directory", []string{"-tasks", tasks, "-flowlogs", emptyDir}, []string{"no flow-log files in " + emptyDir}},
		{"window misses the tree", []string{"-since", "2026-12-01"}, []string{"no flow-log files in the embedded sample", "for -since/-until: from 2026-12-01 00:00:00 UTC on"}},
		{"window misses the file", []string{"-tasks", tasks, "-flowlogs", old, "-until", "2019-01-01"}, []string{"none of the 1 records read from " + old + " lies in -since/-until: before 2019-01-01 00:00:00 UTC; the records start 2020-01-01 12:00:00 to 2020-01-01 12:00:00 UTC"}},
		{"spans do not overlap", []string{"-tasks", tasks, "-flowlogs", old}, []string{"do not overlap", "tasks span 2026-11-25", "start 2020-01-01 12:00:00"}},
		{"nothing attributed", []string{"-tasks", tasks, "-flowlogs", stranger, "-ip-fallback=false"}, []string{"no record could be attributed", "unknown ENI 1"}},
		{"task file without tasks", []string{"-tasks", filepath.Join(dir, "sample", "network", "describe-subnets.json"), "-flowlogs", old}, []string{"-tasks", "describe-subnets.json: holds no tasks"}},
		{"network file without subnets", []string{"-tasks", tasks, "-flowlogs", old, "-network", filepath.Join(tasks, "describe-tasks.json")}, []string{"-network: ", "describe-tasks.json: no Subnets, Vpcs or NetworkInterfaces member"}},
		{"task directory without json", []string{"-tasks", emptyDir, "-flowlogs", old}, []string{"no .json, .jsonl or .parquet files in directory " + emptyDir}},
		{"network directory without json", []string{"-tasks", tasks, "-flowlogs", old, "-network", emptyDir}, []string{"-network: no .json files in directory " + emptyDir}},
	} {
		code, out, stderr := runCode(t, c.args...)
		if code != 1 || out != "" {
			t.Errorf("%s: exit %d, stdout %q; want 1 and nothing", c.name, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr %q lacks %q", c.name, stderr, w)
			}
		}
		if strings.Count(stderr, "attribute:") != 1 {
			t.Errorf("%s: want one prefixed message, got %q", c.name, stderr)
		}
	}
}

// TestTaskFileTwice: a task file reached twice is a mistake in the
// arguments, as a flow-log file is; copies of describe output are two
// observations, which merge, but two copies of a history table would
// hold every row twice.
func TestTaskFileTwice(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	flows := filepath.Join(dir, "sample", "flowlogs")
	describe := filepath.Join(tasks, "describe-tasks.json")
	tmp := t.TempDir()
	body, err := os.ReadFile(describe)
	if err != nil {
		t.Fatal(err)
	}
	copied := writeFile(t, tmp, "describe-tasks-copy.json", string(body))
	export := filepath.Join(tmp, "export")
	runOut(t, "-export", export)
	table := filepath.Join(export, "history.parquet")
	body, err = os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	tableCopy := writeFile(t, tmp, "history-copy.parquet", string(body))
	for _, c := range []struct {
		name  string
		tasks []string
		want  string
	}{
		{"one file twice", []string{describe, describe}, "-tasks: " + describe + " and " + describe + " are the same file"},
		{"a directory and a file in it", []string{tasks, describe}, describe + " (in " + tasks + ") and " + describe + " are the same file"},
		{"a table twice", []string{table, table}, "-tasks: " + table + " and " + table + " are the same file"},
		{"a copy of a table", []string{table, tableCopy}, table + " and " + tableCopy + " hold the same bytes, a copy of one history table"},
		{"a copy of describe output", []string{tasks, copied}, ""},
	} {
		code, _, stderr := runCode(t, "-tasks", strings.Join(c.tasks, ","), "-flowlogs", flows)
		if c.want == "" {
			if code != 0 {
				t.Errorf("%s: exit %d, stderr %q", c.name, code, stderr)
			}
			continue
		}
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", c.name, code, stderr, c.want)
		}
	}
}

// TestLogFormatThatDoesNotApply: -log-format is for header-less files; a
// file with a format of its own (a header line, Parquet columns) is read
// in that. A -log-format that differs from it, given for no header-less
// file, did not apply at all: an error naming the file, with -lenient
// too. Given for header-less files among them, it did apply, and a file
// read in another is noted. One that says what the file says changes
// nothing.
func TestLogFormatThatDoesNotApply(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	tmp := t.TempDir()
	good := "2 123456789012 eni-0a1b2c3d4e5f60711 10.0.2.5 10.0.1.101 41001 8080 6 24 28975 1795600803 1795600854 ACCEPT OK"
	v2 := strings.TrimSpace(v2Header)
	headed := writeFile(t, tmp, "headed.log", v2Header+good+"\n")
	bare := writeFile(t, tmp, "bare.log", good+"\n")
	// The v2 fields and the VPC's: a header of another format.
	other := writeFile(t, tmp, "other.log", v2+" vpc-id\n"+good+" vpc-0a1b2c3d\n")
	another := writeFile(t, tmp, "another.log", v2+" vpc-id\n"+good+" vpc-0e1f2a3b\n")
	export := filepath.Join(tmp, "export")
	runOut(t, "-export", export)
	table := filepath.Join(export, "flowlogs.parquet")
	columns := openParquet(t, table).Format().String()
	for _, c := range []struct {
		name   string
		files  string
		format string
		more   []string
		code   int
		want   string
	}{
		{"a header of another format", headed, "${version} ${account-id}", nil, 1,
			"attribute: -log-format does not apply to " + headed + ": it has a header line of its own, \"" + v2 + "\", which it was read in"},
		{"Parquet", table, "${version}", nil, 1, "attribute: -log-format does not apply to " + table + ": it is Parquet, whose columns are its format"},
		{"two files of other formats", other + "," + another, v2, nil, 1, "attribute: -log-format does not apply to " + another + " (and 1 more file): "},
		{"-lenient", headed, "${version} ${account-id}", []string{"-lenient"}, 1, "attribute: -log-format does not apply to " + headed + ": "},
		{"another header among bare files", bare + "," + other, v2, nil, 0,
			"attribute: note: -log-format was not used for " + other + ": it has a header line of its own, \"" + v2 + " vpc-id\", which it was read in"},
		{"the header's own format", headed, v2, nil, 0, ""},
		{"the header's format as a LogFormat", headed + "," + bare, "${" + strings.ReplaceAll(v2, " ", "} ${") + "}", nil, 0, ""},
		// Read with the fields attribution needs, a Parquet file's
		// Format is those columns: the flag is refused, even when it
		// names every column, as it cannot change how Parquet is read.
		{"Parquet, its columns", table, columns, nil, 1, "attribute: -log-format does not apply to " + table + ": it is Parquet, whose columns are its format; -log-format is for files without a header line: leave it out"},
		{"bare files", bare, v2, nil, 0, ""},
	} {
		args := append([]string{"-tasks", tasks, "-flowlogs", c.files, "-log-format", c.format}, c.more...)
		code, _, stderr := runCode(t, args...)
		if code != c.code || c.want == "" && strings.Contains(stderr, "-log-format") || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, stderr, c.code, c.want)
		}
	}
}

// TestFlowLogFileTwice: a flow-log file reached twice (named twice, named
// and under a directory named, or by another link) would count each of its
// records twice: an error naming both spellings, and nothing read.
func TestFlowLogFileTwice(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	tree := filepath.Join(dir, "sample", "flowlogs")
	objs, err := filepath.Glob(filepath.Join(tree, "AWSLogs", "*", "vpcflowlogs", "*", "*", "*", "*", "*.log.gz"))
	if err != nil || len(objs) < 2 {
		t.Fatalf("sample objects: %v, %v", objs, err)
	}
	obj := objs[1]
	tmp := t.TempDir()
	link := filepath.Join(tmp, "link.log.gz")
	if err := os.Link(obj, link); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(obj)
	if err != nil {
		t.Fatal(err)
	}
	copied := writeFile(t, tmp, "copy.log.gz", string(body))
	// One delivery decompressed under its own name, beside the tree:
	// other bytes, the same records.
	base := filepath.Base(obj)
	unzipped := writeFile(t, tmp, strings.TrimSuffix(base, ".gz"), string(gunzipFile(t, obj)))
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"one file twice", []string{"-flowlogs", obj + "," + obj}, []string{"-flowlogs: " + obj + " and " + obj + " are the same file"}},
		{"repeated flag", []string{"-flowlogs", tree, "-flowlogs", tree}, []string{objs[0] + " (in " + tree + ") and " + objs[0] + " (in " + tree + ") are the same file"}},
		{"a directory and a file in it", []string{"-flowlogs", tree + "," + obj}, []string{obj + " (in " + tree + ") and " + obj + " are the same file"}},
		{"a hard link", []string{"-flowlogs", obj, "-flowlogs", link}, []string{obj + " and " + link + " are the same file"}},
		{"a copy", []string{"-flowlogs", tree + "," + copied}, []string{obj + " (in " + tree + ") and " + copied + " hold the same bytes, a copy: its 173 records would be counted twice"}},
		{"a decompressed copy", []string{"-flowlogs", tree + "," + unzipped}, []string{obj + " (in " + tree + ") and " + unzipped + " are copies of one flow-log delivery, " +
			strings.TrimSuffix(base, ".log.gz") + ": its 173 records would be counted twice"}},
	} {
		code, out, stderr := runCode(t, append([]string{"-tasks", tasks}, c.args...)...)
		if code != 1 || out != "" || strings.Count(stderr, "attribute:") != 1 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and one message", c.name, code, out, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr %q lacks %q", c.name, stderr, w)
			}
		}
	}
	// Files alike that hold no records count nothing twice.
	one := writeFile(t, tmp, "a/header.log", v2Header)
	other := writeFile(t, tmp, "b/header.log", v2Header)
	want, _ := runOut(t, "-tasks", tasks, "-flowlogs", obj, "-format", "csv")
	if got, _ := runOut(t, "-tasks", tasks, "-flowlogs", obj+","+one+","+other, "-format", "csv"); got != want {
		t.Errorf("with two header-only files:\n%s\nwant\n%s", got, want)
	}
}

// TestFlagsThatDoNotApply are errors, not ignored.
func TestFlagsThatDoNotApply(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-step", "1m"}, "give -html FILE or -partial FILE too"},
		{[]string{"-step", "0", "-html", "x.html"}, "-step 0s: want whole seconds, at least 1s"},
		{[]string{"-all-streams"}, "-all-streams applies to -log-group only"},
		{[]string{"-log-format", "${version}"}, "-log-format applies to -flowlogs and -log-group"},
		{[]string{"-iam-policy", "-by", "service"}, "give it alone"},
		{[]string{"-network", "subnets.json"}, "-network applies with -tasks"},
		{[]string{"-since", "yesterday"}, `invalid value "yesterday" for flag -since: want RFC 3339`},
		{[]string{"-since", "2026-11-26", "-until", "2026-11-25"}, "is not before -until"},
	} {
		// A malformed value is a usage mistake (exit 2), as for -step.
		want := 1
		if strings.HasPrefix(c.want, "invalid value") {
			want = 2
		}
		code, out, stderr := runCode(t, c.args...)
		if code != want || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d and %q", c.args, code, out, stderr, want, c.want)
		}
	}
}

// TestEmptyFlagValues: a flag given an empty value (a script's unset
// variable) is an error naming it, never read as the flag left out: no
// input flags at all is what runs the embedded sample.
func TestEmptyFlagValues(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-tasks", "", "-flowlogs", ""}, "empty value for -flowlogs, -tasks:"},
		{[]string{"-cluster", "", "-log-group", ""}, "empty value for -cluster, -log-group:"},
		{[]string{"-tasks", ",", "-flowlogs", " , "}, "empty value for -flowlogs, -tasks:"},
		{[]string{"-tasks", "sample/tasks", "-flowlogs", ""}, "empty value for -flowlogs:"},
		{[]string{"-tasks", "sample/tasks", "-flowlogs", "x.log", "-flowlogs", ""}, "empty value for -flowlogs:"},
		{[]string{"-partial", ""}, "empty value for -partial:"},
		{[]string{"-since", ""}, "empty value for -since:"},
		{[]string{"-merge", "-partial", "", "x.parquet"}, "empty value for -partial:"},
		{[]string{"-merge", "x.parquet", ""}, "-merge: argument 2 is empty:"},
	} {
		code, out, stderr := runCode(t, c.args...)
		if code != 1 || out != "" || !strings.Contains(stderr, c.want) || strings.Count(stderr, "attribute:") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 1 and %q", c.args, code, out, stderr, c.want)
		}
	}
}

func TestHelpExitsZero(t *testing.T) {
	code, out, stderr := runCode(t, "-h")
	if code != 0 || out != "" || !strings.Contains(stderr, "Usage: attribute") || !strings.Contains(stderr, "-log-format") {
		t.Errorf("-h: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if code, _, _ := runCode(t, "-nope"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
}

// TestWindowPrunesFiles: -since/-until cut the sample tree to the files
// and records of the window, embedded or on disk alike (with -network's
// files named, or their directory).
func TestWindowPrunesFiles(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	network := filepath.Join(dir, "sample", "network")
	win := []string{"-since", "2026-11-25T10:20:00Z", "-until", "2026-11-25T10:40:00Z", "-format", "csv", "-by", "service"}
	embedded, _ := runOut(t, win...)
	files, _ := runOut(t, append(win, "-tasks", tasks, "-network", network+"/describe-subnets.json,"+network+"/describe-vpcs.json,"+network+"/describe-network-interfaces.json",
		"-flowlogs", filepath.Join(dir, "sample", "flowlogs"))...)
	all, _ := runOut(t, "-format", "csv", "-by", "service")
	if embedded != files || embedded == all {
		t.Errorf("window:\nembedded %s\nfiles %s\nwhole %s", embedded, files, all)
	}
	// -network takes a directory, as -tasks and -flowlogs do.
	byDir, _ := runOut(t, append(win, "-tasks", tasks, "-network", network, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"))...)
	if byDir != files {
		t.Errorf("-network as a directory:\n%s\nwant\n%s", byDir, files)
	}
}

// TestLenientPerFile: -lenient names each file with skipped lines, how
// many, and the first reason.
func TestLenientPerFile(t *testing.T) {
	dir := writeSample(t)
	tmp := t.TempDir()
	good := "2 123456789012 eni-0a7b8c9d0e1f2cd77 10.0.1.10 10.0.2.20 443 50000 6 10 1000 1795600800 1795600852 ACCEPT OK\n"
	bad := writeFile(t, tmp, "bad.log", v2Header+good+"2 123 not a record\n"+good+"2 x\n")
	fine := writeFile(t, tmp, "fine.log", v2Header+good)
	args := []string{"-tasks", sampleTasks(t, dir), "-flowlogs", bad + "," + fine, "-ip-fallback=false"}
	code, _, stderr := runCode(t, args...)
	if code != 1 || !strings.Contains(stderr, bad) {
		t.Errorf("strict: exit %d, stderr %q", code, stderr)
	}
	_, _, stderr = runCode(t, append(args, "-lenient")...)
	if !strings.Contains(stderr, "-lenient: skipped 2 malformed lines in "+bad+"; first: ") || strings.Contains(stderr, "in "+fine) ||
		strings.Contains(stderr, "first: flowlogs: ") {
		t.Errorf("lenient stderr %q", stderr)
	}

	// A file of which no line is a record is not flow logs: skipping
	// all of it is no answer.
	json := writeFile(t, tmp, "tasks.json", "{\n  \"tasks\": []\n}\n")
	code, _, stderr = runCode(t, "-tasks", sampleTasks(t, dir), "-flowlogs", fine+","+json, "-ip-fallback=false", "-lenient")
	if code != 1 || !strings.Contains(stderr, json+": not one of its lines is a flow-log record (3 malformed)") {
		t.Errorf("a file of no records: exit %d, stderr %q", code, stderr)
	}

	// A read that fails says nothing of lines it did not get to.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(v2Header + strings.Repeat(good, 200)))
	zw.Close()
	cut := writeFile(t, tmp, "cut.log.gz", string(gz.Bytes()[:gz.Len()/2]))
	code, _, stderr = runCode(t, "-tasks", sampleTasks(t, dir), "-flowlogs", cut, "-lenient")
	if code != 1 || strings.Contains(stderr, "no malformed lines") {
		t.Errorf("a cut gzip file: exit %d, stderr %q", code, stderr)
	}
}

// TestHTMLOnEveryPathAndAtomic: the report is written on the sample path,
// and a failed run leaves neither a new file nor a half-written one.
func TestHTMLOnEveryPathAndAtomic(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "report.html")
	if code, _, stderr := runCode(t, "-since", "2030-01-01", "-html", file); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("a failed run left %s", file)
	}
	if err := os.WriteFile(file, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCode(t, "-since", "2030-01-01", "-html", file); code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "previous" {
		t.Errorf("a failed run replaced the previous report")
	}
	if code, _, stderr := runCode(t, "-html", file, "-format", "json"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("report not written")
	}
	if left, err := filepath.Glob(filepath.Join(tmp, ".*")); err != nil || len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestProgressOnATerminal: the progress line appears on a terminal only,
// with objects out of the total and the bytes read, and -q silences it.
func TestProgressOnATerminal(t *testing.T) {
	dir := writeSample(t)
	args := []string{"-tasks", sampleTasks(t, dir), "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-format", "csv"}
	if _, _, stderr := runCode(t, args...); stderr != "" {
		t.Errorf("not a terminal, yet stderr %q", stderr)
	}
	defer cli.AsTerminal()()
	_, _, stderr := runCode(t, args...)
	if !strings.Contains(stderr, "\rflow logs: 13/13 objects, 2047 records, 32.3 KiB of 32.3 KiB") || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr %q", stderr)
	}
	if _, _, stderr := runCode(t, append(args, "-q")...); stderr != "" {
		t.Errorf("-q, yet stderr %q", stderr)
	}
}

// TestUndatedFiles: a file whose format has no time among files that
// have one is no mistake in the input, but its records can only count as
// unattributed: a note names it and its records, and the report is
// written. A format with end but no start is placed in time by end, so
// nothing is noted, and its records are attributed.
func TestUndatedFiles(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	tmp := t.TempDir()
	good := writeFile(t, tmp, "good.log", v2Header+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.2.5 10.0.1.101 41001 8080 6 24 28975 1795600803 1795600854 ACCEPT OK\n")
	undated := writeFile(t, tmp, "undated.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes action log-status\n"+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.2.5 10.0.1.101 41001 8080 6 10 1000 ACCEPT OK\n"+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.2.5 10.0.1.101 41002 8080 6 10 1000 ACCEPT OK\n")
	endOnly := writeFile(t, tmp, "endonly.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action log-status\n"+
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.2.5 10.0.1.101 41003 8080 6 10 777 1795600854 ACCEPT OK\n")

	code, out, stderr := runCode(t, "-tasks", tasks, "-flowlogs", good+","+undated, "-format", "json", "-q")
	want := "attribute: note: " + undated + " has no start or end field: its 2 records cannot be placed in time, so they count as unattributed\n"
	if code != 0 || out == "" || stderr != want {
		t.Errorf("a file without time among dated ones: exit %d, stdout %d bytes, stderr %q; want 0, a report and %q", code, len(out), stderr, want)
	}

	code, out, stderr = runCode(t, "-tasks", tasks, "-flowlogs", good+","+endOnly, "-format", "json", "-q")
	if code != 0 || stderr != "" || !strings.Contains(out, `"bytes": 29752`) && !strings.Contains(out, `"bytes":29752`) {
		t.Errorf("a file with end but no start: exit %d, stderr %q; want 0, no note, and 28975+777 bytes attributed in\n%s", code, stderr, out)
	}
}

// Describe output that lists failures (tasks ECS could not describe) is
// read, with a note that the history lacks those tasks: their traffic
// cannot be attributed, and a report that did not say so would look
// complete.
func TestDescribeFailuresNoted(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	p := filepath.Join(tasks, "describe-tasks.json")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	withFailures := strings.Replace(string(b), `"failures": [],`, `"failures": [{"arn": "arn:aws:ecs:us-east-1:123456789012:task/demo/0123456789abcdef0123456789abcdef", "reason": "MISSING"}],`, 1)
	if withFailures == string(b) {
		t.Fatal("the sample's describe-tasks.json has no empty failures to replace")
	}
	if err := os.WriteFile(p, []byte(withFailures), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCode(t, "-tasks", tasks, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-format", "json", "-q")
	want := "attribute: note: -tasks: ECS could not describe 1 of the tasks or instances asked for"
	if code != 0 || out == "" || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stdout %d bytes, stderr %q; want 0, a report and %q", code, len(out), stderr, want)
	}
}

// A directory argument that is a symbolic link is followed, as -flowlogs
// follows one (source.Dir): -tasks, -network and -merge walked with
// filepath.WalkDir, which does not, and found no files in it. A hidden
// directory inside is left out, as hidden files are.
func TestLinkedDirectoryArguments(t *testing.T) {
	dir := writeSample(t)
	link := filepath.Join(t.TempDir(), "tasks-link")
	if err := os.Symlink(sampleTasks(t, dir), link); err != nil {
		t.Skip("no symlinks:", err)
	}
	want, _ := runOut(t, "-tasks", sampleTasks(t, dir), "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-format", "csv", "-q")
	got, stderr := runOut(t, "-tasks", link, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-format", "csv", "-q")
	if got != want {
		t.Errorf("-tasks through a link: %q\nstderr %q\nwant %q", got, stderr, want)
	}
	hidden := filepath.Join(t.TempDir(), "tasks")
	writeFile(t, hidden, filepath.Join(".old", "junk.json"), "not json")
	if err := os.Symlink(filepath.Join(sampleTasks(t, dir), "describe-tasks.json"), filepath.Join(hidden, "describe-tasks.json")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCode(t, "-tasks", hidden, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-q"); code != 0 {
		t.Errorf("a hidden directory's file was read: exit %d, %s", code, stderr)
	}
}

// TestStepWholeSecondsOnly: a -step the library cannot keep (under a
// second, or not whole seconds) was silently changed by
// attribution.WithStep, which clamps and truncates: the page said "per 1s
// bucket" for -step 1ms, with exit 0. It is an error naming -step, before
// anything is read or written.
func TestStepWholeSecondsOnly(t *testing.T) {
	for _, step := range []string{"1ms", "1500ms", "90.5s", "-5m"} {
		file := filepath.Join(t.TempDir(), "r.html")
		code, out, stderr := runCode(t, "-step", step, "-html", file, "-q")
		if code != 1 || out != "" || !strings.Contains(stderr, "-step ") || !strings.Contains(stderr, "want whole seconds, at least 1s") {
			t.Errorf("-step %s: exit %d, stderr %q; want exit 1 and an error naming -step", step, code, stderr)
		}
		if _, err := os.Stat(file); !os.IsNotExist(err) {
			t.Errorf("-step %s: %s written", step, file)
		}
	}
}

// TestStepTakesDays: -since and -until take "3d" (cli.ParseDuration), and
// so does -step (it failed with flag's bare "parse error", exit 2 and the
// whole usage): one duration syntax in every program. A value it cannot
// read says which forms would do.
func TestStepTakesDays(t *testing.T) {
	file := filepath.Join(t.TempDir(), "r.html")
	if code, _, stderr := runCode(t, "-step", "1d", "-html", file, "-q"); code != 0 {
		t.Errorf("-step 1d: exit %d, stderr %.300q; want the 24h step -since accepts as 1d", code, stderr)
	}
	code, _, stderr := runCode(t, "-step", "1.5d", "-html", file)
	if code != 2 || !strings.Contains(stderr, `invalid value "1.5d" for flag -step: `+cli.DurationForms) {
		t.Errorf("-step 1.5d: exit %d, stderr %.300q; want 2 and %q", code, stderr, cli.DurationForms)
	}
}

// TestStepHelpNamesPartial: -h said "-step: with -html", but -step also
// applies with -partial (and the error for -step alone says "give -html
// FILE or -partial FILE too"): the usage names both, and both run.
func TestStepHelpNamesPartial(t *testing.T) {
	_, _, stderr := runCode(t, "-h")
	i := strings.Index(stderr, "  -step")
	if i < 0 {
		t.Fatal("no -step in -h")
	}
	line := stderr[i:]
	line = line[:strings.Index(line, "\n  -")]
	if !strings.Contains(line, "-html") || !strings.Contains(line, "-partial") {
		t.Errorf("-step's usage %q does not say it applies to -html and -partial", line)
	}
	if code, _, stderr := runCode(t, "-step", "1m", "-partial", filepath.Join(t.TempDir(), "p.parquet"), "-q"); code != 0 {
		t.Fatalf("-step with -partial: exit %d %s", code, stderr)
	}
}

// TestQuietLeavesProblemsOnly: -q means what it means in every program:
// no progress or info lines ("wrote FILE"), while a note on how far the
// answer can be trusted is still shown.
func TestQuietLeavesProblemsOnly(t *testing.T) {
	tmp := t.TempDir()
	page, part := filepath.Join(tmp, "r.html"), filepath.Join(tmp, "p.parquet")
	for _, args := range [][]string{{"-html", page}, {"-partial", part}} {
		if code, _, stderr := runCode(t, args...); code != 0 || !strings.Contains(stderr, "wrote ") {
			t.Errorf("%q: exit %d, stderr %q; want a line saying what was written", args, code, stderr)
		}
		if code, _, stderr := runCode(t, append(args, "-q")...); code != 0 || stderr != "" {
			t.Errorf("%q -q: exit %d, stderr %q; want nothing", args, code, stderr)
		}
	}
	if code, _, stderr := runCode(t, "-merge", part, "-html", page, "-q"); code != 0 || stderr != "" {
		t.Errorf("-merge -q: exit %d, stderr %q; want nothing", code, stderr)
	}
}

// jsonTotal runs the program with -format json and decodes its document.
func jsonTotal(t *testing.T, args ...string) report.Document {
	t.Helper()
	out, _ := runOut(t, append(args, "-format", "json")...)
	var d report.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// Every path keeps the records that start in the window: files (and S3)
// as the log group does, so back-to-back windows over files add up to one
// run. Files kept a record overlapping the window, and counted the records
// straddling a boundary in both windows.
func TestWindowsAddUpOnEveryPath(t *testing.T) {
	startFakes(t)
	dir := writeSample(t)
	fl := filepath.Join(dir, "sample", "flowlogs")
	tasks := sampleTasks(t, dir)
	all := jsonTotal(t, "-tasks", tasks, "-flowlogs", fl)
	before := jsonTotal(t, "-tasks", tasks, "-flowlogs", fl, "-until", "2026-11-25T10:30:00Z")
	after := jsonTotal(t, "-tasks", tasks, "-flowlogs", fl, "-since", "2026-11-25T10:30:00Z")
	if n := before.Total.Records + after.Total.Records; n != all.Total.Records {
		t.Errorf("files: -until T gives %d records and -since T %d: %d in all, one run %d",
			before.Total.Records, after.Total.Records, n, all.Total.Records)
	}
	live := jsonTotal(t, "-tasks", tasks, "-log-group", sampleLogGroup, "-all-streams", "-since", "2026-11-25T10:30:00Z")
	if live.Total != after.Total {
		t.Errorf("-since 10:30: log group %+v, files %+v", live.Total, after.Total)
	}
}

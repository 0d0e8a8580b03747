package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLOverItsInput: -html naming a file the run reads replaced
// that input with the HTML report once the run had read it: a -tasks or
// -flowlogs file given as -html was gone after a run that exited 0.
// -partial is refused there before anything is read (partialOutsideInputs);
// -html must be too, and leave the input as it was.
func TestHTMLOverItsInput(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	flows := filepath.Join(dir, "sample", "flowlogs", "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "11", "25",
		"123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1035Z_9f927185.log.gz")
	describe := filepath.Join(tasks, "describe-tasks.json")
	for _, c := range []struct {
		input string
		args  []string
	}{
		{flows, []string{"-tasks", tasks, "-flowlogs", flows, "-html", flows}},
		{describe, []string{"-tasks", tasks, "-flowlogs", flows, "-html", describe}},
		// Another spelling of the same path.
		{flows, []string{"-tasks", tasks, "-flowlogs", flows, "-html", filepath.Join(filepath.Dir(flows), "..", "25", filepath.Base(flows))}},
	} {
		before, err := os.ReadFile(c.input)
		if err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCode(t, c.args...)
		after, err := os.ReadFile(c.input)
		if err != nil || !bytes.Equal(after, before) {
			t.Errorf("%q: exit %d: the input %s was replaced (%v); stderr %q", c.args, code, c.input, err, stderr)
			if err := os.WriteFile(c.input, before, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if code != 1 || !strings.Contains(stderr, "-html") {
			t.Errorf("%q: exit %d, stderr %q; want 1 and -html refused", c.args, code, stderr)
		}
	}
	// Beside the inputs, in a directory read, is fine: no input is
	// replaced, and a later run does not read a .html file.
	out := filepath.Join(dir, "sample", "flowlogs", "report.html")
	if code, _, stderr := runCode(t, "-tasks", tasks, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-html", out, "-q"); code != 0 {
		t.Errorf("-html beside the inputs: exit %d, %s", code, stderr)
	}
	// Under a name the walk reads, it is refused: a later run would
	// read the report as flow logs.
	txt := filepath.Join(dir, "sample", "flowlogs", "report.txt")
	if code, _, stderr := runCode(t, "-tasks", tasks, "-flowlogs", filepath.Join(dir, "sample", "flowlogs"), "-html", txt, "-q"); code != 1 || !strings.Contains(stderr, "name it .html") {
		t.Errorf("-html report.txt in the -flowlogs directory: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(txt); err == nil {
		t.Errorf("report.txt was written")
	}
}

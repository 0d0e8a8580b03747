package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
)

// runExit runs enibudget as main does and returns the exit status and
// what went to stdout and stderr.
func runExit(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Code("enibudget", run(context.Background(), args, &out, &errOut), &errOut)
	return code, out.String(), errOut.String()
}

// TestWhatIfDescribeOutputWithoutContainers: a bare task definition
// without containerDefinitions is refused ("no containerDefinitions"), but
// describe-task-definition output whose taskDefinition has none was taken
// as is: a what-if of a task that reserves nothing, "0 fit, 1 short" on
// every instance, and exit 0.
func TestWhatIfDescribeOutputWithoutContainers(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"wrapped.json": `{"taskDefinition": {"family": "x", "revision": 1}}`,
		"null.json":    `{"taskDefinition": null}`,
		"bare.json":    `{"family": "x", "revision": 1}`,
	} {
		p := writeFile(t, dir, name, body)
		code, out, errOut := runExit("-whatif", p)
		if code != 1 || out != "" || !strings.Contains(errOut, "-whatif "+p+": ") {
			t.Errorf("-whatif %s: exit %d, stderr %q, stdout:\n%s\nwant exit 1 and the file named", name, code, errOut, out)
		}
	}
}

// TestWhatIfBadNetworkModeNamesTheFile: an unknown networkMode in
// the -whatif file came out as "what-if: unknown network mode ..." after
// the cluster was read, naming neither the flag, the file nor the place;
// every other error in that file names all three.
func TestWhatIfBadNetworkModeNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "td.json", "{\"taskDefinition\": {\"family\": \"api\",\n \"networkMode\": \"hots\", \"containerDefinitions\": [{\"name\": \"a\", \"memory\": 256}]}}")
	saved := filepath.Join(dir, "saved.json")
	code, out, errOut := runExit("-whatif", p, "-save", saved)
	want := "enibudget: -whatif " + p + ": line 2, column 17: taskDefinition.networkMode: unknown network mode \"hots\""
	if code != 1 || out != "" || !strings.HasPrefix(errOut, want) {
		t.Errorf("exit %d, stderr %q; want 1 and %q", code, errOut, want)
	}
	if _, err := os.Stat(saved); err == nil {
		t.Error("-save wrote the snapshot although the -whatif file is unusable")
	}
}

// TestWhatIfWithoutMemory: ECS registers no task definition for
// EC2 without memory (task-level, or memory or memoryReservation on a
// container), and the what-if of one reserved nothing: every instance
// "0 fit" ("not counted"), the rest "none fit on an empty instance", and
// exit 0.
func TestWhatIfWithoutMemory(t *testing.T) {
	p := writeFile(t, t.TempDir(), "nomem.json", `{"family": "api", "revision": 1, "networkMode": "bridge",
	  "containerDefinitions": [{"name": "api", "image": "x", "essential": true}]}`)
	code, out, errOut := runExit("-whatif", p, "-count", "2")
	if code != 1 || out != "" || !strings.Contains(errOut, "-whatif "+p+": no memory") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant exit 1 saying the task definition reserves no memory", code, errOut, out)
	}
}

// TestCandidateTrailingText: -candidate read its numbers with
// Sscanf, which stops at the first character that is not a digit:
// m5.large:2048:8GB was an instance of 8 MiB, 2048:7.5 one of 7, and the
// what-if ran on them with exit 0.
func TestCandidateTrailingText(t *testing.T) {
	for _, spec := range []string{"m5.large:2048:8GB", "m5.large:2048:7.5", "m5.large:2vcpu:8192", "m5.large:1e3:8192"} {
		code, out, errOut := runExit("-whatif", "sample", "-count", "10", "-candidate", spec)
		if code != 2 || out != "" || !strings.Contains(errOut, spec) {
			t.Errorf("-candidate %s: exit %d, stderr %.200q; want a usage error (2) quoting the value", spec, code, errOut)
		}
	}
}

// TestSaveOntoDirectory: -save DIR failed with "rename
// ./.DIR.123456.tmp DIR: file exists", naming a temporary file the user
// never gave and a reason that is not the problem.
func TestSaveOntoDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runExit("-save", dir)
	if code != 1 || strings.Contains(errOut, ".tmp") || !strings.Contains(errOut, "-save: write "+dir+": is a directory") || !strings.Contains(errOut, "is a directory") {
		t.Errorf("-save %s: exit %d, stderr %q; want 1, the directory named and said to be one", dir, code, errOut)
	}
}

// TestWindowsModeRefusedFirst: -mode bridge for a Windows task
// definition, which can never run in bridge mode, was refused only by the
// what-if, after the cluster was read (a long live read with -cluster)
// and -save had written, as "what-if: Windows tasks run only in awsvpc or
// default mode, not bridge", naming no flag. The code means to check what
// -whatif needs "before the cluster ... and before -save writes anything".
func TestWindowsModeRefusedFirst(t *testing.T) {
	dir := t.TempDir()
	td := writeFile(t, dir, "win.json", `{"family": "win", "revision": 1, "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
	  "containerDefinitions": [{"name": "a", "image": "x", "memory": 256}]}`)
	saved := filepath.Join(dir, "saved.json")
	for _, mode := range []string{"bridge", "host", "none"} {
		code, out, errOut := runExit("-whatif", td, "-mode", mode, "-save", saved)
		if code != 1 || out != "" || !strings.HasPrefix(errOut, "enibudget: -mode "+mode+": the task definition is for Windows") {
			t.Errorf("-mode %s: exit %d, stderr %q; want 1 and the flag named", mode, code, errOut)
		}
		if _, err := os.Stat(saved); err == nil {
			t.Fatalf("-mode %s: -save wrote the snapshot of a run refused for a flag", mode)
		}
	}
	if code, _, errOut := runExit("-whatif", td, "-mode", "awsvpc"); code != 0 {
		t.Errorf("-mode awsvpc: exit %d, stderr %q; want the comparison", code, errOut)
	}
}

package main

import (
	"path/filepath"
	"testing"
)

// TestFlowLogsDirLeavesOutHidden: -flowlogs DIR walks DIR as a
// delivery tree; what a hidden directory or file holds (a .git, a sync
// tool's temporary folder or file) is no input, as -tasks, -network and
// -merge leave them out. Read, a half-written copy would fail the run
// or, worse, add its records to the real ones.
func TestFlowLogsDirLeavesOutHidden(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	flows := filepath.Join(dir, "sample", "flowlogs")
	want, _ := runOut(t, "-tasks", tasks, "-flowlogs", flows, "-format", "csv", "-q")

	const delivery = "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1035Z_0badc0de.log"
	extra := v2Header + "2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41030 8080 6 17 99999 1795602844 1795602902 ACCEPT OK\n"
	writeFile(t, flows, filepath.Join(".aws-sync", "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "11", "25", delivery), extra)
	writeFile(t, flows, filepath.Join(".git", "objects", "pack", "old.log"), "not a flow log\n")
	writeFile(t, flows, filepath.Join("AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "11", "25", ".sync.tmp.log"), "half a line")
	code, got, stderr := runCode(t, "-tasks", tasks, "-flowlogs", flows, "-format", "csv", "-q")
	if code != 0 || got != want {
		t.Errorf("-flowlogs DIR with hidden folders and files: exit %d, stderr %q, output\n%s\nwant exit 0 and\n%s", code, stderr, got, want)
	}
}

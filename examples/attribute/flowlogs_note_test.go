package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSeveralFlowLogsNoted: records of two flow logs of one account and
// Region may be two captures of the same interfaces, whose traffic then
// counts twice, which nothing in the records shows: the run says so,
// naming the flow logs and their records. One flow log (the sample) gets
// no such note.
func TestSeveralFlowLogsNoted(t *testing.T) {
	dir := writeSample(t)
	flows := filepath.Join(dir, "sample", "flowlogs")
	_, stderr := runOut(t, "-tasks", filepath.Join(dir, "sample", "tasks"), "-flowlogs", flows)
	if strings.Contains(stderr, "flow logs (records") {
		t.Errorf("one flow log noted as several:\n%s", stderr)
	}
	// A second flow log delivering one of the same objects: a subnet's
	// beside the VPC's.
	files, err := filepath.Glob(filepath.Join(flows, "AWSLogs", "*", "vpcflowlogs", "*", "*", "*", "*", "*.log.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("sample deliveries: %v (%d)", err, len(files))
	}
	// Its records but the last: not a copy of the object (which the run
	// refuses), the same flows seen by another flow log.
	text := gunzipFile(t, files[0])
	lines := strings.SplitAfter(strings.TrimSuffix(string(text), "\n"), "\n")
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(strings.Join(lines[:len(lines)-1], "")))
	zw.Close()
	second := strings.Replace(files[0], "fl-0123456789abcdef0", "fl-0fedcba9876543210", 1)
	if err := os.WriteFile(second, z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr = runOut(t, "-tasks", filepath.Join(dir, "sample", "tasks"), "-flowlogs", flows)
	for _, want := range []string{"account 123456789012 in us-east-1 come from 2 flow logs (records: fl-0123456789abcdef0 ", "fl-0fedcba9876543210 ", "counted once for each"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// The reduce of a fan-out sees it in the deliveries the partials name.
	part := filepath.Join(t.TempDir(), "p.parquet")
	runOut(t, "-tasks", filepath.Join(dir, "sample", "tasks"), "-flowlogs", flows, "-partial", part)
	_, stderr = runOut(t, "-merge", part)
	if want := "come from 2 flow logs (objects: fl-0123456789abcdef0 13, fl-0fedcba9876543210 1)"; !strings.Contains(stderr, want) {
		t.Errorf("-merge: stderr lacks %q:\n%s", want, stderr)
	}
}

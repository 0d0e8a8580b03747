package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRefusesExportBesideAPlainFileItGathers: a local flow-log file
// whose name is not an AWS delivery's is named by the SHA-256 of its
// bytes (inputName), and -export records that name in its
// flowlogs.parquet. A run given that flowlogs.parquet beside the file
// must refuse the pair as it does for a delivery-named object: both hold
// the same records, and counting both counts them twice.
func TestRunRefusesExportBesideAPlainFileItGathers(t *testing.T) {
	objs := sampleObjectFiles(t)
	dir := t.TempDir()
	plain := filepath.Join(dir, "flow.log")
	if err := os.WriteFile(plain, gunzipFile(t, objs[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	exp := filepath.Join(dir, "export")
	one, _ := runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", plain, "-export", exp, "-format", "json")...)
	gathered := filepath.Join(exp, "flowlogs.parquet")
	code, out, stderr := runCode(t, append(append([]string{}, sampleInputs...), "-flowlogs", gathered+","+plain, "-format", "json")...)
	if code == 1 && strings.Contains(stderr, "both hold records of") {
		return
	}
	records := func(js string) int64 {
		var doc struct {
			Total struct{ Records int64 } `json:"total"`
		}
		_ = json.Unmarshal([]byte(js), &doc)
		return doc.Total.Records
	}
	t.Errorf("a run over the export and the plain file it gathers: exit %d, %d records (the file alone: %d), stderr %q; want a refusal",
		code, records(out), records(one), stderr)
}

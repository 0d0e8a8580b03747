package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// TestMergeEmptyPartialFirst: two partials of one input, the one
// read first holding no records: the second was refused as holding
// "records that" the first "holds too", which holds none. The message
// says the input is named twice, and which of the two holds no records.
func TestMergeEmptyPartialFirst(t *testing.T) {
	in := []attribution.Input{{Name: "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34"}}
	empty := attribution.New(nil).Partial()
	empty.Inputs = in
	a := attribution.New(nil)
	rec, err := flowlogs.ParseLine(flowlogs.DefaultFormat, "2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 40000 6 1 100 1764000000 1764000060 ACCEPT OK")
	if err != nil {
		t.Fatal(err)
	}
	a.Add(rec)
	full := a.Partial()
	full.Inputs = in
	if full.Total.Records == 0 {
		t.Fatal("the partial holds no record")
	}
	dir := t.TempDir()
	for name, p := range map[string]*attribution.Partial{"a.parquet": empty, "b.parquet": full} {
		var b bytes.Buffer
		if err := partials.Write(&b, p); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCode(t, "-merge", dir)
	if code != 1 || out != "" || !strings.Contains(stderr, "names an input that") || !strings.Contains(stderr, "a.parquet") ||
		!strings.Contains(stderr, "which holds no records") || strings.Contains(stderr, "holds records that") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

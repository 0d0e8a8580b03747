package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// TestMergeCopyOfEmptyPartial: a copy of a partial that names its input
// but holds no records is refused by -merge as naming that input twice,
// not as "holds records that … holds too", which it does not.
func TestMergeCopyOfEmptyPartial(t *testing.T) {
	p := attribution.New(nil).Partial()
	p.Inputs = []attribution.Input{{Name: "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34"}}
	var b bytes.Buffer
	if err := partials.Write(&b, p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"a.parquet", "b.parquet"} {
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCode(t, "-merge", dir)
	if code != 1 || out != "" || !strings.Contains(stderr, "names an input that") || !strings.Contains(stderr, "though it holds no records") || strings.Contains(stderr, "holds records that") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

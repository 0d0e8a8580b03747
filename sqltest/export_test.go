package sqltest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
)

// TestExport runs the README's steps: go run ./examples/attribute -export
// DIR -format json, then duckdb.sql inside DIR; its rows must be the JSON's
// groups, reasons and total.
func TestExport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds examples/attribute")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "attribute")
	build := exec.Command("go", "build", "-o", bin, "./examples/attribute")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, by := range []string{"task", "service"} {
		dir := filepath.Join(tmp, "export-"+by)
		cmd := exec.Command(bin, "-export", dir, "-format", "json", "-by", by)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("attribute -export: %v", err)
		}
		var doc report.Document
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		script, err := os.ReadFile(filepath.Join(dir, "duckdb.sql"))
		if err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir) // the script reads the files by relative path, as from inside DIR
		got := duckScript(t, string(script))
		compare(t, got, docRows(doc))
		if !strings.Contains(string(script), "grouped by "+by) {
			t.Errorf("duckdb.sql for -by %s is not grouped so", by)
		}
	}
}

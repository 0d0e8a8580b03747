package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportProjectsTheTasksRegions: athena.sql projects the regions of
// the history's ARNs (a task's flow logs are delivered under its region),
// not us-east-1 whatever the tasks: a history of eu-west-1 tasks gave a
// table over no file and a report of zeros.
func TestExportProjectsTheTasksRegions(t *testing.T) {
	tasks := t.TempDir()
	files, err := filepath.Glob("sample/tasks/*.json")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, tasks, filepath.Base(f), strings.ReplaceAll(string(b), "arn:aws:ecs:us-east-1:", "arn:aws:ecs:eu-west-1:"))
	}
	for _, c := range []struct{ tasks, want string }{
		{"sample/tasks", "'projection.aws-region.values' = 'us-east-1'"},
		{tasks, "'projection.aws-region.values' = 'eu-west-1'"},
	} {
		dir := filepath.Join(t.TempDir(), "out")
		runOut(t, "-tasks", c.tasks, "-network", sampleInputs[3], "-flowlogs", "sample/flowlogs", "-export", dir)
		sql, err := os.ReadFile(filepath.Join(dir, "athena.sql"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(sql), c.want) {
			t.Errorf("-tasks %s: athena.sql does not say %s:\n%s", c.tasks, c.want, sql)
		}
	}
}

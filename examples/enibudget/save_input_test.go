package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSaveOverItsInput: -save naming the -limits or -whatif file
// replaced the user's limits table or task definition with the snapshot,
// and the run exited 0. It is refused before anything is written, and the
// input is left as it was.
func TestSaveOverItsInput(t *testing.T) {
	dir := t.TempDir()
	limits := writeFile(t, dir, "limits.json", `[{"instance_type": "c5.large", "max_enis": 3}]`)
	td, err := os.ReadFile("sample-taskdef.json")
	if err != nil {
		t.Fatal(err)
	}
	whatif := writeFile(t, dir, "taskdef.json", string(td))
	for _, c := range []struct {
		input string
		args  []string
	}{
		{limits, []string{"-limits", limits, "-save", limits}},
		{limits, []string{"-limits", limits, "-save", filepath.Join(dir, ".", "limits.json")}},
		{whatif, []string{"-whatif", whatif, "-save", whatif}},
	} {
		before, err := os.ReadFile(c.input)
		if err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runExit(c.args...)
		after, rerr := os.ReadFile(c.input)
		if rerr != nil || !bytes.Equal(after, before) {
			t.Errorf("%q: exit %d, %s: the input %s was replaced", c.args, code, stderr, c.input)
			if err := os.WriteFile(c.input, before, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if code != 1 || !strings.Contains(stderr, "-save") {
			t.Errorf("%q: exit %d, stderr %q; want -save refused", c.args, code, stderr)
		}
	}
}

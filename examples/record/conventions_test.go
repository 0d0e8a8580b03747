package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestEmptyFileFlag: a flag given an empty value is a script's unset
// variable, and every other program refuses it (cli.NoEmptyFlags:
// "empty value for -partial: give a value, or leave the flag out").
// record -file "$HISTORY" with HISTORY unset instead wrote the default
// NAME.history.jsonl in the working directory and exited 0, so the
// history went to a file the script never reads (and attribute -tasks
// "$HISTORY" is then refused for its empty value).
func TestEmptyFileFlag(t *testing.T) {
	startFakes(t)
	t.Chdir(t.TempDir())
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", "", "-once")
	if code != 1 || !strings.Contains(stderr, "-file") || !strings.Contains(stderr, "empty") {
		t.Errorf(`-file "": exit %d, stderr %q; want 1 and an error naming -file's empty value`, code, stderr)
	}
	if _, err := os.Stat("demo.history.jsonl"); err == nil {
		t.Errorf(`-file "" wrote the default demo.history.jsonl`)
	}
}

// TestIAMPolicyWithQuiet: see attribute's: -q is accepted everywhere.
func TestIAMPolicyWithQuiet(t *testing.T) {
	code, out, stderr := runCode(t, context.Background(), "-iam-policy", "-q")
	if code != 0 || out != iamPolicy || stderr != "" {
		t.Errorf("-iam-policy -q: exit %d, stderr %q; want 0 and the policy", code, stderr)
	}
}

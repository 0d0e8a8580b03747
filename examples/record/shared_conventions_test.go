package main

import (
	"context"
	"strings"
	"testing"
)

// TestUsageNamesIAMPolicy: the usage line of every other program
// with -iam-policy shows it as a form of its own ("cwlogs -iam-policy",
// "enibudget -iam-policy"), since it is given alone; record's showed
// only -cluster's form, which -iam-policy refuses to be part of.
func TestUsageNamesIAMPolicy(t *testing.T) {
	code, _, stderr := runCode(t, context.Background(), "-h")
	usage, _, _ := strings.Cut(stderr, "\n\n")
	if code != 0 || !strings.Contains(usage, "record -iam-policy") {
		t.Errorf("-h: exit %d, usage %q; want 0 and the form record -iam-policy", code, usage)
	}
}

// TestQuietHelp: -q means the same in every program, and the
// others' usage says it in the same words ("no progress or info lines on
// stderr", problems "still shown"); record's said "print only problems,
// not a line per poll", which is not what it does: -q also hides the
// first poll's progress, and still prints that the file is new or
// continued and that record stopped.
func TestQuietHelp(t *testing.T) {
	_, _, stderr := runCode(t, context.Background(), "-h")
	_, q, _ := strings.Cut(stderr, "\n  -q")
	q, _, _ = strings.Cut(q, "\n  -")
	if !strings.Contains(q, "no progress or info lines on stderr") || !strings.Contains(q, "still shown") || !strings.Contains(q, "new or continued") {
		t.Errorf("-q's usage %q: want the shared words, and what it still shows", q)
	}
}

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestMalformedTimeLikeDuration: -since 1x exited 1 with the
// program's own message, where a malformed duration flag exits 2 with the
// flag package's and the usage; both are now the latter.
func TestMalformedTimeLikeDuration(t *testing.T) {
	c, _ := fakes(t)
	for _, args := range [][]string{
		{"-since", "1x"},
		{"-until", "1x"},
		{"-since", "last week"},
	} {
		code, out, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow"}, args...)...)
		if code != 2 || out != "" || !strings.Contains(stderr, `invalid value "`+args[1]+`" for flag `+args[0]+`: want RFC 3339`) || !strings.Contains(stderr, "Usage: cwlogs") {
			t.Errorf("%q: exit %d, stdout %q, stderr %.300q; want 2, the flag and value named, and the usage", args, code, out, stderr)
		}
	}
	// Empty is an empty value, as for any flag.
	if code, _, stderr := runCode(t, c, "-log-group", "vpc-flow", "-until", ""); code != 1 || stderr != "cwlogs: empty value for -until: give a value, or leave the flag out\n" {
		t.Errorf("-until \"\": exit %d, stderr %q", code, stderr)
	}
}

// TestCaveatsAreNotes: the caveats on the answer of a read resumed
// from an earlier version's -cursor file said "warning:", where every
// other caveat on an answer (attribute's, cwlogs' own -lenient one,
// enibudget's) says "note:".
func TestCaveatsAreNotes(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-format", "json", "-log-format", flowlogs.DefaultFormat.String(),
		"-cursor", file, "-strategy", "get"}, window...)
	earlierVersionCursor(t, c, args, file)
	code, _, stderr := runCode(t, c, args...)
	if code != 0 || strings.Contains(stderr, "warning:") ||
		!strings.Contains(stderr, "cwlogs: note: -cursor "+file+" was saved by an earlier version") ||
		!strings.Contains(stderr, "cwlogs: note: the totals miss") {
		t.Errorf("exit %d, stderr:\n%s\nwant the caveats as notes", code, stderr)
	}
}

package main

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestUntilDefault: -until's help said "default: now", but without
// -log-group an absent -until leaves the window open (window returns a
// zero until, and a partial's window then ends after its last record):
// the help must say what the program does, for both kinds of input.
func TestUntilDefault(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	files, err := parseFlags([]string{"-flowlogs", "f.log", "-tasks", "t.json", "-since", "2026-11-25"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, until, err := files.window(now); err != nil || !until.IsZero() {
		t.Fatalf("-flowlogs without -until: until %v, %v; the test expects an open window", until, err)
	}
	group, err := parseFlags([]string{"-cluster", "c", "-log-group", "g"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if _, until, err := group.window(now); err != nil || !until.Equal(now) {
		t.Fatalf("-log-group without -until: until %v, %v; the test expects now", until, err)
	}
	_, _, stderr := runCode(t, "-h")
	line := regexp.MustCompile(`(?s)-until time\n\s+(.*?)(?:\n  -|\n*\z)`).FindStringSubmatch(stderr)
	if line == nil {
		t.Fatalf("no -until in the usage:\n%s", stderr)
	}
	help := strings.Join(strings.Fields(line[1]), " ")
	if strings.Contains(help, "default: now)") || !strings.Contains(help, "-log-group") {
		t.Errorf("-until's help %q: want it to say the default is now with -log-group and open otherwise", help)
	}
}

package main

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestFormatAnyCase: attribute takes -format JSON as json (the
// library's report.ParseFormat ignores case); cwlogs refused it: one
// flag, two syntaxes, for a user moving from one program to the next.
func TestFormatAnyCase(t *testing.T) {
	c, _ := fakes(t)
	args := append([]string{"-log-group", "vpc-flow", "-q"}, window...)
	_, want, _ := runCode(t, c, append(args, "-format", "json")...)
	if code, out, stderr := runCode(t, c, append(args, "-format", "JSON")...); code != 0 || out != want {
		t.Errorf("-format JSON: exit %d, stderr %q, output %q; want 0 and -format json's output %q", code, stderr, out, want)
	}
	// The checks that depend on the format see it as json.
	if code, _, stderr := runCode(t, c, append(args, "-format", "Json", "-top", "3")...); code != 1 || !strings.Contains(stderr, "-top applies to the table") {
		t.Errorf("-format Json -top 3: exit %d, stderr %q; want 1, -top refused", code, stderr)
	}
	if code, _, stderr := runCode(t, c, append(args, "-format", "csv")...); code != 1 || stderr != "cwlogs: -format \"csv\": want table or json\n" {
		t.Errorf("-format csv: exit %d, stderr %q; want 1 and the formats", code, stderr)
	}
}

// TestLogFormatHeaderLine: -log-format takes a header line as
// well as a LogFormat string (flowlogs.ParseFormat), in cwlogs as in
// attribute, whose usage says so; cwlogs' usage named the LogFormat
// string only, so the header line a user gave attribute looked unwelcome.
func TestLogFormatHeaderLine(t *testing.T) {
	c, _ := fakes(t)
	args := append([]string{"-log-group", "vpc-flow", "-q", "-format", "json"}, window...)
	logFormat := flowlogs.DefaultFormat.String()
	header := flowlogs.DefaultFormat.Header()
	_, want, _ := runCode(t, c, append(args, "-log-format", logFormat)...)
	if code, out, stderr := runCode(t, c, append(args, "-log-format", header)...); code != 0 || out != want {
		t.Fatalf("-log-format %q: exit %d, stderr %q; want 0 and the output of -log-format %q", header, code, stderr, logFormat)
	}
	if _, _, stderr := runCode(t, c, "-h"); !strings.Contains(stderr, "or a header line") {
		t.Errorf("-h does not say -log-format takes a header line:\n%s", stderr)
	}
}

// TestQuietHelp: -q means the same in every program, and the
// others' usage says it in the same words ("no progress or info lines on
// stderr", problems "still shown"); cwlogs' named the flow-log format
// lines only, while -q also hides -lenient's all-clear, and still shows
// where a -cursor read resumes and stops.
func TestQuietHelp(t *testing.T) {
	c, _ := fakes(t)
	_, _, stderr := runCode(t, c, "-h")
	_, q, _ := strings.Cut(stderr, "\n  -q")
	q, _, _ = strings.Cut(q, "\n  -")
	if !strings.Contains(q, "no progress or info lines on stderr") || !strings.Contains(q, "still shown") || !strings.Contains(q, "-cursor") {
		t.Errorf("-q's usage %q: want the shared words, and what it still shows", q)
	}
}

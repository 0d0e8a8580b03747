package main

import (
	"strings"
	"testing"
)

// Names from the task definition file (family, container) reach the
// terminal: a control byte in one (an ESC sequence that recolours it or
// sets the window title) is printed quoted, not sent raw.
func TestNamesReachTheTerminalQuoted(t *testing.T) {
	td := `{"family":"web\u001b[31mRED","networkMode":"bridge","containerDefinitions":[` +
		`{"name":"app\u001b]0;pwned\u0007","image":"x","memory":128,"portMappings":[{"containerPort":80,"hostPort":0}]}]}`
	code, stdout, stderr := runNM(writeFile(t, "td.json", td))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	out := stdout + stderr
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control bytes reach the terminal:\n%q", out)
	}
	for _, want := range []string{`"web\x1b[31mRED"`, `"app\x1b]0;pwned\a"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestCursorFileBadJSONSaysWhere: a -cursor file that is not JSON of the
// shape this program saves (another file named by mistake, one edited by
// hand) is refused, as TestCursorFileNotOurs's are, saying where and
// what, like every other input of the programs: it gave encoding/json's
// text with Go's names ("Go struct field savedRead.Cursor.logGroup of
// type string"), no line, and no word that the file is not a cursor.
func TestCursorFileBadJSONSaysWhere(t *testing.T) {
	c, _ := fakes(t)
	dir := t.TempDir()
	args := append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String()}, window...)
	for _, in := range []struct{ body, want string }{
		{"{\n \"logGroup\": 5}\n", "line 2, column 14: logGroup: want a string, got number"},
		{"{\"logGroup\": \"vpc-flow\",\n \"startMillis\": 1,,\n}\n", "line 2, column 19: "},
	} {
		file := filepath.Join(dir, "cursor.json")
		if err := os.WriteFile(file, []byte(in.body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCode(t, c, append(args, "-cursor", file)...)
		if code != 1 || !strings.Contains(stderr, "-cursor "+file+": "+in.want) || !strings.Contains(stderr, "not a file this program saved") || strings.Contains(stderr, "Go struct") {
			t.Errorf("%q: exit %d, stderr %q; want 1, %q and that it is not a cursor file", in.body, code, stderr, in.want)
		}
	}
}

// TestIAMPolicyWithQuiet: see attribute's: -q is accepted everywhere.
func TestIAMPolicyWithQuiet(t *testing.T) {
	c, _ := fakes(t)
	code, out, stderr := runCode(t, c, "-iam-policy", "-q")
	if code != 0 || !strings.Contains(out, `"logs:FilterLogEvents"`) || stderr != "" {
		t.Errorf("-iam-policy -q: exit %d, stderr %q; want 0 and the policy", code, stderr)
	}
}

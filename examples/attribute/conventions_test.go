package main

import (
	"strings"
	"testing"
)

// TestQuietLenientCleanRun: -q leaves out info lines ("progress and info
// lines ... while problems, and notes on how far an answer can be
// trusted, still show"). -lenient's "no malformed lines in N files" says
// only that nothing was skipped, which cwlogs treats as info and leaves
// out under -q ("cwlogs: -lenient: no malformed events" is printed only
// without -q). attribute printed it with -q too.
func TestQuietLenientCleanRun(t *testing.T) {
	code, _, stderr := runCode(t, "-lenient")
	if code != 0 || !strings.Contains(stderr, "-lenient: no malformed lines in 13 files") {
		t.Fatalf("-lenient: exit %d, stderr %q; want the info line", code, stderr)
	}
	code, _, stderr = runCode(t, "-lenient", "-q")
	if code != 0 || stderr != "" {
		t.Errorf("-lenient -q on clean input: exit %d, stderr %q; want nothing on stderr", code, stderr)
	}
}

// TestPriceFileErrorsNameTheLine: "Bad input gets a clear error naming
// where (file, line, field) and what". Every other JSON input of the
// programs does (-tasks "f.json:2: tasks[0].taskArn: want a string",
// -network "f.json: line 2, column 14: Subnets[0].SubnetId: ...");
// a -prices file gave encoding/json's raw text: no line, and Go's type
// names ("Go struct field Table.bytes_per_gb of type uint64").
func TestPriceFileErrorsNameTheLine(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ body, want string }{
		{"{\"region\": \"us-east-1\",\n \"currency\": \"USD\",\n \"bytes_per_gb\": \"x\"}\n", "line 3, column 18: bytes_per_gb"},
		{"{\"region\": \"us-east-1\", \"currency\": \"USD\", \"bytes_per_gb\": 1073741824,\n \"classes\": {\n  \"internet\": {\"out_per_gb\": 0.09,}}}\n", "line 3, column 35:"},
		{"{\"region\": \"us-east-1\", \"currency\": \"USD\", \"bytes_per_gb\": 1073741824,\n \"clases\": {}}\n", "line 2, column 2:"},
	} {
		bad := writeFile(t, dir, "bad.json", c.body)
		code, stdout, stderr := runCode(t, "-prices", bad)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "bad.json: "+c.want) || strings.Contains(stderr, "Go struct") || strings.Contains(stderr, ": json: ") {
			t.Errorf("%q: exit %d, stderr %q; want 1 and %q", c.body, code, stderr, "bad.json: "+c.want)
		}
	}
}

// TestIAMPolicyWithQuiet: README: "-q, which every program that takes
// flags accepts, leaves out progress and info lines"; enibudget's and
// netmodes' own comments: -q "means the same in every program ..., so a
// script may pass it always", and netmodes takes it though it prints no
// such line. -iam-policy -q was refused ("give it alone", exit 1) in
// attribute, cwlogs, record and enibudget alike.
func TestIAMPolicyWithQuiet(t *testing.T) {
	code, out, stderr := runCode(t, "-iam-policy", "-q")
	if code != 0 || out != iamPolicy || stderr != "" {
		t.Errorf("-iam-policy -q: exit %d, stderr %q; want 0 and the policy", code, stderr)
	}
	if code, _, stderr := runCode(t, "-iam-policy", "-by", "service"); code != 1 || !strings.Contains(stderr, "give it alone") {
		t.Errorf("-iam-policy -by service: exit %d, %q; still refused", code, stderr)
	}
}

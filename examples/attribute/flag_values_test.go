package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMalformedTimeLikeDuration: -since 1x exited 1 with the
// program's message, -step 1x 2 with the flag package's and the usage;
// both are now the latter, naming the flag and the value.
func TestMalformedTimeLikeDuration(t *testing.T) {
	html := filepath.Join(t.TempDir(), "r.html")
	for _, args := range [][]string{
		{"-since", "1x"},
		{"-until", "1x"},
		{"-since", "yesterday"},
		{"-step", "1x", "-html", html},
	} {
		code, out, stderr := runCode(t, args...)
		if code != 2 || out != "" || !strings.Contains(stderr, `invalid value "`+args[1]+`" for flag `+args[0]+`: want `) || !strings.Contains(stderr, "Usage: attribute") {
			t.Errorf("%q: exit %d, stdout %q, stderr %.300q; want 2, the flag and value named, and the usage", args, code, out, stderr)
		}
	}
}

// TestEmptyDuration: -step "" is an empty value, as -since "" is.
func TestEmptyDuration(t *testing.T) {
	for _, flag := range []string{"-step", "-since"} {
		code, _, stderr := runCode(t, flag, "")
		if code != 1 || stderr != "attribute: empty value for "+flag+": give a value, or leave the flag out\n" {
			t.Errorf("%s \"\": exit %d, stderr %.300q", flag, code, stderr)
		}
	}
}

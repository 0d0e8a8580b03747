package main

import (
	"strings"
	"testing"
)

// TestSubSecondWindow: -since and -until within one second are
// both rounded up to the same second, and the refusal named that second
// for both ("-since …:01Z is not before -until …:01Z"), neither of them
// the value given, as if -since were not before -until.
func TestSubSecondWindow(t *testing.T) {
	c, _ := fakes(t)
	code, _, stderr := runCode(t, c, "-log-group", "vpc-flow",
		"-since", "2026-11-20T12:00:00.2Z", "-until", "2026-11-20T12:00:00.7Z")
	if code != 1 || !strings.Contains(stderr, "2026-11-20T12:00:00.2Z") || !strings.Contains(stderr, "whole seconds") {
		t.Errorf("exit %d, stderr %q; want the values given, and why they make no window", code, stderr)
	}
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestSubSecondWindow: -since and -until within one second are
// both rounded up to the same second, and the refusal named that second
// for both ("-since …:01Z is not before -until …:01Z"), neither of them
// the value given, as if -since were not before -until.
func TestSubSecondWindow(t *testing.T) {
	c, _ := fakes(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-log-group", "vpc-flow",
		"-since", "2026-11-20T12:00:00.2Z", "-until", "2026-11-20T12:00:00.7Z"}, &out, &errOut, c)
	if err == nil || !strings.Contains(err.Error(), "2026-11-20T12:00:00.2Z") || !strings.Contains(err.Error(), "whole seconds") {
		t.Errorf("got %v; want the values given, and why they make no window", err)
	}
}

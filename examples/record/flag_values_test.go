package main

import (
	"context"
	"strings"
	"testing"
)

// TestEmptyInterval: -interval "" was a malformed duration (exit 2,
// "invalid value"), where an empty -cluster is an empty value (exit 1,
// "empty value for -cluster"); one wording for every flag now.
func TestEmptyInterval(t *testing.T) {
	code, _, stderr := runCode(t, context.Background(), "-cluster", "x", "-interval", "")
	if code != 1 || stderr != "record: empty value for -interval: give a value, or leave the flag out\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// Malformed stays the flag package's usage error.
	code, _, stderr = runCode(t, context.Background(), "-cluster", "x", "-interval", "1x")
	if code != 2 || !strings.Contains(stderr, `invalid value "1x" for flag -interval: `) || !strings.Contains(stderr, "Usage") {
		t.Errorf("-interval 1x: exit %d, stderr %.300q", code, stderr)
	}
}

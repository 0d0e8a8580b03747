package cli

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

// TestTimeFlagMalformedIsUsageError: a malformed time flag is a
// usage mistake, reported by the flag package with the usage (exit 2), as
// a malformed duration flag is; -since 1x exited 1 with the program's own
// message while -step 1x exited 2. The message names the flag and the
// value, and says which forms would do.
func TestTimeFlagMalformedIsUsageError(t *testing.T) {
	for _, in := range []string{"1x", "yesterday", "-2h", "0s", "2026-13-01"} {
		var b bytes.Buffer
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(&b)
		fs.Usage = func() { b.WriteString("Usage: x\n") }
		var since string
		fs.Var((*Time)(&since), "since", "start `time`")
		err := Parse(fs, []string{"-since", in})
		if !errors.Is(err, ErrUsage) || !strings.Contains(b.String(), `invalid value "`+in+`" for flag -since: `) || !strings.Contains(b.String(), "Usage: x") {
			t.Errorf("-since %q: %v, output %q; want a usage error naming -since and the value", in, err, b.String())
		}
		if Code("x", err, &b) != 2 {
			t.Errorf("-since %q: exit %d; want 2, as a malformed duration", in, Code("x", err, &b))
		}
	}
	if !strings.Contains(func() string {
		var b bytes.Buffer
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.SetOutput(&b)
		var s string
		fs.Var((*Time)(&s), "until", "")
		Parse(fs, []string{"-until", "soon"})
		return b.String()
	}(), TimeForms) {
		t.Error("a malformed -until does not list the forms")
	}
	// What is well formed is kept as given, to be resolved against the
	// run's clock later.
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	since := "1h"
	fs.Var((*Time)(&since), "since", "")
	if err := Parse(fs, []string{"-since", "2d"}); err != nil || since != "2d" {
		t.Errorf("-since 2d: %q, %v", since, err)
	}
	if got, err := ParseTime("since", since, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)); err != nil || !got.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseTime(2d) = %v, %v", got, err)
	}
}

// TestEmptyValueOneWording: an empty value gets one wording in
// every program, a flag's own hint after it; and a time or duration flag
// given empty is an empty value like any other, not a malformed one
// (-since "" said "empty value for -since", -step "" "invalid value").
func TestEmptyValueOneWording(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(new(bytes.Buffer))
	var since, name string
	step := 5 * time.Minute
	fs.Var((*Time)(&since), "since", "")
	fs.Var((*Duration)(&step), "step", "")
	fs.StringVar(&name, "name", "", "")
	if err := Parse(fs, []string{"-since", "", "-step", " ", "-name", ""}); err != nil {
		t.Fatalf("empty values refused by the parse: %v", err)
	}
	const want = "empty value for -name, -since, -step: give a value, or leave the flag out"
	if err := NoEmptyFlags(fs); err == nil || err.Error() != want {
		t.Errorf("NoEmptyFlags: %v; want %q", err, want)
	}
	hints := map[string]string{"step": "without it, 5m", "other": "never shown"}
	if err := NoEmptyFlagsHint(fs, hints); err == nil || err.Error() != want+" (-step: without it, 5m)" {
		t.Errorf("with a hint: %v", err)
	}
	fs = flag.NewFlagSet("x", flag.ContinueOnError)
	fs.StringVar(&name, "name", "", "")
	Parse(fs, []string{"-name", ""})
	if err := NoEmptyFlagsHint(fs, map[string]string{"name": "a name"}); err == nil ||
		err.Error() != "empty value for -name: give a value, or leave the flag out (a name)" {
		t.Errorf("one flag, with its hint: %v", err)
	}
}

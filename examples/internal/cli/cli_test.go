package cli

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2026-11-25T10:00:00Z":      time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		"2026-11-25T10:00:00+01:00": time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
		"2026-11-24":                time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		"90m":                       time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC),
		"2d":                        time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
	} {
		got, err := ParseTime("since", in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"yesterday", "-2h", "0s", "2026-13-01", "1.5d"} {
		_, err := ParseTime("until", in, now)
		if err == nil || !strings.HasPrefix(err.Error(), "-until ") {
			t.Errorf("%q: error %v", in, err)
		}
	}
	if _, err := ParseTime("since", "soon", now); !strings.Contains(err.Error(), TimeForms) {
		t.Errorf("error %v does not list the forms", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := WriteFile(p, func(io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(p, []byte("old"), 0o644)
	boom := errors.New("boom")
	err := WriteFile(p, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), p) {
		t.Errorf("error %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("a failed write replaced the file: %q", b)
	}
	if err := WriteFile(p, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("got %q", b)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
	missing := filepath.Join(dir, "no", "such", "r.html")
	if err := WriteFile(missing, nil); err == nil || !strings.Contains(err.Error(), missing) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("a missing directory: %v; want an error naming %s", err, missing)
	}
}

func TestCode(t *testing.T) {
	var b bytes.Buffer
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(&b)
	if c := Code("x", Parse(fs, []string{"-h"}), &b); c != 0 {
		t.Errorf("-h: %d", c)
	}
	if c := Code("x", Parse(fs, []string{"-nope"}), &b); c != 2 {
		t.Errorf("unknown flag: %d", c)
	}
	b.Reset()
	if c := Code("x", errors.New("bad"), &b); c != 1 || b.String() != "x: bad\n" {
		t.Errorf("%d %q", c, b.String())
	}
}

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	clock := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	p := newProgress(&b, "flow logs", func() time.Time { return clock })
	p.Total(4, 4<<20)
	clock = clock.Add(2 * time.Second)
	p.Add(1, 1000, 1<<20)
	clock = clock.Add(time.Second)
	p.Done()
	want := "\rflow logs: 1/4 objects, 1000 records, 1.0 MiB of 4.0 MiB, 512.0 KiB/s, ETA 6s, 2s   " +
		"\rflow logs: 1/4 objects, 1000 records, 1.0 MiB of 4.0 MiB, 341.3 KiB/s, ETA 9s, 3s   \n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
	var nilP *Progress
	nilP.Add(1, 1, 1)
	nilP.Done()
	if NewProgress(&b, "x", false) != nil {
		t.Error("progress drawn on a buffer")
	}
}

func TestOnePrefix(t *testing.T) {
	for in, want := range map[string]string{
		"-tasks: history: f.json:1: bad":     "-tasks: f.json:1: bad",
		"flowlogs: x.log:3: field bytes: no": "x.log:3: field bytes: no",
		"eni: instance type \"x\" unknown":   "instance type \"x\" unknown",
		"-log-group /g: ec2format: flow log": "-log-group /g: flow log",
		"a message about history: stays":     "a message about history: stays",
		"-tasks: intervals: h.parquet: bad":  "-tasks: h.parquet: bad",
	} {
		if got := OnePrefix(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

func TestWindow(t *testing.T) {
	a, b := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		since, until time.Time
		want         string
	}{
		{a, b, "2026-11-25 10:00:00 to 2026-11-25 11:00:00 UTC"},
		{time.Time{}, b, "before 2026-11-25 11:00:00 UTC"},
		{a, time.Time{}, "from 2026-11-25 10:00:00 UTC on"},
		{time.Time{}, time.Time{}, "all time"},
	} {
		if got := Window(c.since, c.until); got != c.want {
			t.Errorf("Window(%v, %v) = %q, want %q", c.since, c.until, got, c.want)
		}
	}
}

func TestListEmptyItems(t *testing.T) {
	for _, c := range []struct {
		values []string
		items  int
		empty  bool
	}{
		{[]string{"a,b", "c"}, 3, false},
		{[]string{" a , b "}, 2, false},
		{[]string{""}, 0, true},
		{[]string{"a", ","}, 1, true},
		{[]string{"a,"}, 1, true},
		{[]string{"a,,b"}, 2, true},
	} {
		var l List
		for _, v := range c.values {
			l.Set(v)
		}
		if len(l.Items) != c.items || l.Empty != c.empty {
			t.Errorf("%q: %d items %v, empty %v; want %d, %v", c.values, len(l.Items), l.Items, l.Empty, c.items, c.empty)
		}
	}
}

// TestDurationFlag: a duration flag takes what -since takes as a time
// before now, days too ("1d" failed with flag's bare "parse error" while
// -since 1d worked), and a value it cannot read is refused saying which
// forms would do.
func TestDurationFlag(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"90s": 90 * time.Second,
		"5m":  5 * time.Minute,
		"2h":  2 * time.Hour,
		"1d":  24 * time.Hour,
		" 3d": 72 * time.Hour,
		"-1d": -24 * time.Hour, // read; each program says whether it may be negative
	} {
		var d Duration
		if err := d.Set(in); err != nil || time.Duration(d) != want {
			t.Errorf("%q: %v, %v; want %v", in, time.Duration(d), err, want)
		}
	}
	var b bytes.Buffer
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(&b)
	step := 5 * time.Minute
	fs.Var((*Duration)(&step), "step", "bucket `width`")
	for _, in := range []string{"1.5d", "soon", "5"} {
		b.Reset()
		err := Parse(fs, []string{"-step", in})
		if !errors.Is(err, ErrUsage) || !strings.Contains(b.String(), `invalid value "`+in+`" for flag -step: `+DurationForms) {
			t.Errorf("%q: %v, output %q", in, err, b.String())
		}
	}
	// Empty is an empty value, as for every flag (EmptyFlags), not a
	// malformed duration.
	b.Reset()
	if err := Parse(fs, []string{"-step", ""}); err != nil || !slices.Equal(EmptyFlags(fs), []string{"-step"}) {
		t.Errorf(`-step "": %v, output %q, empty flags %q`, err, b.String(), EmptyFlags(fs))
	}
	b.Reset()
	fs.PrintDefaults()
	if !strings.Contains(b.String(), "-step width") || !strings.Contains(b.String(), "(default 5m0s)") {
		t.Errorf("usage %q lacks the value name or the default", b.String())
	}
}

// A day count whose hours overflow a Duration is refused, as
// time.ParseDuration refuses what overflows; it wrapped
// (74642993824011d was 2m8s) and passed as a valid -step or -since.
func TestDurationDaysOverflow(t *testing.T) {
	const v = "74642993824011d"
	if d, err := ParseDuration(v); err == nil {
		t.Errorf("ParseDuration(%q) = %v, nil; want an out-of-range error", v, d)
	}
	var d Duration
	if err := d.Set(v); err == nil {
		t.Errorf("Duration.Set(%q) took it as %v", v, time.Duration(d))
	}
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if ts, err := ParseTime("since", v, now); err == nil {
		t.Errorf("ParseTime(-since %q) = %v, nil", v, ts)
	}
	if d, err := ParseDuration("106751d"); err != nil || d != 106751*24*time.Hour {
		t.Errorf("ParseDuration(106751d) = %v, %v: the largest whole day count", d, err)
	}
}

// TestParseAll: flags before, between and after the files; "-" is a file.
func TestParseAll(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "table", "")
	q := fs.Bool("q", false, "")
	pos, err := ParseAll(fs, []string{"a.json", "-format", "json", "-", "b.json", "-q"})
	if err != nil || *format != "json" || !*q || !slices.Equal(pos, []string{"a.json", "-", "b.json"}) {
		t.Errorf("files %q, -format %q, -q %v, %v", pos, *format, *q, err)
	}
	if _, err := ParseAll(fs, []string{"a.json", "-nope"}); !errors.Is(err, ErrUsage) {
		t.Errorf("an unknown flag after a file: %v", err)
	}
	// "--" ends the flags, as in the flag package: a file may then start
	// with "-". ParseAll dropped it and took "-q" after it for the flag.
	// A "--" that is a flag's value is that value.
	for _, c := range []struct {
		args, files []string
		q           bool
		format      string
	}{
		{[]string{"--", "-q"}, []string{"-q"}, false, "table"},
		{[]string{"a.json", "--", "-q", "--"}, []string{"a.json", "-q", "--"}, false, "table"},
		{[]string{"-q", "--", "b.json"}, []string{"b.json"}, true, "table"},
		{[]string{"-format", "--", "a.json", "-q"}, []string{"a.json"}, true, "--"},
	} {
		*q, *format = false, "table"
		pos, err := ParseAll(fs, c.args)
		if err != nil || *q != c.q || *format != c.format || !slices.Equal(pos, c.files) {
			t.Errorf("ParseAll(%q): files %q, -q %v, -format %q, %v", c.args, pos, *q, *format, err)
		}
	}
}

package cli

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzTimeFlags: a -since/-until or duration flag's value, whatever the
// user typed, reads as a time or duration that reads back the same from
// its own formatting, or is refused with a message; never a panic.
func FuzzTimeFlags(f *testing.F) {
	for _, s := range []string{
		"2026-11-25T10:00:00Z", "2026-11-25T10:00:00.123+02:00", "2026-11-25", " 2h ", "90m", "3d", "-3d", "0d",
		"0", "1d2h", "74642993824011d", "106751d", "106752d", "+3d", "03d", "1.5h", "", "-1h", "9223372036854775807ns",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		if d, err := ParseDuration(v); err != nil {
			if d != 0 || err.Error() == "" {
				t.Fatalf("ParseDuration(%q) = %v, %v", v, d, err)
			}
		} else if again, err := ParseDuration(d.String()); err != nil || again != d {
			t.Fatalf("ParseDuration(%q) = %v; of %q: %v, %v", v, d, d.String(), again, err)
		}
		if tm, err := ParseTime("since", v, now); err != nil {
			if !tm.IsZero() || !strings.HasPrefix(err.Error(), "-since ") {
				t.Fatalf("ParseTime(%q) = %v, %v: want an error naming the flag", v, tm, err)
			}
		} else {
			if tm.Location() != time.UTC {
				t.Fatalf("ParseTime(%q) = %v: not in UTC", v, tm)
			}
			s := tm.Format(time.RFC3339Nano)
			if again, err := ParseTime("since", s, now); tm.Year() >= 0 && tm.Year() <= 9999 && (err != nil || !again.Equal(tm)) {
				t.Fatalf("ParseTime(%q) = %v; of %q: %v, %v", v, tm, s, again, err)
			}
		}
		var ft Time
		if err := ft.Set(v); err != nil && err.Error() == "" {
			t.Fatalf("Time.Set(%q): an error with no message", v)
		}
		var d Duration
		if err := d.Set(v); err != nil {
			if err.Error() == "" {
				t.Fatalf("Duration.Set(%q): an error with no message", v)
			}
		} else if s := d.String(); s != "" {
			var d2 Duration
			if err := d2.Set(s); err != nil || d2 != d {
				t.Fatalf("Duration.Set(%q) = %v; of %q: %v, %v", v, d, s, d2, err)
			}
		}
	})
}

// FuzzValueFlags: Int and List take any value without a panic; a number
// read prints as one that reads the same, and a list keeps every item
// given (an empty one remembered, none dropped or split twice).
func FuzzValueFlags(f *testing.F) {
	for _, s := range []string{"", " ", "12", "-0x1f", "0o17", "9223372036854775808", "-9223372036854775808", "a,b", "a,,b", " a , b ,", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var n Int
		if err := n.Set(v); err != nil {
			if err.Error() == "" {
				t.Fatalf("Int.Set(%q): an error with no message", v)
			}
		} else if s := n.String(); s != "" {
			var n2 Int
			if err := n2.Set(s); err != nil || n2 != n {
				t.Fatalf("Int.Set(%q) = %v; of %q: %v, %v", v, n, s, n2, err)
			}
		} else if strings.TrimSpace(v) != "" {
			t.Fatalf("Int.Set(%q) read as empty", v)
		}
		var l List
		if err := l.Set(v); err != nil {
			t.Fatalf("List.Set(%q): %v", v, err)
		}
		parts := strings.Split(v, ",")
		nonEmpty := 0
		for _, p := range parts {
			if strings.TrimSpace(p) != "" {
				nonEmpty++
			}
		}
		if len(l.Items) != nonEmpty || l.Empty != (nonEmpty < len(parts)) {
			t.Fatalf("List.Set(%q) = %+v", v, l)
		}
		for _, it := range l.Items {
			if it == "" || strings.Contains(it, ",") || strings.TrimSpace(it) != it {
				t.Fatalf("List.Set(%q): item %q", v, it)
			}
		}
	})
}

// FuzzParseAll: arguments, however mixed, parse to files or to a usage
// error (or -h's); the files are arguments, whole and in their order,
// and every argument after the "--" that ends the flags is one.
func FuzzParseAll(f *testing.F) {
	f.Add("a\x00-format\x00json\x00b")
	f.Add("-q\x00--\x00-x")
	f.Add("-title\x00--\x00a")
	f.Add("-\x00-n=3\x00--\x00--")
	f.Add("-h")
	f.Add("--n\x00x")
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		fs := flag.NewFlagSet("fuzz", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.String("format", "", "")
		fs.String("title", "", "")
		fs.Bool("q", false, "")
		var n Int
		fs.Var(&n, "n", "")
		var l List
		fs.Var(&l, "l", "")
		files, err := ParseAll(fs, args)
		if err != nil {
			if files != nil || err.Error() == "" {
				t.Fatalf("ParseAll(%q) = %q, %v", args, files, err)
			}
			if !errors.Is(err, ErrUsage) && !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("ParseAll(%q): error %v is neither usage nor help", args, err)
			}
			return
		}
		// The files are arguments, whole and in their order; those after
		// the "--" that ends the flags are all files.
		rest := args
		for _, f := range files {
			i := slices.Index(rest, f)
			if i < 0 {
				t.Fatalf("ParseAll(%q) = %q: file %q not among the arguments, in order", args, files, f)
			}
			rest = rest[i+1:]
		}
		if i := endOfFlags(fs, args); i >= 0 {
			if after := args[i+1:]; len(files) < len(after) || !slices.Equal(files[len(files)-len(after):], after) {
				t.Fatalf("ParseAll(%q) = %q: the arguments after -- are not all files", args, files)
			}
		}
	})
}

// Package cli holds the conventions the programs under examples/ share: how
// an output file is written, how a time flag is read, how a program exits.
// It is internal to the examples; the library does not use it.
package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/tmpfile"
)

// Exit ends a program after run returned err: 0 for nil and for -h
// (flag.ErrHelp: the usage was printed, which is what was asked), 2 for a
// usage mistake already reported with the usage (ErrUsage: an unknown
// flag, a malformed value), 141 and no word for a write to a pipe whose
// reader has gone (as SIGPIPE ends a program), else 1 after printing
// "name: err" once.
func Exit(name string, err error) {
	os.Exit(Code(name, err, os.Stderr))
}

// Code is Exit's status, printing err to stderr when it is a failure.
func Code(name string, err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		return 2
	case brokenPipe(err, runtime.GOOS):
		// The reader of the output went away (prog | head -1): the end
		// SIGPIPE gives every other filter, status 128+13 and no word.
		// cwlogs ignores SIGPIPE, to save its -cursor first.
		return 128 + int(syscall.SIGPIPE)
	}
	fmt.Fprintf(stderr, "%s: %s\n", name, PlainLines(OnePrefix(err.Error())))
	return 1
}

// brokenPipe reports whether err is a write to a pipe whose reader has
// gone, on the system goos, and nothing else: joined with another error
// (a -cursor that could not be saved), it is a failure to report.
func brokenPipe(err error, goos string) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if m, ok := e.(interface{ Unwrap() []error }); ok && len(m.Unwrap()) > 1 {
			return false
		}
	}
	return slices.ContainsFunc(closedPipe(goos), func(e error) bool { return errors.Is(err, e) })
}

// closedPipe are the errors of a write to a pipe whose reader has gone.
// Windows has no SIGPIPE and no EPIPE from a write: it answers
// ERROR_NO_DATA ("The pipe is being closed.", 232) or ERROR_BROKEN_PIPE
// (109), which every program would otherwise print as a failure, exit 1,
// where on Unix it ends quietly (prog | Select-Object -First 1).
func closedPipe(goos string) []error {
	if goos == "windows" {
		return []error{syscall.Errno(232), syscall.Errno(109), syscall.EPIPE}
	}
	return []error{syscall.EPIPE}
}

// PlainLines is a message printed whole (an error, maybe joined, one a
// line) with each line as awswire.Plain shows it: an error carries AWS's
// and the input's text (an ARN, a reason, a key listed from S3), whose
// control bytes would otherwise reach the terminal raw.
func PlainLines(msg string) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = awswire.Plain(l)
	}
	return strings.Join(lines, "\n")
}

// libraryPrefixes are the package names the library's errors start with:
// right for a Go program that logs them, noise after the program's own
// name (one prefix per message).
var libraryPrefixes = []string{"history: ", "ecsread: ", "flowlogs: ", "eni: ", "netmode: ", "cwlogs: ", "s3source: ", "parquetsource: ", "source: ", "attribution: ", "ec2format: ", "ec2limits: ", "ec2primary: ", "ec2topology: ", "partials: ", "pricing: ", "intervals: ", "sqlattr: ", "subscription: ", "report: ", "parquetrows: ", "awswire: ", "parquetguard: "}

// OnePrefix removes the library's package prefixes from a message, at its
// start, after a colon ("-tasks: history: f.json: …" becomes
// "-tasks: f.json: …") and at the start of each further line (errors
// joined by errors.Join, one a line).
func OnePrefix(msg string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range libraryPrefixes {
			if strings.HasPrefix(msg, p) {
				msg, changed = msg[len(p):], true
			}
			for _, sep := range []string{": ", "\n"} {
				if i := strings.Index(msg, sep+p); i >= 0 {
					msg, changed = msg[:i+len(sep)]+msg[i+len(sep)+len(p):], true
				}
			}
		}
	}
	return msg
}

// ErrUsage marks an error the flag package has already printed with the
// usage (an unknown flag, a malformed value).
var ErrUsage = errors.New("usage error")

// Parse parses args with fs, which must use flag.ContinueOnError. A usage
// mistake, already printed by fs, comes back wrapping ErrUsage; -h as
// flag.ErrHelp.
func Parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUsage, err)
}

// ParseAll parses flags wherever they are among the arguments, before,
// between and after the files, and returns the rest ("-" is a file): the
// flag package stops at the first argument that is not a flag, so
// `prog FILE -format json` would take "-format" for a file. A "--" ends
// the flags, as in the flag package: what follows it is files, a name
// starting with "-" included.
func ParseAll(fs *flag.FlagSet, args []string) ([]string, error) {
	var after []string
	if i := endOfFlags(fs, args); i >= 0 {
		args, after = args[:i], args[i+1:]
	}
	var pos []string
	for rest := args; ; {
		if err := Parse(fs, rest); err != nil {
			return nil, err
		}
		rest = fs.Args()
		for len(rest) > 0 && (!strings.HasPrefix(rest[0], "-") || rest[0] == "-") {
			pos, rest = append(pos, rest[0]), rest[1:]
		}
		if len(rest) == 0 {
			return append(pos, after...), nil
		}
	}
}

// endOfFlags returns the index of the "--" that ends the flags, -1 if
// none: the first one that is not the value of the flag before it
// (`-title --`).
func endOfFlags(fs *flag.FlagSet, args []string) int {
	for i, a := range args {
		if a == "--" && (i == 0 || !takesValue(fs, args[i-1])) {
			return i
		}
	}
	return -1
}

// takesValue reports whether argument a is a flag of fs that takes the
// next argument as its value: not boolean, no "=value" of its own.
func takesValue(fs *flag.FlagSet, a string) bool {
	name, ok := strings.CutPrefix(a, "-")
	if !ok || name == "" || strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimPrefix(name, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// Set returns the names of the flags given on the command line.
func Set(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// SameFile reports whether the paths a and b name one file: the same
// path however spelled (./x, d/../x), or the same file as the file system
// sees it (os.SameFile: a link to it, another case on a file system that
// ignores case). An output checked with it against an input is refused
// before it replaces that input.
func SameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if x, err := filepath.Abs(a); err == nil {
		if y, err := filepath.Abs(b); err == nil && x == y {
			return true
		}
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// WriteFile writes a file through write: into a temporary file beside
// path, renamed over path only when write and the close succeeded, so a
// failed run never leaves a half-written report (and never clobbers the
// previous one). The data is synced before the rename, and the directory
// after it: a power loss then leaves the old file or the new one, never
// an empty one (a rename can reach the disk before the data it names),
// which matters for the files a later run reads back (a -cursor file).
// A file replaced keeps its permissions. A path that is no regular file
// (a device, a named pipe, or a link to one: /dev/null, /dev/stdout on a
// pipe) is written through instead, and stays what it was.
func WriteFile(path string, write func(w io.Writer) error) (err error) {
	// A directory can't be replaced by a file: said of path, before the
	// rename would fail naming the temporary file ("file exists").
	old, err := os.Stat(path)
	if err == nil && old.IsDir() {
		return &os.PathError{Op: "write", Path: path, Err: errors.New("is a directory")}
	}
	// A device, a named pipe (or a link to one: /dev/null, /dev/stdout on
	// a pipe) is written through: it has no "whole or not at all", and a
	// rename would replace it with a regular file (as root, /dev/null
	// itself), while what was written never reached the pipe.
	if err == nil && !old.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return ofPath(err, path, path)
		}
		return f.Close()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	// The new file keeps the permissions of the one it replaces: a report
	// the user made private (chmod 600) stays so when a run rewrites it.
	f, err := tmpfile.Replacing(dir, "."+base+".", ".tmp", path)
	if err != nil {
		// The temporary file's name means nothing to the user.
		if pe := (*os.PathError)(nil); errors.As(err, &pe) {
			return &os.PathError{Op: "create", Path: path, Err: pe.Err}
		}
		return err
	}
	// Removed unless renamed: after an error, and after a panic of write
	// that a caller recovers.
	renamed := false
	defer func() {
		if !renamed {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return ofPath(err, f.Name(), path)
	}
	if err := f.Sync(); err != nil {
		return ofPath(err, f.Name(), path)
	}
	if err := f.Close(); err != nil {
		return ofPath(err, f.Name(), path)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		// The temporary file's name means nothing to the user.
		if le := (*os.LinkError)(nil); errors.As(err, &le) {
			return &os.PathError{Op: "rename", Path: path, Err: le.Err}
		}
		return err
	}
	renamed = true
	// Best effort: not every system can sync a directory (Windows cannot
	// open one for it), and the file is whole either way.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// ofPath returns err, an error of writing the temporary file tmp, as one
// of path: the temporary file's name means nothing to the user ("write
// DIR/.out.123.tmp: no space left on device" says out). An error that
// names no file (a report's own) is prefixed with path.
func ofPath(err error, tmp, path string) error {
	if pe := (*os.PathError)(nil); errors.As(err, &pe) && pe.Path == tmp {
		// The error is the file's own, made for this call: naming path in
		// it keeps its wrapping (and errors.Is(err, syscall.ENOSPC)).
		pe.Path = path
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// TimeForms lists the forms ParseTime accepts, for usage and errors.
const TimeForms = "RFC 3339 (2026-11-25T10:00:00Z), a date (2026-11-25, UTC midnight) or a duration before now (90m, 2h, 3d)"

// ParseTime reads a time flag: an RFC 3339 time, a bare date (midnight
// UTC), or a duration meaning that long before now ("2h", "90m", "3d";
// a day is 24 hours). The error names the flag and the accepted forms.
func ParseTime(flagName, v string, now time.Time) (time.Time, error) {
	t, err := parseTime(v, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("-%s %q: %w", flagName, strings.TrimSpace(v), err)
	}
	return t, nil
}

// parseTime is ParseTime, its error saying what would do, of no flag.
func parseTime(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	if d, err := ParseDuration(v); err == nil {
		if d <= 0 {
			return time.Time{}, errors.New("a duration must be positive")
		}
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, errors.New("want " + TimeForms)
}

// Time is a flag.Value for a time flag (-since, -until): the value as
// given, to be read with ParseTime against the clock of the run, once
// its form is checked. A malformed one is then a usage mistake, reported
// by the flag package with the usage as a malformed duration is, rather
// than an error of the program's found after the parse. Register it with
// fs.Var((*cli.Time)(&s), ...) after setting s to the default. An empty
// value is kept, for EmptyFlags.
type Time string

func (t *Time) String() string { return string(*t) }

// Set checks v's form. The flag package puts the flag's name and the
// value before the error; the error says what would do.
func (t *Time) Set(v string) error {
	if strings.TrimSpace(v) != "" {
		if _, err := parseTime(v, time.Now()); err != nil {
			return err
		}
	}
	*t = Time(v)
	return nil
}

// ParseDuration is time.ParseDuration that also takes whole days ("3d").
func ParseDuration(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err == nil && fmt.Sprint(days) == n {
			// time.ParseDuration refuses what overflows; so must days,
			// which would wrap (74642993824011d is 2m8s).
			const maxDays = math.MaxInt64 / int64(24*time.Hour)
			if int64(days) > maxDays || int64(days) < -maxDays {
				return 0, fmt.Errorf("duration %q: out of range (at most %dd)", v, maxDays)
			}
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	return time.ParseDuration(v)
}

// DurationForms is what a duration flag takes, for its errors: the forms
// -since and -until take as a time before now.
const DurationForms = "want a duration such as 90s, 5m, 2h or 1d"

// Duration is a flag.Value for a length of time, read with ParseDuration:
// flag's own Duration refuses "1d" with a bare "parse error", while the
// same program's -since takes it, so every duration flag reads durations
// the one way. Register it with fs.Var((*cli.Duration)(&d), ...) after
// setting d to the default. An empty value is remembered, for EmptyFlags,
// as for the other flags (a script's unset variable), rather than refused
// as malformed.
type Duration time.Duration

// emptyDuration is a Duration given an empty value: no duration
// ParseDuration reads is this one (Set refuses it).
const emptyDuration = Duration(math.MinInt64)

func (d *Duration) String() string {
	if *d == emptyDuration {
		return ""
	}
	return time.Duration(*d).String()
}

// Set reads v with ParseDuration. The flag package puts the flag's name
// and the value before the error; the error says what would do.
func (d *Duration) Set(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		*d = emptyDuration
		return nil
	}
	p, err := ParseDuration(v)
	if err != nil || Duration(p) == emptyDuration {
		return errors.New(DurationForms)
	}
	*d = Duration(p)
	return nil
}

// Int is a flag.Value for a whole number, read as flag's own int flag
// reads it, but for an empty value, which is remembered for EmptyFlags
// (flag's int refuses it as a bare "parse error" with the usage, where
// every other flag given empty gets the one wording). Register it with
// fs.Var((*cli.Int)(&n), ...) after setting n to the default.
type Int int

// emptyInt is an Int given an empty value: no value Set reads is this
// one (it refuses it).
const emptyInt = Int(math.MinInt)

func (n *Int) String() string {
	if *n == emptyInt {
		return ""
	}
	return strconv.Itoa(int(*n))
}

// Set reads v as flag's int flag does (0x and 0o prefixes too); its
// error says what would do, where flag's says "parse error".
func (n *Int) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		*n = emptyInt
		return nil
	}
	i, err := strconv.ParseInt(v, 0, strconv.IntSize)
	if err != nil || Int(i) == emptyInt {
		if errors.Is(err, strconv.ErrRange) || err == nil {
			return errors.New("value out of range")
		}
		return errors.New("want a whole number")
	}
	*n = Int(i)
	return nil
}

// Window formats a -since/-until window for messages, an open side as
// the user left it: "before 2026-11-25 10:00:00 UTC", "from … UTC on".
func Window(since, until time.Time) string {
	const full = "2006-01-02 15:04:05"
	switch {
	case since.IsZero() && until.IsZero():
		return "all time"
	case since.IsZero():
		return "before " + until.UTC().Format(full) + " UTC"
	case until.IsZero():
		return "from " + since.UTC().Format(full) + " UTC on"
	}
	return Span(since, until)
}

// Span formats an interval of times for messages: "2026-11-25 10:00 to
// 10:59 UTC", with an open end as "still open".
func Span(from, to time.Time) string {
	const full = "2006-01-02 15:04:05"
	f := "(unknown)"
	if !from.IsZero() {
		f = from.UTC().Format(full)
	}
	t := "still open"
	if !to.IsZero() {
		t = to.UTC().Format(full)
	}
	return f + " to " + t + " UTC"
}

// List is a flag taking comma-separated values, repeatable. An item that
// names nothing ("", "a,", "a,,b") is remembered rather than dropped: with the
// other values it would read as a shorter list, alone as the flag left
// out, and either hides a script's unset variable (see EmptyFlags).
type List struct {
	Items []string
	Empty bool // a value named nothing
}

func (l *List) String() string { return strings.Join(l.Items, ",") }

func (l *List) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			l.Items = append(l.Items, v)
		} else {
			l.Empty = true // "a,", "a,,b": an item left out ("$A,$B", B unset)
		}
	}
	return nil
}

// EmptyFlags are the flags of fs given a value that names nothing, as
// "-name". No flag here means anything by an empty value that leaving it
// out does not, so one given empty is a mistake (an unset variable), not
// a request for its default.
func EmptyFlags(fs *flag.FlagSet) []string {
	var names []string
	fs.Visit(func(f *flag.Flag) {
		if l, ok := f.Value.(*List); ok && l.Empty || strings.TrimSpace(f.Value.String()) == "" {
			names = append(names, "-"+f.Name)
		}
	})
	return names
}

// NoEmptyFlags is EmptyFlags as the error the programs give for them.
func NoEmptyFlags(fs *flag.FlagSet) error {
	return NoEmptyFlagsHint(fs, nil)
}

// NoEmptyFlagsHint is NoEmptyFlags with what a flag given empty may also
// want said, by the flag's name (no dash): what leaving it out means, or
// another value to give. The hints of the flags given empty follow the
// one wording in parentheses: "empty value for -snapshot: give a value,
// or leave the flag out (without it, the embedded sample cluster)", the
// flag named before its hint when more than one was given empty.
func NoEmptyFlagsHint(fs *flag.FlagSet, hints map[string]string) error {
	empty := EmptyFlags(fs)
	if len(empty) == 0 {
		return nil
	}
	msg := "empty value for " + strings.Join(empty, ", ") + ": give a value, or leave the flag out"
	var said []string
	for _, f := range empty {
		if h := hints[strings.TrimPrefix(f, "-")]; h != "" {
			if len(empty) > 1 {
				h = f + ": " + h
			}
			said = append(said, h)
		}
	}
	if len(said) > 0 {
		msg += " (" + strings.Join(said, "; ") + ")"
	}
	return errors.New(msg)
}

// Alone reports whether name is the only flag in set (of Set), -q aside:
// every program takes -q, so that a script may pass it always, also with
// a flag such as -iam-policy that prints one thing and exits.
func Alone(set map[string]bool, name string) bool {
	for f := range set {
		if f != name && f != "q" {
			return false
		}
	}
	return true
}

// Format reads a -format value: one of names, in any case, as attribute's
// -format (report.ParseFormat) has always read it, so that "-format JSON"
// means the same in every program. It returns the name as listed; the
// error names the flag, the value and what would do.
func Format(v string, names ...string) (string, error) { return Keyword("format", v, names...) }

// Keyword reads the value of a flag that takes one of names (-by,
// -strategy, -format, -launch-type) as Format does: in any case,
// returning the name as listed, so every keyword flag of the programs
// reads the same.
// enibudget's -mode matches its own list in any case too, for
// netmode.ParseMode's message about a name that is none.
func Keyword(flag, v string, names ...string) (string, error) {
	for _, n := range names {
		if strings.EqualFold(v, n) {
			return n, nil
		}
	}
	return "", fmt.Errorf("-%s %q: want %s", flag, v, OneOf(names))
}

// OneOf lists names for a message: "a", "a or b", "a, b or c".
func OneOf(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// NoArgs is the error of a program that takes no arguments when fs was
// left some: the first one, named the same way by every program.
func NoArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// A CheckedWriter passes writes to W until one fails, and refuses every
// later one with that error, which Err returns: a report printed with
// unchecked Fprintf calls is checked once, at its end, and a report cut
// short (a full disk behind > file) is not taken for a whole one.
type CheckedWriter struct {
	W   io.Writer
	err error
}

func (c *CheckedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.W.Write(p)
	c.err = err
	return n, err
}

// Err is the first write error, or nil.
func (c *CheckedWriter) Err() error { return c.err }

// ErrTooLarge is wrapped by ReadMax's error for input over its bound.
var ErrTooLarge = errors.New("larger than its bound")

// ReadMax reads r whole, or refuses it with an error wrapping ErrTooLarge
// when it holds more than max bytes: by its size, unread, when r is a
// regular file (an *os.File), else once max+1 bytes are read. It is how
// a program reads a file the library bounds (a snapshot, a limits table,
// describe output) without first reading more than the library would.
func ReadMax(r io.Reader, max int64) ([]byte, error) {
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > max {
			return nil, fmt.Errorf("%d bytes: %w", fi.Size(), ErrTooLarge)
		}
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err == nil && int64(len(b)) > max {
		return nil, fmt.Errorf("more than %d bytes: %w", max, ErrTooLarge)
	}
	return b, err
}

// Blank reports whether data holds only JSON white space, after a byte
// order mark: an empty input file, said as such rather than as a decoder's
// EOF.
func Blank(data []byte) bool {
	return len(bytes.Trim(awswire.TrimBOM(data), " \t\r\n")) == 0
}

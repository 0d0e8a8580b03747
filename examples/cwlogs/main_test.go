package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

var t0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func fakes(t *testing.T) (clients, *fakeaws.Logs) {
	l := fakeaws.NewLogs(fakeaws.LogsOptions{PageEvents: 3, EmptyPageEvery: 3})
	t.Cleanup(l.Close)
	for s := 0; s < 3; s++ {
		eni := fmt.Sprintf("eni-0%016d", s)
		for i := 0; i < 10; i++ {
			start := t0.Unix() + int64(i*60)
			l.Put("vpc-flow", eni, fakeaws.LogEvent{Timestamp: start * 1000, Message: fmt.Sprintf(
				"2 123456789012 %s 10.0.0.%d 10.0.1.1 40000 443 6 %d %d %d %d ACCEPT OK", eni, s, s+1, 100*(s+1), start, start+60)})
		}
	}
	e := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", LogFormat: flowlogs.DefaultFormat.String()})
	t.Cleanup(e.Close)
	return func(context.Context) (cwlogs.API, ec2format.API, error) {
		return cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = l.BaseEndpoint() }),
			ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = e.BaseEndpoint() }), nil
	}, l
}

var window = []string{"-since", "2026-11-20T11:00:00Z", "-until", "2026-11-20T13:00:00Z"}

func TestTotalsPerENI(t *testing.T) {
	c, _ := fakes(t)
	var out, errOut bytes.Buffer
	// Progress is drawn on a terminal only: pretend stderr is one.
	defer cli.AsTerminal()()
	if err := run(context.Background(), append([]string{"-log-group", "vpc-flow"}, window...), &out, &errOut, c); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "eni-00000000000000002") || strings.Join(strings.Fields(lines[1])[1:], " ") != "10 3000 30 0 0" {
		t.Fatalf("output:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "flow log fl-1") || !strings.Contains(errOut.String(), "streams 3/3  events 30") {
		t.Fatalf("stderr:\n%s", errOut.String())
	}
}

func TestCursorFileResumes(t *testing.T) {
	c, l := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	// -since: the second run keeps the saved window although the clock moved.
	args := []string{"-log-group", "vpc-flow", "-records", "-log-format", flowlogs.DefaultFormat.String(), "-cursor", file, "-strategy", "get",
		"-since", time.Since(t0.Add(-time.Hour)).Round(time.Second).String()}
	// The role loses GetLogEvents: the read stops with an error and saves
	// its position.
	l.Allow("logs:DescribeLogStreams")
	var out1, out2, errOut bytes.Buffer
	if err := run(context.Background(), args, &out1, &errOut, c); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("cursor not saved: %v\n%s", err, errOut.String())
	}
	l.AllowAll()
	if err := run(context.Background(), args, &out2, &errOut, c); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out1.String()+out2.String(), "\n"); n != 30 {
		t.Fatalf("%d records over both runs", n)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("cursor file left after a finished read")
	}
}

// TestENIRepeated: -eni accumulates, repeated or comma-separated, as
// attribute's list flags do.
func TestENIRepeated(t *testing.T) {
	c, _ := fakes(t)
	args := append([]string{"-log-group", "vpc-flow", "-q", "-log-format", flowlogs.DefaultFormat.String(),
		"-eni", "eni-00000000000000000", "-eni", "eni-00000000000000001"}, window...)
	code, out, stderr := runCode(t, c, args...)
	if code != 0 || !strings.Contains(out, "eni-00000000000000000") || !strings.Contains(out, "eni-00000000000000001") ||
		strings.Contains(out, "eni-00000000000000002") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestIAMPolicy: -iam-policy prints the policy the library documents.
func TestIAMPolicy(t *testing.T) {
	c, _ := fakes(t)
	if code, out, stderr := runCode(t, c, "-iam-policy"); code != 0 || out != cwlogs.IAMPolicy() || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func runCode(t *testing.T, c clients, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Code("cwlogs", run(context.Background(), args, &out, &errOut, c), &errOut)
	return code, out.String(), errOut.String()
}

func TestJSONAndNoSilentZeros(t *testing.T) {
	c, l := fakes(t)
	code, out, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow", "-format", "json", "-q"}, window...)...)
	var doc struct {
		LogGroup string `json:"logGroup"`
		Since    string `json:"since"`
		ENIs     []struct {
			ENI   string `json:"eni"`
			Bytes int64  `json:"bytes"`
		} `json:"enis"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || doc.LogGroup != "vpc-flow" || doc.Since != "2026-11-20T11:00:00Z" ||
		len(doc.ENIs) != 3 || doc.ENIs[0].Bytes != 3000 || stderr != "" {
		t.Fatalf("exit %d, %v\n%s\nstderr %q", code, err, out, stderr)
	}
	l.Put("vpc-flow", "eni-bad", fakeaws.LogEvent{Timestamp: t0.UnixMilli(), Message: "2 123 garbage"})
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-log-group", "vpc-flow", "-since", "2026-11-21", "-until", "2026-11-22"}, 1, "log group vpc-flow: no streams with events in 2026-11-21 00:00:00 to 2026-11-22 00:00:00 UTC"},
		{append([]string{"-log-group", "vpc-flow", "-eni", "eni-none"}, window...), 1, "no streams matching -eni or -prefix"},
		{[]string{"-log-group", "vpc-flow", "-since", "last week"}, 2, `invalid value "last week" for flag -since: want RFC 3339`},
		{[]string{"-log-group", "vpc-flow", "-until", "2026-11-20T12:30:00Z", "-eni", "eni-00000000000000000", "-q"}, 0, ""},
		{[]string{"-log-group", "vpc-flow", "-records", "-top", "3"}, 1, "-top applies to the totals"},
		{[]string{"-log-group", "vpc-flow", "-records", "-format", "json"}, 1, "-format applies to the totals"},
		{[]string{"-log-group", "vpc-flow", "-format", "json", "-top", "3"}, 1, "-top applies to the table"},
		{[]string{"-log-group", "vpc-flow", "-format", "csv"}, 1, `-format "csv"`},
		{[]string{"-log-group", "vpc-flow", "-eni", "a", "-prefix", "b"}, 1, "not both"},
		{[]string{"-since", "1h"}, 1, "-log-group is required"},
		{append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String()}, window...), 1, "eni-bad"},
		{append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-lenient"}, window...), 0, "-lenient: skipped 1 malformed event in vpc-flow; first: "},
		{[]string{"-h"}, 0, "Usage: cwlogs -log-group NAME"},
		{[]string{"-group", "x"}, 2, "flag provided but not defined: -group"},
		{[]string{"-log-group", "vpc-flow", "-eni", ",,"}, 1, "empty value for -eni: "},
		{[]string{"-log-group", "vpc-flow", "-eni", "eni-a", "-eni", ""}, 1, "empty value for -eni: "},
		{[]string{"-log-group", "", "-log-format", ""}, 1, "empty value for -log-format, -log-group: "},
		{[]string{"-iam-policy", "-eni", "eni-a"}, 1, "-iam-policy prints the policy and exits: give it alone"},
	} {
		code, _, stderr := runCode(t, c, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "cwlogs: cwlogs") {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// TestCursorOfAnotherRead: a -cursor file saved by a read over another
// window is refused with a message that says what to do.
func TestCursorOfAnotherRead(t *testing.T) {
	c, l := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := []string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-cursor", file, "-strategy", "get"}
	l.Allow("logs:DescribeLogStreams")
	if code, _, stderr := runCode(t, c, append(args, window...)...); code != 1 || !strings.Contains(stderr, "position saved in "+file) {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l.AllowAll()
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCode(t, c, append(args, "-since", "2026-11-20T11:30:00Z", "-until", "2026-11-20T13:00:00Z")...)
	if code != 1 || !strings.Contains(stderr, "-cursor "+file+" was saved by another read") || strings.Contains(stderr, "position saved") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	// The other read's position is still there for it.
	if b, err := os.ReadFile(file); err != nil || !bytes.Equal(b, saved) {
		t.Errorf("the other read's cursor was overwritten (%v): %s", err, b)
	}
}

// TestCursorFileNotOurs: a -cursor file that holds no position is refused
// and left as it was.
func TestCursorFileNotOurs(t *testing.T) {
	c, _ := fakes(t)
	dir := t.TempDir()
	args := append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-strategy", "get"}, window...)
	for _, in := range []string{"null", "{}", `{"streams":{}}`, `{"logGroup":"vpc-flow"}`, `{"logGroup":"vpc-flow","startMillis":5,"endMillis":5}`} {
		file := filepath.Join(dir, "cursor.json")
		if err := os.WriteFile(file, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCode(t, c, append(args, "-cursor", file)...)
		if code != 1 || !strings.Contains(stderr, "-cursor "+file+" holds no read position") {
			t.Errorf("%s: exit %d: %s", in, code, stderr)
		}
		if b, err := os.ReadFile(file); err != nil || string(b) != in {
			t.Errorf("%s: the file was changed (%v): %s", in, err, b)
		}
	}
}

// TestLenientAllMalformedIsAnError: with -lenient, a window whose every
// event is malformed yields no record at all. The program printed an empty
// table and exited 0, because its "no records" check counted the events
// read, malformed ones included; it must fail and say why.
func TestLenientAllMalformedIsAnError(t *testing.T) {
	c, l := fakes(t)
	ts := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC).UnixMilli()
	l.Put("vpc-flow", "eni-bad", fakeaws.LogEvent{Timestamp: ts, Message: "2 123 garbage"},
		fakeaws.LogEvent{Timestamp: ts + 1000, Message: "2 123 more garbage"})
	for _, mode := range [][]string{nil, {"-records"}, {"-format", "json"}} {
		args := append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-lenient", "-q",
			"-since", "2026-11-21T11:00:00Z", "-until", "2026-11-21T13:00:00Z"}, mode...)
		code, out, stderr := runCode(t, c, args...)
		want := "cwlogs: log group vpc-flow: no records (2 events read, -lenient skipped 2 malformed ones) in 2026-11-21 11:00:00 to 2026-11-21 13:00:00 UTC"
		if code != 1 || out != "" || !strings.Contains(stderr, want) {
			t.Errorf("%q: exit %d with no record read; stdout %q, stderr %q; want exit 1 and %q", mode, code, out, stderr, want)
		}
	}
}

// TestCursorSameFlagsResumes: the program's doc promises that the next run
// with the same flags continues an interrupted read. A window side that
// follows the clock (-since given as a duration, -until left out or given
// as a duration, -since left out with such an -until) must come from the
// cursor, or the second run, a minute later, is refused as "saved by another
// read"; a side given as a time comes from the flag. The window used is
// printed.
func TestCursorSameFlagsResumes(t *testing.T) {
	for _, tc := range []struct {
		win  []string
		want string // the window of the resumed run
	}{
		{[]string{"-since", "2026-11-20T11:00:00Z"}, "window 2026-11-20 11:00:00 to 2026-11-20 13:00:00 UTC (end as saved"},
		{[]string{"-since", "3h", "-until", "30m"}, "window 2026-11-20 10:00:00 to 2026-11-20 12:30:00 UTC (start and end as saved"},
		{[]string{"-until", "30m"}, "window 2026-11-20 11:30:00 to 2026-11-20 12:30:00 UTC (start and end as saved"},
		{[]string{"-since", "2h"}, "window 2026-11-20 11:00:00 to 2026-11-20 13:00:00 UTC (start and end as saved"},
		{[]string{"-since", "2h", "-until", "2026-11-20T12:30:00Z"}, "window 2026-11-20 11:00:00 to 2026-11-20 12:30:00 UTC (start as saved"},
		{[]string{"-until", "2026-11-20T12:30:00Z"}, "window 2026-11-20 11:30:00 to 2026-11-20 12:30:00 UTC (start and end from -since and -until"},
		{window, "window 2026-11-20 11:00:00 to 2026-11-20 13:00:00 UTC (start and end from -since and -until"},
	} {
		t.Run(strings.Join(tc.win, " "), func(t *testing.T) {
			c, l := fakes(t)
			file := filepath.Join(t.TempDir(), "cursor.json")
			args := append([]string{"-log-group", "vpc-flow", "-format", "json", "-log-format", flowlogs.DefaultFormat.String(), "-cursor", file, "-strategy", "get"}, tc.win...)
			saved := now
			defer func() { now = saved }()
			now = func() time.Time { return t0.Add(time.Hour) }
			l.Allow("logs:DescribeLogStreams") // GetLogEvents denied: the read fails and saves its position
			if code, _, stderr := runCode(t, c, args...); code != 1 || !strings.Contains(stderr, "position saved") {
				t.Fatalf("first run: exit %d: %s", code, stderr)
			}
			l.AllowAll()
			now = func() time.Time { return t0.Add(time.Hour + time.Minute + 500*time.Millisecond) } // the next run, a minute later
			code, out, stderr := runCode(t, c, args...)
			if code != 0 || !strings.Contains(stderr, "resuming from "+file+": "+tc.want) {
				t.Fatalf("same flags, next run: exit %d: %s\nwant %q", code, stderr, tc.want)
			}
			if n := recordsIn(t, out); n != 30 {
				t.Fatalf("%d records; want 30:\n%s", n, out)
			}
		})
	}
}

// TestCursorChangedFlagRefused: a side of the window given as a time stays
// the flag's on resume, so changing it is still caught, as are another
// -strategy and a switch between totals and -records; each message names
// the flag, and the file is left for the read that saved it.
func TestCursorChangedFlagRefused(t *testing.T) {
	c, l := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := []string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-cursor", file}
	saved := now
	defer func() { now = saved }()
	now = func() time.Time { return t0.Add(time.Hour) }
	stoppedAfterListing(t, c, l, append(args, "-strategy", "get", "-since", "2026-11-20T11:00:00Z")...)
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	now = func() time.Time { return t0.Add(time.Hour + time.Minute) }
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-strategy", "get", "-since", "2026-11-20T11:30:00Z"}, "give -since and -until for 2026-11-20 11:00:00 to 2026-11-20 13:00:00 UTC to continue it"},
		{[]string{"-strategy", "filter", "-since", "2026-11-20T11:00:00Z"}, "cursor written by GetLogEvents, reading with FilterLogEvents); give -strategy get (or auto) to continue it, or remove the file"},
		{[]string{"-strategy", "get", "-since", "2026-11-20T11:00:00Z", "-records"}, "was saved by a read of totals"},
		// Totals over other streams would add up two different reads.
		{[]string{"-strategy", "get", "-since", "2026-11-20T11:00:00Z", "-eni", "eni-0a1"}, "was saved by a read of other streams (no -eni or -prefix)"},
		// And so would records parsed in another format.
		{[]string{"-strategy", "get", "-since", "2026-11-20T11:00:00Z", "-log-format", "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id}"},
			"was saved by a read of records in other formats"},
	} {
		code, _, stderr := runCode(t, c, append(args, tc.args...)...)
		if code != 1 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "position saved") {
			t.Errorf("%q: exit %d: %s\nwant %q", tc.args, code, stderr, tc.want)
		}
		if b, err := os.ReadFile(file); err != nil || !bytes.Equal(b, before) {
			t.Errorf("%q: the saved read's file was changed (%v): %s", tc.args, err, b)
		}
	}
	// Auto continues with the saved strategy.
	if code, _, stderr := runCode(t, c, append(args, "-since", "2026-11-20T11:00:00Z")...); code != 0 {
		t.Errorf("-strategy auto: exit %d: %s", code, stderr)
	}
}

// interrupting passes calls to the SDK client until n read calls
// (GetLogEvents, FilterLogEvents) were answered; then it interrupts the read:
// it fails the calls, or with cancel set it cancels the run's context, as
// Ctrl-C does. Streams are read in parallel, so n is shared atomically.
type interrupting struct {
	cwlogs.API
	n      atomic.Int64
	cancel context.CancelFunc
}

func (f *interrupting) stop() error {
	if f.n.Add(-1) >= 0 {
		return nil
	}
	if f.cancel != nil {
		f.cancel() // the call goes on with a cancelled context
		return nil
	}
	// Not a connection error, which the read tries again (as it should:
	// awscall.Retryable): one that ends the read, as a lasting outage does.
	return errors.New("interrupted by the test")
}

func (f *interrupting) GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, opt ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error) {
	if err := f.stop(); err != nil {
		return nil, err
	}
	return f.API.GetLogEvents(ctx, in, opt...)
}

func (f *interrupting) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput, opt ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	if err := f.stop(); err != nil {
		return nil, err
	}
	return f.API.FilterLogEvents(ctx, in, opt...)
}

// interrupted runs the program with the read interrupted after n calls.
func interrupted(c clients, args []string, n int64, ctrlC bool) (stdout, stderr string, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	broken := func(ctx context.Context) (cwlogs.API, ec2format.API, error) {
		l, e, err := c(ctx)
		f := &interrupting{API: l}
		f.n.Store(n)
		if ctrlC {
			f.cancel = cancel
		}
		return f, e, err
	}
	var out, errOut bytes.Buffer
	err = run(ctx, args, &out, &errOut, broken)
	return out.String(), errOut.String(), err
}

func recordsIn(t *testing.T, out string) int64 {
	t.Helper()
	var doc struct {
		ENIs []struct{ Records int64 } `json:"enis"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	n := int64(0)
	for _, e := range doc.ENIs {
		n += e.Records
	}
	return n
}

// TestCursorTotalsNotLost: an interrupted totals read saves its position,
// so the events it read are never read again. It prints nothing, so their
// traffic must come with the cursor into the resumed run's totals: before,
// the second run reported only the continued part, and the first run's
// records appeared in no output.
func TestCursorTotalsNotLost(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-q", "-format", "json", "-log-format", flowlogs.DefaultFormat.String(),
		"-cursor", file, "-strategy", "get"}, window...)
	out1, _, err := interrupted(c, args, 2, false)
	if err == nil {
		t.Fatal("first run did not fail")
	}
	var out2, errOut bytes.Buffer
	if err := run(context.Background(), args, &out2, &errOut, c); err != nil {
		t.Fatalf("second run: %v\n%s", err, errOut.String())
	}
	total := recordsIn(t, out2.String())
	if out1 != "" {
		total += recordsIn(t, out1)
	}
	if total != 30 {
		t.Fatalf("30 records in the group, %d reported over both runs (first run stdout %q)", total, out1)
	}
}

// TestCursorTotalsExactlyOnce: however a read is interrupted — at any call,
// by an error or by Ctrl-C (whose pages in flight are still delivered), with
// either strategy, several times over — the run that finishes prints the
// totals of an uninterrupted read, byte for byte: every event of the
// interrupted runs counted once, none twice. With -records, every record is
// printed once over all the runs.
func TestCursorTotalsExactlyOnce(t *testing.T) {
	c, _ := fakes(t)
	want := map[string]string{} // the uninterrupted read's output, per mode and strategy
	for _, tc := range []struct {
		mode, strategy string
		ctrlC          bool
		stops          []int64 // read calls each interrupted run gets
	}{
		{"-format json", "get", false, []int64{2}},
		{"-format json", "get", false, []int64{1, 1, 3}},
		{"-format json", "get", true, []int64{3}},
		{"-format json", "get", true, []int64{2, 0, 4}},
		{"-format json", "filter", false, []int64{1}},
		{"-format json", "filter", false, []int64{0, 3}},
		{"-format json", "filter", true, []int64{2}},
		{"-records", "get", false, []int64{1, 3}},
		{"-records", "filter", true, []int64{1}},
	} {
		name := fmt.Sprint(tc.mode, " ", tc.strategy, " ctrl-c=", tc.ctrlC, " stops ", tc.stops)
		base := append([]string{"-log-group", "vpc-flow", "-q", "-log-format", flowlogs.DefaultFormat.String(), "-strategy", tc.strategy}, window...)
		base = append(base, strings.Fields(tc.mode)...)
		key := tc.mode + " " + tc.strategy
		if _, ok := want[key]; !ok {
			var out bytes.Buffer
			if err := run(context.Background(), base, &out, io.Discard, c); err != nil {
				t.Fatal(err)
			}
			want[key] = out.String()
		}
		file := filepath.Join(t.TempDir(), "cursor.json")
		args := append([]string{"-cursor", file}, base...)
		var printed []string // every run's stdout
		for i, n := range tc.stops {
			out, stderr, err := interrupted(c, args, n, tc.ctrlC)
			printed = append(printed, out)
			if err == nil && i == 0 {
				t.Fatalf("%s: the first run was not interrupted", name)
			}
			if err == nil {
				break // the read got through before the interruption
			}
			if !strings.Contains(stderr, "position saved in "+file) {
				t.Fatalf("%s: %v\n%s", name, err, stderr)
			}
		}
		if _, err := os.Stat(file); err == nil {
			var out, errOut bytes.Buffer
			if err := run(context.Background(), args, &out, &errOut, c); err != nil {
				t.Fatalf("%s: last run: %v\n%s", name, err, errOut.String())
			}
			printed = append(printed, out.String())
		}
		if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: cursor file left after a finished read", name)
		}
		if tc.mode == "-records" {
			got := strings.Split(strings.Join(printed, ""), "\n")
			wantLines := strings.Split(want[key], "\n")
			slices.Sort(got)
			slices.Sort(wantLines)
			if !slices.Equal(got, wantLines) {
				t.Errorf("%s: the runs printed %d lines, the uninterrupted read %d", name, len(got), len(wantLines))
			}
			continue
		}
		for _, out := range printed[:len(printed)-1] {
			if out != "" {
				t.Fatalf("%s: an interrupted run printed %q", name, out)
			}
		}
		if got := printed[len(printed)-1]; got != want[key] {
			t.Errorf("%s: the finishing run printed\n%s\nthe uninterrupted read\n%s", name, got, want[key])
		}
	}
}

// TestCursorTotalsAfterStrictParseError: a strict read stops at a malformed
// event, which is not delivered; the rerun with -lenient skips it. The
// records before it, counted by the first run, are counted once.
func TestCursorTotalsAfterStrictParseError(t *testing.T) {
	c, l := fakes(t)
	l.Put("vpc-flow", "eni-00000000000000001", fakeaws.LogEvent{Timestamp: t0.Add(5*time.Minute + time.Second).UnixMilli(), Message: "2 123 garbage"})
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-q", "-format", "json", "-log-format", flowlogs.DefaultFormat.String(),
		"-strategy", "get", "-cursor", file}, window...)
	if code, out, stderr := runCode(t, c, args...); code != 1 || out != "" || !strings.Contains(stderr, "position saved") {
		t.Fatalf("strict run: exit %d, stdout %q: %s", code, out, stderr)
	}
	var saved savedRead
	if b, err := os.ReadFile(file); err != nil || json.Unmarshal(b, &saved) != nil || saved.Counted == nil || saved.Counted.Records == 0 {
		t.Fatalf("the strict run saved no counts (%v): %+v", err, saved)
	}
	code, out, stderr := runCode(t, c, append(args, "-lenient")...)
	if code != 0 || recordsIn(t, out) != 30 || !strings.Contains(stderr, "-lenient: skipped 1 malformed event in vpc-flow") {
		t.Fatalf("lenient rerun: exit %d: %s\n%s", code, out, stderr)
	}
}

// TestCursorLenientThenStrict: a -lenient read continued without -lenient
// says that the answer leaves out what the runs before skipped; it said
// nothing, and its totals looked whole.
func TestCursorLenientThenStrict(t *testing.T) {
	c, l := fakes(t)
	l.Put("vpc-flow", "eni-00000000000000001", fakeaws.LogEvent{Timestamp: t0.Add(5*time.Minute + time.Second).UnixMilli(), Message: "2 123 garbage"})
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-q", "-format", "json", "-log-format", flowlogs.DefaultFormat.String(),
		"-strategy", "get", "-cursor", file}, window...)
	// Interrupt the lenient read later and later until it has skipped
	// the malformed event.
	skipped := false
	for n := int64(1); n < 50 && !skipped; n++ {
		os.Remove(file)
		if _, _, err := interrupted(c, append(args, "-lenient"), n, false); err == nil {
			break
		}
		var saved savedRead
		if b, err := os.ReadFile(file); err == nil && json.Unmarshal(b, &saved) == nil && saved.Counted != nil && saved.Counted.Malformed == 1 {
			skipped = true
		}
	}
	if !skipped {
		t.Fatal("no interrupted lenient run saved a skipped event")
	}
	code, out, stderr := runCode(t, c, args...)
	if code != 0 || recordsIn(t, out) != 30 || !strings.Contains(stderr, "cwlogs: note: the runs before this one skipped 1 malformed event with -lenient: the answer leaves them out") {
		t.Fatalf("strict rerun: exit %d: %s\n%s", code, out, stderr)
	}
}

// earlierVersionCursor interrupts a read of args after 3 events, which
// saves its -cursor file, and rewrites the file as an earlier version
// saved it: the position alone, without the counts of the interrupted
// run, which it returns.
func earlierVersionCursor(t *testing.T, c clients, args []string, file string) savedRead {
	t.Helper()
	if _, stderr, err := interrupted(c, args, 3, false); err == nil || !strings.Contains(stderr, "position saved") {
		t.Fatalf("first run: %v: %s", err, stderr)
	}
	var saved savedRead
	b, err := os.ReadFile(file)
	if err != nil || json.Unmarshal(b, &saved) != nil || saved.Counted == nil {
		t.Fatalf("%v: %s", err, b)
	}
	old, _ := json.Marshal(saved.Cursor) // what the earlier version wrote
	if err := os.WriteFile(file, old, 0o644); err != nil {
		t.Fatal(err)
	}
	return saved
}

// TestCursorFileOfEarlierVersion: a cursor file as an earlier version saved
// it (the position alone) still resumes; the totals then cover the
// continued part only, and the run says so instead of passing them off as
// the window's.
func TestCursorFileOfEarlierVersion(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-format", "json", "-log-format", flowlogs.DefaultFormat.String(),
		"-cursor", file, "-strategy", "get"}, window...)
	saved := earlierVersionCursor(t, c, args, file)
	code, out, stderr := runCode(t, c, args...)
	if code != 0 || !strings.Contains(stderr, "saved by an earlier version, without the totals of the interrupted run: the totals cover the continued part only") ||
		!strings.Contains(stderr, "note: the totals miss") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := recordsIn(t, out); n != 30-saved.Counted.Records {
		t.Fatalf("%d records in the continued part; want %d", n, 30-saved.Counted.Records)
	}
}

// TestCursorFileCountsChecked: the counts a -cursor file carries are added
// to the output, so counts no run could have saved (an edit, another
// program's file) are refused, naming the file and what is wrong, and the
// file is left as it was.
func TestCursorFileCountsChecked(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-strategy", "get", "-cursor", file}, window...)
	pos := `"logGroup":"vpc-flow","startMillis":1795172400000,"endMillis":1795179600000,"strategy":"GetLogEvents","streams":{}`
	for _, tc := range []struct{ counted, want string }{
		{`{"events":3,"records":1,"malformed":1,"enis":[{"eni":"eni-a","records":1}]}`, "3 events, 1 records and 1 malformed do not add up"},
		{`{"events":2,"records":2,"enis":[{"eni":"eni-a","records":1}]}`, "the ENIs' 1 records are not the 2 counted"},
		{`{"events":2,"records":2,"enis":[{"eni":"eni-a","records":1},{"eni":"eni-a","records":1}]}`, `ENI "eni-a" listed twice`},
		{`{"events":1,"records":1,"enis":[{"eni":"eni-a","records":1,"bytes":-5}]}`, `ENI "eni-a": impossible totals`},
		{`{"recordsMode":true,"events":1,"records":1,"enis":[{"eni":"eni-a","records":1}]}`, "-records mode with per-ENI totals"},
	} {
		in := `{` + pos + `,"counted":` + tc.counted + `}`
		if err := os.WriteFile(file, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCode(t, c, args...)
		if code != 1 || !strings.Contains(stderr, "-cursor "+file+": counted: "+tc.want) {
			t.Errorf("%s: exit %d: %s\nwant %q", tc.counted, code, stderr, tc.want)
		}
		if b, err := os.ReadFile(file); err != nil || string(b) != in {
			t.Errorf("%s: the file was changed (%v): %s", tc.counted, err, b)
		}
	}
}

// failAfter is a stdout that takes n writes and then fails, as a full disk
// or a broken redirect does.
type failAfter struct {
	n   int
	out bytes.Buffer
}

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("no space left on device")
	}
	w.n--
	return w.out.Write(p)
}

// With -records every record goes to stdout. When a write fails the run
// fails (it exited 0, every record lost), and the record not printed is not
// counted as delivered: the run resumed from the cursor prints it and the
// rest, so the two outputs hold every record of the window once.
func TestRecordsWriteErrorResumesAtTheRecord(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-q", "-records", "-log-format", flowlogs.DefaultFormat.String(),
		"-cursor", file, "-strategy", "get"}, window...)
	var whole bytes.Buffer
	plain := append([]string{"-log-group", "vpc-flow", "-q", "-records", "-log-format", flowlogs.DefaultFormat.String()}, window...)
	if err := run(context.Background(), plain, &whole, io.Discard, c); err != nil {
		t.Fatal(err)
	}
	w := &failAfter{n: 7}
	var errOut bytes.Buffer
	err := run(context.Background(), args, w, &errOut, c)
	if err == nil || !strings.Contains(err.Error(), "writing the records") || !strings.Contains(errOut.String(), "position saved") {
		t.Fatalf("a failed stdout: %v\n%s", err, errOut.String())
	}
	var rest bytes.Buffer
	if err := run(context.Background(), args, &rest, io.Discard, c); err != nil {
		t.Fatalf("resumed: %v", err)
	}
	got := strings.Split(strings.TrimSpace(w.out.String()+rest.String()), "\n")
	want := strings.Split(strings.TrimSpace(whole.String()), "\n")
	slices.Sort(got)
	slices.Sort(want)
	if len(want) < 10 || !slices.Equal(got, want) {
		t.Errorf("the two runs printed %d records, the whole read %d:\n%s\nwant:\n%s", len(got), len(want), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// -records prints records, no totals: resuming a -cursor file of an
// earlier version, it must not warn that "the totals" miss earlier runs.
func TestRecordsOldCursorNoTotalsWarning(t *testing.T) {
	c, _ := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := append([]string{"-log-group", "vpc-flow", "-records", "-log-format", flowlogs.DefaultFormat.String(),
		"-cursor", file, "-strategy", "get"}, window...)
	earlierVersionCursor(t, c, args, file)
	code, _, stderr := runCode(t, c, args...)
	if code != 0 || strings.Contains(stderr, "totals") {
		t.Errorf("-records: exit %d, stderr speaks of totals it never printed:\n%s", code, stderr)
	}
}

// stoppedAfterListing runs a read the fake stops after the stream listing (it
// allows nothing else), which saves its position in the -cursor file of
// args.
func stoppedAfterListing(t *testing.T, c clients, l *fakeaws.Logs, args ...string) {
	t.Helper()
	l.Allow("logs:DescribeLogStreams")
	defer l.AllowAll()
	if code, _, stderr := runCode(t, c, args...); code != 1 || !strings.Contains(stderr, "position saved") {
		t.Fatalf("the interrupted run: exit %d: %s", code, stderr)
	}
}

// cursorRead is the fakes and the flags of a read with a -cursor file,
// the clock an hour after t0 for the test's life.
func cursorRead(t *testing.T) (clients, *fakeaws.Logs, []string) {
	c, l := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	saved := now
	t.Cleanup(func() { now = saved })
	now = func() time.Time { return t0.Add(time.Hour) }
	return c, l, []string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-cursor", file, "-strategy", "get", "-since", "2026-11-20T11:00:00Z"}
}

// TestCursorENIsAsASet: -eni names a set of streams, so a read saved with
// -eni b,a continues with -eni a,b (or a,b,a); before, the order was part
// of the saved choice, and the same streams were refused as others.
func TestCursorENIsAsASet(t *testing.T) {
	c, l, args := cursorRead(t)
	a, b := fmt.Sprintf("eni-0%016d", 0), fmt.Sprintf("eni-0%016d", 1)
	stoppedAfterListing(t, c, l, append(args, "-eni", b+","+a)...)
	if code, _, stderr := runCode(t, c, append(args, "-eni", a+","+b+","+a)...); code != 0 {
		t.Errorf("the same ENIs in another order: exit %d: %s", code, stderr)
	}
}

// TestCursorOtherRegionRefused: a log group's name is the same in every
// Region, so a cursor saved by a read in one Region is refused by a run
// in another (its positions and totals are another group's), and
// continues in its own.
func TestCursorOtherRegionRefused(t *testing.T) {
	c, l, args := cursorRead(t)
	stoppedAfterListing(t, c, l, args...)
	elsewhere := func(ctx context.Context) (cwlogs.API, ec2format.API, error) {
		_, e, err := c(ctx)
		return cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) {
			o.BaseEndpoint, o.Region = l.BaseEndpoint(), "eu-west-1"
		}), e, err
	}
	if code, _, stderr := runCode(t, elsewhere, args...); code != 1 || !strings.Contains(stderr, "saved by a read in Region us-east-1, and this one reads eu-west-1") {
		t.Errorf("another Region: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCode(t, c, args...); code != 0 {
		t.Errorf("its own Region: exit %d: %s", code, stderr)
	}
}

// Command cwlogs reads VPC Flow Logs from a CloudWatch Logs log group with
// the default AWS configuration and prints traffic per network interface
// (or every record), with a progress line on stderr when it is a terminal.
//
// Usage:
//
//	cwlogs -log-group NAME [-since 1h | -since 2026-11-25 -until 2026-11-26T06:00:00Z] [-eni eni-a,eni-b | -prefix P]
//	       [-strategy auto|filter|get] [-log-format '${version} …'] [-cursor FILE] [-records | -top N] [-format table|json]
//	       [-lenient] [-q]
//	cwlogs -iam-policy
//
// -since and -until take an RFC 3339 time, a date (midnight UTC) or a
// duration before now. The record format comes from -log-format or, by
// default, from EC2 DescribeFlowLogs (the LogFormat of every flow log
// delivering to the group).
//
// With -cursor, an interrupted read (Ctrl-C, an error) saves in FILE its
// position together with what it counted: the per-ENI totals (with
// -records, how many records it printed); a read that failed before it
// found a stream (a log group misspelt, streams it may not list) has no
// position and saves none. A second Ctrl-C ends the program at once,
// before it saves if it has not yet. The next run with the same flags
// continues from there and adds the saved totals to its own, so the totals
// the finishing run prints cover the whole window, every record once. A
// side of the window that follows the clock (-since or -until given as a
// duration, -until left out, -since left out with such an -until) is taken
// from FILE, as the interrupted run had it; a side given as a time must be
// the same, and so must -log-group, -strategy (or auto), -records, -eni
// or -prefix (as a set of ENIs), the record formats (-log-format, or what
// DescribeFlowLogs gives) and the AWS Region; the window used is printed
// on stderr. A
// finished read removes FILE. A FILE saved by an earlier version of this
// program holds the position alone: the resumed run then warns that its
// totals cover the continued part only, as they did in that version. FILE
// says which version of the file it is ("version": 2; files of earlier
// versions say none, and resume as before); one written by a newer ecsnet
// (a greater version) is refused, and left as it was, rather than read
// without what this version does not know.
//
// A read that finds no records exits 1, also when -lenient skipped every
// event as malformed. The totals are per interface-id, of bytes and
// packets: a record format without those fields is refused before the
// read (-records prints its records as they are).
//
// It needs the read-only IAM policy cwlogs.IAMPolicy() returns (-iam-policy
// prints it):
// logs:DescribeLogStreams, logs:FilterLogEvents, logs:GetLogEvents and, unless
// -log-format is given, ec2:DescribeFlowLogs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/loggroup"
)

func main() {
	// A closed pipe on stdout (-records | head) would kill the program
	// before it saves its -cursor; ignored, the write fails instead, and
	// the run takes the record back and saves the position, as for any
	// other failed write; it then exits as SIGPIPE ends the other
	// programs, 141 and no error (cli.Code).
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := cli.StopContext()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, awsClients)
	stop()
	cli.Exit("cwlogs", err)
}

// clients builds the AWS clients; tests replace it with fakes.
type clients func(ctx context.Context) (cwlogs.API, ec2format.API, error)

func awsClients(ctx context.Context) (cwlogs.API, ec2format.API, error) {
	cfg, err := cli.AWSConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	return cloudwatchlogs.NewFromConfig(cfg), ec2.NewFromConfig(cfg), nil
}

// savedRead is what -cursor saves: the library's cursor, its fields
// embedded at the top level (so a file of an earlier version, which held
// the cursor alone, still reads), and what the runs so far counted. Both
// are written in one file, by one rename (cli.WriteFile), so a position is
// never saved without the totals of the events it counts as delivered.
//
// Version is the file's layout, cursorVersion when this version saves
// it. Files saved before it (the position alone, then with totals, a
// Horizon, a Region) hold none, and are told apart by the members they
// lack, as they always were: they are version 1. A file of a greater
// version is refused rather than read with the members this version does
// not know dropped (as a version before the Horizon would drop it, and
// miss the late events it stands for). Members this version does not know
// in a file of its own version (a note added by hand or by a tool) are
// ignored: a later version whose members must not be dropped writes a
// greater version. The embedded cursor carries its own version
// ("cursorVersion", cwlogs.CursorVersion; none in files of an ecsnet
// before it), checked the same way: a position of a newer library is
// refused by name rather than read with its members dropped.
type savedRead struct {
	Version int `json:"version,omitempty"`
	cwlogs.Cursor
	// Counted is nil in a file of an earlier version.
	Counted *counted `json:"counted,omitempty"`
	// Region is the AWS Region read, "" in a file of an earlier version
	// or when the client does not say.
	Region string `json:"region,omitempty"`
}

// cursorVersion is the version of the -cursor files this version saves,
// and the greatest it reads (see savedRead).
const cursorVersion = 2

// regionOf is the Region a CloudWatch Logs client reads, "" when it
// does not say (a caller's own cwlogs.API).
func regionOf(api cwlogs.API) string {
	if c, ok := api.(interface{ Options() cloudwatchlogs.Options }); ok {
		return c.Options().Region
	}
	return ""
}

// counted is what the runs that led to a cursor delivered: exactly the
// events the cursor counts as delivered (the records yielded, and those
// -lenient skipped), so a resumed run adds it to its own without counting
// anything twice.
type counted struct {
	// RecordsMode: the runs printed the records (-records) and kept no
	// totals; a run of the other mode cannot continue them.
	RecordsMode bool  `json:"recordsMode"`
	Events      int64 `json:"events"`    // events delivered
	Malformed   int64 `json:"malformed"` // of them, skipped by -lenient
	Records     int64 `json:"records"`   // records printed or counted in ENIs
	// ENIs are the per-ENI totals (not with -records).
	ENIs []eniDoc `json:"enis,omitempty"`
	// Partial: a run before these resumed a file of an earlier version,
	// whose own counts are not included.
	Partial bool `json:"partial,omitempty"`
	// Streams is the streams the runs read, as -eni or -prefix chose them
	// ("" for all): the library's cursor checks the group, window and
	// strategy, and a run continuing the totals over other streams would
	// add up two different reads.
	Streams string `json:"streams,omitempty"`
	// Formats are the record formats the runs parsed with (-log-format,
	// or DescribeFlowLogs'), their headers sorted and joined by " | ":
	// records parsed otherwise would add other bytes to the same totals.
	Formats string `json:"formats,omitempty"`
}

// formatsKey is counted.Formats of fs.
func formatsKey(fs []*flowlogs.Format) string {
	hs := make([]string, len(fs))
	for i, f := range fs {
		hs[i] = f.Header()
	}
	sort.Strings(hs)
	return strings.Join(slices.Compact(hs), " | ")
}

// streamChoice is how -eni or -prefix chose the streams, for counted.
func streamChoice(enis []string, prefix string) string {
	switch {
	case len(enis) > 0:
		// As a set: -eni b,a reads what -eni a,b does.
		enis = slices.Compact(slices.Sorted(slices.Values(enis)))
		return "-eni " + strings.Join(enis, ",")
	case prefix != "":
		return "-prefix " + prefix
	}
	return ""
}

// sameStreams is a cursor file's stream choice as streamChoice writes it
// now: files saved before it sorted the ENIs hold them as given.
func sameStreams(saved string) string {
	if list, ok := strings.CutPrefix(saved, "-eni "); ok {
		return streamChoice(strings.Split(list, ","), "")
	}
	return saved
}

// check reports counts that no run of this program saves: each event it
// delivers is a record or a malformed event skipped, and in totals mode
// each record is counted for one ENI. Nil (a file of an earlier version)
// passes.
func (c *counted) check() error {
	if c == nil {
		return nil
	}
	if c.Events < 0 || c.Malformed < 0 || c.Records < 0 || c.Records+c.Malformed != c.Events {
		return fmt.Errorf("counted: %d events, %d records and %d malformed do not add up", c.Events, c.Records, c.Malformed)
	}
	if c.RecordsMode {
		if len(c.ENIs) > 0 {
			return errors.New("counted: -records mode with per-ENI totals")
		}
		return nil
	}
	sum := int64(0)
	seen := make(map[string]bool, len(c.ENIs))
	for _, e := range c.ENIs {
		if seen[e.ENI] {
			return fmt.Errorf("counted: ENI %q listed twice", e.ENI)
		}
		seen[e.ENI] = true
		if e.Records <= 0 || e.Bytes < 0 || e.Packets < 0 || e.Rejected < 0 || e.NoData < 0 || e.Rejected > e.Records || e.NoData > e.Records {
			return fmt.Errorf("counted: ENI %q: impossible totals %+v", e.ENI, e)
		}
		sum += e.Records
	}
	if sum != c.Records {
		return fmt.Errorf("counted: the ENIs' %d records are not the %d counted", sum, c.Records)
	}
	return nil
}

// eniDoc is one ENI's totals: counted while reading, and so in the JSON output
// and in a -cursor file.
type eniDoc struct {
	ENI      string `json:"eni"`
	Records  int64  `json:"records"`
	Bytes    int64  `json:"bytes"`
	Packets  int64  `json:"packets"`
	Rejected int64  `json:"rejected"`
	NoData   int64  `json:"nodata"`
}

// now is the clock of -since and -until; tests fix it.
var now = time.Now

func run(ctx context.Context, args []string, stdout, stderr io.Writer, newClients clients) error {
	fs := flag.NewFlagSet("cwlogs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	group := fs.String("log-group", "", "log `group` the flow logs deliver to, by name or ARN (required)")
	// cli.Time: a malformed time is a usage mistake, as a malformed
	// duration flag is in the other programs.
	sinceS, untilS := "1h", ""
	fs.Var((*cli.Time)(&sinceS), "since", "read records from this `time` on: "+cli.TimeForms+"; with -until alone, the hour before it")
	fs.Var((*cli.Time)(&untilS), "until", "read records before this `time` (same forms; default now)")
	var enis cli.List
	fs.Var(&enis, "eni", "read only the streams of these `ENIs` (comma-separated IDs, or repeated)")
	prefix := fs.String("prefix", "", "read only streams whose name starts with `prefix`")
	strategy := fs.String("strategy", "auto", "read `strategy`: auto, filter (FilterLogEvents) or get (GetLogEvents)")
	logFormat := fs.String("log-format", "", "flow-log record `format`, as in DescribeFlowLogs (\"${version} ${account-id} …\") or a header line; default: from EC2 DescribeFlowLogs")
	cursorFile := fs.String("cursor", "", "save/resume the read position in `file`")
	records := fs.Bool("records", false, "print every record instead of per-ENI totals")
	top := 20
	fs.Var((*cli.Int)(&top), "top", "print the top `n` ENIs by bytes")
	format := fs.String("format", "table", "output `format` of the totals: table|json")
	lenient := fs.Bool("lenient", false, "skip malformed events instead of stopping; how many, and the first reason, go to stderr")
	quiet := fs.Bool("q", false, "no progress or info lines on stderr (the flow-log formats, -lenient's all-clear); problems, notes on the answer, and where a -cursor read resumes or stops, still shown")
	policy := fs.Bool("iam-policy", false, "print the IAM policy the read needs, and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: cwlogs -log-group NAME [-since 1h | -since TIME -until TIME] [-eni IDS | -prefix P] [-strategy auto|filter|get]\n"+
			"              [-log-format FORMAT] [-cursor FILE] [-records | -top N] [-format table|json] [-lenient] [-q]\n"+
			"       cwlogs -iam-policy\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := cli.NoArgs(fs); err != nil {
		return err
	}
	set := cli.Set(fs)
	if err := cli.NoEmptyFlags(fs); err != nil {
		return err
	}
	if *policy {
		if !cli.Alone(set, "iam-policy") {
			return errors.New("-iam-policy prints the policy and exits: give it alone")
		}
		_, err := io.WriteString(stdout, cwlogs.IAMPolicy())
		return err
	}
	if *group == "" {
		return errors.New("-log-group is required (-h lists the flags)")
	}
	f, err := cli.Format(*format, "table", "json")
	if err != nil {
		return err
	}
	*format = f
	switch {
	case *records && set["top"]:
		return errors.New("-top applies to the totals, not to -records")
	case *records && set["format"]:
		return errors.New("-format applies to the totals; -records prints the records as they are")
	case *format == "json" && set["top"]:
		return errors.New("-top applies to the table; -format json lists every ENI")
	case top <= 0:
		return fmt.Errorf("-top %d: must be at least 1", top)
	case len(enis.Items) > 0 && *prefix != "":
		return errors.New("give -eni or -prefix, not both")
	}
	var strat cwlogs.Strategy
	stratName, err := cli.Keyword("strategy", *strategy, "auto", "filter", "get")
	if err != nil {
		return err
	}
	switch stratName {
	case "filter":
		strat = cwlogs.FilterLogEvents
	case "get":
		strat = cwlogs.GetLogEvents
	}
	// Whole seconds: the window printed (to the second) is the one read.
	t := now().UTC().Truncate(time.Second)
	end := t
	start, err := cli.ParseTime("since", sinceS, t)
	if err != nil {
		return err
	}
	if untilS != "" {
		if end, err = cli.ParseTime("until", untilS, t); err != nil {
			return err
		}
		if !set["since"] {
			start = end.Add(-time.Hour) // the hour before -until
		}
	}
	// A time given with a fraction of a second reads as the next whole
	// second (records, and so their events, are placed at whole seconds):
	// rounded up, it is printed as it is read.
	ceil := func(t time.Time) time.Time {
		if w := t.Truncate(time.Second); !w.Equal(t) {
			return w.Add(time.Second)
		}
		return t
	}
	if start.Before(end) && !ceil(start).Before(ceil(end)) {
		return fmt.Errorf("-since %s and -until %s fall within one second, and the window is read in whole seconds: give a window of at least one second",
			start.Format(time.RFC3339Nano), end.Format(time.RFC3339Nano))
	}
	start, end = ceil(start), ceil(end)
	if !start.Before(end) {
		return fmt.Errorf("-since %s is not before -until %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	// The sides of the window that follow the clock: the end when -until
	// is left out (now) or a duration before now; the start when -since is
	// a duration, or left out (an hour before the end) with such an end.
	endClock := untilS == "" || isDuration(untilS)
	startClock := endClock
	if set["since"] {
		startClock = isDuration(sinceS)
	}
	var resume *savedRead
	if *cursorFile != "" {
		b, err := os.ReadFile(*cursorFile)
		switch {
		case err == nil:
			// A file of another kind the programs know (a record file,
			// flow logs, describe output: a wrong name on the command
			// line) is the user's, not a cursor to remove: said as what
			// it is, and left as it was.
			if wrong := cli.WrongKind(*cursorFile, "a read position this program saved", cli.KindCursor, cli.KindBinary); wrong != "" {
				return fmt.Errorf("-cursor %s; give -cursor another file (this one is left as it was)", wrong)
			}
			// A file opened and saved again by some Windows editors starts
			// with a byte-order mark, skipped as in every other JSON file
			// the repo reads (awswire.BOM); blanked, errors keep their place.
			b = awswire.BlankBOM(b)
			// The version first: a newer file's members may not decode
			// as this version's.
			var v struct {
				Version int `json:"version"`
			}
			if json.Unmarshal(b, &v) == nil && v.Version > cursorVersion {
				return fmt.Errorf("-cursor %s was written by a newer ecsnet (cursor version %d; this one reads up to %d): run that one, or remove the file to start over", *cursorFile, v.Version, cursorVersion)
			}
			// And the library cursor's own (cwlogs.Cursor.Version, 0 in
			// the files of an ecsnet before it): a newer library's
			// position members would be dropped here.
			var cv struct {
				Version int `json:"cursorVersion"`
			}
			if json.Unmarshal(b, &cv) == nil && cv.Version > cwlogs.CursorVersion {
				return fmt.Errorf("-cursor %s was written by a newer ecsnet (read position of cursor version %d; this one reads up to %d): run that one, or remove the file to start over", *cursorFile, cv.Version, cwlogs.CursorVersion)
			}
			if err := json.Unmarshal(b, &resume); err != nil {
				return fmt.Errorf("-cursor %s: %w: not a file this program saved; remove it to read from the start", *cursorFile, awswire.Place(b, err))
			}
			// This program always saves a bounded window; an unbounded one
			// (0) would read the whole group.
			if resume == nil || resume.LogGroup == "" || resume.StartMillis <= 0 || resume.EndMillis <= resume.StartMillis {
				return fmt.Errorf("-cursor %s holds no read position (a log group and a window): not a file this program saved; remove it to read from the start", *cursorFile)
			}
			if err := resume.Counted.check(); err != nil {
				return fmt.Errorf("-cursor %s: %w: not a file this program saved; remove it to read from the start", *cursorFile, err)
			}
			if c := resume.Counted; c != nil && c.RecordsMode != *records {
				if c.RecordsMode {
					return fmt.Errorf("-cursor %s was saved by a -records read, whose records were printed and not counted: give -records to continue it, or remove the file", *cursorFile)
				}
				return fmt.Errorf("-cursor %s was saved by a read of totals, whose totals so far are in the file: continue it without -records, or remove the file", *cursorFile)
			}
			if c := resume.Counted; c != nil && sameStreams(c.Streams) != streamChoice(enis.Items, *prefix) {
				was := c.Streams
				if was == "" {
					was = "no -eni or -prefix"
				}
				return fmt.Errorf("-cursor %s was saved by a read of other streams (%s): give the same to continue it, or remove the file", *cursorFile, was)
			}
			// A side that follows the clock has moved since the interrupted
			// run: the read continues over the side it had. A side given as
			// a time stays the flag's, so a changed one is refused as
			// another read's (cwlogs.ErrCursorMismatch).
			if startClock {
				start = time.UnixMilli(resume.StartMillis).UTC()
			}
			if endClock {
				end = time.UnixMilli(resume.EndMillis).UTC()
			}
			fmt.Fprintf(stderr, "cwlogs: resuming from %s: window %s (%s)\n", *cursorFile, cli.Span(start, end), windowSides(startClock, endClock))
			if resume.Counted == nil && !*records {
				fmt.Fprintf(stderr, "cwlogs: note: -cursor %s was saved by an earlier version, without the totals of the interrupted run: the totals cover the continued part only\n", *cursorFile)
			}
		case !errors.Is(err, os.ErrNotExist):
			return fmt.Errorf("-cursor: %w", err)
		}
	}
	logs, ec2c, err := newClients(ctx)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	region := regionOf(logs)
	if resume != nil && resume.Region != "" && region != "" && resume.Region != region {
		// A log group's name is the same in every Region: the cursor's
		// positions, and the totals so far, are another group's.
		return fmt.Errorf("-cursor %s was saved by a read in Region %s, and this one reads %s: give that Region (AWS_REGION) to continue it, or remove the file", *cursorFile, resume.Region, region)
	}
	opts := []cwlogs.Option{cwlogs.WithWindow(start, end)}
	if resume != nil {
		opts = append(opts, cwlogs.WithResume(&resume.Cursor))
	}
	if strat != cwlogs.Auto {
		opts = append(opts, cwlogs.WithStrategy(strat))
	}
	if len(enis.Items) > 0 {
		opts = append(opts, cwlogs.WithENIs(enis.Items...))
	}
	if *prefix != "" {
		opts = append(opts, cwlogs.WithStreamPrefix(*prefix))
	}
	var ropts []flowlogs.Option
	if !*records { // the totals need only these fields: a faster parse
		ropts = append(ropts, flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes,
			flowlogs.FieldPackets, flowlogs.FieldAction, flowlogs.FieldLogStatus))
	}
	if *lenient {
		ropts = append(ropts, flowlogs.WithLenient(1))
	}
	var formats []*flowlogs.Format
	if *logFormat != "" {
		f, err := flowlogs.ParseFormat(*logFormat)
		if err != nil {
			return fmt.Errorf("-log-format: %w", err)
		}
		formats = []*flowlogs.Format{f}
		ropts = append(ropts, flowlogs.WithFormat(f))
	} else {
		fls, err := ec2format.ForLogGroup(ctx, ec2c, *group)
		if errors.Is(err, loggroup.ErrOtherRegion) {
			return fmt.Errorf("-log-group: %w", err) // -log-format would not help
		}
		if err != nil {
			return fmt.Errorf("-log-group %s: %w (give -log-format to skip the lookup)", *group, err)
		}
		if !*quiet {
			for _, fl := range fls {
				fmt.Fprintf(stderr, "cwlogs: flow log %s (%s, %s): %s\n", awswire.Plain(fl.ID), awswire.Plain(fl.ResourceID), awswire.Plain(fl.TrafficType), awswire.Plain(fl.LogFormat))
			}
		}
		formats = ec2format.Formats(fls)
		ropts = append(ropts, flowlogs.WithFormats(formats...))
	}
	if !*records {
		// The totals are per interface-id, of bytes and packets: a format
		// without them would print one row with no ENI, or zeros.
		what := "-log-format"
		if *logFormat == "" {
			what = "the LogFormat of flow log(s) delivering to " + *group
		}
		if err := totalsFields(formats); err != nil {
			return fmt.Errorf("%s %w: the per-ENI totals need it; -records prints the records as they are", what, err)
		}
	}
	if resume != nil && resume.Counted != nil && resume.Counted.Formats != "" && resume.Counted.Formats != formatsKey(formats) {
		return fmt.Errorf("-cursor %s was saved by a read of records in other formats (%s): give the same -log-format, or remove the file", *cursorFile, resume.Counted.Formats)
	}
	opts = append(opts, cwlogs.WithReaderOptions(ropts...))
	draw := !*quiet && cli.IsTerminal(stderr)
	var lastLine time.Time
	var width int // of the line drawn last: a shorter one covers it
	progressLine := func(p cwlogs.Progress) string {
		// A Rate of 0 is no limit (none set yet: a read that failed
		// before it chose a strategy), not "0.0/s", none allowed.
		limit := ""
		if p.Rate > 0 {
			limit = fmt.Sprintf("limit %.1f/s  ", p.Rate)
		}
		return cli.Cover(fmt.Sprintf("\r%s: streams %d/%d  events %d  %s  requests %d  throttled %d  %s%s ",
			p.Strategy, p.StreamsDone, p.StreamsTotal, p.Events, cli.Bytes(p.Bytes), p.Requests, p.Throttles,
			limit, p.Elapsed.Truncate(time.Second)), &width)
	}
	if draw {
		opts = append(opts, cwlogs.WithProgress(func(p cwlogs.Progress) {
			if time.Since(lastLine) < 200*time.Millisecond {
				return
			}
			lastLine = time.Now()
			io.WriteString(stderr, progressLine(p))
		}))
	}

	src := cwlogs.New(logs, *group, opts...)
	// before is what the runs this one continues counted; per starts with
	// their totals, so it always holds those of every event the cursor
	// counts as delivered.
	before := counted{RecordsMode: *records, Streams: streamChoice(enis.Items, *prefix), Formats: formatsKey(formats)}
	if resume != nil {
		if resume.Counted != nil {
			before = *resume.Counted
			before.Formats = formatsKey(formats) // checked equal, or not kept
		} else {
			before.Partial = true
		}
	}
	per := map[string]*eniDoc{}
	for _, d := range before.ENIs { // one each: checked when the file was read
		per[d.ENI] = &d
	}
	var readErr error
	var yielded int64 // records this run printed or counted
	for r, err := range src.Records(ctx) {
		if err != nil {
			readErr = err
			break
		}
		yielded++
		if *records {
			if _, err := fmt.Fprintln(stdout, awswire.Plain(r.String())); err != nil {
				// Not printed, so not delivered: the cursor takes it
				// back, and a resumed run starts with it.
				src.TakeBack()
				yielded--
				readErr = fmt.Errorf("writing the records: %w", err)
				break
			}
			continue
		}
		t := per[r.InterfaceID]
		if t == nil {
			t = &eniDoc{ENI: r.InterfaceID}
			per[r.InterfaceID] = t
		}
		t.Records++
		t.Bytes += r.Bytes
		t.Packets += r.Packets
		if r.Action == flowlogs.ActionReject {
			t.Rejected++
		}
		if r.LogStatus == flowlogs.StatusNoData {
			t.NoData++
		}
	}
	p := src.Progress()
	if draw {
		io.WriteString(stderr, progressLine(p)+"\n")
	}
	// All counts now cover every run of the read: this one and those it
	// continues.
	all := counted{RecordsMode: *records, Events: before.Events + p.Events, Malformed: before.Malformed + p.Malformed,
		Records: before.Records + yielded, Partial: before.Partial, Streams: before.Streams, Formats: before.Formats}
	if !*records {
		all.ENIs = make([]eniDoc, 0, len(per))
		for _, t := range sorted(per) {
			all.ENIs = append(all.ENIs, *t)
		}
	}
	if *lenient {
		var first string // the first malformed event of this run, with the program's prefix alone
		m := src.Malformed()
		if len(m) > 0 {
			first = awswire.Plain(cli.OnePrefix(m[0].Error())) // names a log stream
		}
		switch {
		case all.Malformed == 0:
			// Said of a read that ended, not of one that failed: the
			// events it did not read may hold some.
			if !*quiet && readErr == nil { // info, not a problem
				fmt.Fprintf(stderr, "cwlogs: -lenient: no malformed events in %s\n", *group)
			}
		case len(m) == 0:
			fmt.Fprintf(stderr, "cwlogs: -lenient: skipped %s in %s, all in the runs before this one\n", plural(all.Malformed, "malformed event"), *group)
		case before.Malformed == 0:
			fmt.Fprintf(stderr, "cwlogs: -lenient: skipped %s in %s; first: %s\n", plural(all.Malformed, "malformed event"), *group, first)
		default:
			fmt.Fprintf(stderr, "cwlogs: -lenient: skipped %s in %s, %d of them in this run; its first: %s\n", plural(all.Malformed, "malformed event"), *group, p.Malformed, first)
		}
	} else if before.Malformed > 0 {
		// A -lenient read continued without it: what the runs before
		// skipped is not in the answer, which must not look whole.
		fmt.Fprintf(stderr, "cwlogs: note: the runs before this one skipped %s with -lenient: the answer leaves them out\n", plural(before.Malformed, "malformed event"))
	}
	if *cursorFile != "" && readErr != nil {
		switch cur := src.Cursor(); {
		case cur == nil || errors.Is(readErr, cwlogs.ErrCursorMismatch) || resume == nil && p.StreamsTotal == 0 && len(cur.Streams) == 0:
			// The file stays as it was: a cursor of another read is that
			// read's, and a read that failed before it began, or before it
			// found a stream (a log group misspelt, or not to be listed),
			// has no position: saved, it would refuse the corrected run as
			// another read's.
		default:
			// The position and the counts of the events it holds as
			// delivered, in one file replaced whole: a run resumed from it
			// counts every event once, whenever this one stopped.
			saved := savedRead{Version: cursorVersion, Cursor: *cur, Counted: &all, Region: region}
			err := cli.WriteFile(*cursorFile, func(w io.Writer) error { return json.NewEncoder(w).Encode(&saved) })
			if err != nil {
				return errors.Join(readErr, fmt.Errorf("-cursor: %w", err))
			}
			fmt.Fprintf(stderr, "cwlogs: position saved in %s; run again to continue\n", *cursorFile)
		}
	}
	if errors.Is(readErr, cwlogs.ErrCursorDamaged) {
		return fmt.Errorf("-cursor %s: %w: not a file this program saved; remove it to read from the start", *cursorFile, readErr)
	}
	if me := (*cwlogs.CursorMismatchError)(nil); errors.As(readErr, &me) {
		return fmt.Errorf("-cursor %s was saved by another read (%w); %s, or remove the file", *cursorFile, readErr, mismatch(me))
	}
	if readErr != nil {
		return readErr
	}
	// The read is complete. Its cursor file goes once the answer is out;
	// if writing the totals fails, the file stays, and a new run reads
	// again what this one read and counts it once.
	answer := noRecords(all, p, *group, start, end, len(enis.Items) > 0 || *prefix != "")
	if answer == nil && !*records {
		var err error
		if *format == "json" {
			err = writeJSON(stdout, *group, start, end, all.ENIs)
		} else {
			err = printTotals(stdout, all.ENIs, top)
		}
		if err != nil {
			return fmt.Errorf("writing the totals: %w", err)
		}
	}
	if *cursorFile != "" {
		if err := os.Remove(*cursorFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return errors.Join(answer, fmt.Errorf("-cursor: %w", err))
		}
	}
	if answer == nil && all.Partial && !*records { // -records prints no totals
		fmt.Fprintln(stderr, "cwlogs: note: the totals miss the run(s) before a -cursor file of an earlier version, which kept no totals")
	}
	return answer
}

// totalsFields says which field the totals need that one of formats
// lacks: interface-id, the key of a row, and bytes and packets, what a
// row adds up (nil when each format has them).
func totalsFields(formats []*flowlogs.Format) error {
	for _, f := range formats {
		for _, fld := range []flowlogs.Field{flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldPackets} {
			if !f.Has(fld) {
				return fmt.Errorf("has no %s field (%q)", fld, f.String())
			}
		}
	}
	return nil
}

// noRecords is the error for a complete read that found no records (nil
// when it found some): which of streams, events or parsed records were
// missing, so that an empty answer is never mistaken for no traffic.
func noRecords(all counted, p cwlogs.Progress, group string, start, end time.Time, selected bool) error {
	if all.Records > 0 {
		return nil
	}
	what := "no streams with events"
	switch {
	case all.Events > 0:
		// Only -lenient skips an event without failing the read.
		what = fmt.Sprintf("no records (%s read, -lenient skipped %s)", plural(all.Events, "event"), plural(all.Malformed, "malformed one"))
	case p.StreamsTotal > 0:
		what = "no flow-log events"
	case selected:
		what = "no streams matching -eni or -prefix"
	}
	msg := fmt.Sprintf("log group %s: %s in %s (-since/-until)", group, what, cli.Span(start, end))
	if all.Partial {
		msg += "; the runs before a resumed -cursor file of an earlier version are not counted"
	}
	return errors.New(msg)
}

func plural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// windowSides says where the sides of a resumed window come from.
func windowSides(startClock, endClock bool) string {
	switch {
	case startClock && endClock:
		return "start and end as saved: -since and -until follow the clock"
	case startClock:
		return "start as saved: -since follows the clock; end from -until"
	case endClock:
		return "end as saved: -until follows the clock; start from -since"
	}
	return "start and end from -since and -until"
}

// mismatch says which flags differ from those of the read that saved
// the cursor, and what continues it.
func mismatch(e *cwlogs.CursorMismatchError) string {
	var give []string
	c := &e.Saved
	if e.LogGroup {
		give = append(give, "-log-group "+c.LogGroup)
	}
	if e.Window {
		give = append(give, "-since and -until for "+cli.Span(time.UnixMilli(c.StartMillis), time.UnixMilli(c.EndMillis)))
	}
	if e.Strategy {
		name := "filter"
		if c.Strategy == cwlogs.GetLogEvents {
			name = "get"
		}
		give = append(give, "-strategy "+name+" (or auto)")
	}
	return "give " + strings.Join(give, ", ") + " to continue it"
}

// isDuration reports whether a time flag's value is a duration before now
// (cli.ParseTime trims spaces first, and so does this).
func isDuration(s string) bool {
	_, err := cli.ParseDuration(strings.TrimSpace(s))
	return err == nil
}

// writeJSON prints the totals as one JSON object: the window and every
// ENI, heaviest first (as sorted orders them). Fields are only ever added.
func writeJSON(w io.Writer, group string, start, end time.Time, enis []eniDoc) error {
	doc := struct {
		LogGroup string   `json:"logGroup"`
		Since    string   `json:"since"`
		Until    string   `json:"until"`
		ENIs     []eniDoc `json:"enis"`
	}{LogGroup: group, Since: start.Format(time.RFC3339), Until: end.Format(time.RFC3339), ENIs: enis}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func sorted(per map[string]*eniDoc) []*eniDoc {
	list := make([]*eniDoc, 0, len(per))
	for _, t := range per {
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Bytes != list[j].Bytes {
			return list[i].Bytes > list[j].Bytes
		}
		return list[i].ENI < list[j].ENI
	})
	return list
}

// printTotals prints the top ENIs of list, heaviest first, as a table.
func printTotals(w io.Writer, list []eniDoc, top int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ENI\tRECORDS\tBYTES\tPACKETS\tREJECTED\tNODATA\t")
	for i, t := range list {
		if i == top {
			fmt.Fprintf(tw, "(%d more)\t\t\t\t\t\t\n", len(list)-top)
			break
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", awswire.Plain(t.ENI), t.Records, t.Bytes, t.Packets, t.Rejected, t.NoData)
	}
	return tw.Flush() // the table's writes are buffered: their error comes here
}

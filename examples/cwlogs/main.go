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
// delivering to the group). With -cursor, an interrupted read (Ctrl-C, an
// error) saves its position in FILE and the next run with the same flags
// continues from there, over the saved window (unless -since/-until are
// given as times) — the totals then cover the continued part only; a
// finished read removes FILE. A read that finds no records exits 1.
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
	"sort"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, awsClients)
	stop()
	cli.Exit("cwlogs", err)
}

// clients builds the AWS clients; tests replace it with fakes.
type clients func(ctx context.Context) (cwlogs.API, ec2format.API, error)

func awsClients(ctx context.Context) (cwlogs.API, ec2format.API, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, nil, err
	}
	return cloudwatchlogs.NewFromConfig(cfg), ec2.NewFromConfig(cfg), nil
}

type totals struct {
	eni                     string
	records, bytes, packets int64
	rejected, nodata        int64
}

// now is the clock of -since and -until; tests fix it.
var now = time.Now

func run(ctx context.Context, args []string, stdout, stderr io.Writer, newClients clients) error {
	fs := flag.NewFlagSet("cwlogs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	group := fs.String("log-group", "", "log `group` the flow logs deliver to (required)")
	sinceS := fs.String("since", "1h", "read records from this `time` on: "+cli.TimeForms+"; with -until alone, the hour before it")
	untilS := fs.String("until", "", "read records before this `time` (same forms; default now)")
	var enis cli.List
	fs.Var(&enis, "eni", "read only the streams of these `ENIs` (comma-separated IDs, or repeated)")
	prefix := fs.String("prefix", "", "read only streams whose name starts with `prefix`")
	strategy := fs.String("strategy", "auto", "read `strategy`: auto, filter (FilterLogEvents) or get (GetLogEvents)")
	logFormat := fs.String("log-format", "", "flow-log record `format` (LogFormat string); default: from EC2 DescribeFlowLogs")
	cursorFile := fs.String("cursor", "", "save/resume the read position in `file`")
	records := fs.Bool("records", false, "print every record instead of per-ENI totals")
	top := fs.Int("top", 20, "print the top `n` ENIs by bytes")
	format := fs.String("format", "table", "output `format` of the totals: table|json")
	lenient := fs.Bool("lenient", false, "skip malformed events instead of stopping; how many, and the first reason, go to stderr")
	quiet := fs.Bool("q", false, "no progress or flow-log format lines on stderr")
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
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	set := cli.Set(fs)
	if err := cli.NoEmptyFlags(fs); err != nil {
		return err
	}
	if *policy {
		if len(set) > 1 {
			return errors.New("-iam-policy prints the policy and exits: give it alone")
		}
		_, err := io.WriteString(stdout, cwlogs.IAMPolicy())
		return err
	}
	if *group == "" {
		return errors.New("-log-group is required (-h lists the flags)")
	}
	switch {
	case *format != "table" && *format != "json":
		return fmt.Errorf("-format %q: want table or json", *format)
	case *records && set["top"]:
		return errors.New("-top applies to the totals, not to -records")
	case *records && set["format"]:
		return errors.New("-format applies to the totals; -records prints the records as they are")
	case *format == "json" && set["top"]:
		return errors.New("-top applies to the table; -format json lists every ENI")
	case *top <= 0:
		return fmt.Errorf("-top %d: must be at least 1", *top)
	case len(enis.Items) > 0 && *prefix != "":
		return errors.New("give -eni or -prefix, not both")
	}
	t := now()
	end := t.UTC().Truncate(time.Second)
	start, err := cli.ParseTime("since", *sinceS, t)
	if err != nil {
		return err
	}
	if *untilS != "" {
		if end, err = cli.ParseTime("until", *untilS, t); err != nil {
			return err
		}
		if !set["since"] {
			start = end.Add(-time.Hour) // the hour before -until
		}
	}
	if !start.Before(end) {
		return fmt.Errorf("-since %s is not before -until %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	var resume *cwlogs.Cursor
	if *cursorFile != "" {
		b, err := os.ReadFile(*cursorFile)
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &resume); err != nil {
				return fmt.Errorf("-cursor %s: %w", *cursorFile, err)
			}
			// This program always saves a bounded window; an unbounded one
			// (0) would read the whole group.
			if resume == nil || resume.LogGroup == "" || resume.StartMillis <= 0 || resume.EndMillis <= resume.StartMillis {
				return fmt.Errorf("-cursor %s holds no read position (a log group and a window): not a file this program saved; remove it to read from the start", *cursorFile)
			}
			if !set["since"] && !set["until"] || isDuration(*sinceS) && *untilS == "" {
				// A window relative to now moves with the clock: keep the saved one.
				start, end = time.UnixMilli(resume.StartMillis).UTC(), time.UnixMilli(resume.EndMillis).UTC()
			}
			fmt.Fprintf(stderr, "cwlogs: resuming from %s (window %s)\n", *cursorFile, cli.Span(start, end))
		case !errors.Is(err, os.ErrNotExist):
			return fmt.Errorf("-cursor: %w", err)
		}
	}
	logs, ec2c, err := newClients(ctx)
	if err != nil {
		return fmt.Errorf("AWS configuration: %w", err)
	}
	opts := []cwlogs.Option{cwlogs.WithWindow(start, end)}
	if resume != nil {
		opts = append(opts, cwlogs.WithResume(resume))
	}
	switch *strategy {
	case "auto":
	case "filter":
		opts = append(opts, cwlogs.WithStrategy(cwlogs.FilterLogEvents))
	case "get":
		opts = append(opts, cwlogs.WithStrategy(cwlogs.GetLogEvents))
	default:
		return fmt.Errorf("-strategy %q: want auto, filter or get", *strategy)
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
	if *logFormat != "" {
		f, err := flowlogs.ParseFormat(*logFormat)
		if err != nil {
			return fmt.Errorf("-log-format: %w", err)
		}
		ropts = append(ropts, flowlogs.WithFormat(f))
	} else {
		fls, err := ec2format.ForLogGroup(ctx, ec2c, *group)
		if err != nil {
			return fmt.Errorf("-log-group %s: %w (give -log-format to skip the lookup)", *group, err)
		}
		if !*quiet {
			for _, fl := range fls {
				fmt.Fprintf(stderr, "cwlogs: flow log %s (%s, %s): %s\n", fl.ID, fl.ResourceID, fl.TrafficType, fl.LogFormat)
			}
		}
		ropts = append(ropts, flowlogs.WithFormats(ec2format.Formats(fls)...))
	}
	opts = append(opts, cwlogs.WithReaderOptions(ropts...))
	draw := !*quiet && cli.IsTerminal(stderr)
	var lastLine time.Time
	progressLine := func(p cwlogs.Progress) string {
		return fmt.Sprintf("\r%s: streams %d/%d  events %d  %s  requests %d  throttled %d  limit %.1f/s  %s ",
			p.Strategy, p.StreamsDone, p.StreamsTotal, p.Events, cli.Bytes(p.Bytes), p.Requests, p.Throttles,
			p.Rate, p.Elapsed.Truncate(time.Second))
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
	per := map[string]*totals{}
	var readErr error
	for r, err := range src.Records(ctx) {
		if err != nil {
			readErr = err
			break
		}
		if *records {
			fmt.Fprintln(stdout, r.String())
			continue
		}
		t := per[r.InterfaceID]
		if t == nil {
			t = &totals{eni: r.InterfaceID}
			per[r.InterfaceID] = t
		}
		t.records++
		t.bytes += r.Bytes
		t.packets += r.Packets
		if r.Action == flowlogs.ActionReject {
			t.rejected++
		}
		if r.LogStatus == flowlogs.StatusNoData {
			t.nodata++
		}
	}
	p := src.Progress()
	if draw {
		io.WriteString(stderr, progressLine(p)+"\n")
	}
	if *lenient {
		if m := src.Malformed(); len(m) > 0 {
			fmt.Fprintf(stderr, "cwlogs: -lenient: skipped %d malformed events in %s; first: %v\n", p.Malformed, *group, m[0])
		} else {
			fmt.Fprintf(stderr, "cwlogs: -lenient: no malformed events in %s\n", *group)
		}
	}
	if *cursorFile != "" {
		switch cur := src.Cursor(); {
		case readErr == nil:
			if err := os.Remove(*cursorFile); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("-cursor: %w", err)
			}
		case cur == nil || errors.Is(readErr, cwlogs.ErrCursorMismatch):
			// The file stays as it was: a cursor of another read is that
			// read's, and a read that failed before it began has no position.
		default:
			err := cli.WriteFile(*cursorFile, func(w io.Writer) error { return json.NewEncoder(w).Encode(cur) })
			if err != nil {
				return errors.Join(readErr, fmt.Errorf("-cursor: %w", err))
			}
			fmt.Fprintf(stderr, "cwlogs: position saved in %s; run again to continue\n", *cursorFile)
		}
	}
	if errors.Is(readErr, cwlogs.ErrCursorMismatch) {
		return fmt.Errorf("-cursor %s was saved by another read (%w); give the same -log-group, -since and -until, or remove the file", *cursorFile, readErr)
	}
	if readErr != nil {
		return readErr
	}
	if p.Events == 0 {
		what := "no flow-log events"
		if p.StreamsTotal == 0 {
			what = "no streams with events"
			if len(enis.Items) > 0 || *prefix != "" {
				what = "no streams matching -eni or -prefix"
			}
		}
		return fmt.Errorf("log group %s: %s in %s (-since/-until)", *group, what, cli.Span(start, end))
	}
	if *records {
		return nil
	}
	if *format == "json" {
		return writeJSON(stdout, *group, start, end, per)
	}
	printTotals(stdout, per, *top)
	return nil
}

func isDuration(s string) bool {
	_, err := cli.ParseDuration(s)
	return err == nil
}

// writeJSON prints the totals as one JSON object: the window and every
// ENI, heaviest first. Fields are only ever added.
func writeJSON(w io.Writer, group string, start, end time.Time, per map[string]*totals) error {
	type eniDoc struct {
		ENI      string `json:"eni"`
		Records  int64  `json:"records"`
		Bytes    int64  `json:"bytes"`
		Packets  int64  `json:"packets"`
		Rejected int64  `json:"rejected"`
		NoData   int64  `json:"nodata"`
	}
	doc := struct {
		LogGroup string   `json:"logGroup"`
		Since    string   `json:"since"`
		Until    string   `json:"until"`
		ENIs     []eniDoc `json:"enis"`
	}{LogGroup: group, Since: start.Format(time.RFC3339), Until: end.Format(time.RFC3339), ENIs: []eniDoc{}}
	for _, t := range sorted(per) {
		doc.ENIs = append(doc.ENIs, eniDoc{t.eni, t.records, t.bytes, t.packets, t.rejected, t.nodata})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func sorted(per map[string]*totals) []*totals {
	list := make([]*totals, 0, len(per))
	for _, t := range per {
		list = append(list, t)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].bytes != list[j].bytes {
			return list[i].bytes > list[j].bytes
		}
		return list[i].eni < list[j].eni
	})
	return list
}

func printTotals(w io.Writer, per map[string]*totals, top int) {
	list := sorted(per)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ENI\tRECORDS\tBYTES\tPACKETS\tREJECTED\tNODATA\t")
	for i, t := range list {
		if i == top {
			fmt.Fprintf(tw, "(%d more)\t\t\t\t\t\t\n", len(list)-top)
			break
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", t.eni, t.records, t.bytes, t.packets, t.rejected, t.nodata)
	}
	tw.Flush()
}

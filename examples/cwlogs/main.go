// Command cwlogs reads VPC Flow Logs from a CloudWatch Logs log group with
// the default AWS configuration and prints traffic per network interface
// (or every record), with a progress line on stderr.
//
// Usage:
//
//	cwlogs -group NAME [-since 1h | -start T -end T] [-eni eni-a,eni-b | -prefix P]
//	       [-strategy auto|filter|get] [-format '${version} …'] [-cursor FILE] [-records] [-top N]
//
// The record format comes from -format or, by default, from EC2
// DescribeFlowLogs (the LogFormat of every flow log delivering to the group).
// With -cursor, an interrupted read (Ctrl-C, an error) saves its position in
// FILE and the next run with the same flags continues from there, over the
// saved window (unless -start/-end say otherwise) — the totals then cover the
// continued part only; a finished read removes FILE.
//
// It needs the read-only IAM policy in cwlogs.IAMPolicy:
// logs:DescribeLogStreams, logs:FilterLogEvents, logs:GetLogEvents and, unless
// -format is given, ec2:DescribeFlowLogs.
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
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, awsClients); err != nil {
		fmt.Fprintln(os.Stderr, "cwlogs:", err)
		os.Exit(1)
	}
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer, newClients clients) error {
	fs := flag.NewFlagSet("cwlogs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	group := fs.String("group", "", "log group the flow logs deliver to (required)")
	since := fs.Duration("since", time.Hour, "read the last `duration` (ignored with -start)")
	startS := fs.String("start", "", "window start, RFC 3339")
	endS := fs.String("end", "", "window end, RFC 3339 (default now)")
	enis := fs.String("eni", "", "comma-separated ENI IDs: read only their streams")
	prefix := fs.String("prefix", "", "read only streams with this name prefix")
	strategy := fs.String("strategy", "auto", "auto, filter (FilterLogEvents) or get (GetLogEvents)")
	format := fs.String("format", "", "record format (LogFormat string); default: from EC2 DescribeFlowLogs")
	cursorFile := fs.String("cursor", "", "save/resume the read position in `file`")
	records := fs.Bool("records", false, "print every record instead of per-ENI totals")
	top := fs.Int("top", 20, "print the top `n` ENIs by bytes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *group == "" {
		fs.Usage()
		return errors.New("-group is required")
	}
	end := time.Now().UTC().Truncate(time.Second)
	start := end.Add(-*since)
	var err error
	if *startS != "" {
		if start, err = time.Parse(time.RFC3339, *startS); err != nil {
			return fmt.Errorf("-start: %w", err)
		}
		if *endS == "" {
			return errors.New("-start needs -end")
		}
	}
	if *endS != "" {
		if end, err = time.Parse(time.RFC3339, *endS); err != nil {
			return fmt.Errorf("-end: %w", err)
		}
	}
	var resume *cwlogs.Cursor
	if *cursorFile != "" {
		b, err := os.ReadFile(*cursorFile)
		switch {
		case err == nil:
			resume = new(cwlogs.Cursor)
			if err := json.Unmarshal(b, resume); err != nil {
				return fmt.Errorf("cursor %s: %w", *cursorFile, err)
			}
			if *startS == "" { // -since moves with the clock: keep the saved window
				start, end = time.UnixMilli(resume.StartMillis).UTC(), time.UnixMilli(resume.EndMillis).UTC()
			}
			fmt.Fprintf(stderr, "resuming from %s (window %s to %s)\n", *cursorFile,
				start.Format(time.RFC3339), end.Format(time.RFC3339))
		case !errors.Is(err, os.ErrNotExist):
			return err
		}
	}
	logs, ec2c, err := newClients(ctx)
	if err != nil {
		return err
	}
	opts := []cwlogs.Option{cwlogs.Window(start, end)}
	if resume != nil {
		opts = append(opts, cwlogs.Resume(resume))
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
	if *enis != "" {
		opts = append(opts, cwlogs.ENIs(strings.Split(*enis, ",")...))
	}
	if *prefix != "" {
		opts = append(opts, cwlogs.StreamPrefix(*prefix))
	}
	if *format != "" {
		f, err := flowlogs.ParseFormat(*format)
		if err != nil {
			return fmt.Errorf("-format: %w", err)
		}
		opts = append(opts, cwlogs.Formats(f))
	} else {
		fls, err := ec2format.ForLogGroup(ctx, ec2c, *group)
		if err != nil {
			return fmt.Errorf("%w (give -format to skip the lookup)", err)
		}
		for _, fl := range fls {
			fmt.Fprintf(stderr, "flow log %s (%s, %s): %s\n", fl.ID, fl.ResourceID, fl.TrafficType, fl.LogFormat)
		}
		opts = append(opts, cwlogs.Formats(ec2format.Formats(fls)...))
	}
	var lastLine time.Time
	opts = append(opts, cwlogs.OnProgress(func(p cwlogs.Progress) {
		if time.Since(lastLine) < 200*time.Millisecond {
			return
		}
		lastLine = time.Now()
		fmt.Fprintf(stderr, "\r%s: streams %d/%d  events %d  %.1f MB  requests %d  throttled %d  limit %.1f/s  %s ",
			p.Strategy, p.StreamsDone, p.StreamsTotal, p.Events, float64(p.Bytes)/1e6, p.Requests, p.Throttles,
			p.Rate, p.Elapsed.Truncate(time.Second))
	}))

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
	fmt.Fprintf(stderr, "\r%s: streams %d/%d  events %d  %.1f MB  requests %d  throttled %d  %s\n",
		p.Strategy, p.StreamsDone, p.StreamsTotal, p.Events, float64(p.Bytes)/1e6, p.Requests, p.Throttles,
		p.Elapsed.Truncate(time.Millisecond))
	if *cursorFile != "" {
		if readErr != nil {
			b, _ := json.Marshal(src.Cursor())
			if err := os.WriteFile(*cursorFile, b, 0o600); err != nil {
				return errors.Join(readErr, err)
			}
			fmt.Fprintf(stderr, "position saved in %s; run again to continue\n", *cursorFile)
		} else if err := os.Remove(*cursorFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if !*records {
		printTotals(stdout, per, *top)
	}
	return readErr
}

func printTotals(w io.Writer, per map[string]*totals, top int) {
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

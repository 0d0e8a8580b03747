// Command attribute reports VPC Flow Log traffic per Amazon ECS task: it
// joins each flow record to the task that owned the recording ENI (or the
// address, or for bridge mode the host port) at the record's time, and
// prints the traffic per task, service, family, container instance or
// cluster, with the unattributed remainder and why.
//
// With no arguments it runs on an embedded sample cluster (see
// internal/gensample), with no AWS account and no network:
//
//	go run ./examples/attribute
//	go run ./examples/attribute -by service -format json
//	go run ./examples/attribute -html report.html
//
// On your own data:
//
//	go run ./examples/attribute -tasks ./describe-output/ -flowlogs ./AWSLogs -since 2026-11-25 -until 2026-11-26
//	go run ./examples/attribute -tasks history.jsonl -flowlogs s3://my-bucket/prod/AWSLogs/ -since 6h
//	go run ./examples/attribute -cluster prod -log-group /vpc/flowlogs -since 2h
//
// -flowlogs takes files and directories (plain or gzip text, Parquet; a
// directory laid out like S3 delivery is pruned to -since/-until before
// anything is read) and s3://bucket/prefix (the bucket may be an access
// point's ARN, as the AWS CLI takes it, here and in -merge:
// s3://arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME/prefix). With -cluster
// they are listed before the cluster is read, so that a wrong path, a
// bucket of another Region, archived objects or an empty window are said
// before minutes of ECS reads. -tasks takes files and
// directories of describe-* output, EventBridge task events, and the file
// the record program (a history Watcher) keeps. Every directory walked
// (-flowlogs, -tasks, -network, -merge) leaves out hidden files and
// directories, whose names start with "." (a .git, a sync tool's
// temporary folder or file).
//
// Past one machine, attribute each flow-log object where it lands (see
// examples/lambda) or each slice of the input on its own machine, and add
// the partial results up; the merge renders what one run over all of it
// would: its counters, classes, series and unattributed reasons exactly
// (the CSV byte for byte), its top peers and ports (and the interfaces
// each reason lists) by the mergeable-summaries rule, within the error
// bounds shown, once a task meets more peers than a summary keeps (see
// attribution.Merge):
//
//	go run ./examples/attribute -tasks history.jsonl -flowlogs OBJECT -partial part-0001.parquet
//	go run ./examples/attribute -merge parts/ s3://my-bucket/partials/cluster=prod/ -by service
//
// -merge adds each partial to the sum as it is read (attribution.Merger)
// while it reads the next ones, a core each, so its memory is the sum's
// and a few partials', however many there are: a day of a 10,000-task
// cluster's 288 five-minute partials merges in under 5 s and 350 MiB on
// two cores (bench/README). A partial names the files and objects it
// kept records of and the log streams it read, with the window the records
// were kept in, so -merge refuses partials that hold the same records,
// such as a merged partial beside one of its parts, partials of two copies
// of one delivery or the same hour of a log group read twice, rather than
// count them twice (README: what is named, and what cannot be checked).
//
// At ten thousand tasks, -format csv and -format json (without -html) and
// -partial are written a group or task at a time, as the library streams
// them; the table and the HTML page need every group at once, which takes
// as much memory again as the rollups.
//
// Everything here is a thin shell over the library: eni/history builds the
// task history, flowlogs (and flowlogs/source, s3source, parquetsource,
// cwlogs) reads the records, flowlogs/attribution joins and rolls them up,
// and flowlogs/attribution/report renders the result.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	htmlreport "github.com/ecsnet/ecsnet/flowlogs/attribution/report/html"
)

type options struct {
	flowlogs     []string
	logFormat    string
	tasks        []string
	network      []string
	cluster      string
	logGroup     string
	since, until string // time flags, resolved against the clock of the run (see window)
	allStreams   bool
	by           attribution.GroupBy
	format       report.Format
	html         string
	step         time.Duration
	ipFallback   bool
	lenient      bool
	policy       bool
	quiet        bool
	export       string // -export DIR (export.go)
	overwrite    bool
	prices       *pricing.Table // -prices
	partial      string         // -partial FILE (partial.go)
	merge        []string       // -merge: the partial files, directories and s3:// prefixes
}

func main() {
	ctx, stop := cli.StopContext()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	cli.Exit("attribute", err)
}

// groupByNames are -by's values: the names of attribution's groupings,
// in their order, so that a new one is taken as it comes.
func groupByNames() []string {
	var names []string
	for g := attribution.GroupBy(0); ; g++ {
		if _, ok := attribution.ParseGroupBy(g.String()); !ok {
			return names
		}
		names = append(names, g.String())
	}
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("attribute", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var flowFiles, taskFiles, netFiles cli.List
	fs.Var(&flowFiles, "flowlogs", "flow logs: `files, directories or s3://bucket/prefix` (text plain or gzip, with or without the header line, or Parquet; comma-separated or repeated)")
	fs.StringVar(&o.logFormat, "log-format", "", "flow-log record `format` of header-less files or of the log group, as in DescribeFlowLogs (\"${version} ${account-id} …\") or a header line; default: the header, else the default v2 format (or DescribeFlowLogs for -log-group)")
	fs.Var(&taskFiles, "tasks", "task data `files or directories`: aws ecs describe-tasks / describe-container-instances / describe-task-definition and aws ec2 describe-instances output, EventBridge task events, the file of the record program, or the history table (Parquet) -export writes")
	fs.Var(&netFiles, "network", "with -tasks: aws ec2 describe-subnets / describe-vpcs / describe-network-interfaces output `files or directories`, to classify peers by AZ and VPC, and Application and Classic Load Balancer nodes, whose cross-AZ traffic AWS does not bill (-cluster reads them live, and the embedded sample has its own)")
	fs.StringVar(&o.cluster, "cluster", "", "read the task history live from this ECS `cluster` (default AWS config)")
	fs.StringVar(&o.logGroup, "log-group", "", "read flow logs live from this CloudWatch Logs `group`, by name or ARN (default AWS config)")
	// cli.Time: a malformed time is a usage mistake, as a malformed -step.
	fs.Var((*cli.Time)(&o.since), "since", "keep records that start at this `time` or later: "+cli.TimeForms+"; prunes S3-layout directories and buckets before reading (default with -log-group: the hour before -until)")
	fs.Var((*cli.Time)(&o.until), "until", "keep records that start before this `time` (same forms as -since; default with -log-group: now, otherwise none: every record from -since on)")
	fs.BoolVar(&o.allStreams, "all-streams", false, "with -log-group: read every stream, not only the ENIs of the tasks and instances in the history")
	by := fs.String("by", "task", "group by `"+strings.Join(groupByNames(), "|")+"`")
	format := fs.String("format", "table", "output `format`: table|json|csv")
	fs.StringVar(&o.html, "html", "", "also write a self-contained HTML report with charts to `file`")
	// cli.Duration, not flag's: "1d" is a day here as in -since.
	o.step = 5 * time.Minute
	fs.Var((*cli.Duration)(&o.step), "step", "with -html or -partial: `width` of the time-series buckets (the page's charts; in a partial, for -merge), whole seconds or days: 30s, 5m, 1h, 1d")
	fs.BoolVar(&o.ipFallback, "ip-fallback", true, "attribute records on interfaces that are not task ENIs (trunk ENIs, NAT gateways, load balancers) by the task's address, but for intermediaries' interfaces when the format has v11's interface-type; turn off when VPC-wide logs would count such traffic twice")
	fs.BoolVar(&o.policy, "iam-policy", false, "print the IAM policy that the live paths (-cluster, -log-group, s3://) need, and exit (a bucket encrypted with a customer managed KMS key needs kms:Decrypt on that key too)")
	fs.StringVar(&o.export, "export", "", "also write the task history, the flow logs (Parquet) and the same join as SQL for Athena, Spark and DuckDB to `dir`")
	fs.BoolVar(&o.overwrite, "overwrite", false, "with -export: write into a directory that is not empty")
	prices := fs.String("prices", "", "price each group's bytes by peer class and direction: a `region` with built-in prices ("+strings.Join(pricing.Regions(), ", ")+") or a JSON price file (see package flowlogs/attribution/pricing)")
	fs.StringVar(&o.partial, "partial", "", "write the partial result of this input to `file` (Parquet) instead of a report, for -merge to add up with others")
	merge := fs.Bool("merge", false, "render (or with -partial, write) the merged result of the partial files, directories of them and s3://bucket/prefix given as arguments, instead of reading task data and flow logs")
	fs.BoolVar(&o.lenient, "lenient", false, "skip malformed flow-log lines instead of stopping; how many per file, and the first reason, go to stderr")
	fs.BoolVar(&o.quiet, "q", false, "no progress or info lines on stderr (progress is drawn only on a terminal anyway); problems and notes on the answer still shown")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: attribute [flags]\n       attribute -merge [flags] PARTIAL…\n\nWith no flags, runs on the embedded sample cluster.\n\nFlags:")
		fs.PrintDefaults()
	}
	// Flags may follow -merge's files.
	pos, err := cli.ParseAll(fs, args)
	if err != nil {
		return o, err
	}
	if err := cli.NoEmptyFlags(fs); err != nil {
		return o, err
	}
	set := cli.Set(fs)
	o.flowlogs, o.tasks, o.network = flowFiles.Items, taskFiles.Items, netFiles.Items
	if *merge {
		o.merge = pos
		for i, a := range pos {
			if strings.TrimSpace(a) == "" {
				return o, fmt.Errorf("-merge: argument %d is empty: give partial files, directories or s3:// prefixes", i+1)
			}
		}
	} else if len(pos) > 0 {
		return o, fmt.Errorf("unexpected argument %q (flow-log files go in -flowlogs; partials to add up, after -merge)", pos[0])
	}
	if o.policy {
		if !cli.Alone(set, "iam-policy") {
			return o, errors.New("-iam-policy prints the policy and exits: give it alone")
		}
		return o, nil
	}
	byName, err := cli.Keyword("by", *by, groupByNames()...)
	if err != nil {
		return o, err
	}
	o.by, _ = attribution.ParseGroupBy(byName)
	f, err := report.ParseFormat(*format)
	if err != nil || f == report.HTML {
		return o, fmt.Errorf("-format %q: want table, json or csv (HTML goes to -html FILE)", *format)
	}
	o.format = f
	// attribution.WithStep keeps whole seconds of at least one, clamping
	// and truncating anything else: the page would then name a width that
	// was not asked for.
	if o.step < time.Second || o.step%time.Second != 0 {
		return o, fmt.Errorf("-step %v: want whole seconds, at least 1s (e.g. 30s, 5m, 1h)", o.step)
	}
	if *prices != "" {
		var err error
		if o.prices, err = loadPrices(*prices); err != nil {
			return o, err
		}
	}
	if o.partial != "" {
		for _, f := range []string{"by", "format", "html", "prices"} {
			if set[f] {
				return o, fmt.Errorf("-%s applies to a report, and -partial writes a partial instead: render it with -merge", f)
			}
		}
	}
	if *merge {
		return o, mergeFlags(o, set)
	}
	if set["step"] && o.html == "" && o.partial == "" {
		return o, errors.New("-step sets the width of the time-series buckets: give -html FILE or -partial FILE too")
	}
	if o.logGroup != "" && len(o.flowlogs) > 0 {
		return o, errors.New("give -flowlogs or -log-group, not both")
	}
	if o.cluster != "" && len(o.tasks) > 0 {
		return o, errors.New("give -tasks or -cluster, not both")
	}
	if o.allStreams && o.logGroup == "" {
		return o, errors.New("-all-streams applies to -log-group only")
	}
	// Whether the input flags were given, not their values, chooses the
	// sample.
	sample := !set["flowlogs"] && !set["log-group"] && !set["tasks"] && !set["cluster"]
	if !sample && (len(o.flowlogs) == 0 && o.logGroup == "" || len(o.tasks) == 0 && o.cluster == "") {
		return o, errors.New("need both task data (-tasks or -cluster) and flow logs (-flowlogs or -log-group); no flags runs the embedded sample")
	}
	// Subnets and VPCs come with the task data: from the files with
	// -tasks, and otherwise from where the tasks come from, which -network
	// would silently replace.
	if len(o.network) > 0 && len(o.tasks) == 0 {
		if o.cluster != "" {
			return o, errors.New("-network applies with -tasks: -cluster reads the subnets, VPCs and load balancer nodes live (ec2:DescribeSubnets, ec2:DescribeVpcs, ec2:DescribeNetworkInterfaces)")
		}
		return o, errors.New("-network applies with -tasks: the embedded sample carries its own network, and -cluster reads it live")
	}
	if sample && o.logFormat != "" {
		return o, errors.New("-log-format applies to -flowlogs and -log-group: the embedded sample's files carry their header")
	}
	// The time flags' forms were checked by the parse (cli.Time); their
	// order is checked now, and they are resolved against the clock of
	// the run later.
	if _, _, err := o.window(time.Now()); err != nil {
		return o, err
	}
	return o, nil
}

// info is where the lines that only say what was done go ("wrote FILE",
// what a live read found): stderr, or nowhere with -q. Problems, and
// notes on how far the answer can be trusted, go to stderr regardless.
func (o *options) info(stderr io.Writer) io.Writer {
	if o.quiet {
		return io.Discard
	}
	return stderr
}

// window resolves -since and -until at now. With -log-group an absent
// -until is now and an absent -since the hour before -until; otherwise an
// absent bound is open.
func (o *options) window(now time.Time) (since, until time.Time, err error) {
	if o.until != "" {
		if until, err = cli.ParseTime("until", o.until, now); err != nil {
			return
		}
	} else if o.logGroup != "" {
		until = now
	}
	if o.since != "" {
		if since, err = cli.ParseTime("since", o.since, now); err != nil {
			return
		}
	} else if o.logGroup != "" {
		since = until.Add(-time.Hour) // the hour before -until
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		err = fmt.Errorf("-since %s is not before -until %s", since.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	return
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if o.policy {
		_, err := io.WriteString(stdout, iamPolicy)
		return err
	}
	if o.merge != nil {
		return runMerge(ctx, o, stdout, stderr)
	}
	if err := checkExport(o); err != nil {
		return err
	}
	if err := partialOutsideInputs(o); err != nil {
		return err
	}
	if err := htmlOutsideInputs(o.html, flagInputs{"-flowlogs", o.flowlogs}, flagInputs{"-tasks", o.tasks}, flagInputs{"-network", o.network}); err != nil {
		return err
	}
	var logFormat *flowlogs.Format
	if o.logFormat != "" {
		if logFormat, err = flowlogs.ParseFormat(o.logFormat); err != nil {
			return fmt.Errorf("-log-format: %w", err)
		}
	}

	var aws *clients
	if o.cluster != "" || o.logGroup != "" || hasS3(o.flowlogs) {
		if aws, err = newClients(ctx); err != nil {
			return fmt.Errorf("AWS configuration: %w", err)
		}
		if err := aws.logGroupRegion(o.logGroup); err != nil {
			return err // before the cluster is read: it would not help
		}
	}
	now := time.Now
	if aws != nil {
		now = aws.now
	}
	since, until, err := o.window(now())
	if err != nil {
		return err
	}

	rd := &reading{
		since: since, until: until, format: logFormat, lenient: o.lenient,
		naming: o.partial != "" || o.export != "",
	}
	// 0. With -cluster, whose read takes minutes for a large cluster, the
	// flow-log files and objects are listed before it: what the listing
	// tells — a wrong path or bucket, a bucket of another Region,
	// archived objects, nothing in the window, a file given twice —
	// comes first. (-tasks files are read first, as they always were.)
	var list *flowLogList
	if o.cluster != "" && o.logGroup == "" && len(o.flowlogs) > 0 {
		if list, err = listFlowLogs(ctx, aws, o.flowlogs, rd); err != nil {
			return jsonAsFlowLogs(err)
		}
	}

	// 1. The task history.
	var in input
	switch {
	case o.cluster != "":
		in, err = liveHistory(ctx, aws, o.cluster, stderr, o.info(stderr), cli.NewStages(stderr, o.quiet))
	case len(o.tasks) > 0:
		in, err = fileHistory(o.tasks, stderr)
	default:
		in, err = sampleHistory()
	}
	if err != nil {
		return err
	}

	// 2. Stream the records through attribution.
	if len(o.network) > 0 {
		files, err := localFiles("-network", o.network, ".json")
		if err != nil {
			return err
		}
		if in.topology, err = readTopology(openFile, stderr, names(files)...); err != nil {
			// Another kind of file the programs know: one JSON object
			// (describe-tasks output) keeps readTopology's error, which
			// says the member it lacks, with a note of what it is;
			// another (flow logs, a record file) is said as what it is,
			// not by encoding/json's complaint.
			for _, f := range names(files) {
				if e := cli.Misfiled(f, err, "describe-subnets, describe-vpcs or describe-network-interfaces output",
					cli.KindNetwork, cli.KindBinary, cli.KindGzip); e != nil {
					return fmt.Errorf("-network: %w", e)
				}
			}
			return fmt.Errorf("-network: %w", err)
		}
	}
	opts := []attribution.Option{attribution.WithStep(o.step), attribution.WithTopology(in.topology)}
	if !o.ipFallback {
		opts = append(opts, attribution.WithoutIPFallback())
	}
	a := attribution.New(in.index, opts...)
	// The progress line starts with the read: its rate and ETA count
	// from here.
	rd.progress = cli.NewProgress(stderr, "flow logs", o.quiet)
	switch {
	case o.logGroup != "":
		err = liveFlowLogs(ctx, aws, a, in, o, rd, stderr)
	case len(o.flowlogs) > 0:
		if list == nil {
			list, err = listFlowLogs(ctx, aws, o.flowlogs, rd)
		}
		if err == nil {
			err = readFlowLogs(ctx, a, list, rd)
		}
		err = jsonAsFlowLogs(err)
	default:
		err = sampleFlowLogs(ctx, a, rd)
	}
	rd.progress.Done()
	rd.reportSkipped(stderr, o.info(stderr), err != nil)
	if err != nil {
		return err
	}
	if err := rd.notFlowLogs(); err != nil {
		return err
	}
	if err := rd.formatUnused(stderr); err != nil {
		return err
	}

	// 3. Check that there is an answer, then render, or write the
	// partial as the Lambda worker does: a task at a time, never the
	// whole Partial (nor a Result: the check reads the head).
	if o.partial != "" {
		p, tasks := a.PartialStream()
		if err := checkAnswer(ctx, partialAnswer(p), in.index, rd); err != nil {
			// One object's partial may well attribute nothing (an object
			// of a NAT gateway's interface): its counts still add up. Not
			// so an input that cannot match: no records, records outside
			// the whole history's time, or files without the fields a
			// join needs. Those are the wrong input, and no partial is
			// written.
			if u := (*unmatched)(nil); !errors.As(err, &u) {
				return err
			}
			fmt.Fprintf(stderr, "attribute: note: %s\n", cli.PlainLines(cli.OnePrefix(err.Error())))
		}
		rd.undatedNote(stderr)
		rd.flowLogsNote(stderr)
		p.Inputs = rd.partialInputs(p.Last)
		if err := writePartial(o.partial, p, tasks, o.info(stderr)); err != nil {
			return err
		}
	} else {
		r, groups := takeResult(o, a)
		if err := checkAnswer(ctx, resultAnswer(r), in.index, rd); err != nil {
			return err
		}
		rd.undatedNote(stderr)
		rd.flowLogsNote(stderr)
		if err := writeReport(o, r, groups, in.title, stdout, stderr); err != nil {
			return err
		}
	}
	if o.export == "" {
		return nil
	}
	return export(ctx, o, in, rd, stderr)
}

// resultSource is what a report is taken from: an Attributor, or the
// Partial that -merge makes.
type resultSource interface {
	Result(attribution.GroupBy) *attribution.Result
	ResultStream(attribution.GroupBy) (*attribution.Result, iter.Seq[*attribution.Group])
}

// takeResult returns the Result to report: for CSV and JSON (without
// -html) its head and the groups to write one at a time, as they need
// no other group (a whole Result of ten thousand tasks is as much memory
// again as the rollups); for the table, whose widths need every group,
// and the page, the whole Result and no stream.
func takeResult(o options, src resultSource) (*attribution.Result, iter.Seq[*attribution.Group]) {
	if o.html == "" && o.format.Streams() {
		return src.ResultStream(o.by)
	}
	return src.Result(o.by), nil
}

// writeReport writes takeResult's report.
func writeReport(o options, r *attribution.Result, groups iter.Seq[*attribution.Group], title string, stdout, stderr io.Writer) error {
	if groups == nil {
		return render(o, r, title, stdout, stderr)
	}
	return report.WriteStream(stdout, o.format, r, groups, report.WithPrices(o.prices))
}

// render writes the report: -html, then -format to stdout.
func render(o options, r *attribution.Result, title string, stdout, stderr io.Writer) error {
	if o.html != "" {
		err := cli.WriteFile(o.html, func(w io.Writer) error {
			return htmlreport.Write(w, r, htmlreport.Options{Title: title, Prices: o.prices})
		})
		if err != nil {
			return fmt.Errorf("-html: %w", err)
		}
		fmt.Fprintf(o.info(stderr), "attribute: wrote %s\n", o.html)
	}
	return report.Write(stdout, o.format, r, report.WithPrices(o.prices))
}

// loadPrices reads -prices: a built-in region, else a file.
func loadPrices(v string) (*pricing.Table, error) {
	if t, ok := pricing.BuiltIn(v); ok {
		return t, nil
	}
	t, err := pricing.LoadFile(v)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("-prices %q: neither a region with built-in prices (%s) nor a price file", v, strings.Join(pricing.Regions(), ", "))
	}
	if err != nil {
		if wrong := cli.WrongKind(v, "a price table", cli.KindPrices, cli.KindBinary, cli.KindGzip); wrong != "" {
			return nil, fmt.Errorf("-prices: %s", wrong)
		}
		return nil, fmt.Errorf("-prices: %w", err)
	}
	return t, nil
}

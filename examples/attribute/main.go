// Command attribute reports VPC Flow Log traffic per Amazon ECS task: it
// joins each flow record to the task that owned the recording ENI (or the
// address, or for bridge mode the host port) at the record's time, and
// prints the traffic per task, service, family or container instance, with
// the unattributed remainder and why.
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
//	go run ./examples/attribute -tasks describe-tasks.json,container-instances.json,instances.json \
//	    -flowlogs ./AWSLogs
//	go run ./examples/attribute -cluster prod -log-group /vpc/flowlogs -since 2h
//
// Everything here is a thin shell over the library: eni/history builds the
// task history, flowlogs (and flowlogs/source, flowlogs/cwlogs) reads the
// records, flowlogs/attribution joins and rolls them up, and
// flowlogs/attribution/report renders the result.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	htmlreport "github.com/ecsnet/ecsnet/flowlogs/attribution/report/html"
)

type options struct {
	flowlogs   []string
	logFormat  string
	tasks      []string
	network    []string
	cluster    string
	logGroup   string
	since      time.Duration
	allStreams bool
	by         attribution.GroupBy
	format     report.Format
	html       string
	step       time.Duration
	ipFallback bool
	lenient    bool
	policy     bool
	export     string // -export DIR (export.go)
	overwrite  bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "attribute:", err)
		os.Exit(1)
	}
}

// list is a flag taking comma-separated values, repeatable.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }
func (l *list) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("attribute", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var flowFiles, taskFiles, netFiles list
	fs.Var(&flowFiles, "flowlogs", "flow-log `files or directories` (plain or gzip, with or without the S3 header line; comma-separated or repeated)")
	fs.StringVar(&o.logFormat, "log-format", "", "record `format` of header-less files or of the log group, as in DescribeFlowLogs (\"${version} ${account-id} …\") or a header line; default: the header, else the default v2 format (or DescribeFlowLogs for -log-group)")
	fs.Var(&taskFiles, "tasks", "task data `files`: aws ecs describe-tasks / describe-container-instances / describe-task-definition and aws ec2 describe-instances output, EventBridge task events, or a history Watcher file")
	fs.Var(&netFiles, "network", "aws ec2 describe-subnets / describe-vpcs output `files`, to classify peers by AZ and VPC (live: read with -cluster)")
	fs.StringVar(&o.cluster, "cluster", "", "read the task history live from this ECS `cluster` (default AWS config)")
	fs.StringVar(&o.logGroup, "log-group", "", "read flow logs live from this CloudWatch Logs `group` (default AWS config)")
	fs.DurationVar(&o.since, "since", time.Hour, "with -log-group: read records of this last `duration`")
	fs.BoolVar(&o.allStreams, "all-streams", false, "with -log-group: read every stream, not only the ENIs of the tasks and instances in the history")
	by := fs.String("by", "task", "group by `task|service|family|instance|cluster`")
	format := fs.String("format", "table", "output `format`: table|json|csv")
	fs.StringVar(&o.html, "html", "", "also write a self-contained HTML report with charts to `file`")
	fs.DurationVar(&o.step, "step", 5*time.Minute, "time-series bucket `width` (HTML charts)")
	fs.BoolVar(&o.ipFallback, "ip-fallback", true, "attribute records on interfaces that are not task ENIs (trunk ENIs, NAT gateways, load balancers) by the task's address; turn off when VPC-wide logs would count such traffic twice")
	fs.BoolVar(&o.policy, "iam-policy", false, "print the IAM policy that the live paths (-cluster, -log-group) need, and exit")
	fs.StringVar(&o.export, "export", "", "also write the task history, the flow logs (Parquet) and the same join as SQL for Athena, Spark and DuckDB to `dir`")
	fs.BoolVar(&o.overwrite, "overwrite", false, "with -export: write into a directory that is not empty")
	fs.BoolVar(&o.lenient, "lenient", false, "skip malformed flow-log lines (counted on stderr) instead of stopping")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: attribute [flags]\n\nWith no flags, runs on the embedded sample cluster.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q (flow-log files go in -flowlogs)", fs.Arg(0))
	}
	o.flowlogs, o.tasks, o.network = flowFiles, taskFiles, netFiles
	if o.policy {
		return o, nil
	}
	var ok bool
	if o.by, ok = attribution.ParseGroupBy(*by); !ok {
		return o, fmt.Errorf("-by %q: want task, service, family, instance or cluster", *by)
	}
	f, err := report.ParseFormat(*format)
	if err != nil || f == report.HTML {
		return o, fmt.Errorf("-format %q: want table, json or csv (HTML goes to -html FILE)", *format)
	}
	o.format = f
	if o.since <= 0 {
		return o, fmt.Errorf("-since %v: must be positive", o.since)
	}
	if o.logGroup != "" && len(o.flowlogs) > 0 {
		return o, errors.New("give -flowlogs or -log-group, not both")
	}
	if o.cluster != "" && len(o.tasks) > 0 {
		return o, errors.New("give -tasks or -cluster, not both")
	}
	sample := len(o.flowlogs) == 0 && o.logGroup == "" && len(o.tasks) == 0 && o.cluster == ""
	if !sample && (len(o.flowlogs) == 0 && o.logGroup == "" || len(o.tasks) == 0 && o.cluster == "") {
		return o, errors.New("need both task data (-tasks or -cluster) and flow logs (-flowlogs or -log-group); no flags runs the embedded sample")
	}
	return o, nil
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
	if err := checkExport(o); err != nil {
		return err
	}
	var logFormat *flowlogs.Format
	if o.logFormat != "" {
		if logFormat, err = flowlogs.ParseFormat(o.logFormat); err != nil {
			return fmt.Errorf("-log-format: %w", err)
		}
	}

	var aws *clients
	if o.cluster != "" || o.logGroup != "" {
		if aws, err = newClients(ctx); err != nil {
			return err
		}
	}

	// 1. The task history.
	var in input
	switch {
	case o.cluster != "":
		in, err = liveHistory(ctx, aws, o.cluster, stderr)
	case len(o.tasks) > 0:
		in, err = fileHistory(o.tasks)
	default:
		in, err = sampleHistory()
	}
	if err != nil {
		return err
	}

	// 2. Stream the records through attribution.
	if len(o.network) > 0 {
		if in.topology, err = readTopology(openFile, o.network...); err != nil {
			return fmt.Errorf("-network: %w", err)
		}
	}
	opts := []attribution.Option{attribution.WithStep(o.step), attribution.WithTopology(in.topology)}
	if !o.ipFallback {
		opts = append(opts, attribution.WithoutIPFallback())
	}
	if o.format != report.Table && o.html == "" {
		// JSON and CSV carry counters only: skip the peer and port
		// summaries, the expensive part of attribution.
		opts = append(opts, attribution.WithoutPeers())
	}
	a := attribution.New(in.index, opts...)
	readerOpts := []flowlogs.Option{flowlogs.WithFields(attribution.Fields()...)}
	if logFormat != nil {
		readerOpts = append(readerOpts, flowlogs.WithFormat(logFormat))
	}
	if o.lenient {
		readerOpts = append(readerOpts, flowlogs.Lenient(5))
	}
	switch {
	case o.logGroup != "":
		err = liveFlowLogs(ctx, aws, a, in, o, logFormat, stderr)
	case len(o.flowlogs) > 0:
		err = fileFlowLogs(ctx, a, o.flowlogs, readerOpts)
	default:
		err = sampleFlowLogs(a, readerOpts)
	}
	if err != nil {
		return err
	}

	// 3. Render.
	r := a.Result(o.by)
	if o.html != "" {
		if err := writeHTML(o.html, r, in.title); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "attribute: wrote %s\n", o.html)
	}
	if err := report.Write(stdout, o.format, r); err != nil || o.export == "" {
		return err
	}
	return export(ctx, o, in, logFormat, stderr)
}

func writeHTML(path string, r *attribution.Result, title string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	return htmlreport.Write(f, r, htmlreport.Options{Title: title})
}

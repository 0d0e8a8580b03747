// Command lambda is an AWS Lambda worker that attributes VPC flow logs
// where they land: for every flow-log object S3 announces (directly, through
// an SQS queue, or through EventBridge) it reads the object, attributes its
// records to the ECS tasks of a task history kept in S3, and writes what
// the object contributed under a Hive-style prefix of an output bucket:
//
//	s3://$OUTPUT_BUCKET/$OUTPUT_PREFIX/cluster=$CLUSTER/date=YYYY-MM-DD/hour=HH/<hash of bucket and key>.parquet
//
// Every AWS event source delivers at least once, so the same object may be
// processed twice, late or out of order, and an object may be rewritten in
// place (re-encrypted, recompressed: another ETag, another event). The
// output name depends only on the source object's bucket and key, so a
// repeat or a new version replaces the partial already there and nothing is
// counted twice; of two versions, the later event's partial is kept (by the
// events' sequencers, with S3's conditional writes). The event of a
// version already replaced in an unversioned bucket (its bytes are gone)
// is skipped when the new version's partial is there already, and
// otherwise attributes the version the key holds now, under its own
// sequencer (logged, not retried): S3 may send a single event for two
// writes made close together to an object that is not versioned, so the
// new version's own event is not assured. The notification should still
// announce every ObjectCreated event (template.json's s3:ObjectCreated:*
// does). An object deleted since its event (S3: 404 NoSuchKey, or
// 403 AccessDenied to a role that may not list the bucket) fails every
// retry and ends in the dead-letter queue: its records are lost to the
// report, and the dead-letter queue is where that shows. Failures are
// returned: direct S3 and EventBridge invocations are retried by Lambda's
// async retry and then sent to the function's dead-letter target; from SQS only the failed messages are reported
// (ReportBatchItemFailures) and retried until the queue's redrive policy
// dead-letters them. A panic processing one object fails that object alone
// (its stack logged), and the work stops a tenth of the time left (at most
// five seconds) before the invocation's deadline, so that the objects not
// done in time are reported failed, not the whole batch lost to the timeout.
// A queue may also be fed by an EventBridge rule or an SNS topic (S3 → SNS →
// SQS): their envelopes are unwrapped. A flow-log object costs one
// HeadObject (the history's ETag; with TOPOLOGY_KEY, two: the topology's
// too), one GetObject and one PutObject; a repeated event one HeadObject and
// one PutObject more (the first, for a new key, is refused); the event of a
// version replaced since, a HeadObject of the partial and, when that is not
// the new version's, one of the object and a second GetObject.
//
// The task history is read from s3://$HISTORY_BUCKET/$HISTORY_KEY once per
// warm container and again only when its ETag changes. Its Last-Modified is
// the time it is taken to know the tasks up to: an object with a record of
// traffic that starts later (its end, for a record without a start) fails
// (and is retried: from SQS, with template.json, each 30 minutes, the
// queue's visibility timeout, and after the fifth receive it goes to the
// dead-letter queue) rather than have the traffic of tasks started since
// written as unattributed into its final partial. NODATA and SKIPDATA
// records carry no traffic and are never joined to a task, so they do not
// count: an object of those only is written at its first delivery, its
// partial counting them unattributed (reasons NODATA and SKIPDATA, with
// their interfaces), whatever the history's time. So upload
// the history after every poll, and only after a poll that worked, as
//
//	go run ./examples/record -once -cluster prod -file prod.history.jsonl &&
//		aws s3 cp prod.history.jsonl s3://$HISTORY_BUCKET/$HISTORY_KEY
//
// run every minute does (record -once exits 1 when its poll failed or was
// stopped): aws s3 sync would skip a file no poll changed (an idle
// cluster's), and its time with it, and a copy taken on a timer beside a
// record that runs on its own would claim polls that failed.
//
// A key ending in ".parquet" is the history as a table
// (eni/history/intervals: what go run ./examples/attribute -export DIR
// writes as DIR/history.parquet, at most 256 MiB), from which
// intervals.Index rebuilds the history. The table lacks a few task and
// instance fields that no report shows (a task's status and version, an
// instance's type and version): partials written from it differ from those
// of the JSON history in those columns only, and merge to the same reports.
// It too is taken to know the tasks up to its upload: export it from a
// history just polled, and upload it at once. Any other key is the file
// examples/record writes, or any input eni/history loads.
//
// With TOPOLOGY_KEY, peers that are neither tasks nor instances of the
// history are classified by subnet and VPC (same AZ, cross-AZ, other VPC)
// and as load balancer nodes, as attribute -network classifies them:
// s3://$HISTORY_BUCKET/$TOPOLOGY_KEY is saved `aws ec2 describe-subnets`
// output, `aws ec2 describe-vpcs` output, or one document holding both
// (jq -s add subnets.json vpcs.json), with `aws ec2
// describe-network-interfaces --filters Name=requester-id,Values=amazon-elb`
// output in it too for the Application and Classic Load Balancer nodes
// (jq -s add subnets.json vpcs.json enis.json), read as the history is: once per warm container, again when its ETag
// changes. A file with no subnets or VPCs is refused. Each load is logged
// with its counts and the digest the partials record (a partial's topology
// column; attribute -merge names both digests when it refuses a mix). Every
// worker of one day must use the same topology, or attribute -merge
// refuses to add their partials: changing it mid-day needs a new
// OUTPUT_PREFIX.
//
// The partial is a partials file (flowlogs/attribution/partials): what the
// object contributed per task, which merges with every other object's:
// counters, classes, series and reasons exactly, top peers and ports
// within the summaries' error bounds (see attribution.Merge). Add them up
// with
//
//	go run ./examples/attribute -merge s3://$OUTPUT_BUCKET/$OUTPUT_PREFIX/cluster=$CLUSTER/date=2026-11-25/ -by service
//
// or in Athena, Spark or DuckDB with the SQL of sqlattr.Reduce.
//
// Upgrading from a worker that wrote partials of an older schema version
// (version 1 named them by ETag): give it a new OUTPUT_PREFIX, or delete
// the old partials. attribute -merge and the SQL reduce both refuse files
// of another version, and a version 1 file does not record the options
// that decide attribution.
//
// Build for the provided.al2023 runtime (the binary must be named bootstrap;
// template.json takes it from build/ beside itself, its CodeUri):
//
//	GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o examples/lambda/build/bootstrap ./examples/lambda
//
// Environment: CLUSTER, HISTORY_BUCKET, HISTORY_KEY, OUTPUT_BUCKET, and
// optionally OUTPUT_PREFIX, TOPOLOGY_KEY and EXPECTED_BUCKET_OWNER. The
// last, an account ID, is sent with every S3 request
// (x-amz-expected-bucket-owner), and S3 refuses (403) a request to a
// bucket another account owns: a bucket name deleted and taken by another
// account then gets no partial, and gives no history or flow log.
// template.json sets it to the stack's account, which owns the buckets
// the stack creates; a history bucket of another account needs it unset
// (or that bucket moved). The Go runtime's soft memory
// limit is set to 90% of the function's memory (Lambda's
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE) unless GOMEMLIMIT is set.
//
// The log (stderr) has one line per object, saying what became of it
// (the field outcome: written, skipped, superseded by a later version's
// partial, or failed, at ERROR, the message naming the object and the
// reason), with the fields bucket, key, etag, version, sequencer,
// duration_ms, history_etag and history_modified (the task history
// used), and for a written object output, records and bytes; an SQS
// message's lines have its messageId, every line of an invocation its
// requestId. It follows the function's logging configuration, as Lambda
// gives it to a custom runtime: JSON lines ("timestamp", "level",
// "message") with AWS_LAMBDA_LOG_FORMAT=JSON, which CloudWatch Logs
// Insights reads the fields of, logfmt lines of the same keys otherwise,
// and only lines at AWS_LAMBDA_LOG_LEVEL or above. A partial's S3
// metadata keeps, for an audit of its numbers once the log is gone, the
// object it was made from (source-bucket, source-key, source-etag,
// source-sequencer), the task history's version (history-etag,
// history-modified), and the partial's own versions
// (partials-schema-version, rule-version), which find the partials of an
// earlier worker under the prefix with a HeadObject each, or an S3
// Inventory, without reading them.
//
// template.json deploys it with AWS SAM (sam deploy): the flow-log bucket,
// its ObjectCreated notification to an SQS queue with a dead-letter queue,
// the function on provided.al2023/arm64 logging JSON at INFO (Lambda's
// REPORT lines too) and consuming the queue with
// ReportBatchItemFailures, and a role limited to iamActions, each on its
// own resource.
//
// SCALE.md sizes and prices it for 10 TB/day, from measured per-object costs.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/iampolicy"
	"github.com/ecsnet/ecsnet/internal/awsredact"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(usage(os.Args[1:], os.Stderr))
	}
	if limit, ok := memoryLimit(os.Getenv); ok {
		debug.SetMemoryLimit(limit)
	}
	w, err := newWorker(context.Background(), os.Getenv)
	if err != nil {
		// Fatal: the one line that says why the function cannot start,
		// seen whatever the application log level.
		logger.Log(context.Background(), levelFatal, err.Error())
		os.Exit(1)
	}
	lambda.Start(w.handle)
}

// usage answers a run with arguments: the worker takes none (Lambda runs
// it, configured by its environment), so -h gets what it needs and
// anything else is a mistake. It returns the exit code.
func usage(args []string, stderr io.Writer) int {
	fmt.Fprint(stderr, `Usage: lambda (no arguments)

The AWS Lambda worker of ecsnet: it attributes each flow-log object S3
announces to the ECS tasks of a history in S3 and writes its partial.
Lambda runs it (provided.al2023; the binary named bootstrap), configured by
its environment: CLUSTER, HISTORY_BUCKET, HISTORY_KEY, OUTPUT_BUCKET and
optionally OUTPUT_PREFIX, TOPOLOGY_KEY (EC2 subnets, VPCs and load
balancer interfaces in HISTORY_BUCKET) and EXPECTED_BUCKET_OWNER (the
account ID every bucket must belong to). go doc ./examples/lambda tells the rest.
`)
	switch args[0] {
	case "-h", "-help", "--help":
		return 0
	}
	fmt.Fprintf(stderr, "lambda: unexpected argument %q\n", args[0])
	return 2
}

// memoryLimit returns the soft memory limit the Go runtime should keep
// to: 90% of the function's memory, which Lambda gives in
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE (MB of 2²⁰ bytes), unless GOMEMLIMIT
// sets one (the runtime has read it). By default Go lets the heap grow to
// twice what is live before collecting (GOGC=100), so a function of
// 1,769 MB whose rollups hold 900 MB could be killed for garbage it had
// not collected yet; with the limit, the runtime collects sooner. The
// tenth left is for what the limit does not cover (the binary, the
// kernel's buffers, extensions).
func memoryLimit(getenv func(string) string) (int64, bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	mb, err := strconv.ParseInt(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 10, 32)
	if err != nil || mb <= 0 {
		return 0, false
	}
	return mb << 20 / 10 * 9, true
}

// iamActions are the actions the worker's role needs, as template.json
// grants them (each scoped to its resource there): reading the flow-log
// objects, the history file and the topology file, writing the partials,
// the SQS event source mapping's calls on the queue, and its own log
// streams.
var iamActions = iampolicy.Actions(iampolicy.S3ReadObject(), iampolicy.S3WritePartials(),
	iampolicy.SQSEventSource(), iampolicy.LambdaLogs())

// newWorker configures a worker from the environment.
func newWorker(ctx context.Context, getenv func(string) string) (*worker, error) {
	c, err := configure(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	// The log keeps no session token an error message might quote.
	awsredact.Config(&cfg)
	c.setClient(s3.NewFromConfig(cfg))
	return c, nil
}

// setClient gives the worker and its caches the S3 client they call.
// With EXPECTED_BUCKET_OWNER, every request names the account that must
// own its bucket.
func (w *worker) setClient(c S3API) {
	if w.owner != "" {
		c = ownerGuard{c, w.owner}
	}
	w.s3 = c
	w.history.client = c
	if w.topology != nil {
		w.topology.client = c
	}
}

// configure reads the settings (not the clients) from the environment.
func configure(getenv func(string) string) (*worker, error) {
	var missing []string
	get := func(name string) string {
		v := getenv(name)
		if v == "" {
			missing = append(missing, name)
		}
		return v
	}
	w := &worker{
		cluster: get("CLUSTER"),
		history: newHistoryCache(nil, get("HISTORY_BUCKET"), get("HISTORY_KEY")),
		out:     get("OUTPUT_BUCKET"),
		prefix:  getenv("OUTPUT_PREFIX"),
		owner:   getenv("EXPECTED_BUCKET_OWNER"),
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("environment variables not set: %s", strings.Join(missing, ", "))
	}
	if key := getenv("TOPOLOGY_KEY"); key != "" {
		w.topology = newTopologyCache(nil, w.history.bucket, key)
	}
	if w.owner != "" && !accountID(w.owner) {
		return nil, fmt.Errorf("EXPECTED_BUCKET_OWNER %q: give an AWS account ID, 12 digits", w.owner)
	}
	if strings.ContainsAny(w.cluster, "/=") {
		return nil, fmt.Errorf("CLUSTER %q: give the cluster name, without '/' or '='", w.cluster)
	}
	return w, nil
}

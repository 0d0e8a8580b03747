package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
	"github.com/ecsnet/ecsnet/flowlogs/s3source"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// S3API is the part of *s3.Client the worker uses.
type S3API interface {
	objectAPI
	s3source.API
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

var _ S3API = (*s3.Client)(nil)

// worker attributes one flow-log object per event record and writes its
// partial result.
type worker struct {
	s3       S3API
	history  *historyCache
	topology *topologyCache // nil without TOPOLOGY_KEY
	cluster  string         // the cluster= partition of the output
	out      string         // output bucket
	prefix   string         // output key prefix, e.g. "partials/"
	owner    string         // EXPECTED_BUCKET_OWNER: the account every bucket must belong to, or ""
}

// partialExt is the file extension of what encodePartial writes.
const partialExt = ".parquet"

// encodePartial encodes what one flow-log object contributed: its
// attribution.Partial as a partials file, which `attribute -merge`,
// attribution.Merge or the SQL of sqlattr add up exactly. It is written
// from the stream PartialStream returned, one task at a time: memory is
// what a Lambda is billed for, and a whole Partial of a large cluster's
// object is as big again as the rollups. The partial names its input, the
// object, so that a merge refuses it beside another partial of the object.
func encodePartial(p *attribution.Partial, tasks iter.Seq[*attribution.TaskPart], in attribution.Input) ([]byte, error) {
	var b bytes.Buffer
	p.Inputs = []attribution.Input{in}
	if err := partials.WriteStream(&b, p, tasks); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// processRef attributes one object and writes its partial, saying in res
// what it did: its outcome, and what the log line of the object names.
// Its warnings are logged with lg (an SQS message's: they name the
// message). The output key depends only on the object (bucket and key),
// so running it twice for the same event rewrites the same key, and so
// does a later version's event (write keeps the latest version's
// partial).
func (w *worker) processRef(ctx context.Context, lg *slog.Logger, ref objectRef, res *result) error {
	key, err := outputKey(w.prefix, w.cluster, ref, partialExt)
	if errors.Is(err, source.ErrNotFlowLog) && otherService(ref.Key) {
		// Another service's log in a shared log bucket (ELB, Resolver
		// and Network Firewall logs are .log.gz under AWSLogs/ too),
		// announced by a notification wider than needed: retrying could
		// never succeed, and would only dead-letter it among the real
		// failures.
		res.outcome, res.why = outcomeSkipped, fmt.Sprintf("%s: skipped: another service's log, not a flow log", ref)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	ix, hv, err := w.history.GetVersion(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	res.history = hv
	covered := hv.Modified
	// With a topology, peers are classified by subnet (same AZ, cross-AZ,
	// other VPC) and the partial records its digest: attribute -merge and
	// the SQL reduce add up only partials of one topology.
	var opts []attribution.Option
	if w.topology != nil {
		topo, err := w.topology.Get(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", ref, err)
		}
		opts = append(opts, attribution.WithTopology(topo))
	}
	k, _ := source.ParseKey(ref.Key) // outputKey parsed it already
	a, traffic, err := w.attribute(ctx, ix, opts, ref, k)
	if apiCode(err) == "PreconditionFailed" {
		// The key no longer holds the event's version (an unversioned
		// bucket, rewritten since). Its new version's event is not
		// assured: S3 may send one event for two writes made close
		// together ("only a single event notification"), so skipping
		// this one could leave the object counted by no one. The version
		// the key holds now is attributed in its place, under this
		// event's sequencer: if the new version's event comes (or came),
		// its later sequencer keeps its partial, which is of the same or
		// a later version. Which it is, when that partial is there
		// already: then nothing is read again.
		if seq, ok := w.writtenSequencer(ctx, key); ok && laterSequencer(seq, ref.Sequencer) {
			res.outcome = outcomeSkipped
			res.why = fmt.Sprintf("%s: skipped: the object was replaced after this event (ETag %s); its new version's event counted it (sequencer %s)", ref, ref.ETag, seq)
			return nil
		}
		cur, herr := w.current(ctx, ref)
		if herr != nil {
			return fmt.Errorf("%s: replaced after this event (ETag %s), and looking at it now: %w", ref, ref.ETag, herr)
		}
		lg.WarnContext(ctx, fmt.Sprintf("%s: the object was replaced after this event (ETag %s): attributing the version it holds now (ETag %s) in its place", ref, ref.ETag, cur.ETag),
			append(ref.logAttrs(), slog.String("current_etag", cur.ETag))...)
		ref = cur
		a, traffic, err = w.attribute(ctx, ix, opts, ref, k)
	}
	if err != nil {
		// Replaced again, among others: retried.
		return fmt.Errorf("%s: %w", ref, err)
	}
	if traffic.untimed > 0 {
		// Counted, in the partial's totals, but only ever unattributed:
		// the history cannot hold them back, nor any task's lifetime hold
		// them. Said here, where the object is named, as attribute says
		// it of a file: a merge shows only the unattributed bytes.
		lg.WarnContext(ctx, fmt.Sprintf("%s: note: its format has no start or end field: its %d records of traffic cannot be placed in time, so they are written unattributed",
			ref, traffic.untimed), append(ref.logAttrs(), slog.Int64("untimed_records", traffic.untimed))...)
	}
	p, tasks := a.PartialStream()
	if last, ok := traffic.last(); ok && !covered.IsZero() && last.After(covered) {
		// The history knows the tasks up to its last upload: the tasks
		// started since (and the stops of those it holds running) are not
		// in it, and their records would be written as unattributed (or
		// as an address's earlier owner's) into a partial that is final,
		// keyed by the object. Retried, the object is attributed once the
		// history has been uploaded after its records. NODATA and SKIPDATA
		// records are no traffic and never joined to a task: an object of
		// those only does not wait.
		return fmt.Errorf("%s: traffic up to %s, after the history s3://%s/%s was last written (%s): tasks started since are not in it; not written, to be retried once the history is uploaded again",
			ref, last.Format(time.RFC3339), w.history.bucket, w.history.key, covered.UTC().Format(time.RFC3339))
	}
	// The object by its delivery name (outputKey took only those): a
	// copy of it in another bucket, a replica, is the same input, and a
	// merge of both partials is refused rather than count it twice.
	body, err := encodePartial(p, tasks, attribution.Input{Name: k.DeliveryName()})
	if err != nil {
		return fmt.Errorf("%s: encoding the partial: %w", ref, err)
	}
	res.records, res.bytes = p.Total.Records, p.Total.Bytes
	return w.write(ctx, key, ref, body, res)
}

// attribute reads the object version ref names (pinned to its ETag, and
// its version in a versioned bucket) into a new Attributor.
func (w *worker) attribute(ctx context.Context, ix *history.Index, opts []attribution.Option, ref objectRef, k source.Key) (*attribution.Attributor, *trafficTime, error) {
	// The event's ETag as the object's: s3source pins every GetObject to
	// it (If-Match), so if the key was overwritten since (unversioned
	// bucket) the read fails (412) instead of attributing other bytes
	// than the ETag the partial records.
	src := &oneObject{
		Bucket: s3source.Bucket{Client: pinned{w.s3, ref.Version}, Bucket: ref.Bucket},
		obj:    source.Object{Name: ref.Key, Size: ref.Size, Key: k, ETag: `"` + ref.ETag + `"`},
	}
	a := attribution.New(ix, opts...)
	traffic := &trafficTime{}
	// Only the fields attribution reads are decoded, as attribute reads
	// them: a bad value in another field (a record's version, say) does
	// not fail the object here when attribute counts it, and the parser
	// does less.
	records := source.Records(ctx, src, source.WithConcurrency(1), parquetsource.WithDecoder(),
		source.WithReaderOptions(flowlogs.WithFields(attribution.Fields()...)))
	return a, traffic, a.AddAll(traffic.of(records))
}

// writtenSequencer is the sequencer of the event whose partial key holds,
// false if the key holds none (or it cannot be looked at: write looks
// again).
func (w *worker) writtenSequencer(ctx context.Context, key string) (string, bool) {
	head, err := w.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(w.out), Key: aws.String(key)})
	if err != nil {
		return "", false
	}
	return head.Metadata["source-sequencer"], true
}

// current is ref as the object is now: its ETag and size (of ref's
// version, in a versioned bucket), the sequencer still the event's.
func (w *worker) current(ctx context.Context, ref objectRef) (objectRef, error) {
	in := &s3.HeadObjectInput{Bucket: aws.String(ref.Bucket), Key: aws.String(ref.Key)}
	if ref.Version != "" {
		in.VersionId = aws.String(ref.Version)
	}
	head, err := w.s3.HeadObject(ctx, in)
	if err != nil {
		return ref, err
	}
	ref.ETag = strings.Trim(aws.ToString(head.ETag), `"`)
	ref.Size = aws.ToInt64(head.ContentLength)
	if ref.ETag == "" {
		return ref, errors.New("HeadObject gave no ETag")
	}
	return ref, nil
}

// trafficTime follows the latest time of the records the history decides:
// the start of every record but NODATA and SKIPDATA ones (which carry no
// traffic, and are counted unattributed whatever the history holds), or
// its end when it has no start, as attribution places a record. It
// counts the records of traffic it cannot place either: of a format with
// neither field, and without an ecs-task field to name their task, no
// task's lifetime holds them.
type trafficTime struct {
	max     int64 // Unix seconds
	seen    bool
	untimed int64
}

// of returns records, noting each record's time as it passes.
func (t *trafficTime) of(records iter.Seq2[*flowlogs.Record, error]) iter.Seq2[*flowlogs.Record, error] {
	return func(yield func(*flowlogs.Record, error) bool) {
		for r, err := range records {
			if err == nil && r.LogStatus != flowlogs.StatusNoData && r.LogStatus != flowlogs.StatusSkipData {
				at, ok := r.Start, r.Has(flowlogs.FieldStart)
				if !ok {
					at, ok = r.End, r.Has(flowlogs.FieldEnd)
				}
				if ok && (!t.seen || at > t.max) {
					t.max, t.seen = at, true
				}
				if !ok && !r.Has(flowlogs.FieldECSTaskARN) && !r.Has(flowlogs.FieldECSTaskID) {
					t.untimed++
				}
			}
			if !yield(r, err) {
				return
			}
		}
	}
}

// last is the latest record time noted; false when no record of traffic
// had a time.
func (t *trafficTime) last() (time.Time, bool) {
	return time.Unix(t.max, 0).UTC(), t.seen
}

// otherService reports whether key lies where the delivery layout puts
// another AWS service's logs (AWSLogs/<account>/<service>/…, service not
// vpcflowlogs), which Prune.KeepDir tells apart from a flow-log folder.
func otherService(key string) bool {
	i := strings.LastIndexByte(key, '/')
	return i >= 0 && !(&source.Prune{}).KeepDir(key[:i])
}

// maxWriteRaces bounds how often write looks again after another worker
// wrote the same key first.
const maxWriteRaces = 8

// write stores the partial unless the key holds one of a later version of
// the same object: S3 delivers events out of order, so the last event
// processed is not always the newest version's. The sequencers of the
// events order them. A look and a write are one step, by S3's conditional
// writes (If-None-Match: * for a new key, If-Match the ETag looked at), so
// of two workers writing at once one is refused and looks again.
//
// The first write assumes a new key, the common case: a HeadObject of a
// key that does not exist answers 403, not 404, without s3:ListBucket,
// which the worker is not given.
func (w *worker) write(ctx context.Context, key string, ref objectRef, body []byte, res *result) error {
	where := "s3://" + w.out + "/" + key
	res.output = where
	put := func(cond func(*s3.PutObjectInput)) error {
		in := &s3.PutObjectInput{
			Bucket:      aws.String(w.out),
			Key:         aws.String(key),
			Body:        bytes.NewReader(body),
			ContentType: aws.String("application/vnd.apache.parquet"),
			Metadata:    sourceMetadata(ref, res.history), // where the partial came from: audits, and write's order
		}
		cond(in)
		_, err := w.s3.PutObject(ctx, in)
		return err
	}
	raced := func(err error) bool {
		switch apiCode(err) {
		case "PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey":
			return true
		}
		return false
	}
	var last error // why the last look or write did not settle it
	for range maxWriteRaces {
		err := put(func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") })
		if err == nil {
			res.outcome = outcomeWritten
			return nil
		}
		if !raced(err) {
			return fmt.Errorf("%s: writing %s: %w", ref, where, err)
		}
		// The key holds a partial of this object already (another
		// delivery's, or another version's), or another write on it was
		// under way (409).
		head, err := w.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(w.out), Key: aws.String(key)})
		if notFound(err) {
			// Not there after all (after a 409, or deleted since). Without
			// s3:ListBucket, which the worker is not given, S3 says so
			// with 403, not 404: try again, and say it if it lasts.
			last = fmt.Errorf("looking at %s: %w", where, err)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: looking at %s: %w", ref, where, err)
		}
		if seq := head.Metadata["source-sequencer"]; laterSequencer(seq, ref.Sequencer) {
			res.outcome = outcomeSuperseded
			res.why = fmt.Sprintf("%s: not written: %s holds the partial of a later version (sequencer %s, this event's %s)", ref, where, seq, ref.Sequencer)
			return nil
		}
		err = put(func(in *s3.PutObjectInput) { in.IfMatch = head.ETag })
		if err == nil {
			res.outcome = outcomeWritten
			return nil
		}
		if !raced(err) {
			return fmt.Errorf("%s: writing %s: %w", ref, where, err)
		}
		last = fmt.Errorf("writing %s: %w", where, err)
	}
	return fmt.Errorf("%s: not written in %d tries, each refused as another write came first; the last: %w", ref, maxWriteRaces, last)
}

// maxMetadata is S3's bound on an object's user metadata: names and
// values together, in bytes.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html
const maxMetadata = 2 << 10

// sourceMetadata is the user metadata a partial records of its source
// object. S3 takes metadata over REST as US-ASCII only, 2 KB at most, and
// a key is any UTF-8 of up to 1,024 bytes: the key is percent-encoded
// (every byte but printable ASCII, and '%'; url.PathUnescape reads it
// back), and left out if it does not fit, rather than have S3 refuse
// the partial, and every retry of it, for an audit's sake. The
// sequencer, which write orders by, is hexadecimal and always fits. The
// version of the task history the tasks were taken from (history-etag,
// history-modified) says, when a partial's numbers are questioned, which
// history made them. partials-schema-version and rule-version are the
// file's partials.SchemaVersion and attribution.RuleVersion.
func sourceMetadata(ref objectRef, history objectVersion) map[string]string {
	m := map[string]string{"source-bucket": ref.Bucket, "source-etag": ref.ETag, "source-sequencer": ref.Sequencer,
		// The versions the file's footer and columns hold, readable with
		// a HeadObject (or an S3 Inventory's metadata): partials of
		// another version under the prefix, which a merge refuses, are
		// found without reading each file.
		"partials-schema-version": strconv.Itoa(partials.SchemaVersion),
		"rule-version":            strconv.Itoa(attribution.RuleVersion),
	}
	if history.ETag != "" {
		m["history-etag"] = metaEscape(strings.Trim(history.ETag, `"`))
	}
	if !history.Modified.IsZero() {
		m["history-modified"] = history.Modified.UTC().Format(time.RFC3339)
	}
	size := 0
	for k, v := range m {
		size += len(k) + len(v)
	}
	if key := metaEscape(ref.Key); size+len("source-key")+len(key) <= maxMetadata {
		m["source-key"] = key
	}
	return m
}

// metaEscape percent-encodes every byte of s that is not printable
// ASCII (space included: S3 would trim one at either end), and '%'.
func metaEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c > '~' || c == '%' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// laterSequencer reports whether sequencer a comes after b: S3's rule for
// two events of one key is to right-pad the shorter hexadecimal string
// with zeros and compare them as strings. An empty one (a hand-made
// event) comes first.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
func laterSequencer(a, b string) bool {
	a, b = strings.ToUpper(a), strings.ToUpper(b)
	n := max(len(a), len(b))
	a += strings.Repeat("0", n-len(a))
	b += strings.Repeat("0", n-len(b))
	return a > b
}

// apiCode is the error code of an AWS API error in err's chain, "" if none.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// notFound reports whether a HeadObject failed as it does for a key that
// does not exist: 404 (a HEAD answer has no body: the SDK names it
// NotFound), or 403 for a caller without s3:ListBucket on the bucket.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
func notFound(err error) bool {
	var nf *types.NotFound
	var re *awshttp.ResponseError
	return errors.As(err, &nf) || errors.As(err, &re) && (re.HTTPStatusCode() == 404 || re.HTTPStatusCode() == 403)
}

// oneObject is a source.Source of the one object version an event named.
type oneObject struct {
	s3source.Bucket
	obj source.Object
}

func (o *oneObject) List(context.Context) ([]source.Object, error) {
	return []source.Object{o.obj}, nil
}

// pinned makes every GetObject of a versioned bucket read the event's
// object version, the first and a resume alike: a resumed read of an
// older version that asked for the current one would fail (412) instead
// of going on. (s3source pins each to the event's ETag itself.)
type pinned struct {
	s3source.API
	version string
}

func (p pinned) GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c := *in
	if p.version != "" {
		c.VersionId = aws.String(p.version)
	}
	return p.API.GetObject(ctx, &c, optFns...)
}

// handle processes one invocation, whichever source sent it.
func (w *worker) handle(ctx context.Context, payload json.RawMessage) (any, error) {
	ctx, cancel := reserve(ctx)
	defer cancel()
	// An event that cannot be read fails the invocation: said at ERROR
	// (the objects' failures are, each on its line).
	fail := func(err error) (any, error) {
		logger.ErrorContext(ctx, err.Error(), slog.String("outcome", outcomeFailed))
		return nil, err
	}
	kind, err := sniff(payload)
	if err != nil {
		return fail(err)
	}
	switch kind {
	case kindS3Test:
		// S3 sends it when a notification is configured: nothing to
		// do, nothing to retry (fromSQSBody skips it in a queue).
		return nil, nil
	case kindSQS:
		var e events.SQSEvent
		if err := json.Unmarshal(payload, &e); err != nil {
			return fail(fmt.Errorf("SQS event: %w", err))
		}
		return w.handleSQS(ctx, e), nil
	case kindS3:
		// The good records are processed even if others are bad; the
		// bad ones are returned with the failures, for Lambda to retry.
		refs, err := decodeS3Event(payload)
		if err != nil {
			logger.ErrorContext(ctx, err.Error(), slog.String("outcome", outcomeFailed))
		}
		return nil, errors.Join(err, w.processAll(ctx, logger, refs))
	default: // kindEventBridge
		var e events.EventBridgeEvent
		if err := json.Unmarshal(payload, &e); err != nil {
			return fail(fmt.Errorf("EventBridge event: %w", err))
		}
		refs, err := fromEventBridge(e)
		if errors.Is(err, errNotObjectCreated) {
			return nil, nil // a rule wider than needed: nothing to do, nothing to retry
		}
		if err != nil {
			return fail(err)
		}
		return nil, w.processAll(ctx, logger, refs)
	}
}

// processAll processes every ref and returns all failures joined: async
// invocations (direct S3, EventBridge) retry the whole event, which is
// safe because every object's output is idempotent. Each object's
// outcome is logged with lg.
func (w *worker) processAll(ctx context.Context, lg *slog.Logger, refs []objectRef) error {
	var errs []error
	for _, r := range refs {
		if err := w.processOne(ctx, lg, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// processOne is processRef with a panic (a bug met by one object) made that
// object's error, its stack logged: the other objects of the invocation
// are still processed and reported, where the panic would end the
// process and lose the batch's response. It logs one line of what became
// of the object (see logResult), an error at ERROR.
func (w *worker) processOne(ctx context.Context, lg *slog.Logger, r objectRef) (err error) {
	start := time.Now()
	res := &result{}
	defer func() {
		if p := recover(); p != nil {
			value, stack := p, debug.Stack()
			if rp, ok := p.(*source.ReadPanic); ok { // raised in a reading goroutine
				value, stack = rp.Value, rp.Stack
			}
			err = fmt.Errorf("%s: panic (a bug; its stack is logged): %v", r, value)
			lg = lg.With(slog.String("stack", string(stack)))
		}
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", err, context.Cause(ctx))
		}
		logResult(ctx, lg, r, res, err, time.Since(start))
	}()
	return w.processRef(ctx, lg, r, res)
}

// errTimeLeft is the cause of the context handle gives the objects: it
// ends before the invocation's deadline, so that the response is
// returned in time.
var errTimeLeft = errors.New("stopped before the function's timeout, to return which objects failed in time")

// maxReserve bounds the time handle keeps before the invocation's
// deadline to end the object under way and return its response.
const maxReserve = 5 * time.Second

// reserve returns ctx ending before its deadline by a tenth of the time
// left, at most maxReserve: Lambda ends an invocation at its deadline,
// and a response not returned by then is lost (for SQS, every message
// of the batch comes back, those written too).
func reserve(ctx context.Context) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadlineCause(ctx, d.Add(-min(maxReserve, time.Until(d)/10)), errTimeLeft)
}

// handleSQS processes a batch and reports the messages that failed, so
// only they become visible again (the event source mapping needs
// FunctionResponseTypes: ReportBatchItemFailures).
// https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
func (w *worker) handleSQS(ctx context.Context, e events.SQSEvent) events.SQSEventResponse {
	resp := events.SQSEventResponse{BatchItemFailures: []events.SQSBatchItemFailure{}}
	for _, m := range e.Records {
		// A message's good records are written even if another of its
		// records is bad; the message is reported failed all the same.
		lg := logger.With(slog.String("messageId", m.MessageId))
		refs, err := fromSQSBody(m.Body)
		// The objects that failed were logged at ERROR each; a body that
		// could not be read (in part) only here.
		level := slog.LevelWarn
		if err != nil {
			level = slog.LevelError
		}
		err = errors.Join(err, w.processAll(ctx, lg, refs))
		if err != nil {
			lg.Log(ctx, level, fmt.Sprintf("message %s: %v", m.MessageId, err), slog.String("outcome", outcomeReported))
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}

package history

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/netmode"
)

// Record is one observation read by a [Decoder]: exactly one of Task,
// Instance, Primary and Mode is set.
type Record struct {
	Task     *types.Task
	Instance *types.ContainerInstance
	Primary  *PrimaryRecord
	Mode     *ModeRecord
	// Cluster is the cluster ARN reported alongside a container instance
	// (the event detail's clusterArn), if any.
	Cluster string
	// Time is the event's time when the record came from an event.
	Time time.Time
	// Line is where the record's JSON value starts in the input.
	Line int
	// Path is the member path of the record's JSON value inside the
	// input's value on Line ("tasks[2]", "[0].detail"), "" for the value
	// itself: with Line, where an error about the record points.
	Path string
}

// PrimaryRecord is a primary network interface as a [Watcher] writes it to
// its history file.
type PrimaryRecord struct {
	EC2InstanceID string
	PrimaryInterface
}

// ModeRecord is a task definition's network mode as a [Watcher] writes it
// to its history file.
type ModeRecord struct {
	TaskDefinitionARN string       `json:"taskDefinitionArn"`
	NetworkMode       netmode.Mode `json:"networkMode"`
}

// ParseError is a problem in decoded input: where (name, line, member path)
// and what.
type ParseError struct {
	Name string // the input's name given to the Decoder ("" if none)
	Line int    // 1-based line; the start of the value when the exact line is not known
	Path string // member path inside the value, e.g. "detail.containers[0].networkBindings[1].hostPort"
	Err  error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("history: ")
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if e.Name != "" || e.Line > 0 {
		b.WriteByte(' ')
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	// The wrapped error may be the history's own (a *FieldError from
	// a record): one prefix is enough.
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "history: "))
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// DefaultMaxValueBytes is the Decoder's bound on one JSON value when
// MaxValueBytes is 0: 64 MiB, far past a describe output of 100 tasks.
const DefaultMaxValueBytes = 64 << 20

// Decoder reads ECS task and container instance data from a stream of JSON
// values, whatever carried them:
//
//   - EventBridge events "ECS Task State Change" (detail = Task, attachment
//     type "eni") and "ECS Container Instance State Change" (detail =
//     ContainerInstance), one per line (CloudWatch Logs, Firehose → S3 JSON
//     lines), concatenated, pretty-printed or in a JSON array; other
//     detail types are skipped (Skipped), but for those of source
//     "ecsnet.history" (a Watcher's file), which a newer ecsnet wrote and
//     which carry what this version cannot read: they are counted apart
//     (Newer);
//   - `aws ecs describe-tasks` / `describe-container-instances` output
//     ({"tasks": […]}, {"containerInstances": […]}), or bare Task objects;
//   - wrappers around events: `aws logs get-log-events`/`filter-log-events`
//     output ({"events":[{"message": "…"}]}), CloudWatch Logs subscription
//     payloads ("logEvents"), `aws sqs receive-message` output
//     ({"Messages":[{"Body": "…"}]}), Lambda SQS batches ({"Records":[{"body"}]}),
//     SNS notifications ({"Type":"Notification","Message":"…"}), and JSON
//     strings holding JSON;
//   - lines with a prefix before the JSON (CloudWatch Logs exports to S3
//     write "TIMESTAMP MESSAGE");
//   - the history file a [Watcher] writes.
//
// Gzip input is detected and decompressed. A bad value yields a
// *ParseError and decoding continues with the next value, so nothing after
// it is lost; only a read error or a truncated last value ends the stream.
// Inside a value that holds many tasks, container instances or events
// (describe-* output, a cluster snapshot, an array, a wrapper), each is
// decoded on its own: a bad one yields its *ParseError and the others are
// still read.
type Decoder struct {
	// Name names the input in errors (a file name, an S3 key).
	Name string
	// MaxValueBytes bounds one JSON value (default DefaultMaxValueBytes).
	MaxValueBytes int

	r     io.Reader
	s     *splitter
	queue []Record
	// errs are the errors of the parts of a value that the others were
	// read past, in input order, returned before its records.
	errs     []error
	skipped  int
	newer    int
	failures int
	// lastTime is the last event time read (eventTime): its member's
	// text, and what it reads as.
	lastTime struct {
		raw   []byte
		t     time.Time
		years bool
	}
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: r} }

// Skipped is how many JSON values were understood but carried nothing for
// the history (other event types, empty wrappers).
func (d *Decoder) Skipped() int { return d.skipped }

// Newer is how many events of a Watcher's file ("source":
// "ecsnet.history") were of a detail type this version does not know:
// written by a newer ecsnet, and skipped, so the history lacks what they
// hold. They are not counted in Skipped.
func (d *Decoder) Newer() int { return d.newer }

// Failures is how many entries of describe output's failures were read:
// tasks or container instances ECS could not describe (MISSING, for one
// stopped long enough ago), which the history therefore lacks.
func (d *Decoder) Failures() int { return d.failures }

// Next returns the next record, io.EOF at the end of the input, or a
// *ParseError for a bad value or a bad part of one (call Next again to
// continue after it).
func (d *Decoder) Next() (Record, error) {
	for len(d.queue) == 0 && len(d.errs) == 0 {
		if d.s == nil {
			if err := d.init(); err != nil {
				return Record{}, err
			}
		}
		raw, line, err := d.s.next()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, &ParseError{Name: d.Name, Line: line, Err: err}
		}
		if err := d.value(raw, line, "", true, 0); err != nil {
			return Record{}, err
		}
	}
	if len(d.errs) > 0 {
		err := d.errs[0]
		d.errs = d.errs[1:]
		return Record{}, err
	}
	r := d.queue[0]
	d.queue = d.queue[1:]
	return r, nil
}

func (d *Decoder) init() error {
	br := bufio.NewReaderSize(d.r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return &ParseError{Name: d.Name, Line: 1, Err: fmt.Errorf("gzip: %w", err)}
		}
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	max := d.MaxValueBytes
	if max <= 0 {
		max = DefaultMaxValueBytes
	}
	d.s = &splitter{r: br, line: 1, max: max}
	return nil
}

// probe classifies a value by the members it has. encoding/json matches
// member names case-insensitively, so "Body" also finds Lambda's "body".
type probe struct {
	DetailType json.RawMessage `json:"detail-type"`
	Detail     json.RawMessage `json:"detail"`
	Time       json.RawMessage `json:"time"`
	Source     json.RawMessage `json:"source"`
	TaskArn    json.RawMessage `json:"taskArn"`
	// Single-object results: `aws ecs stop-task` and `update-task-protection`
	// say {"task": …}; `register-container-instance`,
	// `deregister-container-instance` and `update-container-agent` say
	// {"containerInstance": …}.
	Task               json.RawMessage `json:"task"`
	ContainerInstance  json.RawMessage `json:"containerInstance"`
	ContainerInstArn   json.RawMessage `json:"containerInstanceArn"`
	Tasks              json.RawMessage `json:"tasks"`
	ContainerInstances json.RawMessage `json:"containerInstances"`
	Events             json.RawMessage `json:"events"`
	LogEvents          json.RawMessage `json:"logEvents"`
	Messages           json.RawMessage `json:"messages"`
	Records            json.RawMessage `json:"records"`
	Body               json.RawMessage `json:"body"`
	Message            json.RawMessage `json:"message"`

	// `aws ecs describe-task-definition` output.
	TaskDefinition json.RawMessage `json:"taskDefinition"`
	// The eni package's cluster snapshot (eni.Snapshot).
	Format                     json.RawMessage `json:"format"`
	DescribeTasks              json.RawMessage `json:"describeTasks"`
	DescribeContainerInstances json.RawMessage `json:"describeContainerInstances"`
	DescribeTaskDefinition     json.RawMessage `json:"describeTaskDefinition"`
	// `aws ec2 describe-instances` output.
	Reservations json.RawMessage `json:"reservations"`
}

// probeMembers are probe's members by name, as encoding/json matches
// them (the exact name, else the name ignoring case: no two of them are
// equal ignoring case).
var probeMembers = []struct {
	name  string
	field func(*probe) *json.RawMessage
}{
	{"detail-type", func(p *probe) *json.RawMessage { return &p.DetailType }},
	{"detail", func(p *probe) *json.RawMessage { return &p.Detail }},
	{"time", func(p *probe) *json.RawMessage { return &p.Time }},
	{"source", func(p *probe) *json.RawMessage { return &p.Source }},
	{"taskArn", func(p *probe) *json.RawMessage { return &p.TaskArn }},
	{"task", func(p *probe) *json.RawMessage { return &p.Task }},
	{"containerInstance", func(p *probe) *json.RawMessage { return &p.ContainerInstance }},
	{"containerInstanceArn", func(p *probe) *json.RawMessage { return &p.ContainerInstArn }},
	{"tasks", func(p *probe) *json.RawMessage { return &p.Tasks }},
	{"containerInstances", func(p *probe) *json.RawMessage { return &p.ContainerInstances }},
	{"events", func(p *probe) *json.RawMessage { return &p.Events }},
	{"logEvents", func(p *probe) *json.RawMessage { return &p.LogEvents }},
	{"messages", func(p *probe) *json.RawMessage { return &p.Messages }},
	{"records", func(p *probe) *json.RawMessage { return &p.Records }},
	{"body", func(p *probe) *json.RawMessage { return &p.Body }},
	{"message", func(p *probe) *json.RawMessage { return &p.Message }},
	{"taskDefinition", func(p *probe) *json.RawMessage { return &p.TaskDefinition }},
	{"format", func(p *probe) *json.RawMessage { return &p.Format }},
	{"describeTasks", func(p *probe) *json.RawMessage { return &p.DescribeTasks }},
	{"describeContainerInstances", func(p *probe) *json.RawMessage { return &p.DescribeContainerInstances }},
	{"describeTaskDefinition", func(p *probe) *json.RawMessage { return &p.DescribeTaskDefinition }},
	{"reservations", func(p *probe) *json.RawMessage { return &p.Reservations }},
}

// quickProbe fills p from raw, a valid JSON object, as
// json.Unmarshal(raw, p) would: each member of probe's names the value
// of the last member of raw of that name (ignoring case), as raw writes
// it. The values are parts of raw, not copies. It reports false, p
// partly filled, when a member name is not plain ASCII (an escape, a
// byte past 0x7F): encoding/json decodes such a name and folds it as
// Unicode does, which only it is left to do.
func quickProbe(raw []byte, p *probe) bool {
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] == '"' {
		kend := valueEnd(raw, i)
		key := raw[i+1 : kend-1]
		for _, c := range key {
			if c == '\\' || c >= utf8.RuneSelf {
				return false
			}
		}
		i = skipSpace(raw, skipSpace(raw, kend)+1) // past the colon
		end := valueEnd(raw, i)
		for _, m := range probeMembers {
			if len(m.name) == len(key) && asciiEqualFold(key, m.name) {
				*m.field(p) = raw[i:end]
				break
			}
		}
		if i = skipSpace(raw, end); i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return true
}

// asciiEqualFold reports whether b and s, both ASCII, are equal ignoring
// case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// unquote is json.Unmarshal(raw, s) for raw, one valid JSON value: a
// string without escapes, in UTF-8, is its content (a detail type or
// source the Watcher writes is a constant, and costs no copy); anything
// else is left to encoding/json.
func unquote(raw []byte, s *string) error {
	if len(raw) < 2 || raw[0] != '"' || bytes.IndexByte(raw, '\\') >= 0 || !utf8.Valid(raw) {
		return json.Unmarshal(raw, s)
	}
	switch v := raw[1 : len(raw)-1]; string(v) {
	case detailTask:
		*s = detailTask
	case detailInstance:
		*s = detailInstance
	case detailPrimary:
		*s = detailPrimary
	case detailMode:
		*s = detailMode
	case historySource:
		*s = historySource
	default:
		*s = string(v)
	}
	return nil
}

// eventTime is an event's time, its member raw (nil: none): the zero time
// when it is not an RFC 3339 timestamp, or not one in the years 0 to 9999
// in UTC (years false), which encoding/json cannot write. The lines of one
// poll share their time: the last one read is kept, and not parsed again.
func (d *Decoder) eventTime(raw []byte) (t time.Time, years bool) {
	if raw == nil {
		return time.Time{}, true
	}
	if c := &d.lastTime; c.raw != nil && bytes.Equal(raw, c.raw) {
		return c.t, c.years
	}
	var ts string
	if unquote(raw, &ts) == nil {
		t, _ = time.Parse(time.RFC3339Nano, ts)
	}
	years = t.IsZero() || awswire.InJSONYears(t)
	if !years {
		// In UTC, as a task's end takes it, encoding/json cannot write it.
		t = time.Time{}
	}
	d.lastTime.raw = append(d.lastTime.raw[:0], raw...)
	d.lastTime.t, d.lastTime.years = t, years
	return t, years
}

type wrapped struct {
	Message *string `json:"message"`
	Body    *string `json:"body"`
}

const (
	detailTask     = "ECS Task State Change"
	detailInstance = "ECS Container Instance State Change"
	detailPrimary  = "ecsnet Primary Interface"
	detailMode     = "ecsnet Task Definition Network Mode"
	// historySource is the source of the Watcher's events: one of a
	// detail type not above was written by a newer ecsnet.
	historySource = "ecsnet.history"
)

// snapshotFormat is eni.SnapshotFormat, the one snapshot layout the
// Decoder reads (neither package imports the other: a test checks that
// the two agree).
const snapshotFormat = "ecsnet/eni-snapshot/v1"

// value decodes one JSON value into d.queue. It returns the value's first
// error and leaves the others in d.errs: a caller that takes the value as a
// whole (a Watcher's line) sees that it failed, and Next still delivers
// what the rest of it held.
func (d *Decoder) value(raw []byte, line int, path string, exact bool, depth int) error {
	mark := len(d.errs)
	d.keep(d.decode(raw, line, path, exact, depth))
	if len(d.errs) == mark {
		return nil
	}
	err := d.errs[mark]
	d.errs = slices.Delete(d.errs, mark, mark+1)
	return err
}

// keep notes the error of one part of a value and lets decoding go on with
// the next part.
func (d *Decoder) keep(err error) {
	if err != nil {
		d.errs = append(d.errs, err)
	}
}

// decode decodes one JSON value. exact says whether raw is the input text
// itself (so line numbers inside it are real) rather than a string's
// content. Errors of parts read past go to d.errs (see value); the one
// returned is the value's own.
func (d *Decoder) decode(raw []byte, line int, path string, exact bool, depth int) error {
	// perr reports err at inner, a position in raw (the zero Pos: raw's
	// start). Only when raw is the input's own text is that a place in the
	// input, moved there by where raw starts, as awswire moves any position
	// in an embedded value.
	perr := func(p string, inner awswire.Pos, err error) error {
		at := line
		if exact {
			at = inner.In(awswire.Pos{Line: line}).Line
		}
		return &ParseError{Name: d.Name, Line: at, Path: joinPath(path, p), Err: err}
	}
	if depth > 4 {
		return perr("", awswire.Pos{}, errors.New("too deeply wrapped"))
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		d.skipped++
		return nil
	}
	// lineOf is the input line of offset off in raw, for the records and
	// errors of its parts.
	cur := &cursor{text: raw}
	lineOf := func(off int) int {
		if !exact {
			return line
		}
		return cur.pos(off).In(awswire.Pos{Line: line}).Line
	}
	part := &parts{d: d, raw: raw, cur: cur, perr: perr, path: path}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return perr("", syntaxPos(raw, err), err)
		}
		return d.text(&s, line, path, depth)
	case '[':
		if !validJSON(raw) && !json.Valid(raw) {
			err := json.Unmarshal(raw, new(any)) // invalid: its *json.SyntaxError, with the offset
			return perr("", syntaxPos(raw, err), err)
		}
		eachElement(raw, 0, func(i, start, end int) {
			d.keep(d.decode(raw[start:end], lineOf(start), fmt.Sprintf("%s[%d]", path, i), exact, depth+1))
		})
		return nil
	case '{':
	default:
		msg := "not a JSON object"
		if kind := scalarKind(raw); kind != "" {
			msg = kind + ", not an object"
		}
		return perr("", awswire.Pos{}, errors.New(msg))
	}
	var p probe
	// Valid JSON whose member names are plain ASCII (every event) is
	// probed by finding its members (quickProbe), as encoding/json
	// would fill probe, without a second reading of every byte or a
	// copy of every member's value. Anything else is probed by
	// encoding/json itself, for its errors.
	if !validJSON(raw) || !quickProbe(raw, &p) {
		p = probe{}
		if err := json.Unmarshal(raw, &p); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return perr("", syntaxPos(raw, err), err)
			}
			// A member of another type than the shapes we know: not ours.
			d.skipped++
			return nil
		}
	}
	// raw is valid JSON from here on: awswire need not check it again
	// (awswire.UnmarshalValid), nor its parts.
	t, years := d.eventTime(p.Time)
	var detailType, format string
	if p.DetailType != nil && unquote(p.DetailType, &detailType) != nil {
		return perr("detail-type", awswire.Pos{}, errors.New("not a string"))
	}
	if p.DetailType != nil && p.Time != nil && !isNull(p.Time) && t.IsZero() {
		// An event's time bounds a STOPPED task's end when it has no stop
		// times: read as unknown, the task would stay open for ever. The
		// event is still read, without it.
		name, start, _, _ := member(raw, 0, "time")
		at := awswire.Pos{}
		if exact {
			at = cur.pos(start)
		}
		want := "an RFC 3339 timestamp"
		if !years {
			want = "a timestamp in the years 0 to 9999 in UTC"
		}
		d.keep(perr(name, at, fmt.Errorf("want %s, got %s", want, awswire.Describe(p.Time))))
	}
	if p.Format != nil {
		_ = unquote(p.Format, &format)
	}
	switch {
	case p.DetailType != nil:
		switch detailType {
		case detailTask:
			var ev struct{ Detail types.Task }
			if err := awswire.UnmarshalValid(raw, &ev); err != nil {
				return d.wireErr(perr, err)
			}
			d.queue = append(d.queue, Record{Task: &ev.Detail, Time: t, Line: line, Path: path})
		case detailInstance:
			var ev struct{ Detail types.ContainerInstance }
			if err := awswire.UnmarshalValid(raw, &ev); err != nil {
				return d.wireErr(perr, err)
			}
			var cl struct {
				Detail struct {
					ClusterArn json.RawMessage `json:"clusterArn"`
				} `json:"detail"`
			}
			_ = json.Unmarshal(raw, &cl) // raw is valid JSON, its detail an object
			var clusterARN string
			if c := cl.Detail.ClusterArn; c != nil && !isNull(bytes.TrimSpace(c)) && json.Unmarshal(c, &clusterARN) != nil {
				// The instance is still read, without its cluster, as
				// an event with a bad time is.
				at, name := awswire.Pos{}, "detail.clusterArn"
				if dname, dstart, _, ok := member(raw, 0, "detail"); ok {
					if cname, cstart, _, ok := member(raw, dstart, "clusterArn"); ok {
						name = dname + "." + cname
						if exact {
							at = cur.pos(cstart)
						}
					}
				}
				d.keep(perr(name, at, errors.New("want a string, got "+awswire.Kind(c))))
			}
			d.queue = append(d.queue, Record{Instance: &ev.Detail, Cluster: clusterARN, Time: t, Line: line, Path: path})
		case detailPrimary:
			var ev struct{ Detail primaryJSON }
			if err := json.Unmarshal(raw, &ev); err != nil {
				return perr("detail", awswire.Pos{}, err)
			}
			pr, err := ev.Detail.record()
			if err != nil {
				return perr("detail", awswire.Pos{}, err)
			}
			d.queue = append(d.queue, Record{Primary: pr, Time: t, Line: line, Path: path})
		case detailMode:
			var ev struct{ Detail ModeRecord }
			if err := json.Unmarshal(raw, &ev); err != nil {
				return perr("detail", awswire.Pos{}, err)
			}
			if ev.Detail.TaskDefinitionARN == "" {
				return perr("detail.taskDefinitionArn", awswire.Pos{}, errors.New("missing"))
			}
			d.queue = append(d.queue, Record{Mode: &ev.Detail, Time: t, Line: line, Path: path})
		default:
			var source string
			if p.Source != nil && unquote(p.Source, &source) == nil && source == historySource {
				// A newer ecsnet's: it carries what this version cannot
				// read (counted apart: the history lacks it).
				d.newer++
				break
			}
			d.skipped++
		}
		return nil
	case p.TaskArn != nil:
		var tk types.Task
		if err := awswire.UnmarshalValid(raw, &tk); err != nil {
			return d.wireErr(perr, err)
		}
		d.queue = append(d.queue, Record{Task: &tk, Line: line, Path: path})
		return nil
	case p.ContainerInstArn != nil:
		var ci types.ContainerInstance
		if err := awswire.UnmarshalValid(raw, &ci); err != nil {
			return d.wireErr(perr, err)
		}
		d.queue = append(d.queue, Record{Instance: &ci, Line: line, Path: path})
		return nil
	case p.Task != nil || p.ContainerInstance != nil:
		// The object's members are checked whole, the task and the
		// instance decoded each on its own: a bad value in one costs
		// only that one.
		if !wellShaped(raw) {
			var shape struct{ Task, ContainerInstance any }
			if err := awswire.UnmarshalValid(raw, &shape); err != nil {
				return d.wireErr(perr, err)
			}
		}
		n := 0
		if name, start, end, ok := member(raw, 0, "task"); ok && !isNull(raw[start:end]) {
			n++
			if tk, ok := decodePart[types.Task](part, start, end, name); ok {
				d.queue = append(d.queue, Record{Task: tk, Line: lineOf(start), Path: joinPath(path, name)})
			}
		}
		if name, start, end, ok := member(raw, 0, "containerInstance"); ok && !isNull(raw[start:end]) {
			n++
			if ci, ok := decodePart[types.ContainerInstance](part, start, end, name); ok {
				d.queue = append(d.queue, Record{Instance: ci, Line: lineOf(start), Path: joinPath(path, name)})
			}
		}
		if n == 0 {
			d.skipped++
		}
		return nil
	case strings.HasPrefix(format, "ecsnet/eni-snapshot/") && format != snapshotFormat:
		// A later ecsnet's layout: its members may mean something else,
		// or be named otherwise (nothing read, without a word).
		name, start, _, _ := member(raw, 0, "format")
		at := awswire.Pos{}
		if exact {
			at = cur.pos(start)
		}
		return perr(name, at, fmt.Errorf("unknown snapshot format %s, perhaps written by a newer ecsnet (this one reads %q)", awswire.Quote(format), snapshotFormat))
	case format == snapshotFormat,
		// eni.ReadSnapshot takes one assembled by hand from CLI output,
		// without the format member.
		p.Format == nil && (p.DescribeTasks != nil || p.DescribeContainerInstances != nil || p.DescribeTaskDefinition != nil):
		return d.eniSnapshot(part, lineOf)
	case p.TaskDefinition != nil:
		return d.taskDefinition(part, line)
	case p.Reservations != nil:
		return d.ec2Instances(part, lineOf)
	case p.Tasks != nil || p.ContainerInstances != nil:
		// The document's shape is checked whole (a member given twice,
		// tasks that are not an array), its elements decoded one by one:
		// a task with an unusable value must not cost the others.
		if !wellShaped(raw, "tasks", "containerInstances") {
			var shape struct{ Tasks, ContainerInstances []any }
			if err := awswire.UnmarshalValid(raw, &shape); err != nil {
				return d.wireErr(perr, err)
			}
		}
		n := 0
		if name, start, _, ok := member(raw, 0, "tasks"); ok {
			n += decodeEach(part, start, name, func(tk *types.Task, i, off int) {
				d.queue = append(d.queue, Record{Task: tk, Line: lineOf(off), Path: joinPath(path, fmt.Sprintf("%s[%d]", name, i))})
			})
		}
		if name, start, _, ok := member(raw, 0, "containerInstances"); ok {
			n += decodeEach(part, start, name, func(ci *types.ContainerInstance, i, off int) {
				d.queue = append(d.queue, Record{Instance: ci, Line: lineOf(off), Path: joinPath(path, fmt.Sprintf("%s[%d]", name, i))})
			})
		}
		d.countFailures(raw, 0)
		if n == 0 {
			d.skipped++
		}
		return nil
	}
	// Wrappers: members holding events as JSON text. A member of another
	// shape, or text that is not JSON (a plain log line), is skipped.
	lists := []struct {
		name string
		raw  json.RawMessage
	}{{"events", p.Events}, {"logEvents", p.LogEvents}, {"Messages", p.Messages}, {"Records", p.Records}}
	found := false
	for _, l := range lists {
		var items []json.RawMessage
		if l.raw == nil || json.Unmarshal(l.raw, &items) != nil {
			continue
		}
		// Each element on its own: one that is not an object with its
		// message (body) as text is a bad element of a wrapper, reported,
		// and costs none of the others. A list none of whose elements
		// carries text, and that has such elements, is of another shape.
		ws := make([]wrapped, len(items))
		bad := make([]error, len(items))
		hasText := false
		for i, it := range items {
			if isNull(bytes.TrimSpace(it)) {
				continue
			}
			var w struct {
				Message json.RawMessage `json:"message"`
				Body    json.RawMessage `json:"body"`
			}
			if json.Unmarshal(it, &w) != nil {
				bad[i] = errors.New("want an object with a message or body, got " + awswire.Kind(it))
				continue
			}
			for _, m := range []struct {
				name string
				raw  json.RawMessage
				dst  **string
			}{{"message", w.Message, &ws[i].Message}, {"body", w.Body, &ws[i].Body}} {
				if m.raw == nil || isNull(m.raw) {
					continue
				}
				var s string
				if json.Unmarshal(m.raw, &s) != nil {
					bad[i] = fmt.Errorf("%s: want a string (the event's JSON as text), got %s", m.name, awswire.Kind(m.raw))
					break
				}
				*m.dst = &s
				hasText = true
			}
		}
		if !hasText && slices.ContainsFunc(bad, func(e error) bool { return e != nil }) {
			continue
		}
		// Each element at its own line when raw is the input's text
		// (pretty-printed CLI output puts one member a line); the
		// document's line when it cannot be told (a member given twice:
		// encoding/json read the last, member finds the first).
		at := func(int) int { return line }
		if _, start, _, ok := member(raw, 0, l.name); ok && exact && wellShaped(raw) {
			var starts []int
			eachElement(raw, start, func(_, s, _ int) { starts = append(starts, s) })
			if len(starts) == len(items) {
				at = func(i int) int { return lineOf(starts[i]) }
			}
		}
		for i, w := range ws {
			found = true
			if bad[i] != nil {
				d.keep(&ParseError{Name: d.Name, Line: at(i), Path: fmt.Sprintf("%s[%d]", joinPath(path, l.name), i), Err: bad[i]})
				continue
			}
			s, member := w.Message, "message"
			if s == nil {
				s, member = w.Body, "body"
			}
			d.keep(d.text(s, at(i), fmt.Sprintf("%s[%d].%s", joinPath(path, l.name), i, member), depth))
		}
	}
	if found {
		return nil
	}
	for _, m := range []struct {
		name string
		raw  json.RawMessage
	}{{"Body", p.Body}, {"Message", p.Message}} {
		var s string
		if m.raw != nil && json.Unmarshal(m.raw, &s) == nil {
			return d.text(&s, line, joinPath(path, m.name), depth)
		}
	}
	d.skipped++
	return nil
}

// text decodes JSON carried as a string (a log message, a queue message
// body). Text that is not JSON is skipped.
func (d *Decoder) text(s *string, line int, path string, depth int) error {
	if s == nil {
		d.skipped++
		return nil
	}
	t := strings.TrimSpace(*s)
	if t == "" || (t[0] != '{' && t[0] != '[' && t[0] != '"') {
		d.skipped++
		return nil
	}
	// The text may hold several values (JSON lines in one message).
	sp := &splitter{r: bufio.NewReader(strings.NewReader(t)), line: 1}
	for i := 0; ; i++ {
		raw, _, err := sp.next()
		if err == io.EOF {
			return nil
		}
		p := path
		if i > 0 {
			p = fmt.Sprintf("%s(value %d)", path, i+1)
		}
		if err != nil {
			if sp.err != nil { // the rest of the text cannot be split
				return &ParseError{Name: d.Name, Line: line, Path: p, Err: err}
			}
			d.keep(&ParseError{Name: d.Name, Line: line, Path: p, Err: err})
			continue
		}
		d.keep(d.decode(raw, line, p, false, depth+1))
	}
}

func (d *Decoder) wireErr(perr func(string, awswire.Pos, error) error, err error) error {
	var we *awswire.Error
	if errors.As(err, &we) {
		return perr(we.Path, we.Pos(), errors.New(we.Msg))
	}
	return perr("", awswire.Pos{}, err)
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "["):
		return a + b
	}
	return a + "." + b
}

// syntaxPos is where in raw a json.SyntaxError is (the zero Pos, raw's
// start, for other errors).
func syntaxPos(raw []byte, err error) awswire.Pos {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset <= int64(len(raw)) {
		return awswire.PosOf(raw, se.Offset)
	}
	return awswire.Pos{}
}

// primaryJSON is the detail of a "ecsnet Primary Interface" line.
type primaryJSON struct {
	EC2InstanceID      string `json:"ec2InstanceId"`
	NetworkInterfaceID string `json:"networkInterfaceId,omitempty"`
	MACAddress         string `json:"macAddress,omitempty"`
	PrivateIPv4Address string `json:"privateIPv4Address,omitempty"`
	IPv6Address        string `json:"ipv6Address,omitempty"`
}

func (p primaryJSON) record() (*PrimaryRecord, error) {
	if p.EC2InstanceID == "" {
		return nil, errors.New("ec2InstanceId missing")
	}
	r := &PrimaryRecord{EC2InstanceID: p.EC2InstanceID, PrimaryInterface: PrimaryInterface{ENI: p.NetworkInterfaceID, MAC: p.MACAddress}}
	var err error
	if p.PrivateIPv4Address != "" {
		if r.IPv4, err = parseAddr(p.PrivateIPv4Address, true); err != nil {
			return nil, fmt.Errorf("privateIPv4Address: %w", err)
		}
	}
	if p.IPv6Address != "" {
		if r.IPv6, err = parseAddr(p.IPv6Address, false); err != nil {
			return nil, fmt.Errorf("ipv6Address: %w", err)
		}
	}
	return r, nil
}

func primaryToJSON(id string, p PrimaryInterface) primaryJSON {
	out := primaryJSON{EC2InstanceID: id, NetworkInterfaceID: p.ENI, MACAddress: p.MAC}
	if p.IPv4.IsValid() {
		out.PrivateIPv4Address = p.IPv4.String()
	}
	if p.IPv6.IsValid() {
		out.IPv6Address = p.IPv6.String()
	}
	return out
}

// eniSnapshot reads the eni package's cluster snapshot: raw DescribeTasks,
// DescribeContainerInstances and DescribeTaskDefinition outputs. The
// snapshot's shape is checked whole, each task, instance and task
// definition decoded on its own.
func (d *Decoder) eniSnapshot(p *parts, lineOf func(int) int) error {
	var shape struct {
		Cluster                    string
		DescribeTasks              []struct{ Tasks []any }
		DescribeContainerInstances []struct{ ContainerInstances []any }
		DescribeTaskDefinition     []struct{ TaskDefinition any }
	}
	if err := awswire.UnmarshalValid(p.raw, &shape); err != nil {
		return d.wireErr(p.perr, err)
	}
	// outputs calls fn with member inner of each element of member outer.
	outputs := func(outer, inner string, fn func(path string, start, end int)) {
		oname, ostart, _, ok := member(p.raw, 0, outer)
		if !ok {
			return
		}
		eachElement(p.raw, ostart, func(i, start, _ int) {
			if iname, istart, iend, ok := member(p.raw, start, inner); ok {
				fn(fmt.Sprintf("%s[%d].%s", oname, i, iname), istart, iend)
			}
		})
	}
	// Modes, instances, then tasks: the order the records always came in.
	type seenTD struct {
		mode netmode.Mode
		path string
	}
	seen := map[string]seenTD{}
	outputs("describeTaskDefinition", "taskDefinition", func(path string, start, end int) {
		if isNull(p.raw[start:end]) {
			return
		}
		if td, ok := decodePart[types.TaskDefinition](p, start, end, path); ok && td.TaskDefinitionArn != nil {
			m, err := taskDefMode(p, td, start, path)
			if err != nil {
				d.keep(err)
				return
			}
			// Task definitions are immutable: one given twice with other
			// modes is two files mixed up, and the later must not win
			// without a word (as eni.ReadSnapshot refuses it).
			arn := *td.TaskDefinitionArn
			if o, ok := seen[arn]; ok && o.mode != m {
				name, vstart, _, ok := member(p.raw, start, "networkMode")
				if !ok {
					name, vstart = "networkMode", start
				}
				d.keep(p.perr(joinPath(path, name), p.cur.pos(vstart),
					fmt.Errorf("task definition %s given twice, with network modes %s (%s) and %s", arn, o.mode, o.path, m)))
				return
			}
			seen[arn] = seenTD{m, path}
			d.queue = append(d.queue, Record{Mode: &ModeRecord{TaskDefinitionARN: *td.TaskDefinitionArn, NetworkMode: m}, Line: lineOf(start)})
		}
	})
	outputs("describeContainerInstances", "containerInstances", func(path string, start, _ int) {
		decodeEach(p, start, path, func(ci *types.ContainerInstance, i, off int) {
			d.queue = append(d.queue, Record{Instance: ci, Cluster: shape.Cluster, Line: lineOf(off), Path: joinPath(p.path, fmt.Sprintf("%s[%d]", path, i))})
		})
	})
	outputs("describeTasks", "tasks", func(path string, start, _ int) {
		decodeEach(p, start, path, func(tk *types.Task, i, off int) {
			d.queue = append(d.queue, Record{Task: tk, Line: lineOf(off), Path: joinPath(p.path, fmt.Sprintf("%s[%d]", path, i))})
		})
	})
	for _, outer := range []string{"describeContainerInstances", "describeTasks"} {
		if _, start, _, ok := member(p.raw, 0, outer); ok {
			eachElement(p.raw, start, func(_, start, _ int) { d.countFailures(p.raw, start) })
		}
	}
	return nil
}

// countFailures counts the failures of the describe output at start in
// raw: counted, not recorded, as what ECS could not describe is missing
// from the history, which a report should say.
func (d *Decoder) countFailures(raw []byte, start int) {
	if _, fstart, fend, ok := member(raw, start, "failures"); ok && !isNull(raw[fstart:fend]) {
		eachElement(raw, fstart, func(int, int, int) { d.failures++ })
	}
}

// taskDefinition reads `aws ecs describe-task-definition` output for the
// task definition's network mode.
func (d *Decoder) taskDefinition(p *parts, line int) error {
	var out struct{ TaskDefinition types.TaskDefinition }
	if err := awswire.UnmarshalValid(p.raw, &out); err != nil {
		return d.wireErr(p.perr, err)
	}
	td := &out.TaskDefinition
	if td.TaskDefinitionArn == nil {
		d.skipped++
		return nil
	}
	name, start, _, _ := member(p.raw, 0, "taskDefinition")
	m, err := taskDefMode(p, td, start, name)
	if err != nil {
		return err
	}
	d.queue = append(d.queue, Record{Mode: &ModeRecord{TaskDefinitionARN: *td.TaskDefinitionArn, NetworkMode: m}, Line: line})
	return nil
}

// taskDefMode is the network mode of td, the task definition at
// p.raw[start] (member path path); unset means the OS default: bridge on
// Linux, netmode.ModeDefault (NAT) on Windows. A value that is not a
// network mode is an error placed at its member, as the same mistake in a
// Watcher's line is: read as unknown, it would be lost without a word.
func taskDefMode(p *parts, td *types.TaskDefinition, start int, path string) (netmode.Mode, error) {
	m, err := netmode.ModeOf(td)
	if err != nil {
		name, vstart, _, ok := member(p.raw, start, "networkMode")
		if !ok {
			name, vstart = "networkMode", start
		}
		return m, p.perr(joinPath(path, name), p.cur.pos(vstart), err)
	}
	return m, nil
}

// ec2Instances reads `aws ec2 describe-instances` output for each
// instance's primary network interface (device index 0), which ECS does
// not report. It decodes into the SDK's own shapes with awswire, so a bad
// value is named by its member path and line, and each instance on its
// own, so a bad value costs only its instance. (ec2types.Instance, not
// ec2.DescribeInstancesOutput: the ec2 client package is heavy, and this
// package must not pull it in for a file format.)
func (d *Decoder) ec2Instances(p *parts, lineOf func(int) int) error {
	var shape struct{ Reservations []struct{ Instances []any } }
	if err := awswire.UnmarshalValid(p.raw, &shape); err != nil {
		return d.wireErr(p.perr, err)
	}
	rname, rstart, _, ok := member(p.raw, 0, "reservations")
	if !ok {
		return nil
	}
	eachElement(p.raw, rstart, func(ri, start, _ int) {
		iname, istart, _, ok := member(p.raw, start, "instances")
		if !ok {
			return
		}
		list := fmt.Sprintf("%s[%d].%s", rname, ri, iname)
		decodeEach(p, istart, list, func(in *ec2types.Instance, ii, off int) {
			pr, field, err := primaryOf(in)
			if err != nil {
				d.keep(p.perr(fmt.Sprintf("%s[%d].%s", list, ii, field), p.cur.pos(off), err))
			} else if pr != nil {
				d.queue = append(d.queue, Record{Primary: pr, Line: lineOf(off)})
			}
		})
	})
	return nil
}

// primaryOf is an EC2 instance's primary network interface, nil for an
// instance without an ID; an error names the member at fault.
func primaryOf(in *ec2types.Instance) (*PrimaryRecord, string, error) {
	id := aws.ToString(in.InstanceId)
	if id == "" {
		return nil, "", nil
	}
	p := PrimaryInterface{}
	ipv4 := aws.ToString(in.PrivateIpAddress)
	for _, n := range in.NetworkInterfaces {
		if n.Attachment == nil || n.Attachment.DeviceIndex == nil || *n.Attachment.DeviceIndex != 0 ||
			(n.Attachment.NetworkCardIndex != nil && *n.Attachment.NetworkCardIndex != 0) {
			continue
		}
		p.ENI, p.MAC = aws.ToString(n.NetworkInterfaceId), aws.ToString(n.MacAddress)
		if n.PrivateIpAddress != nil && *n.PrivateIpAddress != "" {
			ipv4 = *n.PrivateIpAddress
		}
		for _, a := range n.Ipv6Addresses {
			if !p.IPv6.IsValid() || aws.ToBool(a.IsPrimaryIpv6) {
				v, err := parseAddr(aws.ToString(a.Ipv6Address), false)
				if err != nil {
					return nil, "NetworkInterfaces.Ipv6Addresses", err
				}
				p.IPv6 = v
			}
		}
	}
	if ipv4 != "" {
		v, err := parseAddr(ipv4, true)
		if err != nil {
			return nil, "PrivateIpAddress", err
		}
		p.IPv4 = v
	}
	return &PrimaryRecord{EC2InstanceID: id, PrimaryInterface: p}, "", nil
}

// parts decodes the parts of one JSON value (raw: describe-* output, a
// snapshot) each on its own, so that an unusable value costs only the task
// or instance it is in; the errors of those that fail go to d.errs, named
// by their member path and place as awswire names them.
type parts struct {
	d    *Decoder
	raw  []byte
	cur  *cursor
	perr func(string, awswire.Pos, error) error
	path string // raw's member path in the input's value, for records
}

// decodePart decodes raw[start:end] into a new T; on failure it keeps the
// error, its path under path, and reports false.
func decodePart[T any](p *parts, start, end int, path string) (*T, bool) {
	v := new(T)
	err := awswire.UnmarshalValid(p.raw[start:end], v)
	if err == nil {
		return v, true
	}
	var we *awswire.Error
	if errors.As(err, &we) {
		p.d.keep(p.perr(joinPath(path, we.Path), we.In(p.cur.pos(start)).Pos(), errors.New(we.Msg)))
	} else {
		p.d.keep(p.perr(path, p.cur.pos(start), err))
	}
	return nil, false
}

// decodeEach decodes each element of the JSON array at raw[start] on its
// own (decodePart, path path[i]) and calls add with those that decode, with
// their index and offset. It returns how many elements there were.
func decodeEach[T any](p *parts, start int, path string, add func(v *T, i, off int)) int {
	n := 0
	eachElement(p.raw, start, func(i, s, e int) {
		n++
		if v, ok := decodePart[T](p, s, e, fmt.Sprintf("%s[%d]", path, i)); ok {
			add(v, i, s)
		}
	})
	return n
}

// The scanners below find where values lie in JSON text that has been
// checked to be valid (json.Valid, or decoded by encoding/json or awswire
// without error). They do not check it again, and they copy nothing: the
// parts of a value of up to MaxValueBytes cost no second copy of it.

// skipSpace returns the offset of the first byte at or after i that is not
// JSON whitespace.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the offset just past the value that starts at b[i].
func valueEnd(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 { // a number or literal ends at its container's end
				return i
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
	}
	return len(b)
}

// eachElement calls fn with the index and bounds of each element of the
// JSON array at b[start]; a value there that is not an array (null) has
// none.
func eachElement(b []byte, start int, fn func(i, start, end int)) {
	if start >= len(b) || b[start] != '[' {
		return
	}
	i := skipSpace(b, start+1)
	for n := 0; i < len(b) && b[i] != ']'; n++ {
		end := valueEnd(b, i)
		fn(n, i, end)
		if i = skipSpace(b, end); i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
}

// member finds the member called name in the JSON object at b[start],
// matching names case-insensitively as awswire matches them to fields: its
// name as written (for error paths) and the bounds of its value. A
// document awswire decoded has at most one such member.
func member(b []byte, start int, name string) (key string, vstart, vend int, ok bool) {
	if start >= len(b) || b[start] != '{' {
		return "", 0, 0, false
	}
	i := skipSpace(b, start+1)
	for i < len(b) && b[i] == '"' {
		kend := valueEnd(b, i)
		var k string
		_ = json.Unmarshal(b[i:kend], &k) // a valid JSON string
		i = skipSpace(b, skipSpace(b, kend)+1)
		end := valueEnd(b, i)
		if strings.EqualFold(k, name) {
			return k, i, end, true
		}
		if i = skipSpace(b, end); i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return "", 0, 0, false
}

func isNull(v []byte) bool { return string(v) == "null" }

// wellShaped reports whether the object raw, valid JSON, has no member
// given twice (names compared as awswire matches them, ignoring case) and
// each member named in arrays an array or null: then awswire would find
// nothing wrong with its shape, and need not read every element to say
// so. When it reports false, awswire says what is wrong (or that
// nothing is), in its words.
func wellShaped(raw []byte, arrays ...string) bool {
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	var seen []string
	i := skipSpace(raw, 1)
	for i < len(raw) && raw[i] == '"' {
		kend := valueEnd(raw, i)
		var k string
		if json.Unmarshal(raw[i:kend], &k) != nil {
			return false
		}
		i = skipSpace(raw, skipSpace(raw, kend)+1)
		end := valueEnd(raw, i)
		for _, s := range seen {
			if strings.EqualFold(s, k) {
				return false
			}
		}
		seen = append(seen, k)
		for _, a := range arrays {
			if strings.EqualFold(a, k) && raw[i] != '[' && !isNull(raw[i:end]) {
				return false
			}
		}
		if i = skipSpace(raw, end); i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return true
}

// cursor gives the positions of offsets in one text, counting each newline
// once while the offsets come in order: awswire.PosOf counts from the start
// each time, which over the elements of a large document is quadratic.
type cursor struct {
	text       []byte
	off, start int // counted up to off, which is on the line starting at start
	line       int
}

func (c *cursor) pos(off int) awswire.Pos {
	off = max(0, min(off, len(c.text)))
	if c.line == 0 || off < c.off {
		c.off, c.start, c.line = 0, 0, 1
	}
	for {
		j := bytes.IndexByte(c.text[c.off:off], '\n')
		if j < 0 {
			break
		}
		c.off += j + 1
		c.start, c.line = c.off, c.line+1
	}
	c.off = off
	return awswire.Pos{Line: c.line, Column: off - c.start + 1, Offset: int64(off)}
}

package history

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

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

// Decoder reads ECS task and container instance data from a stream of JSON
// values, whatever carried them:
//
//   - EventBridge events "ECS Task State Change" (detail = Task, attachment
//     type "eni") and "ECS Container Instance State Change" (detail =
//     ContainerInstance), one per line (CloudWatch Logs, Firehose → S3 JSON
//     lines), concatenated, pretty-printed or in a JSON array; other
//     detail types are skipped;
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
type Decoder struct {
	// Name names the input in errors (a file name, an S3 key).
	Name string
	// MaxValueBytes bounds one JSON value (default 64 MiB).
	MaxValueBytes int

	r       io.Reader
	s       *splitter
	queue   []Record
	skipped int
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder { return &Decoder{r: r} }

// Skipped is how many JSON values were understood but carried nothing for
// the history (other event types, empty wrappers).
func (d *Decoder) Skipped() int { return d.skipped }

// Next returns the next record, io.EOF at the end of the input, or a
// *ParseError for a bad value (call Next again to continue after it).
func (d *Decoder) Next() (Record, error) {
	for len(d.queue) == 0 {
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
		max = 64 << 20
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

type wrapped struct {
	Message *string `json:"message"`
	Body    *string `json:"body"`
}

const (
	detailTask     = "ECS Task State Change"
	detailInstance = "ECS Container Instance State Change"
	detailPrimary  = "ecsnet Primary Interface"
	detailMode     = "ecsnet Task Definition Network Mode"
)

// value decodes one JSON value. exact says whether raw is the input text
// itself (so line numbers inside it are real) rather than a string's
// content.
func (d *Decoder) value(raw []byte, line int, path string, exact bool, depth int) error {
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
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return perr("", syntaxPos(raw, err), err)
		}
		return d.text(&s, line, path, depth)
	case '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return perr("", syntaxPos(raw, err), err)
		}
		// Element lines: where each element starts in raw, moved into
		// the input.
		off := 0
		for i, e := range elems {
			el := line
			if exact {
				if j := bytes.Index(raw[off:], e); j >= 0 {
					el = awswire.PosOf(raw, int64(off+j)).In(awswire.Pos{Line: line}).Line
					off += j + len(e)
				}
			}
			if err := d.value(e, el, fmt.Sprintf("%s[%d]", path, i), exact, depth+1); err != nil {
				return err
			}
		}
		return nil
	case '{':
	default:
		return perr("", awswire.Pos{}, errors.New("not a JSON object"))
	}
	var p probe
	if err := json.Unmarshal(raw, &p); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return perr("", syntaxPos(raw, err), err)
		}
		// A member of another type than the shapes we know: not ours.
		d.skipped++
		return nil
	}
	var t time.Time
	var ts string
	if p.Time != nil && json.Unmarshal(p.Time, &ts) == nil {
		t, _ = time.Parse(time.RFC3339Nano, ts)
	}
	var detailType, format string
	if p.DetailType != nil && json.Unmarshal(p.DetailType, &detailType) != nil {
		return perr("detail-type", awswire.Pos{}, errors.New("not a string"))
	}
	if p.Format != nil {
		_ = json.Unmarshal(p.Format, &format)
	}
	switch {
	case p.DetailType != nil:
		switch detailType {
		case detailTask:
			var ev struct{ Detail types.Task }
			if err := awswire.Unmarshal(raw, &ev); err != nil {
				return d.wireErr(perr, err)
			}
			d.queue = append(d.queue, Record{Task: &ev.Detail, Time: t, Line: line})
		case detailInstance:
			var ev struct{ Detail types.ContainerInstance }
			if err := awswire.Unmarshal(raw, &ev); err != nil {
				return d.wireErr(perr, err)
			}
			var cl struct {
				Detail struct {
					ClusterArn string `json:"clusterArn"`
				} `json:"detail"`
			}
			_ = json.Unmarshal(raw, &cl) // raw is valid JSON; a non-string clusterArn just stays unknown
			d.queue = append(d.queue, Record{Instance: &ev.Detail, Cluster: cl.Detail.ClusterArn, Time: t, Line: line})
		case detailPrimary:
			var ev struct{ Detail primaryJSON }
			if err := json.Unmarshal(raw, &ev); err != nil {
				return perr("detail", awswire.Pos{}, err)
			}
			pr, err := ev.Detail.record()
			if err != nil {
				return perr("detail", awswire.Pos{}, err)
			}
			d.queue = append(d.queue, Record{Primary: pr, Time: t, Line: line})
		case detailMode:
			var ev struct{ Detail ModeRecord }
			if err := json.Unmarshal(raw, &ev); err != nil {
				return perr("detail", awswire.Pos{}, err)
			}
			if ev.Detail.TaskDefinitionARN == "" {
				return perr("detail.taskDefinitionArn", awswire.Pos{}, errors.New("missing"))
			}
			d.queue = append(d.queue, Record{Mode: &ev.Detail, Time: t, Line: line})
		default:
			d.skipped++
		}
		return nil
	case p.TaskArn != nil:
		var tk types.Task
		if err := awswire.Unmarshal(raw, &tk); err != nil {
			return d.wireErr(perr, err)
		}
		d.queue = append(d.queue, Record{Task: &tk, Line: line})
		return nil
	case p.ContainerInstArn != nil:
		var ci types.ContainerInstance
		if err := awswire.Unmarshal(raw, &ci); err != nil {
			return d.wireErr(perr, err)
		}
		d.queue = append(d.queue, Record{Instance: &ci, Line: line})
		return nil
	case p.Task != nil || p.ContainerInstance != nil:
		var out struct {
			Task              *types.Task
			ContainerInstance *types.ContainerInstance
		}
		if err := awswire.Unmarshal(raw, &out); err != nil {
			return d.wireErr(perr, err)
		}
		if out.Task != nil {
			d.queue = append(d.queue, Record{Task: out.Task, Line: line})
		}
		if out.ContainerInstance != nil {
			d.queue = append(d.queue, Record{Instance: out.ContainerInstance, Line: line})
		}
		if out.Task == nil && out.ContainerInstance == nil {
			d.skipped++
		}
		return nil
	case strings.HasPrefix(format, "ecsnet/eni-snapshot/"):
		return d.eniSnapshot(raw, perr)
	case p.TaskDefinition != nil:
		return d.taskDefinition(raw, line, perr)
	case p.Reservations != nil:
		return d.ec2Instances(raw, line, perr)
	case p.Tasks != nil || p.ContainerInstances != nil:
		var out struct {
			Tasks              []types.Task
			ContainerInstances []types.ContainerInstance
		}
		if err := awswire.Unmarshal(raw, &out); err != nil {
			return d.wireErr(perr, err)
		}
		for i := range out.Tasks {
			d.queue = append(d.queue, Record{Task: &out.Tasks[i], Line: line})
		}
		for i := range out.ContainerInstances {
			d.queue = append(d.queue, Record{Instance: &out.ContainerInstances[i], Line: line})
		}
		if len(out.Tasks)+len(out.ContainerInstances) == 0 {
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
		var items []wrapped
		if l.raw == nil || json.Unmarshal(l.raw, &items) != nil {
			continue
		}
		for i, w := range items {
			found = true
			s, member := w.Message, "message"
			if s == nil {
				s, member = w.Body, "body"
			}
			if err := d.text(s, line, fmt.Sprintf("%s[%d].%s", joinPath(path, l.name), i, member), depth); err != nil {
				return err
			}
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
			return &ParseError{Name: d.Name, Line: line, Path: p, Err: err}
		}
		if err := d.value(raw, line, p, false, depth+1); err != nil {
			return err
		}
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
// DescribeContainerInstances and DescribeTaskDefinition outputs.
func (d *Decoder) eniSnapshot(raw []byte, perr func(string, awswire.Pos, error) error) error {
	var snap struct {
		Cluster                    string
		DescribeTasks              []struct{ Tasks []types.Task }
		DescribeContainerInstances []struct{ ContainerInstances []types.ContainerInstance }
		DescribeTaskDefinition     []struct{ TaskDefinition *types.TaskDefinition }
	}
	if err := awswire.Unmarshal(raw, &snap); err != nil {
		return d.wireErr(perr, err)
	}
	for _, o := range snap.DescribeTaskDefinition {
		if td := o.TaskDefinition; td != nil && td.TaskDefinitionArn != nil {
			d.queue = append(d.queue, Record{Mode: &ModeRecord{TaskDefinitionARN: *td.TaskDefinitionArn, NetworkMode: taskDefMode(td)}})
		}
	}
	for _, o := range snap.DescribeContainerInstances {
		for i := range o.ContainerInstances {
			d.queue = append(d.queue, Record{Instance: &o.ContainerInstances[i], Cluster: snap.Cluster})
		}
	}
	for _, o := range snap.DescribeTasks {
		for i := range o.Tasks {
			d.queue = append(d.queue, Record{Task: &o.Tasks[i]})
		}
	}
	return nil
}

// taskDefinition reads `aws ecs describe-task-definition` output for the
// task definition's network mode.
func (d *Decoder) taskDefinition(raw []byte, line int, perr func(string, awswire.Pos, error) error) error {
	var out struct{ TaskDefinition types.TaskDefinition }
	if err := awswire.Unmarshal(raw, &out); err != nil {
		return d.wireErr(perr, err)
	}
	td := &out.TaskDefinition
	if td.TaskDefinitionArn == nil {
		d.skipped++
		return nil
	}
	d.queue = append(d.queue, Record{Mode: &ModeRecord{TaskDefinitionARN: *td.TaskDefinitionArn, NetworkMode: taskDefMode(td)}, Line: line})
	return nil
}

// taskDefMode is a task definition's network mode; unset means the OS
// default: bridge on Linux, netmode.ModeDefault (NAT) on Windows. A value
// that is not a network mode gives netmode.ModeUnknown.
func taskDefMode(td *types.TaskDefinition) netmode.Mode {
	m, _ := netmode.ModeOf(td)
	return m
}

// ec2Instances reads `aws ec2 describe-instances` output for each
// instance's primary network interface (device index 0), which ECS does
// not report. It decodes into the SDK's own shapes with awswire, so a bad
// value is named by its member path and line. (ec2types.Reservation, not
// ec2.DescribeInstancesOutput: the ec2 client package is heavy, and this
// package must not pull it in for a file format.)
func (d *Decoder) ec2Instances(raw []byte, line int, perr func(string, awswire.Pos, error) error) error {
	var out struct{ Reservations []ec2types.Reservation }
	if err := awswire.Unmarshal(raw, &out); err != nil {
		return d.wireErr(perr, err)
	}
	for ri, r := range out.Reservations {
		for ii, in := range r.Instances {
			id := aws.ToString(in.InstanceId)
			if id == "" {
				continue
			}
			path := fmt.Sprintf("Reservations[%d].Instances[%d]", ri, ii)
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
							return perr(path+".NetworkInterfaces.Ipv6Addresses", awswire.Pos{}, err)
						}
						p.IPv6 = v
					}
				}
			}
			if ipv4 != "" {
				v, err := parseAddr(ipv4, true)
				if err != nil {
					return perr(path+".PrivateIpAddress", awswire.Pos{}, err)
				}
				p.IPv4 = v
			}
			d.queue = append(d.queue, Record{Primary: &PrimaryRecord{EC2InstanceID: id, PrimaryInterface: p}, Line: line})
		}
	}
	return nil
}

// Package subscription decodes the payloads CloudWatch Logs subscription
// filters deliver to AWS Lambda, Amazon Kinesis Data Streams and Amazon Data
// Firehose: gzip-compressed JSON envelopes
//
//	{"messageType": "DATA_MESSAGE", "owner": "123456789012",
//	 "logGroup": "…", "logStream": "eni-…", "subscriptionFilters": ["…"],
//	 "logEvents": [{"id": "…", "timestamp": 1700000000000, "message": "…"}]}
//
// that Lambda receives base64-encoded under awslogs.data. CloudWatch Logs
// also sends CONTROL_MESSAGE envelopes to check that the destination is
// reachable; they carry no log data and are skipped. Each logEvents message
// of a VPC Flow Log subscription is one record line without a header.
//
// The package needs only the standard library and the flowlogs parser (no
// AWS SDK), so a Lambda function that parses flow logs stays small.
package subscription

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// Message types of an envelope.
const (
	DataMessage    = "DATA_MESSAGE"
	ControlMessage = "CONTROL_MESSAGE"
)

// Envelope is one subscription delivery.
type Envelope struct {
	MessageType         string     `json:"messageType"`
	Owner               string     `json:"owner"`
	LogGroup            string     `json:"logGroup"`
	LogStream           string     `json:"logStream"`
	SubscriptionFilters []string   `json:"subscriptionFilters"`
	LogEvents           []LogEvent `json:"logEvents"`
	// PolicyLevel is set for account-level subscription policies.
	PolicyLevel string `json:"policyLevel,omitempty"`
}

// LogEvent is one event of an envelope.
type LogEvent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"` // epoch ms; flow logs: the record's start
	Message   string `json:"message"`
}

// IsControl reports whether e is a CONTROL_MESSAGE.
func (e *Envelope) IsControl() bool { return e.MessageType == ControlMessage }

// Events returns the log events of a data message, and nothing for a
// control message.
func (e *Envelope) Events() []LogEvent {
	if e.IsControl() {
		return nil
	}
	return e.LogEvents
}

// Records parses the events of a data message as flow-log records with
// the formats fs (none, or only nil, means flowlogs.DefaultFormat; for a
// custom format use the flow log's LogFormat, see package ec2format). Several
// flow logs may write one log group, and those covering the same ENI share
// its stream, so one envelope can hold lines of several formats: give them
// all (ec2format.Formats) and each line is parsed with the one its field
// count matches, as a flowlogs.MultiParser does. The *Record is reused by the
// next iteration. A malformed event yields a *flowlogs.ParseError whose Name
// is "<logGroup>/<logStream>@<event id>" and ends the sequence.
func (e *Envelope) Records(fs ...*flowlogs.Format) iter.Seq2[*flowlogs.Record, error] {
	return func(yield func(*flowlogs.Record, error) bool) {
		p := flowlogs.NewMultiParser(fs, flowlogs.FieldSet{}) // DefaultFormat when fs holds no format
		var rec flowlogs.Record
		var buf []byte
		for _, ev := range e.Events() {
			buf = append(buf[:0], ev.Message...)
			if err := p.Parse(e.LogStream, buf, &rec); err != nil {
				var pe *flowlogs.ParseError
				if !errors.As(err, &pe) {
					pe = &flowlogs.ParseError{Err: err}
				}
				pe.Name = e.LogGroup + "/" + e.LogStream + "@" + ev.ID
				yield(nil, pe)
				return
			}
			if !yield(&rec, nil) {
				return
			}
		}
	}
}

// MaxDecodedSize bounds how much decompressed JSON one payload may expand
// to (a guard against gzip bombs; real deliveries are a few MB at most).
const MaxDecodedSize = 64 << 20

var maxDecodedSize int64 = MaxDecodedSize // tests lower it

// ErrTooLarge is returned when a payload decompresses past MaxDecodedSize.
var ErrTooLarge = errors.New("subscription: payload decompresses past MaxDecodedSize")

// Decode decodes one payload: gzip bytes (a Kinesis or Firehose record's
// data), base64 text of them (Lambda's awslogs.data), or plain JSON. A
// payload holding several envelopes back to back (Firehose concatenates
// records) is an error here; use [All] for those.
func Decode(payload []byte) (*Envelope, error) {
	var out *Envelope
	for e, err := range All(bytes.NewReader(payload)) {
		if err != nil {
			return nil, err
		}
		if out != nil {
			return nil, errors.New("subscription: payload holds more than one envelope; use All")
		}
		out = e
	}
	if out == nil {
		return nil, errors.New("subscription: empty payload")
	}
	return out, nil
}

// lambdaEvent is what a Lambda function subscribed to a log group receives.
type lambdaEvent struct {
	AWSLogs struct {
		Data string `json:"data"`
	} `json:"awslogs"`
}

// DecodeLambda decodes the event a Lambda function receives from a
// subscription filter: {"awslogs": {"data": "<base64 of gzip JSON>"}}.
func DecodeLambda(event []byte) (*Envelope, error) {
	var ev lambdaEvent
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, fmt.Errorf("subscription: Lambda event: %w", err)
	}
	if ev.AWSLogs.Data == "" {
		return nil, errors.New("subscription: Lambda event has no awslogs.data")
	}
	return Decode([]byte(ev.AWSLogs.Data))
}

// All decodes every envelope in r, which may be gzip (one or several
// concatenated members), base64 text of gzip, or plain JSON, with envelopes
// back to back — the shape of a Firehose-to-S3 object. Control messages are
// yielded too; use [Envelope.Events] to skip them.
func All(r io.Reader) iter.Seq2[*Envelope, error] {
	return func(yield func(*Envelope, error) bool) {
		br := bufio.NewReader(r)
		src, err := sniff(br, "")
		if err != nil {
			yield(nil, err)
			return
		}
		lim := &limitedReader{r: src, n: maxDecodedSize}
		dec := json.NewDecoder(lim)
		for i := 0; ; i++ {
			var e Envelope
			err := dec.Decode(&e)
			if err == io.EOF {
				return
			}
			if err != nil {
				if lim.n < 0 {
					yield(nil, tooLarge(dec, i))
					return
				}
				yield(nil, fmt.Errorf("subscription: envelope %d: %w", i, err))
				return
			}
			if e.MessageType != DataMessage && e.MessageType != ControlMessage {
				yield(nil, fmt.Errorf("subscription: envelope %d: unknown messageType %q", i, e.MessageType))
				return
			}
			if !yield(&e, nil) {
				return
			}
		}
	}
}

// sniff returns a reader of the JSON text, undoing base64 and gzip; layer
// names what br reads ("" for the payload itself), for errors.
func sniff(br *bufio.Reader, layer string) (io.Reader, error) {
	head, err := br.Peek(2)
	if err != nil && len(head) == 0 {
		if err == io.EOF {
			return nil, errors.New("subscription: empty payload" + layer)
		}
		return nil, fmt.Errorf("subscription: reading the payload%s: %w", layer, err)
	}
	switch {
	case len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("subscription: gzip: %w", err)
		}
		return zr, nil
	case firstNonSpace(br) == '{' || firstNonSpace(br) == 0:
		return br, nil // JSON (white space alone: the decoder says what is wrong)
	default: // base64 (standard alphabet, as Lambda and Firehose use)
		return sniff(bufio.NewReader(base64.NewDecoder(base64.StdEncoding, &stripNewlines{br})), " as base64"+layer)
	}
}

// firstNonSpace is the first byte of br past leading white space,
// peeked (0 when br holds only white space, to its end or as far as its
// buffer goes): JSON and base64 text may both come after a line break.
// It peeks one byte more at a time, so that a stream is read no further
// than that byte: a Peek of the whole buffer waits for 4 KiB or the end,
// holding back a short envelope that a stream sends alone.
func firstNonSpace(br *bufio.Reader) byte {
	for n := 1; n <= br.Size(); n++ {
		head, _ := br.Peek(n)
		if len(head) < n {
			return 0
		}
		if c := head[n-1]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
	}
	return 0
}

// stripNewlines drops line breaks, which base64.NewDecoder already ignores
// for \r and \n; it exists so that trailing whitespace after the text does
// not end as a decoding error.
type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil || n == 0 {
			return j, err
		}
	}
}

// tooLarge is the error for a payload that went past maxDecodedSize while
// dec was reading envelope i: in it, if dec had begun it, or after envelope
// i-1 if only whitespace came before the byte that was one too many (a
// payload of one envelope has no envelope 1 to blame).
func tooLarge(dec *json.Decoder, i int) error {
	rest, _ := io.ReadAll(dec.Buffered()) // a bytes.Reader: never fails
	where := fmt.Sprintf("in envelope %d", i)
	if len(bytes.TrimLeft(rest, " \t\r\n")) == 0 {
		where = fmt.Sprintf("after envelope %d", i-1)
		if i == 0 {
			where = "before the first envelope"
		}
	}
	return fmt.Errorf("%w (%d bytes), %s", ErrTooLarge, maxDecodedSize, where)
}

// limitedReader passes at most n bytes of r; a byte past them is
// ErrTooLarge, and n is then negative.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if l.n <= 0 {
		if l.n < 0 {
			return 0, ErrTooLarge
		}
		// The budget is spent: only a byte that actually arrives is one
		// too many. A payload of exactly the limit ends here with r's EOF
		// (or its error), which passes through.
		var probe [1]byte
		n, err := l.r.Read(probe[:])
		if n == 0 {
			return 0, err
		}
		l.n = -1
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

package subscription

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

func gz(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, p := range parts { // one gzip member each, as Firehose concatenates
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(p))
		zw.Close()
	}
	return buf.Bytes()
}

const data = `{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"vpc-flow","logStream":"eni-0a1b2c3d4e5f67890",
"subscriptionFilters":["all"],"logEvents":[
{"id":"31953106606966983378809025079804211143289615424298221568","timestamp":1700000000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK"},
{"id":"31953106606966983378809025079804211143289615424298221569","timestamp":1700000000000,"message":"2 123456789012 eni-0a1b2c3d4e5f67890 10.0.0.2 10.0.0.1 49152 443 6 12 9000 1700000000 1700000060 ACCEPT OK"}]}`

const control = `{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],
"logEvents":[{"id":"","timestamp":1700000000000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}`

func TestDecodeForms(t *testing.T) {
	z := gz(t, data)
	b64 := base64.StdEncoding.EncodeToString(z)
	lambda, _ := json.Marshal(map[string]any{"awslogs": map[string]string{"data": b64}})
	for name, decode := range map[string]func() (*Envelope, error){
		"gzip":   func() (*Envelope, error) { return Decode(z) },
		"base64": func() (*Envelope, error) { return Decode([]byte(b64 + "\n")) },
		// Text pasted or saved with a leading line break: base64 still,
		// not JSON (which reported "invalid character 'H'").
		"base64 after white space": func() (*Envelope, error) { return Decode([]byte("\n  " + b64)) },
		"json after white space":   func() (*Envelope, error) { return Decode([]byte("\n" + data)) },
		"json":                     func() (*Envelope, error) { return Decode([]byte(data)) },
		"lambda":                   func() (*Envelope, error) { return DecodeLambda(lambda) },
	} {
		e, err := decode()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if e.IsControl() || e.LogStream != "eni-0a1b2c3d4e5f67890" || len(e.Events()) != 2 ||
			e.Events()[1].Message[:2] != "2 " || e.Events()[0].Timestamp != 1700000000000 {
			t.Fatalf("%s: %+v", name, e)
		}
	}
}

func TestControlMessagesAreSkipped(t *testing.T) {
	e, err := Decode(gz(t, control))
	if err != nil {
		t.Fatal(err)
	}
	if !e.IsControl() || e.Events() != nil {
		t.Fatalf("%+v", e)
	}
}

func TestAllReadsConcatenatedEnvelopes(t *testing.T) {
	var events, envs int
	for e, err := range All(bytes.NewReader(gz(t, data, control, data+"\n"+data))) {
		if err != nil {
			t.Fatal(err)
		}
		envs++
		events += len(e.Events())
	}
	if envs != 4 || events != 6 {
		t.Fatalf("%d envelopes, %d events", envs, events)
	}
	if _, err := Decode(gz(t, data, data)); err == nil {
		t.Fatal("Decode accepted two envelopes")
	}
}

func TestBadPayloads(t *testing.T) {
	for name, p := range map[string][]byte{
		"empty":         nil,
		"truncated":     gz(t, data)[:40],
		"not json":      gz(t, "hello"),
		"unknown type":  []byte(`{"messageType":"OTHER"}`),
		"bad base64":    []byte("!!!!"),
		"lambda no key": []byte(`{"awslogs":{}}`),
	} {
		var err error
		if name == "lambda no key" {
			_, err = DecodeLambda(p)
		} else {
			_, err = Decode(p)
		}
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	defer func(n int64) { maxDecodedSize = n }(maxDecodedSize)
	maxDecodedSize = 1000
	_, err := Decode(gz(t, `{"messageType":"DATA_MESSAGE","logEvents":[{"message":"`+strings.Repeat("x", 5000)+`"}]}`))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("bomb guard: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(data))
	f.Add(gz(f, data))
	f.Add(gz(f, control, data))
	f.Add([]byte(base64.StdEncoding.EncodeToString(gz(f, data))))
	// Every envelope decoded from any input, written back as the JSON
	// CloudWatch Logs sends, gzipped (and base64'd, as Kinesis delivers
	// it), decodes to the same envelope.
	f.Fuzz(func(t *testing.T, b []byte) {
		for e, err := range All(bytes.NewReader(b)) {
			if err != nil {
				return
			}
			_ = e.Events()
			js, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("envelope does not marshal: %v", err)
			}
			z := gz(t, string(js))
			for name, in := range map[string][]byte{"gzip": z, "base64": []byte(base64.StdEncoding.EncodeToString(z))} {
				again, err := Decode(in)
				if err != nil {
					t.Fatalf("%s of %s: %v", name, js, err)
				}
				if !reflect.DeepEqual(normal(again), normal(e)) {
					t.Fatalf("%s round trip:\n got  %+v\n want %+v", name, again, e)
				}
			}
		}
	})
}

// normal makes empty and nil slices equal: JSON writes both as [] or null.
func normal(e *Envelope) Envelope {
	c := *e
	if len(c.SubscriptionFilters) == 0 {
		c.SubscriptionFilters = nil
	}
	if len(c.LogEvents) == 0 {
		c.LogEvents = nil
	}
	return c
}

func TestRecords(t *testing.T) {
	e, err := Decode(gz(t, data))
	if err != nil {
		t.Fatal(err)
	}
	var bytes int64
	for r, err := range e.Records(nil) {
		if err != nil {
			t.Fatal(err)
		}
		bytes += r.Bytes
	}
	if bytes != 840+9000 {
		t.Fatalf("bytes %d", bytes)
	}
	e.LogEvents[1].Message = "2 123456789012 eni-x 10.0.0.2 10.0.0.1 1 2 6 1 x 1 2 ACCEPT OK"
	var pe *flowlogs.ParseError
	for _, err := range e.Records(nil) {
		if err != nil && !errors.As(err, &pe) {
			t.Fatal(err)
		}
	}
	if pe == nil || pe.Field != "bytes" || !strings.HasPrefix(pe.Name, "vpc-flow/eni-0a1b2c3d4e5f67890@") {
		t.Fatalf("got %v", pe)
	}
	c, _ := Decode(gz(t, control))
	for range c.Records(nil) {
		t.Fatal("a control message has records")
	}
}

// TestDecodeExactlyMaxDecodedSize: ErrTooLarge is for a payload that
// "decompresses past MaxDecodedSize"; one that decompresses to exactly
// MaxDecodedSize bytes is within the bound and must decode (it was refused
// because the reader failed as soon as the budget was spent, before seeing
// whether any byte followed). One byte more is too large, and the error
// says where: after envelope 0, not in an "envelope 1" that does not exist.
func TestDecodeExactlyMaxDecodedSize(t *testing.T) {
	defer func(n int64) { maxDecodedSize = n }(maxDecodedSize)
	maxDecodedSize = int64(len(data))
	for name, p := range map[string][]byte{"gzip": gz(t, data), "json": []byte(data),
		"base64": []byte(base64.StdEncoding.EncodeToString(gz(t, data)))} {
		if _, err := Decode(p); err != nil {
			t.Errorf("%s payload of exactly maxDecodedSize (%d) bytes: %v", name, len(data), err)
		}
	}
	_, err := Decode(gz(t, data+"\n"))
	if !errors.Is(err, ErrTooLarge) || strings.Contains(err.Error(), "envelope 1") || !strings.Contains(err.Error(), "after envelope 0") {
		t.Errorf("one byte past maxDecodedSize after the envelope: %v", err)
	}
	_, err = Decode(gz(t, data[:len(data)-1]))
	if err == nil || errors.Is(err, ErrTooLarge) {
		t.Errorf("payload one byte short of maxDecodedSize, cut: %v; want a JSON error", err)
	}
	maxDecodedSize = int64(len(data)) - 1
	_, err = Decode(gz(t, data))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "envelope 0") {
		t.Errorf("payload one byte past maxDecodedSize, inside the envelope: %v", err)
	}
}

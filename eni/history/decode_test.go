package history

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/netmode"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	evTask   = "arn:aws:ecs:us-east-1:111122223333:task/prod/9a1b2c3d4e5f"
	descTask = "arn:aws:ecs:us-east-1:111122223333:task/prod/7f8e9d0c1b2a"
	brTask   = "arn:aws:ecs:us-east-1:111122223333:task/prod/0c0c0c0c0c0c"
)

func TestEventsMergeWithDescribeTasks(t *testing.T) {
	b := NewBuilder()
	st, err := b.LoadFiles("testdata/events.jsonl", "testdata/describe-tasks.json")
	if err != nil {
		t.Fatal(err)
	}
	want := LoadStats{Tasks: 6, Instances: 1, Changed: 6, Skipped: 1}
	if st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	x := b.Index()
	old, ok := x.Task(evTask)
	if !ok {
		t.Fatal("event task missing")
	}
	if old.ENI != "eni-0a11aa11aa11aa111" || old.AttachmentStatus != "DELETED" || old.Version != 6 ||
		!old.Valid.Start.Equal(ts("2026-11-25T10:00:00.250Z")) || !old.Valid.End.Equal(ts("2026-11-25T10:07:11.800Z")) {
		t.Fatalf("event task: %+v", old)
	}
	ip := mustAddr("10.0.1.23")
	for _, c := range []struct {
		when, want string
	}{
		{"2026-11-25T09:59:59Z", ""},
		{"2026-11-25T10:03:00Z", evTask},
		{"2026-11-25T10:06:40Z", evTask},
		{"2026-11-25T10:06:50Z", descTask}, // the replacement's createdAt (10:06:45.12) ends the old claim
		{"2026-11-25T12:00:00Z", descTask},
	} {
		got, ok := x.TaskByIP(ip, ts(c.when))
		if (c.want == "") == ok || (ok && got.ARN != c.want) {
			t.Errorf("%s at %s: got %v, want %q", ip, c.when, got, c.want)
		}
	}
	if got, ok := x.TaskByIP(mustAddr("2600:1f18:1234:5601::17"), ts("2026-11-25T11:00:00Z")); !ok || got.ARN != descTask {
		t.Errorf("IPv6 lookup: %v", got)
	}
	if got, ok := x.TaskByHostPort("arn:aws:ecs:us-east-1:111122223333:container-instance/prod/aaaa", 32768, netmode.TCP, ts("2026-11-25T10:00:00Z")); !ok || got.ARN != brTask {
		t.Errorf("host port lookup: %v", got)
	}
	in, ok := x.Instance("arn:aws:ecs:us-east-1:111122223333:container-instance/prod/aaaa")
	if !ok || in.EC2InstanceID != "i-0123456789abcdef0" || in.InstanceType != "m5.large" || in.ClusterARN != "arn:aws:ecs:us-east-1:111122223333:cluster/prod" {
		t.Fatalf("instance: %+v", in)
	}

	// Same data, other order, twice: the same history.
	b2 := NewBuilder()
	for i := 0; i < 2; i++ {
		if _, err := b2.LoadFiles("testdata/describe-tasks.json", "testdata/events.jsonl"); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(sortedTasks(b), sortedTasks(b2)) {
		t.Fatal("load order changed the history")
	}
}

func sortedTasks(b *Builder) []Task {
	var out []Task
	for _, t := range b.Index().Tasks() {
		out = append(out, *t)
	}
	return out
}

// eventLines are the task events of the fixture, one per line.
func eventLines(t *testing.T) []string {
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

func decodeAll(t *testing.T, r io.Reader) ([]Record, int) {
	t.Helper()
	d := NewDecoder(r)
	var out []Record
	for {
		rec, err := d.Next()
		if err == io.EOF {
			return out, d.Skipped()
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, rec)
	}
}

func TestDecoderDeliveryWrappers(t *testing.T) {
	lines := eventLines(t)
	quoted := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var sqs, cwl, sub, export, lambda, sns strings.Builder
	sqs.WriteString(`{"Messages":[`)
	cwl.WriteString(`{"events":[`)
	sub.WriteString(`{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"/aws/events/ecs","logStream":"x","subscriptionFilters":["f"],"logEvents":[`)
	lambda.WriteString(`{"Records":[`)
	for i, l := range lines {
		if i > 0 {
			for _, b := range []*strings.Builder{&sqs, &cwl, &sub, &lambda} {
				b.WriteByte(',')
			}
		}
		sqs.WriteString(`{"MessageId":"m` + string(rune('0'+i)) + `","ReceiptHandle":"r","MD5OfBody":"x","Body":` + quoted(l) + `}`)
		cwl.WriteString(`{"logStreamName":"s","timestamp":1764064801000,"message":` + quoted(l) + `,"ingestionTime":1764064802000,"eventId":"1"}`)
		sub.WriteString(`{"id":"1","timestamp":1764064801000,"message":` + quoted(l) + `}`)
		lambda.WriteString(`{"messageId":"1","body":` + quoted(l) + `,"eventSource":"aws:sqs"}`)
		export.WriteString("2026-11-25T10:00:01.000Z " + l + "\n")
		sns.WriteString(`{"Type":"Notification","MessageId":"x","TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Message":` + quoted(l) + `}` + "\n")
	}
	sqs.WriteString(`]}`)
	cwl.WriteString(`],"searchedLogStreams":[]}`)
	sub.WriteString(`]}`)
	lambda.WriteString(`]}`)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(strings.Join(lines, "\n")))
	zw.Close()

	want, wantSkipped := decodeAll(t, strings.NewReader(strings.Join(lines, "\n")))
	if len(want) != 5 || wantSkipped != 1 {
		t.Fatalf("plain: %d records, %d skipped", len(want), wantSkipped)
	}
	inputs := map[string]string{
		"sqs receive-message":    sqs.String(),
		"logs filter-log-events": cwl.String(),
		"logs subscription":      sub.String(),
		"lambda sqs batch":       lambda.String(),
		"logs export to s3":      export.String(),
		"sns notifications":      sns.String(),
		"json array":             "[\n" + strings.Join(lines, ",\n") + "\n]",
		"firehose concatenated":  strings.Join(lines, ""),
		"gzip":                   gz.String(),
		"json strings":           quoted(lines[0]) + "\n" + quoted(strings.Join(lines[1:], "\n")),
	}
	for name, in := range inputs {
		got, skipped := decodeAll(t, strings.NewReader(in))
		if len(got) != len(want) || skipped != wantSkipped {
			t.Errorf("%s: %d records, %d skipped; want %d, %d", name, len(got), skipped, len(want), wantSkipped)
			continue
		}
		for i := range got {
			g, w := got[i], want[i]
			g.Line, w.Line = 0, 0
			g.Path, w.Path = "", "" // where, as Line
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: record %d differs", name, i)
			}
		}
	}
}

func TestDecoderErrorsNameLineAndPath(t *testing.T) {
	lines := eventLines(t)
	bad := strings.Replace(lines[1], `"cpu":"0"`, `"cpu":0`, 1)
	if bad == lines[1] {
		t.Fatal("fixture changed")
	}
	in := lines[0] + "\n\nnot json at all\n" + bad + "\n" + lines[4] + "\n" + `{"detail-type":"ECS Task State Change","detail":{"taskArn":"x"`
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(in), "events.jsonl")
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"events.jsonl:3: no JSON value on this line",
		"events.jsonl:4: detail.containers[0].cpu:",
		"events.jsonl:6: input ends inside a JSON value (truncated)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if st.Errors != 3 || st.Tasks != 2 || b.Len() != 1 {
		t.Fatalf("stats %+v, %d tasks", st, b.Len())
	}
	if got, _ := b.Index().Task(evTask); got.LastStatus != "STOPPED" {
		t.Fatal("the good line after the bad ones was lost")
	}
}

func FuzzDecoder(f *testing.F) {
	// Seeds stay small: the fuzzer mutates large seeds very slowly.
	data, err := os.ReadFile("testdata/events.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.SplitN(data, []byte("\n"), 2)[0])
	f.Add([]byte(`{"Messages":[{"Body":"\"{}\""}]} x {"events":5} [[[["`))
	f.Add([]byte(`{"task": {"taskArn": "arn:aws:ecs:us-east-1:1:task/c/a", "createdAt": 1}}`))
	// Documents whose elements are decoded one by one.
	f.Add([]byte(`{"tasks":[{"taskArn":"a","cpu":1},7,{"taskArn":"b\"]"}],"containerInstances":[null]}`))
	f.Add([]byte(`{"format":"ecsnet/eni-snapshot/v1","describeTasks":[{"tasks":[{"taskArn":"a"}]}],"describeTaskDefinition":[{"taskDefinition":{"networkMode":1}}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		b := NewBuilder()
		st, err := b.Load(bytes.NewReader(in), "fuzz")
		// Errors name the input and a line inside it, and are the
		// documented types.
		lines := bytes.Count(in, []byte("\n")) + 1
		for _, e := range unjoin(err) {
			var pe *ParseError
			var fe *FieldError
			switch {
			case errors.As(e, &pe):
				if pe.Name != "fuzz" || pe.Line < 0 || pe.Line > lines {
					t.Fatalf("error at %s line %d of %d: %v", pe.Name, pe.Line, lines, e)
				}
			case errors.As(e, &fe):
			default:
				t.Fatalf("error of type %T: %v", e, e)
			}
		}
		if st.Errors < len(unjoin(err)) {
			t.Fatalf("%d errors counted, %d returned", st.Errors, len(unjoin(err)))
		}
		// The history is a set of observations: loading the same input
		// again changes nothing.
		st2, _ := b.Load(bytes.NewReader(in), "fuzz")
		if st2.Changed != 0 || st2.Tasks != st.Tasks || st2.Instances != st.Instances {
			t.Fatalf("second load: %+v after %+v", st2, st)
		}
		x := b.Index()
		for _, tk := range x.Tasks() {
			if tk.ENI != "" && tk.Valid.End.IsZero() {
				if got, ok := x.TaskByENI(tk.ENI, tk.Valid.Start); ok && got.ENI != tk.ENI {
					t.Fatalf("TaskByENI(%s) gave a task of %s", tk.ENI, got.ENI)
				}
			}
		}
	})
}

// unjoin lists the errors errors.Join put together (one for any other).
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// A bad value in `aws ec2 describe-instances` output is named by its line
// in the file and its member path in the output.
func TestDecoderDescribeInstancesErrorPosition(t *testing.T) {
	data, err := os.ReadFile("testdata/describe-instances.json")
	if err != nil {
		t.Fatal(err)
	}
	good := `"DeviceIndex": 0,`
	bad := strings.Replace(string(data), good, `"DeviceIndex": "0",`, 1)
	if bad == string(data) {
		t.Fatal("fixture changed")
	}
	line := 1 + strings.Count(bad[:strings.Index(bad, `"DeviceIndex": "0"`)], "\n")
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(bad), "di.json")
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v", err)
	}
	if pe.Line != line || pe.Path != "Reservations[0].Instances[0].NetworkInterfaces[1].Attachment.DeviceIndex" {
		t.Fatalf("got %v (line %d, path %q), want line %d", err, pe.Line, pe.Path, line)
	}
	if want := fmt.Sprintf("di.json:%d: Reservations[0].Instances[0].NetworkInterfaces[1].Attachment.DeviceIndex: want an integer", line); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if st.Errors != 1 {
		t.Errorf("stats %+v", st)
	}
}

// Past maxErrors, a last error says how many more there were.
func TestLoadSaysHowManyMoreErrors(t *testing.T) {
	in := strings.Repeat("not json\n", maxErrors+10)
	st, err := NewBuilder().Load(strings.NewReader(in), "bad.jsonl")
	errs := unjoin(err)
	if st.Errors != maxErrors+10 || len(errs) != maxErrors+1 {
		t.Fatalf("%d errors counted, %d returned", st.Errors, len(errs))
	}
	if last := errs[maxErrors].Error(); last != "history: bad.jsonl: 10 more errors not shown (30 in all)" {
		t.Errorf("last error %q", last)
	}
}

package awswire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func sampleTask() types.Task {
	started := time.Date(2026, 11, 25, 10, 0, 0, 250_000_000, time.UTC)
	return types.Task{
		TaskArn:           aws.String("arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0"),
		LastStatus:        aws.String("RUNNING"),
		LaunchType:        types.LaunchTypeEc2,
		StartedAt:         &started,
		Group:             aws.String("service:web"),
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/web:7"),
		Attachments: []types.Attachment{{
			Type:   aws.String("ElasticNetworkInterface"),
			Status: aws.String("ATTACHED"),
			Details: []types.KeyValuePair{
				{Name: aws.String("networkInterfaceId"), Value: aws.String("eni-0a1b2c3d")},
				{Name: aws.String("privateIPv4Address"), Value: aws.String("10.0.1.17")},
			},
		}},
		Containers: []types.Container{{
			Name: aws.String("web"),
			NetworkBindings: []types.NetworkBinding{{
				ContainerPort: aws.Int32(80), HostPort: aws.Int32(32768), Protocol: types.TransportProtocolTcp,
			}},
		}},
		EnableExecuteCommand: true,
	}
}

// The wire JSON Marshal writes must read back through the real SDK client
// exactly: that is what the fake endpoints rely on.
func TestMarshalReadsBackThroughRealClient(t *testing.T) {
	want := sampleTask()
	srv := fakeaws.NewJSONServer("AmazonEC2ContainerServiceV20141113", "ecs", map[string]fakeaws.JSONHandler{
		"DescribeTasks": func([]byte) (any, error) {
			b, err := awswire.Marshal(&ecs.DescribeTasksOutput{Tasks: []types.Task{want}})
			return json.RawMessage(b), err
		},
	})
	defer srv.Close()
	c := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	out, err := c.DescribeTasks(context.Background(), &ecs.DescribeTasksInput{Tasks: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	got := out.Tasks[0]
	// The SDK keeps epoch timestamps to the millisecond.
	if d := got.StartedAt.Sub(*want.StartedAt); d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("startedAt = %v, want %v", got.StartedAt, want.StartedAt)
	}
	if g, w := mustMarshal(t, stripTimes(got)), mustMarshal(t, stripTimes(want)); g != w {
		t.Fatalf("round trip through the SDK changed the task:\n got %s\nwant %s", g, w)
	}

	var back types.Task
	b, _ := awswire.Marshal(want)
	if err := awswire.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stripTimes(back), stripTimes(want)) || !back.StartedAt.Equal(*want.StartedAt) {
		t.Fatalf("Unmarshal(Marshal(x)) != x:\n got %s\nwant %s", mustMarshal(t, back), b)
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := awswire.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func stripTimes(t types.Task) types.Task { t.StartedAt = nil; return t }

func TestUnmarshalCLIOutput(t *testing.T) {
	cli := `{
    "tasks": [
        {
            "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/prod/abc",
            "startedAt": "2024-05-20T10:11:12.345000+09:00",
            "stoppedAt": 1716167472.5,
            "newerFieldFromTheFuture": {"nested": [1, 2, {"x": null}]},
            "containers": [{"name": "app", "networkBindings": [{"hostPort": 32768, "protocol": "tcp"}]}]
        }
    ],
    "failures": []
}`
	var out ecs.DescribeTasksOutput
	if err := awswire.Unmarshal([]byte(cli), &out); err != nil {
		t.Fatal(err)
	}
	task := out.Tasks[0]
	if *task.TaskArn != "arn:aws:ecs:us-east-1:123456789012:task/prod/abc" {
		t.Errorf("taskArn = %q", *task.TaskArn)
	}
	if want := time.Date(2024, 5, 20, 1, 11, 12, 345_000_000, time.UTC); !task.StartedAt.Equal(want) {
		t.Errorf("startedAt = %v, want %v", task.StartedAt, want)
	}
	if want := time.Unix(1716167472, 500_000_000); !task.StoppedAt.Equal(want) {
		t.Errorf("stoppedAt = %v, want %v", task.StoppedAt, want)
	}
	if got := *task.Containers[0].NetworkBindings[0].HostPort; got != 32768 {
		t.Errorf("hostPort = %d", got)
	}
	if task.Containers[0].NetworkBindings[0].Protocol != types.TransportProtocolTcp {
		t.Errorf("protocol = %q", task.Containers[0].NetworkBindings[0].Protocol)
	}
}

func TestUnmarshalErrorsNamePathAndLine(t *testing.T) {
	cases := []struct {
		in       string
		path     string
		line     int
		contains string
	}{
		{"{\n \"containerDefinitions\": [\n  {\"name\": \"a\"},\n  {\"portMappings\": [{\"hostPort\": \"80\"}]}\n ]\n}",
			"containerDefinitions[1].portMappings[0].hostPort", 4, `want an integer, got string "80"`},
		{`{"containerDefinitions": {"name": "a"}}`, "containerDefinitions", 1, "want an array, got an object"},
		{`{"cpu": 256}`, "cpu", 1, "want a string, got number 256"},
		{"{\n \"family\": \"x\",\n \"memory\": \n", "memory", 4, "unexpected end"},
		{`{"family": "x"} {}`, "", 1, "unexpected data after"},
		{`{"containerDefinitions": [{"portMappings": [{"hostPort": 70000000000}]}]}`, "containerDefinitions[0].portMappings[0].hostPort", 1, "fits int32"},
		{`{"registeredAt": "yesterday"}`, "registeredAt", 1, "want a timestamp"},
		{`{"family": tru}`, "family", 1, "malformed JSON"},
	}
	for _, c := range cases {
		var td types.TaskDefinition
		err := awswire.Unmarshal([]byte(c.in), &td)
		var we *awswire.Error
		if !errors.As(err, &we) {
			t.Errorf("%s: want *awswire.Error, got %v", c.in, err)
			continue
		}
		if we.Path != c.path || we.Line != c.line || !strings.Contains(we.Msg, c.contains) {
			t.Errorf("%q:\n got path=%q line=%d msg=%q\nwant path=%q line=%d msg~%q", c.in, we.Path, we.Line, we.Msg, c.path, c.line, c.contains)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(`{"containerDefinitions":[{"portMappings":[{"hostPort":80}]}],"registeredAt":"2024-01-01T00:00:00Z"}`))
	f.Add([]byte(`{"tags":[{"key":"a","value":"b"}],"cpu":"256","x":[[[{}]]]}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var td types.TaskDefinition
		err := awswire.Unmarshal(data, &td)
		var we *awswire.Error
		if err != nil && !errors.As(err, &we) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if err == nil {
			// What decodes writes back, and what it writes decodes to
			// the same value (compared through its wire form, which
			// is canonical: members sorted, times in one form).
			js, err := awswire.Marshal(&td)
			if err != nil {
				t.Fatalf("decoded value does not marshal: %v", err)
			}
			var again types.TaskDefinition
			if err := awswire.Unmarshal(js, &again); err != nil {
				t.Fatalf("own output %s does not decode: %v", js, err)
			}
			js2, err := awswire.Marshal(&again)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(js, js2) {
				t.Fatalf("round trip changed the value:\n%s\n%s", js, js2)
			}
		}
	})
}

func TestUnmarshalRefusesDuplicateMembers(t *testing.T) {
	cases := []struct {
		in, path string
		line     int
	}{
		{"{\"networkMode\": \"awsvpc\",\n \"networkMode\": \"host\"}", "networkMode", 2},
		{`{"containerDefinitions": [{"portMappings": [{"hostPort": 80, "HostPort": 81}]}]}`, "containerDefinitions[0].portMappings[0].HostPort", 1},
		{`{"x": 1, "family": "a", "x": 2}`, "x", 1}, // unknown members too
		{`{"containerDefinitions": [{"dockerLabels": {"a": "1", "a": "2"}}]}`, "containerDefinitions[0].dockerLabels.a", 1},
	}
	for _, c := range cases {
		var td types.TaskDefinition
		err := awswire.Unmarshal([]byte(c.in), &td)
		var we *awswire.Error
		if !errors.As(err, &we) || we.Path != c.path || we.Line != c.line || !strings.Contains(we.Msg, "given twice") {
			t.Errorf("%s: err = %v, want a duplicate at %s line %d", c.in, err, c.path, c.line)
		}
	}
	// The same name in different objects is no duplicate.
	var td types.TaskDefinition
	if err := awswire.Unmarshal([]byte(`{"containerDefinitions": [{"name": "a"}, {"name": "b"}]}`), &td); err != nil {
		t.Fatal(err)
	}
}

// A 15 MiB number once made a 15 MiB error message.
func TestUnmarshalErrorsQuoteValuesShort(t *testing.T) {
	huge := strings.Repeat("9", 15<<20)
	for _, in := range []string{
		`{"cpu": ` + huge + `}`,
		`{"registeredAt": "` + huge + `"}`,
		`{"containerDefinitions": [{"portMappings": [{"hostPort": ` + huge + `}]}]}`,
		`{"registeredAt": ` + huge + `}`,
	} {
		var td types.TaskDefinition
		err := awswire.Unmarshal([]byte(in), &td)
		if err == nil {
			t.Errorf("%.40s…: no error", in)
			continue
		}
		if len(err.Error()) > 200 || !strings.Contains(err.Error(), "digits") && !strings.Contains(err.Error(), "bytes") {
			t.Errorf("%.40s…: error of %d bytes: %.300s", in, len(err.Error()), err)
		}
	}
}

func TestUnmarshalSkipsBOM(t *testing.T) {
	var td types.TaskDefinition
	if err := awswire.Unmarshal([]byte("\ufeff{\"family\": \"web\"}"), &td); err != nil || aws.ToString(td.Family) != "web" {
		t.Fatalf("family %q, err %v", aws.ToString(td.Family), err)
	}
	// Positions still count in the input as given.
	in := "\ufeff{\"cpu\": 1}"
	err := awswire.Unmarshal([]byte(in), &td)
	var we *awswire.Error
	if !errors.As(err, &we) || we.Offset != int64(strings.Index(in, "1")) {
		t.Fatalf("err = %v (%+v)", err, we)
	}
}

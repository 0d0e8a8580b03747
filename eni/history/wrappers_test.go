package history

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// reviewEvent is an "ECS Task State Change" event as the developer guide
// shows it (Fargate, awsvpc, RUNNING).
const reviewEvent = `{"version":"0","id":"3317b2af","detail-type":"ECS Task State Change","source":"aws.ecs","account":"111122223333","time":"2020-01-23T17:57:58Z","region":"us-west-2","resources":["arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b"],"detail":{"attachments":[{"id":"1789bcae","type":"eni","status":"ATTACHED","details":[{"name":"subnetId","value":"subnet-abcd1234"},{"name":"networkInterfaceId","value":"eni-abcd1234"},{"name":"macAddress","value":"0a:98:eb:a7:29:ba"},{"name":"privateIPv4Address","value":"10.0.0.139"}]}],"availabilityZone":"us-west-2c","clusterArn":"arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster","containers":[{"containerArn":"arn:x","lastStatus":"RUNNING","name":"FargateApp","image":"img","taskArn":"arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b","networkInterfaces":[{"attachmentId":"1789bcae","privateIpv4Address":"10.0.0.139"}],"cpu":"0"}],"createdAt":"2020-01-23T17:57:34.402Z","launchType":"FARGATE","cpu":"256","memory":"512","desiredStatus":"RUNNING","group":"family:sample-fargate","lastStatus":"RUNNING","pullStartedAt":"2020-01-23T17:57:52.103Z","startedAt":"2020-01-23T17:57:58.103Z","taskArn":"arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b","taskDefinitionArn":"arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1","version":4,"platformVersion":"1.3.0"}}`

const reviewEventTask = "arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b"

// A message (or a JSON string) whose JSON text is cut short is one bad
// value: the load goes on with the next line, and must not stop there,
// losing every event after it.
func TestTruncatedMessageDoesNotEndTheLoad(t *testing.T) {
	cut, _ := json.Marshal(reviewEvent[:200])
	for name, first := range map[string]string{
		"log events message": `{"events":[{"message":` + string(cut) + `}]}`,
		"JSON string":        string(cut),
	} {
		b := NewBuilder()
		st, err := b.Load(strings.NewReader(first+"\n"+reviewEvent+"\n"), "events.jsonl")
		if _, ok := b.Index().Task(reviewEventTask); !ok || st.Tasks != 1 {
			t.Errorf("%s: the event on line 2 was not read: %+v, %v", name, st, err)
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 1 || st.Errors != 1 {
			t.Errorf("%s: want one error at line 1, got %+v, %v", name, st, err)
		}
	}
}

// In a wrapper (log events, queue messages), an element whose message is
// not text is a bad element: it is reported, and the other elements'
// events are still read, not dropped with it in silence.
func TestWrapperBadElementKeepsTheOthers(t *testing.T) {
	msg, _ := json.Marshal(reviewEvent)
	other := strings.ReplaceAll(reviewEvent, "c13b", "d24c")
	for _, in := range []string{
		`{"events":[{"message":` + string(msg) + `},{"message":{"detail-type":"ECS Task State Change"}}]}`,
		`{"logEvents":[{"id":"1","message":` + string(msg) + `},{"id":"2","message":5}]}`,
		`{"Records":[{"body":` + string(msg) + `},{"body":5}]}`,
		`{"events":[{"message":` + string(msg) + `},"x"]}`,
	} {
		b := NewBuilder()
		st, err := b.Load(strings.NewReader(in+"\n"+other+"\n"), "events.jsonl")
		x := b.Index()
		if _, ok := x.Task(reviewEventTask); !ok {
			t.Errorf("%s: the wrapped event was dropped: %+v, %v", in[:12], st, err)
		}
		if _, ok := x.Task(strings.ReplaceAll(reviewEventTask, "c13b", "d24c")); !ok {
			t.Errorf("%s: the event on line 2 was not read", in[:12])
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(pe.Path, "[1]") || st.Errors != 1 {
			t.Errorf("%s: want one error naming line 1 and element [1], got %+v, %v", in[:12], st, err)
		}
	}
}

// A cluster snapshot assembled by hand from describe-* CLI output, which
// eni.ReadSnapshot reads without a "format" member, is read as one.
func TestSnapshotWithoutFormat(t *testing.T) {
	in := `{"cluster":"prod","describeTasks":[{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:111122223333:task/prod/a","lastStatus":"RUNNING","createdAt":1700000000}],"failures":[]}]}`
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(in), "snapshot.json")
	if err != nil || st.Tasks != 1 {
		t.Fatalf("%+v, %v", st, err)
	}
}

// `aws logs filter-log-events` prints its events pretty, one member a
// line: a bad event is named at its own line, as the elements of
// describe-tasks output and of arrays are, not at the document's first.
func TestWrapperElementLines(t *testing.T) {
	good, _ := json.Marshal(reviewEvent)
	bad, _ := json.Marshal(strings.Replace(reviewEvent, `"version":4`, `"version":"four"`, 1))
	in := "{\n" +
		"    \"events\": [\n" +
		"        {\n" +
		"            \"logStreamName\": \"s\",\n" +
		"            \"message\": " + string(good) + "\n" +
		"        },\n" +
		"        {\n" +
		"            \"logStreamName\": \"s\",\n" +
		"            \"message\": " + string(bad) + "\n" +
		"        }\n" +
		"    ],\n" +
		"    \"searchedLogStreams\": []\n" +
		"}\n"
	d := NewDecoder(strings.NewReader(in))
	d.Name = "log-events.json"
	var lines []int
	for {
		r, err := d.Next()
		if err == io.EOF {
			break
		}
		var pe *ParseError
		if errors.As(err, &pe) {
			lines = append(lines, -pe.Line)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, r.Line)
	}
	// The record of events[0] (line 3), then the error of events[1] (line 7).
	if len(lines) != 2 || lines[0] != -7 && lines[1] != -7 {
		t.Fatalf("lines %v (negative: an error's), want the error at line 7", lines)
	}
	for _, l := range lines {
		if l > 0 && l != 3 {
			t.Fatalf("lines %v: the record of events[0] is not at its line 3", lines)
		}
	}
}

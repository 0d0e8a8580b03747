package history

import (
	"strings"
	"testing"
)

// TestEventBadTime: an event whose "time" is not a timestamp must be
// an error naming the line and member, not read as "time unknown": a
// STOPPED task then stays open for ever.
func TestEventBadTime(t *testing.T) {
	in := `{"detail-type":"ECS Task State Change","source":"aws.ecs","time":"2026-01-01T00:00:00Z","detail":{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/a","lastStatus":"RUNNING"}}
{"detail-type":"ECS Task State Change","source":"aws.ecs","time":"yesterday","detail":{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/b","lastStatus":"STOPPED"}}
{"detail-type":"ECS Task State Change","source":"aws.ecs","time":1767225600,"detail":{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/c","lastStatus":"STOPPED"}}
`
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(in), "ev.jsonl")
	if err == nil {
		t.Fatalf("bad event times accepted: %+v", st)
	}
	for _, want := range []string{`ev.jsonl:2: time: want an RFC 3339 timestamp, got string "yesterday"`, `ev.jsonl:3: time: want an RFC 3339 timestamp, got number 1767225600`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// The tasks themselves are still read.
	if st.Tasks != 3 || len(b.Tasks()) != 3 {
		t.Errorf("tasks read %d, kept %d; want 3", st.Tasks, len(b.Tasks()))
	}
}

// TestTaskDefinitionBadMode: describe-task-definition output with a
// networkMode that is no network mode was read as "mode unknown" without
// a word, while the same mistake in a Watcher's line is an error.
func TestTaskDefinitionBadMode(t *testing.T) {
	for name, in := range map[string]string{
		"describe-task-definition": "{\n \"taskDefinition\": {\n  \"taskDefinitionArn\": \"arn:aws:ecs:us-east-1:1:task-definition/f:1\",\n  \"networkMode\": \"bogus\"\n }\n}\n",
		"snapshot":                 "{\n \"cluster\": \"c\",\n \"describeTaskDefinition\": [\n  {\"taskDefinition\": {\"taskDefinitionArn\": \"arn:aws:ecs:us-east-1:1:task-definition/f:1\", \"networkMode\": \"awsvpc\"}},\n  {\"taskDefinition\": {\"taskDefinitionArn\": \"arn:aws:ecs:us-east-1:1:task-definition/g:1\",\n   \"networkMode\": \"bogus\"}}\n ]\n}\n",
	} {
		b := NewBuilder()
		st, err := b.Load(strings.NewReader(in), "td.json")
		if err == nil {
			t.Errorf("%s: unknown networkMode accepted: %+v", name, st)
			continue
		}
		want := map[string]string{
			"describe-task-definition": `td.json:4: taskDefinition.networkMode: netmode: unknown network mode "bogus"`,
			"snapshot":                 `td.json:6: describeTaskDefinition[1].taskDefinition.networkMode: netmode: unknown network mode "bogus"`,
		}[name]
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error lacks %q:\n%v", name, want, err)
		}
	}
}

// TestRecordErrorNamesElement: a task without taskArn among several
// on one line (jq -c, a Watcher-less save) must say which element it is.
func TestRecordErrorNamesElement(t *testing.T) {
	in := `{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/a"},{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/b"},{"lastStatus":"RUNNING"}]}
[{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/d"},{"containerInstanceArn":"","ec2InstanceId":"i-1"}]
`
	b := NewBuilder()
	_, err := b.Load(strings.NewReader(in), "tasks.json")
	for _, want := range []string{"tasks.json:1: tasks[2]: task without taskArn", "tasks.json:2: [1]: container instance without containerInstanceArn"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if len(b.Tasks()) != 3 {
		t.Errorf("kept %d tasks, want 3", len(b.Tasks()))
	}
}

package history

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// docTask is a describe-tasks task with an ENI and address, as JSON; extra
// members go before the closing brace.
func docTask(id, eni, ip, extra string) string {
	return `{"taskArn":"` + taskARN(id) + `","lastStatus":"RUNNING","version":3,"createdAt":"2026-11-25T10:00:00Z",` +
		`"attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"networkInterfaceId","value":"` + eni +
		`"},{"name":"privateIPv4Address","value":"` + ip + `"}]}]` + extra + `}`
}

// errorTexts are the messages of a load's errors.
func errorTexts(err error) []string {
	var out []string
	for _, e := range unjoin(err) {
		out = append(out, e.Error())
	}
	return out
}

func sameTexts(t *testing.T, err error, want ...string) {
	t.Helper()
	got := errorTexts(err)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// One task with an unreadable value (a boto3 timestamp) in a describe-tasks
// document costs that task only: the tasks and instances around it are
// recorded, and each bad element is named by its line and path.
func TestDecodeDescribeTasksElementsOnTheirOwn(t *testing.T) {
	doc := `{"tasks":[
 ` + docTask("a", "eni-a", "10.0.0.1", `,"group":"service:a]}\"x,{["`) + `,
 ` + docTask("b", "eni-b", "10.0.0.2", `,"startedAt":"2026-11-25 10:00:00.000000+00:00"`) + `,
 ` + docTask("c", "eni-c", "10.0.0.3", "") + `,
 7,
 null
],
"containerInstances":[
 {"containerInstanceArn":"` + ciA + `","ec2InstanceId":"i-1","status":"ACTIVE","registeredAt":"2026-11-25T09:00:00Z"},
 {"containerInstanceArn":"` + ciA + `b","ec2InstanceId":"i-2","registeredAt":true}
],"failures":[]}`
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(doc), "tasks.json")
	sameTexts(t, err,
		`history: tasks.json:3: tasks[1].startedAt: want a timestamp, got string "2026-11-25 10:00:00.000000+00:00"`,
		`history: tasks.json:5: tasks[3]: want an object, got number 7`,
		`history: tasks.json:10: containerInstances[1].registeredAt: want a timestamp, got boolean true`,
		`history: tasks.json:6: tasks[4]: task without taskArn`,
	)
	x := b.Index()
	for _, eni := range []string{"eni-a", "eni-c"} {
		if _, ok := x.TaskByENI(eni, at(5)); !ok {
			t.Errorf("task of %s lost", eni)
		}
	}
	if tk, _ := x.Task(taskARN("a")); tk == nil || tk.Group != `service:a]}"x,{[` {
		t.Errorf("task a: %+v", tk)
	}
	if _, ok := x.Instance(ciA); !ok {
		t.Error("the good container instance was lost")
	}
	// The null task is a record as before, which Add refuses.
	if st.Tasks != 3 || st.Instances != 1 || st.Errors != 4 {
		t.Errorf("stats %+v", st)
	}
}

// The document's own shape is still checked whole.
func TestDecodeDescribeTasksShapeStillWhole(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{`{"tasks":[` + docTask("a", "eni-a", "10.0.0.1", "") + `],"tasks":[]}`,
			`history: d.json:1: tasks: member "tasks" given twice in one object`},
		{`{"tasks":{"taskArn":"x"}}`, `history: d.json:1: tasks: want an array, got an object`},
	} {
		b := NewBuilder()
		_, err := b.Load(strings.NewReader(c.doc), "d.json")
		sameTexts(t, err, c.want)
		if b.Len() != 0 {
			t.Errorf("%s: %d tasks recorded", c.doc, b.Len())
		}
	}
}

// A record's line is its own element's, so that an unusable field (a
// *FieldError from Add) is named where it is.
func TestDecodeElementLines(t *testing.T) {
	doc := "{\"tasks\":[\n" + docTask("a", "eni-a", "10.0.0.1", "") + ",\n\n" +
		docTask("b", "eni-b", "10.0.0.999", "") + "]}\n"
	_, err := NewBuilder().Load(strings.NewReader(doc), "tasks.json")
	var pe *ParseError
	var fe *FieldError
	if !errors.As(err, &pe) || !errors.As(err, &fe) || pe.Line != 4 || fe.ARN != taskARN("b") {
		t.Fatalf("err = %v", err)
	}
	d := NewDecoder(strings.NewReader(doc))
	for want := 2; ; want += 2 {
		r, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil || r.Line != want {
			t.Fatalf("record at line %d, err %v; want line %d", r.Line, err, want)
		}
	}
}

// A cluster snapshot (package eni's file): a bad task, instance or task
// definition costs only itself.
func TestDecodeSnapshotElementsOnTheirOwn(t *testing.T) {
	td := func(fam, mode string) string {
		return `{"taskDefinition":{"taskDefinitionArn":"arn:aws:ecs:us-east-1:111122223333:task-definition/` + fam + `:1","networkMode":` + mode + `}}`
	}
	doc := `{"format":"ecsnet/eni-snapshot/v1","cluster":"prod",
"describeContainerInstances":[{"containerInstances":[
 {"containerInstanceArn":"` + ciA + `","ec2InstanceId":"i-1","registeredAt":"x"},
 {"containerInstanceArn":"` + ciA + `b","ec2InstanceId":"i-2","registeredAt":"2026-11-25T09:00:00Z"}],"failures":[]}],
"describeTasks":[{"tasks":[
 ` + docTask("a", "eni-a", "10.0.0.1", `,"version":"3"`) + `,
 ` + docTask("b", "eni-b", "10.0.0.2", "") + `],"failures":[]}],
"describeTaskDefinition":[` + td("x", "5") + `,
 ` + td("y", `"host"`) + `]}`
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(doc), "snap.json")
	sameTexts(t, err,
		`history: snap.json:8: describeTaskDefinition[0].taskDefinition.networkMode: want a string, got number 5`,
		`history: snap.json:3: describeContainerInstances[0].containerInstances[0].registeredAt: want a timestamp, got string "x"`,
		`history: snap.json:6: describeTasks[0].tasks[0].version: member "version" given twice in one object`,
	)
	x := b.Index()
	if _, ok := x.TaskByENI("eni-b", at(5)); !ok {
		t.Error("task b lost")
	}
	if in, ok := x.Instance(ciA + "b"); !ok || in.Cluster() != "prod" {
		t.Errorf("instance %+v", in)
	}
	if st.Tasks != 1 || st.Instances != 2 || st.Errors != 3 {
		t.Errorf("stats %+v", st)
	}
}

// In an array of events, and in a wrapper of them, a bad event does not
// cost the events after it.
func TestDecodeArrayAndWrapperElementsOnTheirOwn(t *testing.T) {
	ev := func(id, created string) string {
		return `{"version":"0","detail-type":"ECS Task State Change","detail":{"taskArn":"` + taskARN(id) +
			`","lastStatus":"RUNNING","version":2,"createdAt":"` + created + `"}}`
	}
	good, bad := ev("a", "2026-11-25T10:00:00Z"), ev("b", "yesterday")
	quoted := func(s string) string { return fmt.Sprintf("%q", s) }
	for name, c := range map[string]struct{ in, want string }{
		"array": {"[\n" + bad + ",\n" + good + "\n]",
			`history: in:2: [0].detail.createdAt: want a timestamp, got string "yesterday"`},
		"events": {`{"events":[{"message":` + quoted(bad) + `},{"message":` + quoted("not json") + `},{"message":` + quoted(good) + `}]}`,
			`history: in:1: events[0].message.detail.createdAt: want a timestamp, got string "yesterday"`},
		"lines in one message": {`{"Messages":[{"Body":` + quoted(bad+"\nnot json\n"+good) + `}]}`,
			`history: in:1: Messages[0].body.detail.createdAt: want a timestamp, got string "yesterday"` + "\n" +
				`history: in:1: Messages[0].body(value 2): no JSON value on this line`},
	} {
		b := NewBuilder()
		_, err := b.Load(strings.NewReader(c.in), "in")
		sameTexts(t, err, strings.Split(c.want, "\n")...)
		if _, ok := b.Index().Task(taskARN("a")); !ok {
			t.Errorf("%s: the good event after the bad one was lost", name)
		}
	}
}

// stop-task style output naming a task and an instance: each on its own.
func TestDecodeTaskAndInstanceOnTheirOwn(t *testing.T) {
	doc := `{"task":` + docTask("a", "eni-a", "10.0.0.1", "") + `,
"containerInstance":{"containerInstanceArn":"` + ciA + `","ec2InstanceId":"i-1","registeredAt":[]}}`
	b := NewBuilder()
	_, err := b.Load(strings.NewReader(doc), "stop.json")
	sameTexts(t, err, `history: stop.json:2: containerInstance.registeredAt: want a timestamp, got an array`)
	if _, ok := b.Index().TaskByENI("eni-a", at(5)); !ok {
		t.Error("task lost")
	}
}

// describe-instances: a bad instance costs only its primary interface.
func TestDecodeDescribeInstancesOnTheirOwn(t *testing.T) {
	inst := func(id, ip string) string {
		return `{"InstanceId":"` + id + `","PrivateIpAddress":"` + ip + `","NetworkInterfaces":[{"NetworkInterfaceId":"eni-` + id +
			`","Attachment":{"DeviceIndex":0}}]}`
	}
	doc := `{"Reservations":[{"Instances":[` + inst("i-1", "10.0.0.999") + `,
` + inst("i-2", "10.0.0.2") + `,
{"InstanceId":"i-3","LaunchTime":5e400}]}]}`
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(doc), "di.json")
	msgs := errorTexts(err)
	if len(msgs) != 2 || !strings.HasPrefix(msgs[0], "history: di.json:1: Reservations[0].Instances[0].PrivateIpAddress: ") ||
		!strings.HasPrefix(msgs[1], "history: di.json:3: Reservations[0].Instances[2].LaunchTime: want a timestamp") {
		t.Errorf("errors %q", msgs)
	}
	if p, ok := b.primary["i-2"]; !ok || p.ENI != "eni-i-2" {
		t.Errorf("primary of i-2: %+v", p)
	}
	if st.Instances != 1 {
		t.Errorf("stats %+v", st)
	}
}

// A caller that takes a value whole (a Watcher's line) still sees that a
// part of it failed.
func TestDecodeValueReportsPartError(t *testing.T) {
	line := `{"tasks":[` + docTask("a", "eni-a", "10.0.0.1", "") + `,` + docTask("b", "eni-b", "10.0.0.2", `,"cpu":1`) + `]}`
	recs, _, err := decodeLine([]byte(line), 7, "h.jsonl")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 7 || pe.Path != "tasks[1].cpu" {
		t.Fatalf("records %d, err %v", len(recs), err)
	}
}

// Element boundaries are found in the document's text without decoding it:
// strings holding brackets, quotes and commas, numbers and literals next
// to the brackets.
func TestScanJSONElements(t *testing.T) {
	text := []byte(`[ "a]\"\\", {"k":"}{,"} ,[1,[2]],3,true , null,-1.5e3]`)
	var got []string
	eachElement(text, 0, func(i, start, end int) { got = append(got, string(text[start:end])) })
	want := []string{`"a]\"\\"`, `{"k":"}{,"}`, `[1,[2]]`, `3`, `true`, `null`, `-1.5e3`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("elements %q", got)
	}
	obj := []byte(` {"a\u0062" : 1 ,"Tasks":[ 2 ] }`)
	if name, s, e, ok := member(obj, 1, "ab"); !ok || name != "ab" || string(obj[s:e]) != "1" {
		t.Errorf("member ab: %q %v", name, ok)
	}
	if name, s, e, ok := member(obj, 1, "tasks"); !ok || name != "Tasks" || string(obj[s:e]) != "[ 2 ]" {
		t.Errorf("member tasks: %q %v", name, ok)
	}
	if _, _, _, ok := member(obj, 1, "c"); ok {
		t.Error("member c found")
	}
	c := &cursor{text: []byte("ab\ncd\n\nef")}
	for _, w := range []struct{ off, line, col int }{{0, 1, 1}, {4, 2, 2}, {8, 4, 2}, {1, 1, 2}, {9, 4, 3}} {
		if p := c.pos(w.off); p.Line != w.line || p.Column != w.col {
			t.Errorf("pos(%d) = %+v, want line %d column %d", w.off, p, w.line, w.col)
		}
	}
}

// Builder.MaxValueBytes reaches Load's decoder: a value past the default
// can be read (an eni snapshot of a large cluster is one value), and a
// lower bound refuses it, saying which limit.
func TestBuilderMaxValueBytes(t *testing.T) {
	doc := `{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:111122223333:task/prod/a","lastStatus":"RUNNING","version":3,` +
		`"createdAt":"2026-11-25T10:00:00Z","group":"` + strings.Repeat("x", 4096) + `",` +
		`"attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"networkInterfaceId","value":"eni-a"},{"name":"privateIPv4Address","value":"10.0.0.1"}]}]}]}`
	b := NewBuilder()
	b.MaxValueBytes = 1024
	if _, err := b.Load(strings.NewReader(doc), "big.json"); err == nil || !strings.Contains(err.Error(), "the limit is MaxValueBytes") {
		t.Fatalf("a value past a 1 KiB limit: %v", err)
	}
	b = NewBuilder()
	b.MaxValueBytes = 1 << 20
	if st, err := b.Load(strings.NewReader(doc), "big.json"); err != nil || st.Tasks != 1 {
		t.Fatalf("within the limit: %+v, %v", st, err)
	}
}

// Describe output's failures (tasks ECS could not describe) are counted:
// the history lacks those tasks, which a report must be able to say. A
// document of failures alone is no history, and the error says why.
func TestDescribeFailuresCounted(t *testing.T) {
	task := `{"taskArn":"arn:aws:ecs:us-east-1:111122223333:task/prod/a","lastStatus":"RUNNING","version":3,"createdAt":"2026-11-25T10:00:00Z",` +
		`"attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"networkInterfaceId","value":"eni-a"},{"name":"privateIPv4Address","value":"10.0.0.1"}]}]}`
	failures := `[{"arn":"arn:aws:ecs:us-east-1:111122223333:task/prod/gone1","reason":"MISSING"},{"arn":"arn:aws:ecs:us-east-1:111122223333:task/prod/gone2","reason":"MISSING"}]`
	b := NewBuilder()
	st, err := b.Load(strings.NewReader(`{"tasks":[`+task+`],"failures":`+failures+`}`), "tasks.json")
	if err != nil || st.Tasks != 1 || st.Failures != 2 {
		t.Fatalf("%+v, %v; want 1 task and 2 failures", st, err)
	}
	// An eni snapshot holds describe outputs, failures and all.
	snap := `{"format":"ecsnet/eni-snapshot/v1","cluster":"prod","describeTasks":[{"tasks":[` + task + `],"failures":` + failures + `}],` +
		`"describeContainerInstances":[{"containerInstances":[],"failures":[{"arn":"arn:aws:ecs:us-east-1:111122223333:container-instance/prod/x","reason":"MISSING"}]}]}`
	if st, err := NewBuilder().Load(strings.NewReader(snap), "snapshot.json"); err != nil || st.Tasks != 1 || st.Failures != 3 {
		t.Fatalf("snapshot: %+v, %v; want 1 task and 3 failures", st, err)
	}
	_, err = NewBuilder().Load(strings.NewReader(`{"tasks":[],"failures":`+failures+`}`), "gone.json")
	if !errors.Is(err, ErrNoRecords) || !strings.Contains(err.Error(), "lists only failures (2 tasks or instances ECS could not describe)") {
		t.Fatalf("failures alone: %v", err)
	}
}

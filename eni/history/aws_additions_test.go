package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/jsontest"
)

func loadDump(t *testing.T, data []byte, name string) (string, LoadStats, error) {
	t.Helper()
	b := NewBuilder()
	st, err := b.Load(bytes.NewReader(data), name)
	var sb strings.Builder
	for _, tk := range b.Index().Tasks() {
		fmt.Fprintf(&sb, "%+v\n", *tk)
	}
	for _, in := range b.Index().Instances() {
		fmt.Fprintf(&sb, "%+v\n", *in)
	}
	fmt.Fprintf(&sb, "%v %v\n", b.primary, b.modes)
	return sb.String(), st, err
}

// TestUnknownMembers: an unknown member at any level of each input
// the history reads changes nothing.
func TestUnknownMembers(t *testing.T) {
	for _, f := range []string{"testdata/describe-tasks.json", "testdata/events.jsonl", "testdata/describe-instances.json", "../testdata/sample-snapshot.json"} {
		t.Run(f, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, wst, werr := loadDump(t, data, f)
			got, gst, gerr := loadDump(t, jsontest.AddMembers(t, data), f)
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Errorf("error: %v\nwant %v", gerr, werr)
			}
			if !reflect.DeepEqual(wst, gst) {
				t.Errorf("stats %+v, want %+v", gst, wst)
			}
			if got != want {
				t.Errorf("history differs:\n%s\nwant\n%s", got, want)
			}
			if strings.TrimSpace(want) == "map[] map[]" {
				t.Errorf("nothing read")
			}
		})
	}
}

// additionsTask is one describe-tasks task as JSON text, its fields
// overridable by the caller's edit.
func additionsTask(id, eni, ip string, edit func(m map[string]any)) map[string]any {
	m := map[string]any{
		"taskArn":              taskARN(id),
		"clusterArn":           cluster,
		"containerInstanceArn": ciA,
		"taskDefinitionArn":    "arn:aws:ecs:us-east-1:111122223333:task-definition/web:7",
		"group":                "service:web",
		"launchType":           "EC2",
		"lastStatus":           "RUNNING",
		"desiredStatus":        "RUNNING",
		"version":              3,
		"createdAt":            "2026-11-25T10:00:00Z",
		"startedAt":            "2026-11-25T10:01:00Z",
		"attachments": []any{map[string]any{
			"id": "att-" + id, "type": "ElasticNetworkInterface", "status": "ATTACHED",
			"details": []any{
				map[string]any{"name": "subnetId", "value": "subnet-1"},
				map[string]any{"name": "networkInterfaceId", "value": eni},
				map[string]any{"name": "privateIPv4Address", "value": ip},
			},
		}},
		"containers": []any{map[string]any{"name": "app", "lastStatus": "RUNNING"}},
	}
	if edit != nil {
		edit(m)
	}
	return m
}

// TestUnknownEnums: a task with a value ECS does not send today
// (a new lastStatus, desiredStatus, launch type, attachment type or
// detail, container status, binding protocol) is still read, its ENI,
// address and the rest kept, and loading the others is not refused.
func TestUnknownEnums(t *testing.T) {
	cases := map[string]func(m map[string]any){
		"lastStatus":     func(m map[string]any) { m["lastStatus"] = "HIBERNATING" },
		"desiredStatus":  func(m map[string]any) { m["desiredStatus"] = "HIBERNATED" },
		"launchType":     func(m map[string]any) { m["launchType"] = "MANAGED_INSTANCES_V2" },
		"capacityProv":   func(m map[string]any) { m["capacityProviderName"] = "FARGATE_NEXT" },
		"healthStatus":   func(m map[string]any) { m["healthStatus"] = "DEGRADED" },
		"connectivity":   func(m map[string]any) { m["connectivity"] = "HALF_CONNECTED" },
		"attachmentStat": func(m map[string]any) { m["attachments"].([]any)[0].(map[string]any)["status"] = "MIGRATING" },
		"newAttachment": func(m map[string]any) {
			m["attachments"] = append(m["attachments"].([]any), map[string]any{"id": "x", "type": "ServiceConnectV2", "status": "ATTACHED",
				"details": []any{map[string]any{"name": "networkInterfaceId", "value": "eni-other"}}})
		},
		"newDetail": func(m map[string]any) {
			a := m["attachments"].([]any)[0].(map[string]any)
			a["details"] = append(a["details"].([]any), map[string]any{"name": "privateIPv6Prefix", "value": "2600::/80"},
				map[string]any{"name": "zzNew", "value": nil}, map[string]any{"name": "zzObj"})
		},
		"bindingProtocol": func(m map[string]any) {
			m["containers"].([]any)[0].(map[string]any)["networkBindings"] = []any{
				map[string]any{"bindIP": "0.0.0.0", "containerPort": 80, "hostPort": 32768, "protocol": "tcp"},
				map[string]any{"bindIP": "0.0.0.0", "containerPort": 90, "hostPort": 32769, "protocol": "sctp"},
			}
		},
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			doc := map[string]any{"tasks": []any{
				additionsTask("aaaa", "eni-a", "10.0.0.1", nil),
				additionsTask("bbbb", "eni-b", "10.0.0.2", edit),
			}, "failures": []any{}}
			data, _ := json.Marshal(doc)
			b := NewBuilder()
			st, err := b.Load(bytes.NewReader(data), "x.json")
			if err != nil {
				t.Errorf("load refused: %v (stats %+v)", err, st)
			}
			x := b.Index()
			tk, ok := x.Task(taskARN("bbbb"))
			if !ok {
				t.Fatalf("task with the new value lost")
			}
			if tk.ENI != "eni-b" || tk.IPv4.String() != "10.0.0.2" {
				t.Errorf("task ENI %q IP %v", tk.ENI, tk.IPv4)
			}
			if got, ok := x.TaskByENI("eni-b", t0.Add(30*time.Minute)); !ok || got.ARN != taskARN("bbbb") {
				t.Errorf("TaskByENI: %v %v", got, ok)
			}
			t.Logf("%+v", *tk)
		})
	}
}

// TestUnknownBindingProtocol: a host port binding of a protocol
// ECS does not send today (TransportProtocol is tcp and udp) costs that
// binding only: Load counts it in Unknown and returns no error, so that
// examples/attribute and examples/lambda, which refuse any error of Load,
// still read a describe-tasks output or an event stream holding one; the
// task's other bindings are kept. (The Watcher's own file already loaded:
// TestUnusableValueFileLoads.)
func TestUnknownBindingProtocol(t *testing.T) {
	task := additionsTask("cccc", "", "", func(m map[string]any) {
		m["attachments"] = []any{}
		m["containers"].([]any)[0].(map[string]any)["networkBindings"] = []any{
			map[string]any{"bindIP": "0.0.0.0", "containerPort": 80, "hostPort": 32768, "protocol": "tcp"},
			map[string]any{"bindIP": "0.0.0.0", "containerPort": 90, "hostPort": 32769, "protocol": "sctp"},
		}
	})
	ev := map[string]any{"version": "0", "id": "1", "detail-type": "ECS Task State Change", "source": "aws.ecs",
		"time": "2026-11-25T10:02:00Z", "detail": task}
	for name, doc := range map[string]any{"describe-tasks": map[string]any{"tasks": []any{task}}, "event": ev} {
		t.Run(name, func(t *testing.T) {
			data, _ := json.Marshal(doc)
			b := NewBuilder()
			st, err := b.Load(bytes.NewReader(data), "x.json")
			if err != nil {
				t.Errorf("load refused: %v", err)
			}
			if st.Unknown != 1 || st.Errors != 0 || st.Tasks != 1 {
				t.Errorf("stats %+v, want 1 task, 1 unknown value, no error", st)
			}
			tk, ok := b.Index().Task(taskARN("cccc"))
			if !ok || len(tk.Bindings) != 1 || tk.Bindings[0].HostPort != 32768 {
				t.Fatalf("task %+v %v, want its tcp binding kept", tk, ok)
			}
			// A binding that is not of a new value stays an error.
			bad := bytes.Replace(data, []byte(`"hostPort":32768`), []byte(`"hostPort":70000`), 1)
			if _, err := NewBuilder().Load(bytes.NewReader(bad), "x.json"); err == nil {
				t.Errorf("hostPort 70000 loaded without an error")
			}
		})
	}
}

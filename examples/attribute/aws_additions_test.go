package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTasksUnknownBindingProtocol: a describe-tasks output whose
// task has a host port binding of a protocol ECS does not send today
// (a new TransportProtocol) is still attributed, the binding left out
// with a note that says so (also with -q), not refused whole.
func TestTasksUnknownBindingProtocol(t *testing.T) {
	data, err := os.ReadFile("sample/tasks/describe-tasks.json")
	if err != nil {
		t.Fatal(err)
	}
	const tcp = `"protocol": "tcp"`
	if strings.Count(string(data), tcp) < 1 {
		t.Fatal("no binding in the sample")
	}
	edited := strings.Replace(string(data), tcp, tcp+`
                        }, {
                            "bindIP": "0.0.0.0", "containerPort": 9999, "hostPort": 39999, "protocol": "sctp"`, 1)
	dir := t.TempDir()
	tasks := []string{writeFile(t, dir, "describe-tasks.json", edited)}
	for _, f := range []string{"describe-container-instances.json", "describe-instances.json", "describe-task-definition-admin.json", "describe-task-definition-node-exporter.json"} {
		tasks = append(tasks, filepath.Join("sample/tasks", f))
	}
	code, out, stderr := runCode(t, "-flowlogs", "sample/flowlogs", "-network", "sample/network", "-q", "-tasks", strings.Join(tasks, ","))
	want := "attribute: note: -tasks: 1 value this version does not know (perhaps new to ECS: a host port binding's protocol other than tcp and udp) left out: traffic they would match stays unattributed"
	if code != 0 || out == "" || !strings.Contains(stderr, want) {
		t.Errorf("exit %d: %s\nwant %q", code, stderr, want)
	}
}

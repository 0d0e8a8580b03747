package history

import (
	"errors"
	"strings"
	"testing"
)

// Every AWS CLI output that carries tasks or container instances is read,
// the single-object results of stop-task and (de)register-container-instance
// included; JSON that carries none is an error naming the input (issue 15).
func TestLoadCLIShapes(t *testing.T) {
	const task = `{"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef",
		"clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod", "lastStatus": "STOPPED",
		"createdAt": "2026-11-25T10:00:00Z", "stoppedAt": "2026-11-25T11:00:00Z"}`
	const inst = `{"containerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0123456789abcdef0123456789abcdef",
		"ec2InstanceId": "i-0123456789abcdef0", "status": "DRAINING"}`
	for _, c := range []struct {
		name, in         string
		tasks, instances int
	}{
		{"stop-task", `{"task": ` + task + `}`, 1, 0},
		{"run-task", `{"tasks": [` + task + `], "failures": []}`, 1, 0},
		{"register-container-instance", `{"containerInstance": ` + inst + `}`, 0, 1},
		{"deregister-container-instance", "{\n \"containerInstance\": " + inst + "\n}", 0, 1},
		{"describe-container-instances", `{"containerInstances": [` + inst + `], "failures": []}`, 0, 1},
	} {
		b := NewBuilder()
		st, err := b.Load(strings.NewReader(c.in), c.name+".json")
		if err != nil || st.Tasks != c.tasks || st.Instances != c.instances {
			t.Errorf("%s: %d tasks, %d instances, err %v; want %d, %d", c.name, st.Tasks, st.Instances, err, c.tasks, c.instances)
		}
	}
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "empty.json: holds no tasks"},
		{"describe-services", `{"services": [{"serviceName": "web"}], "failures": []}`, "describe-services.json: holds no tasks or container instances (want describe-tasks, describe-container-instances, run-task or stop-task output, ECS events or a Watcher's file); 1 JSON value of other shapes skipped"},
		{"no tasks", `{"tasks": [], "failures": []}`, "no tasks.json: holds no tasks"},
		{"null task", `{"task": null}`, "null task.json: holds no tasks"},
	} {
		_, err := NewBuilder().Load(strings.NewReader(c.in), c.name+".json")
		var pe *ParseError
		if !errors.Is(err, ErrNoRecords) || !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want ErrNoRecords saying %q", c.name, err, c.want)
		}
	}
}

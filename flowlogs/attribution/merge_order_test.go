package attribution

import (
	"fmt"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestMergeSameVersionAnyOrder: two workers' partials of one task
// whose histories tell the task, or its container instance, at the same
// version but not alike merge to the same sum in either order. Merge kept
// the first part's task and instance whenever the version (and statuses)
// could not order them, so the sum's instance had its primary interface
// or not, the task its network mode or not, and its end one time or
// another, by the order the parts came in. Realistic inputs:
//   - the instance: a worker whose history was uploaded before the
//     Watcher had the primary interface (Watcher.Primary failed and is
//     asked again at the next poll), another's after; the instance's
//     version does not move with it;
//   - the network mode: likewise, the task definition's mode record
//     written after the task's line;
//   - the end: workers that hold only the intervals table (intervals.Index
//     keeps no version nor status), one table written while the task was
//     STOPPING (it ends at executionStoppedAt), a later one once it was
//     STOPPED (it ends at stoppedAt).
func TestMergeSameVersionAnyOrder(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	ci := acct + "container-instance/prod/c1"
	inst := history.Instance{ARN: ci, EC2InstanceID: "i-0aaa", ClusterARN: acct + "cluster/prod", InstanceType: "m5.large",
		AvailabilityZone: "us-east-1a", Status: "ACTIVE", Version: 9, Valid: history.Interval{Start: t0.Add(-time.Hour)}}
	withPrimary := inst
	withPrimary.ENI, withPrimary.IPv4 = "eni-0primary", netip.MustParseAddr("10.0.0.10")
	task := history.Task{ARN: acct + "task/prod/0123", ClusterARN: acct + "cluster/prod", Group: "service:web",
		TaskDefinitionARN: acct + "task-definition/web:3", Family: "web", Revision: 3, LaunchType: "EC2",
		ContainerInstanceARN: ci, AvailabilityZone: "us-east-1a", NetworkMode: netmode.ModeAWSVPC,
		LastStatus: "RUNNING", DesiredStatus: "RUNNING", Version: 4, ENI: "eni-t",
		IPv4: netip.MustParseAddr("10.0.1.1"), Valid: history.Interval{Start: t0}}
	noMode := task
	noMode.NetworkMode = netmode.ModeUnknown
	// As intervals.Index rebuilds a task: no version, no statuses.
	table := task
	table.Version, table.LastStatus, table.DesiredStatus = 0, "", ""
	stopping, stopped := table, table
	stopping.Valid.End = t0.Add(10 * time.Minute)
	stopped.Valid.End = t0.Add(10*time.Minute + 30*time.Second)

	const head = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
	line := func(bytes int, at time.Duration) string {
		s := t0.Add(at).Unix()
		return fmt.Sprintf("2 eni-t 10.0.1.1 52.94.1.1 40000 443 6 3 %d %d %d ACCEPT OK", bytes, s, s+30)
	}
	for _, c := range []struct {
		name   string
		ta, tb history.Task
		ia, ib history.Instance
	}{
		{"instance with and without its primary interface", task, task, inst, withPrimary},
		{"task with and without its network mode", noMode, task, inst, inst},
		{"task rebuilt from two tables", stopping, stopped, inst, inst},
	} {
		t.Run(c.name, func(t *testing.T) {
			pa := reviewAttribute(t, mustIndex([]history.Task{c.ta}, []history.Instance{c.ia}), head, []string{line(100, 2*time.Minute)}).Partial()
			pb := reviewAttribute(t, mustIndex([]history.Task{c.tb}, []history.Instance{c.ib}), head, []string{line(200, 3*time.Minute)}).Partial()
			pa.Inputs = []Input{{Name: "a"}}
			pb.Inputs = []Input{{Name: "b"}}
			var got [2]TaskPart
			var groups [2]Group
			for i, order := range [][]*Partial{{pa, pb}, {pb, pa}} {
				m, err := Merge(order...)
				if err != nil {
					t.Fatal(err)
				}
				if len(m.Tasks) != 1 || m.Tasks[0].Instance == nil {
					t.Fatalf("merged tasks %+v", m.Tasks)
				}
				got[i] = m.Tasks[0]
				r := m.Result(ByTask)
				if len(r.Groups) != 1 || len(r.Groups[0].Instances) != 1 {
					t.Fatalf("groups %+v", r.Groups)
				}
				groups[i] = r.Groups[0]
			}
			if !reflect.DeepEqual(*got[0].Task, *got[1].Task) {
				t.Errorf("merge order decides the task:\n a, b: %+v\n b, a: %+v", *got[0].Task, *got[1].Task)
			}
			if *got[0].Instance != *got[1].Instance {
				t.Errorf("merge order decides the instance:\n a, b: %+v\n b, a: %+v", *got[0].Instance, *got[1].Instance)
			}
			if *groups[0].Instances[0] != *groups[1].Instances[0] || !reflect.DeepEqual(*groups[0].Tasks[0], *groups[1].Tasks[0]) {
				t.Errorf("merge order decides the group's task or instance")
			}
		})
	}
}

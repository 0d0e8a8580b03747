package attribution

import (
	"fmt"
	"maps"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/netmode"
)

// handoffHistory is a cluster where replacements are created before the
// tasks they replace have stopped, as a service deployment does: ECS
// records stoppedAt only after the old ENI is deleted, so the raw
// lifetimes (Task.Valid) overlap by up to a minute.
func handoffHistory(t *testing.T) *history.Index {
	t.Helper()
	const ci = "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/ci-h"
	task := func(id, eni, ip string, created, execStopped, stopped time.Time) types.Task {
		tk := types.Task{
			TaskArn:              aws.String("arn:aws:ecs:us-east-1:123456789012:task/demo/" + id),
			ClusterArn:           aws.String(cluster),
			Group:                aws.String("service:web"),
			TaskDefinitionArn:    aws.String("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"),
			LaunchType:           types.LaunchTypeEc2,
			ContainerInstanceArn: aws.String(ci),
			AvailabilityZone:     aws.String("us-east-1a"),
			LastStatus:           aws.String("RUNNING"),
			DesiredStatus:        aws.String("RUNNING"),
			Version:              2,
			CreatedAt:            aws.Time(created),
			StartedAt:            aws.Time(created.Add(20 * time.Second)),
		}
		if eni != "" {
			tk.Attachments = []types.Attachment{{Id: aws.String("att-" + id), Type: aws.String("ElasticNetworkInterface"),
				Status: aws.String("ATTACHED"), Details: []types.KeyValuePair{
					{Name: aws.String("networkInterfaceId"), Value: aws.String(eni)},
					{Name: aws.String("privateIPv4Address"), Value: aws.String(ip)},
				}}}
		} else if strings.Contains(id, "range") {
			r := "40000-40009"
			if id == "ovl-range" {
				r = "40005-40014"
			}
			tk.Containers = []types.Container{{Name: aws.String("app"), NetworkBindings: []types.NetworkBinding{
				{BindIP: aws.String("0.0.0.0"), ContainerPortRange: aws.String(r), HostPortRange: aws.String(r), Protocol: types.TransportProtocolTcp},
			}}}
		} else {
			tk.Containers = []types.Container{{Name: aws.String("app"), NetworkBindings: []types.NetworkBinding{
				{BindIP: aws.String("0.0.0.0"), ContainerPort: aws.Int32(8080), HostPort: aws.Int32(32768), Protocol: types.TransportProtocolTcp},
			}}}
		}
		if !stopped.IsZero() {
			tk.LastStatus, tk.DesiredStatus, tk.Version = aws.String("STOPPED"), aws.String("STOPPED"), 5
			tk.ExecutionStoppedAt, tk.StoppedAt = aws.Time(execStopped), aws.Time(stopped)
			if eni != "" {
				tk.Attachments[0].Status = aws.String("DELETED")
			}
		}
		return tk
	}
	half := 500 * time.Millisecond
	b := history.NewBuilder()
	if _, err := b.AddTasks(
		// An address reused by the replacement, created a minute before
		// the old task's containers stopped: the address passes at
		// executionStoppedAt, not at the replacement's creation.
		task("old-ip", "eni-h1", "10.0.1.50", at(0), at(30), at(31)),
		task("new-ip", "eni-h2", "10.0.1.50", at(29), time.Time{}, time.Time{}),
		// An ENI reused by a task created after the old one's containers
		// stopped but before its stoppedAt: the ENI passes at creation.
		task("old-eni", "eni-h3", "10.0.1.60", at(0), at(30), at(32)),
		task("new-eni", "eni-h3", "10.0.1.61", at(31), time.Time{}, time.Time{}),
		// A handoff inside a second (ECS times carry milliseconds).
		task("old-frac", "eni-h4", "10.0.1.70", at(0), at(30).Add(half), at(31).Add(half)),
		task("new-frac", "eni-h5", "10.0.1.70", at(29).Add(half), time.Time{}, time.Time{}),
		// A bridge host port taken over the same way.
		task("old-port", "", "", at(0), at(30), at(31)),
		task("new-port", "", "", at(29), time.Time{}, time.Time{}),
		task("old-range", "", "", at(0), at(30), at(31)),
		task("new-range", "", "", at(29), time.Time{}, time.Time{}),
		task("ovl-range", "", "", at(10).Add(half), at(20), at(21)),
	); err != nil {
		t.Fatal(err)
	}
	b.SetNetworkMode("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3", netmode.ModeBridge)
	if err := b.AddContainerInstances(cluster, types.ContainerInstance{ContainerInstanceArn: aws.String(ci),
		Ec2InstanceId: aws.String("i-h"), Status: aws.String("ACTIVE")}); err != nil {
		t.Fatal(err)
	}
	b.SetPrimaryInterface("i-h", history.PrimaryInterface{ENI: "eni-inst-h", IPv4: netip.MustParseAddr("10.0.1.10")})
	return b.Index()
}

// TestHandoffAgreesWithHistory checks, second by second across handoffs
// whose raw lifetimes overlap, that attribution joins each key to the task
// eni/history's own lookups name.
func TestHandoffAgreesWithHistory(t *testing.T) {
	h := handoffHistory(t)
	if len(h.Tasks()) != 11 {
		t.Fatalf("history has %d tasks, want 11", len(h.Tasks()))
	}
	e := New(h).e
	name := func(arn string) string {
		if arn == "" {
			return "none"
		}
		return arn[len("arn:aws:ecs:us-east-1:123456789012:task/demo/"):]
	}
	got := func(f flow) string {
		st, _, _, _, _ := e.join(&f)
		if st == nil {
			return "none"
		}
		return name(st.info.ARN)
	}
	hist := func(tk *history.Task, ok bool) string {
		if !ok {
			return "none"
		}
		return name(tk.ARN)
	}
	inst, ok := h.Instance("arn:aws:ecs:us-east-1:123456789012:container-instance/demo/ci-h")
	if !ok {
		t.Fatal("container instance missing from history")
	}
	// agree allows one difference: attribution's late-record slack (flow
	// log start times lag the packets) names a task up to a minute after
	// its stoppedAt, where history names none.
	agree := func(g, want string, s int64) bool {
		if g == want {
			return true
		}
		e.ix.taskMaps()
		st := e.ix.byARN["arn:aws:ecs:us-east-1:123456789012:task/demo/"+g]
		stop := st.info.Valid.End
		return want == "none" && st != nil && !stop.IsZero() && s >= stop.Unix() && s-stop.Unix() <= 60
	}
	probes, late := 0, 0
	for s := at(-2).Unix(); s <= at(34).Unix(); s++ {
		ts := time.Unix(s, 0)
		for _, eni := range []string{"eni-h1", "eni-h2", "eni-h3", "eni-h4", "eni-h5"} {
			f := flow{eni: eni, start: s, dir: dirEgress, proto: 6, hasPorts: true}
			want := hist(h.TaskByENI(eni, ts))
			if g := got(f); !agree(g, want, s) {
				t.Fatalf("ENI %s at %s: attribution %s, history %s", eni, ts.UTC().Format(time.TimeOnly), g, want)
			} else if g != want {
				late++
			}
			probes++
		}
		for _, ip := range []string{"10.0.1.50", "10.0.1.60", "10.0.1.61", "10.0.1.70"} {
			a := netip.MustParseAddr(ip)
			f := flow{src: a, dst: netip.MustParseAddr("10.9.9.9"), start: s, dir: dirEgress, proto: 6, hasPorts: true}
			if g, want := got(f), hist(h.TaskByIP(a, ts)); !agree(g, want, s) {
				t.Fatalf("address %s at %s: attribution %s, history %s", ip, ts.UTC().Format(time.TimeOnly), g, want)
			}
			probes++
		}
		f := flow{eni: "eni-inst-h", src: netip.MustParseAddr("10.0.2.5"), dst: netip.MustParseAddr("10.0.1.10"),
			srcPort: 40000, dstPort: 32768, proto: 6, hasPorts: true, start: s, dir: dirIngress}
		if g, want := got(f), hist(h.TaskByHostPort(inst.ARN, 32768, 6, ts)); g != want {
			t.Fatalf("host port 32768 at %s: attribution %s, history %s", ts.UTC().Format(time.TimeOnly), g, want)
		}
		probes++
		for p := uint16(39999); p <= 40015; p++ {
			f.dstPort = p
			if g, want := got(f), hist(h.TaskByHostPort(inst.ARN, p, 6, ts)); !agree(g, want, s) {
				t.Fatalf("host port %d at %s: attribution %s, history %s", p, ts.UTC().Format(time.TimeOnly), g, want)
			}
			probes++
		}
	}
	if probes < 20000 || late == 0 || late > 100*61 {
		t.Fatalf("%d probes, %d late-slack differences", probes, late)
	}

	// The handoffs themselves, spelled out.
	for _, c := range []struct {
		f    flow
		want string
	}{
		{flow{src: netip.MustParseAddr("10.0.1.50"), start: at(29).Unix() + 30, dir: dirEgress}, "old-ip"},
		{flow{src: netip.MustParseAddr("10.0.1.50"), start: at(30).Unix() - 1, dir: dirEgress}, "old-ip"},
		{flow{src: netip.MustParseAddr("10.0.1.50"), start: at(30).Unix(), dir: dirEgress}, "new-ip"},
		{flow{eni: "eni-h3", start: at(30).Unix() + 59, dir: dirEgress}, "old-eni"},
		{flow{eni: "eni-h3", start: at(31).Unix(), dir: dirEgress}, "new-eni"},
		{flow{src: netip.MustParseAddr("10.0.1.70"), start: at(30).Unix(), dir: dirEgress}, "old-frac"},
		{flow{src: netip.MustParseAddr("10.0.1.70"), start: at(30).Unix() + 1, dir: dirEgress}, "new-frac"},
		// The old task's own ENI after executionStoppedAt: still its, until
		// stoppedAt (and the late-record slack after that).
		{flow{eni: "eni-h1", start: at(30).Unix() + 30, dir: dirEgress}, "old-ip"},
	} {
		if g := got(c.f); g != c.want {
			t.Errorf("%+v: attributed to %s, want %s", c.f, g, c.want)
		}
	}
}

// TestHandoffFromTasks is the same rule for task data given to
// history.NewIndex: Task.ExecutionStoppedAt, whatever the input order.
func TestHandoffFromTasks(t *testing.T) {
	a := addrs("10.0.1.50")
	old := history.Task{ARN: "old", NetworkMode: netmode.ModeAWSVPC, ENI: "eni-1", IPv4: a[0],
		Valid: history.Interval{Start: at(0), End: at(31)}, ExecutionStoppedAt: at(30)}
	repl := history.Task{ARN: "new", NetworkMode: netmode.ModeAWSVPC, ENI: "eni-2", IPv4: a[0], Valid: history.Interval{Start: at(29)}}
	arn := func(st *taskState) string {
		if st == nil {
			return "none"
		}
		return st.info.ARN
	}
	for _, tasks := range [][]history.Task{{old, repl}, {repl, old}} {
		e := New(mustIndex(tasks, nil)).e
		for _, c := range []struct {
			s    int64
			want string
		}{{at(29).Unix(), "old"}, {at(30).Unix() - 1, "old"}, {at(30).Unix(), "new"}, {at(31).Unix(), "new"}} {
			f := flow{src: a[0], start: c.s, dir: dirEgress}
			st, _, _, _, _ := e.join(&f)
			if arn(st) != c.want {
				t.Errorf("at %s: got %s, want %s", time.Unix(c.s, 0).UTC().Format(time.TimeOnly), arn(st), c.want)
			}
		}
		// Without executionStoppedAt the replacement takes the address at
		// its start.
		tasks[0].ExecutionStoppedAt, tasks[1].ExecutionStoppedAt = time.Time{}, time.Time{}
		e = New(mustIndex(tasks, nil)).e
		f := flow{src: a[0], start: at(29).Unix(), dir: dirEgress}
		if st, _, _, _, _ := e.join(&f); arn(st) != "new" {
			t.Errorf("without executionStoppedAt at 29m: got %s, want new", arn(st))
		}
	}
}

// TestInterfaceCache feeds one Attributor from two readers that number
// interface IDs differently (the parser's symbols index attribution's
// per-interface cache), with an ENI that changes owner and records out of
// time order, and checks every record lands where the index says.
func TestInterfaceCache(t *testing.T) {
	line := func(eni string, min int, bytes int) string {
		s := at(min).Unix()
		return fmt.Sprintf("2 123456789012 %s 10.0.1.1 10.0.9.9 443 50000 6 10 %d %d %d ACCEPT OK\n", eni, bytes, s, s+59)
	}
	fileA := line("eni-web1", 1, 1) + line("eni-reuse", 5, 10) + line("eni-api1", 2, 100) + line("eni-reuse", 25, 1000) + line("eni-reuse", 6, 10000)
	fileB := line("eni-api1", 3, 100000) + line("eni-reuse", 26, 1000000) + line("eni-web1", 4, 10000000) + line("eni-reuse", 7, 100000000)
	a := New(fixture())
	for _, in := range []string{fileA, fileB} {
		if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in)).All()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]uint64{arnWeb1: 10000001, arnAPI1: 100100, arnX1: 100010010, arnX2: 1001000}
	got := map[string]uint64{}
	for _, g := range a.Result(ByTask).Groups {
		got[g.Key] = g.Bytes()
	}
	if !maps.Equal(got, want) {
		t.Fatalf("bytes by task %v, want %v", got, want)
	}
}

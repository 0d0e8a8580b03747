package history

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

func TestTaskFromDescribeTasks(t *testing.T) {
	b := NewBuilder()
	if _, err := b.AddTasks(awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	got, ok := x.TaskByENI("eni-1", at(5))
	if !ok {
		t.Fatal("eni-1 not found")
	}
	if got.ID() != "t1" || got.Cluster() != "prod" || got.Service() != "web" || got.Family != "web" || got.Revision != 7 ||
		got.NetworkMode != netmode.ModeAWSVPC || got.IPv4 != mustAddr("10.0.1.5") || got.MAC != "0a:00:00:00:00:01" ||
		got.SubnetID != "subnet-1" || got.AttachmentStatus != "ATTACHED" || got.AvailabilityZone != "us-east-1a" {
		t.Fatalf("task = %+v", got)
	}
	if !got.Valid.IsOpen() || !got.Valid.Start.Equal(at(0)) {
		t.Fatalf("valid = %v", got.Valid)
	}
	if _, ok := x.TaskByENI("eni-1", at(-1)); ok {
		t.Fatal("found before creation")
	}
	if g, ok := x.TaskByIP(mustAddr("::ffff:10.0.1.5"), at(1000)); !ok || g != got {
		t.Fatal("IPv4-mapped lookup of a running task failed")
	}
}

func TestENIAndIPReusedByLaterTask(t *testing.T) {
	b := NewBuilder()
	// t1 runs 0..30 (containers stop at 30, STOPPED at 31); t2 gets the same
	// IP, created at 30:30 — before t1's stoppedAt. t3 reuses the ENI ID
	// (synthetic: ENI IDs are not reused by AWS, but the index must not care).
	t2 := awsvpcTask("t2", "eni-2", "10.0.1.5", 30, 60)
	t2.CreatedAt = ptr(at(30).Add(30 * time.Second))
	if _, err := b.AddTasks(awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30), t2, awsvpcTask("t3", "eni-1", "10.0.1.9", 100, -1)); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	cases := []struct {
		ip   string
		when time.Time
		want string
	}{
		{"10.0.1.5", at(-1), ""},
		{"10.0.1.5", at(0), "t1"},
		{"10.0.1.5", at(30).Add(29 * time.Second), "t1"},
		{"10.0.1.5", at(30).Add(30 * time.Second), "t2"}, // t2 takes over at its createdAt
		{"10.0.1.5", at(31), "t2"},                       // t1's stoppedAt no longer matters
		{"10.0.1.5", at(60).Add(59 * time.Second), "t2"},
		{"10.0.1.5", at(61), ""},
		{"10.0.1.9", at(200), "t3"},
	}
	for _, c := range cases {
		got, ok := x.TaskByIP(mustAddr(c.ip), c.when)
		if c.want == "" {
			if ok {
				t.Errorf("%s at %v: got %s, want none", c.ip, c.when, got.ID())
			}
			continue
		}
		if !ok || got.ID() != c.want {
			t.Errorf("%s at %v: got %v, want %s", c.ip, c.when, got, c.want)
		}
	}
	for _, c := range []struct {
		when time.Time
		want string
	}{{at(10), "t1"}, {at(31).Add(-time.Nanosecond), "t1"}, {at(50), ""}, {at(100), "t3"}, {at(10000), "t3"}} {
		got, ok := x.TaskByENI("eni-1", c.when)
		if (c.want == "") == ok || (ok && got.ID() != c.want) {
			t.Errorf("eni-1 at %v: got %v %v, want %q", c.when, got, ok, c.want)
		}
	}
}

func TestOverlapCutAtExecutionStoppedAt(t *testing.T) {
	// t1's containers stopped at 30; t2 was created at 25 (rolling
	// deployment) and got the IP later. Until 30 the IP is t1's.
	b := NewBuilder()
	b.AddTasks(awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30), awsvpcTask("t2", "eni-2", "10.0.1.5", 25, -1))
	x := b.Index()
	for _, c := range []struct {
		min  int
		want string
	}{{24, "t1"}, {29, "t1"}, {30, "t2"}, {31, "t2"}} {
		if got, ok := x.TaskByIP(mustAddr("10.0.1.5"), at(c.min)); !ok || got.ID() != c.want {
			t.Errorf("at %d: got %v, want %s", c.min, got, c.want)
		}
	}
}

func TestMergeIsIdempotentAndOrderFree(t *testing.T) {
	pre := awsvpcTask("t1", "", "", 0, -1)
	pre.LastStatus, pre.Version, pre.StartedAt = ptr("PROVISIONING"), 1, nil
	pre.Attachments[0].Status = ptr("PRECREATED")
	pre.Attachments[0].Details = []types.KeyValuePair{kv("subnetId", "subnet-1")}
	pre.Containers = nil
	run := awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)
	stop := awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30)
	stop.Attachments[0].Details = nil // a stopped task may no longer show details
	stop.Containers = nil

	orders := [][]types.Task{
		{pre, run, stop},
		{stop, run, pre},
		{run, pre, stop, run, stop, pre},
		{stop, stop, pre, run},
	}
	var want *Task
	for i, o := range orders {
		b := NewBuilder()
		for _, tk := range o {
			if _, err := b.AddTasks(tk); err != nil {
				t.Fatal(err)
			}
		}
		if b.Len() != 1 {
			t.Fatalf("order %d: %d tasks", i, b.Len())
		}
		got, ok := b.Index().Task(taskARN("t1"))
		if !ok {
			t.Fatal("missing")
		}
		if got.ENI != "eni-1" || got.IPv4 != mustAddr("10.0.1.5") || got.LastStatus != "STOPPED" ||
			got.AttachmentStatus != "DELETED" || got.Version != 6 || !got.Valid.End.Equal(at(31)) || !got.Valid.Start.Equal(at(0)) {
			t.Fatalf("order %d: %+v", i, got)
		}
		if want == nil {
			want = got
		}
	}
	b := NewBuilder()
	if n, _ := b.AddTasks(run); n != 1 {
		t.Fatalf("first add changed %d", n)
	}
	if n, _ := b.AddTasks(run); n != 0 {
		t.Fatalf("duplicate changed %d", n)
	}
	if n, _ := b.AddTasks(pre); n != 0 {
		t.Fatalf("older observation changed %d", n)
	}
	bumped := run
	bumped.Version = 4 // e.g. a health status change
	if n, _ := b.AddTasks(bumped); n != 0 {
		t.Fatalf("a version bump alone changed %d", n)
	}
	if n, _ := b.AddTasks(stop); n != 1 {
		t.Fatalf("stop changed %d", n)
	}
}

func TestPrecreatedHasNoENIYet(t *testing.T) {
	pre := awsvpcTask("t1", "", "", 0, -1)
	pre.LastStatus = ptr("PROVISIONING")
	pre.Attachments[0].Type = ptr("eni")
	pre.Attachments[0].Status = ptr("PRECREATED")
	pre.Attachments[0].Details = []types.KeyValuePair{kv("subnetId", "subnet-1")}
	pre.Containers = nil
	b := NewBuilder()
	if _, err := b.AddTasks(pre); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	got, ok := x.Task(taskARN("t1"))
	if !ok || got.ENI != "" || got.SubnetID != "subnet-1" || got.NetworkMode != netmode.ModeAWSVPC || got.AttachmentStatus != "PRECREATED" {
		t.Fatalf("got %+v", got)
	}
	if _, ok := x.TaskByENI("", at(1)); ok {
		t.Fatal("empty ENI indexed")
	}
}

func TestHostPorts(t *testing.T) {
	b := NewBuilder()
	old := bridgeTask("b1", 32768, 0, 20)
	next := bridgeTask("b2", 32768, 25, -1)
	rng := bridgeTask("b3", 0, 0, -1)
	rng.Containers[0].NetworkBindings = []types.NetworkBinding{{
		ContainerPortRange: ptr("9000-9009"), HostPortRange: ptr("40000-40009"), Protocol: types.TransportProtocolUdp,
	}}
	if _, err := b.AddTasks(old, next, rng, awsvpcTask("a1", "eni-1", "10.0.1.5", 0, -1)); err != nil {
		t.Fatal(err)
	}
	b.NetworkMode = func(string) netmode.Mode { return netmode.ModeBridge }
	x := b.Index()
	check := func(port uint16, proto netmode.Protocol, min int, want string) {
		t.Helper()
		got, ok := x.TaskByHostPort(ciA, port, proto, at(min))
		if (want == "") == ok || (ok && got.ID() != want) {
			t.Errorf("port %d/%d at %d: got %v %v, want %q", port, proto, min, got, ok, want)
		}
	}
	check(32768, netmode.TCP, 10, "b1")
	check(32768, netmode.TCP, 22, "")
	check(32768, netmode.TCP, 30, "b2")
	check(32768, netmode.UDP, 30, "")
	check(40005, netmode.UDP, 30, "b3")
	check(40010, netmode.UDP, 30, "")
	check(40005, netmode.TCP, 30, "")
	got, _ := x.Task(taskARN("b2"))
	if got.NetworkMode != netmode.ModeBridge || len(got.Bindings) != 2 || got.Bindings[0].ContainerPort != 8080 {
		t.Fatalf("b2 = %+v", got)
	}
	if a, _ := x.Task(taskARN("a1")); a.NetworkMode != netmode.ModeAWSVPC {
		t.Fatal("resolver overrode awsvpc")
	}
}

func TestInstances(t *testing.T) {
	b := NewBuilder()
	ci := types.ContainerInstance{
		ContainerInstanceArn: ptr(ciA), Ec2InstanceId: ptr("i-0123"), Status: ptr("ACTIVE"), RegisteredAt: ptr(at(-60)),
		Attributes: []types.Attribute{
			{Name: ptr("ecs.instance-type"), Value: ptr("c5.large")},
			{Name: ptr("ecs.availability-zone"), Value: ptr("us-east-1a")},
			{Name: ptr("ecs.os-type"), Value: ptr("linux")},
		},
		Attachments: []types.Attachment{{Type: ptr("ElasticNetworkInterface"), Status: ptr("ATTACHED"),
			Details: []types.KeyValuePair{kv("networkInterfaceId", "eni-trunk")}}},
	}
	if err := b.AddContainerInstances(cluster, ci); err != nil {
		t.Fatal(err)
	}
	b.SetPrimaryInterface("i-0123", PrimaryInterface{ENI: "eni-prim", IPv4: mustAddr("10.0.0.10")})
	x := b.Index()
	for _, e := range []string{"eni-prim", "eni-trunk"} {
		in, ok := x.InstanceByENI(e, at(0))
		if !ok || in.EC2InstanceID != "i-0123" || in.InstanceType != "c5.large" || in.AvailabilityZone != "us-east-1a" ||
			in.OSType != "linux" || in.Cluster() != "prod" {
			t.Fatalf("%s: %+v", e, in)
		}
	}
	if _, ok := x.InstanceByIP(mustAddr("10.0.0.10"), at(-61)); ok {
		t.Fatal("found before registration")
	}
	if _, ok := x.InstanceByIP(mustAddr("10.0.0.10"), at(5)); !ok {
		t.Fatal("instance IP not found")
	}
}

// TestTrunkAttributeIsNoENI: the ecs.awsvpc-trunk-id attribute's value is
// an ECS id, not the trunk ENI's: only the ENI attachment names the trunk.
func TestTrunkAttributeIsNoENI(t *testing.T) {
	const trunkID = "a6148e89-0416-415d-97e0-f23d18e134a4"
	attr := types.Attribute{Name: ptr("ecs.awsvpc-trunk-id"), Value: ptr(trunkID)}
	withENI := types.ContainerInstance{ContainerInstanceArn: ptr(ciA), Ec2InstanceId: ptr("i-0123"), Status: ptr("ACTIVE"),
		RegisteredAt: ptr(at(-60)), Attributes: []types.Attribute{attr},
		Attachments: []types.Attachment{{Type: ptr("ElasticNetworkInterface"), Status: ptr("ATTACHED"),
			Details: []types.KeyValuePair{kv("networkInterfaceId", "eni-trunk")}}}}
	attrOnly := types.ContainerInstance{ContainerInstanceArn: ptr(ciA + "b"), Ec2InstanceId: ptr("i-0456"), Status: ptr("ACTIVE"),
		RegisteredAt: ptr(at(-60)), Attributes: []types.Attribute{attr}}
	b := NewBuilder()
	if err := b.AddContainerInstances(cluster, withENI, attrOnly); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	if in, ok := x.InstanceByENI(trunkID, at(0)); ok {
		t.Errorf("the trunk id %s is taken for %s's ENI", trunkID, in.EC2InstanceID)
	}
	if in, ok := x.InstanceByENI("eni-trunk", at(0)); !ok || in.TrunkENI != "eni-trunk" {
		t.Errorf("the trunk ENI attachment: %v, %v", in, ok)
	}
}

func TestFieldErrorsKeepTheRest(t *testing.T) {
	bad := awsvpcTask("t1", "eni-1", "10.0.1.500", 0, -1)
	bad.Containers[0].NetworkInterfaces = nil
	b := NewBuilder()
	_, err := b.AddTasks(bad, types.Task{})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "attachments[0].details[privateIPv4Address]" || fe.ARN != taskARN("t1") {
		t.Fatalf("err = %v", err)
	}
	if got, ok := b.Index().TaskByENI("eni-1", at(1)); !ok || got.IPv4.IsValid() {
		t.Fatalf("task not kept without the bad field: %+v", got)
	}
}

func TestLookupsDoNotAllocate(t *testing.T) {
	b := NewBuilder()
	for i := 0; i < 50; i++ {
		b.AddTasks(awsvpcTask(string(rune('a'+i%26))+string(rune('a'+i/26)), "eni-1", "10.0.1.5", i*10, i*10+9))
	}
	b.AddTasks(bridgeTask("b1", 32768, 0, -1))
	x := b.Index()
	ip := mustAddr("10.0.1.5")
	n := testing.AllocsPerRun(100, func() {
		x.TaskByENI("eni-1", at(255))
		x.TaskByIP(ip, at(255))
		x.TaskByHostPort(ciA, 32768, netmode.TCP, at(5))
		x.InstanceByENI("eni-x", at(1))
		x.InstanceByIP(ip, at(1))
	})
	if n != 0 {
		t.Fatalf("%v allocations per lookup set", n)
	}
	if got, ok := x.TaskByENI("eni-1", at(255)); !ok || got.ID() != "za" {
		t.Fatalf("got %v", got)
	}
}

func BenchmarkTaskByIP(b *testing.B) {
	bl := NewBuilder()
	for i := 0; i < 1000; i++ {
		bl.AddTasks(awsvpcTask(time.Duration(i).String(), "eni-1", "10.0.1.5", i*10, i*10+9))
	}
	x := bl.Index()
	ip := mustAddr("10.0.1.5")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.TaskByIP(ip, at(i%10000))
	}
}

// rangeTask is a bridge-mode task holding host ports on ciA: "a-b" strings
// are hostPortRange bindings, "a" strings single hostPort bindings. It
// stops (executionStoppedAt, then stoppedAt) unless stopped is zero.
func rangeTask(id string, proto types.TransportProtocol, created, execStopped, stopped time.Time, ports ...string) types.Task {
	t := bridgeTask(id, 0, 0, -1)
	t.CreatedAt = ptr(created)
	var nbs []types.NetworkBinding
	for _, p := range ports {
		nb := types.NetworkBinding{BindIP: ptr("0.0.0.0"), Protocol: proto}
		if strings.Contains(p, "-") {
			nb.HostPortRange, nb.ContainerPortRange = ptr(p), ptr(p)
		} else {
			n, _ := strconv.Atoi(p)
			nb.HostPort, nb.ContainerPort = ptr(int32(n)), ptr(int32(n))
		}
		nbs = append(nbs, nb)
	}
	t.Containers[0].NetworkBindings = nbs
	if !stopped.IsZero() {
		t.LastStatus, t.DesiredStatus, t.Version = ptr("STOPPED"), ptr("STOPPED"), 5
		t.StoppedAt = ptr(stopped)
		if !execStopped.IsZero() {
			t.ExecutionStoppedAt = ptr(execStopped)
		}
	}
	return t
}

// TestHostPortRangesFollowTheHandoffRule checks that a port covered by
// hostPortRange bindings passes between overlapping owners by the rule
// single ports follow, not to whichever binding was listed first.
func TestHostPortRangesFollowTheHandoffRule(t *testing.T) {
	sec := func(min, s int) time.Time { return at(min).Add(time.Duration(s) * time.Second) }
	var none time.Time
	udp, tcp := types.TransportProtocolUdp, types.TransportProtocolTcp
	b := NewBuilder()
	b.NetworkMode = func(string) netmode.Mode { return netmode.ModeBridge }
	if _, err := b.AddTasks(
		// Overlapping ranges: r2 takes 40005-40009 at its creation.
		rangeTask("r1", udp, at(0), none, at(20), "40000-40009"),
		rangeTask("r2", udp, at(10), none, none, "40005-40014"),
		// A single port inside a range, bound after it: s1 takes it at
		// its creation, and the rest of the range stays r1's.
		rangeTask("s1", udp, at(12), none, at(18), "40003"),
		// A range bound after a single port it covers: the range takes it.
		rangeTask("s2", udp, at(0), none, none, "40030"),
		rangeTask("r3", udp, at(5), none, none, "40025-40035"),
		// A replacement created before the old task stopped, reusing its
		// range: the range passes at the old task's executionStoppedAt.
		rangeTask("old", tcp, at(0), at(30), at(31), "50000-50009"),
		rangeTask("new", tcp, at(29), none, none, "50000-50009"),
		// The same range on 0.0.0.0 and :: is one claim.
		rangeTask("dual", tcp, at(0), none, none, "51000-51004", "51000-51004"),
	); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	for _, c := range []struct {
		port  uint16
		proto netmode.Protocol
		when  time.Time
		want  string
	}{
		{40007, netmode.UDP, at(5), "r1"},
		{40007, netmode.UDP, at(10).Add(-time.Nanosecond), "r1"},
		{40007, netmode.UDP, at(10), "r2"}, // was r1: the first range found
		{40007, netmode.UDP, at(25), "r2"},
		{40002, netmode.UDP, at(15), "r1"},
		{40002, netmode.UDP, at(20), ""},
		{40012, netmode.UDP, at(5), ""},
		{40012, netmode.UDP, at(15), "r2"},
		{40015, netmode.UDP, at(15), ""},
		{40003, netmode.UDP, at(11), "r1"},
		{40003, netmode.UDP, at(12), "s1"},
		{40003, netmode.UDP, at(18), ""}, // r1's claim ended when s1 took the port
		{40004, netmode.UDP, at(15), "r1"},
		{40030, netmode.UDP, at(4), "s2"},
		{40030, netmode.UDP, at(5), "r3"}, // was s2: single ports were asked first
		{40029, netmode.UDP, at(5), "r3"},
		{40030, netmode.TCP, at(5), ""},
		{50004, netmode.TCP, sec(29, 30), "old"},
		{50004, netmode.TCP, at(30).Add(-time.Nanosecond), "old"},
		{50004, netmode.TCP, at(30), "new"}, // was old until its stoppedAt
		{50004, netmode.TCP, sec(30, 30), "new"},
		{50009, netmode.TCP, at(40), "new"},
		{50010, netmode.TCP, at(40), ""},
		{51002, netmode.TCP, at(40), "dual"},
		{51002, netmode.UDP, at(40), ""},
	} {
		got := ""
		if tk, ok := x.TaskByHostPort(ciA, c.port, c.proto, c.when); ok {
			got = tk.ID()
		}
		if got != c.want {
			t.Errorf("port %d/%d at %s: got %q, want %q", c.port, c.proto, c.when.Format(time.TimeOnly), got, c.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { x.TaskByHostPort(ciA, 40007, netmode.UDP, at(15)) }); n != 0 {
		t.Fatalf("%v allocations per range lookup", n)
	}
}

// TestHostPortRangesAgreeWithSinglePorts checks, second by second and port
// by port, that an index of random overlapping hostPortRange and hostPort
// bindings gives the owner that the same bindings written out as single
// ports give — which is what flowlogs/attribution does with a range (it
// indexes each port of it), so history and attribution agree on ranges.
func TestHostPortRangesAgreeWithSinglePorts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const base, width = 40000, 40
	var ranged, single []types.Task
	for i := range 40 {
		created := at(rng.IntN(60)).Add(time.Duration(rng.IntN(60000)) * time.Millisecond)
		var exec, stopped time.Time
		if rng.IntN(4) > 0 {
			stopped = created.Add(time.Duration(1+rng.IntN(30*60)) * time.Second)
			if rng.IntN(2) == 0 {
				exec = stopped.Add(-time.Duration(rng.IntN(90000)) * time.Millisecond)
			}
		}
		var ports, each []string
		for range 1 + rng.IntN(3) {
			lo := base + rng.IntN(width)
			hi := lo + rng.IntN(8)*rng.IntN(2)
			if hi == lo {
				ports = append(ports, strconv.Itoa(lo))
			} else {
				ports = append(ports, fmt.Sprintf("%d-%d", lo, hi))
			}
			for p := lo; p <= hi; p++ {
				each = append(each, strconv.Itoa(p))
			}
		}
		id := fmt.Sprintf("t%02d", i)
		ranged = append(ranged, rangeTask(id, types.TransportProtocolTcp, created, exec, stopped, ports...))
		single = append(single, rangeTask(id, types.TransportProtocolTcp, created, exec, stopped, each...))
	}
	index := func(tasks []types.Task) *Index {
		b := NewBuilder()
		b.NetworkMode = func(string) netmode.Mode { return netmode.ModeBridge }
		if _, err := b.AddTasks(tasks...); err != nil {
			t.Fatal(err)
		}
		return b.Index()
	}
	xr, xs := index(ranged), index(single)
	if len(xr.runs[rangeKey{ciA, netmode.TCP}]) == 0 {
		t.Fatal("no range runs: the test binds no ranges")
	}
	id := func(tk *Task, ok bool) string {
		if !ok {
			return ""
		}
		return tk.ID()
	}
	owned, handoffs := 0, 0
	for p := uint16(base - 1); p <= base+width+8; p++ {
		prev := ""
		for s := at(-1); s.Before(at(100)); s = s.Add(time.Second) {
			g, w := id(xr.TaskByHostPort(ciA, p, netmode.TCP, s)), id(xs.TaskByHostPort(ciA, p, netmode.TCP, s))
			if g != w {
				t.Fatalf("port %d at %s: ranges give %q, single ports %q", p, s.Format(time.TimeOnly), g, w)
			}
			if g != "" {
				owned++
				if prev != "" && g != prev {
					handoffs++
				}
			}
			prev = g
		}
	}
	if owned == 0 || handoffs < 10 {
		t.Fatalf("%d owned probes, %d handoffs: the bindings do not overlap enough to test the rule", owned, handoffs)
	}
}

// TestStoppingTaskEndsAtExecutionStop: a task last seen DEPROVISIONING
// (the history ends before ECS reports it STOPPED) holds its address until
// its containers stopped, not forever; one still STOPPING without
// executionStoppedAt may still run and stays open; a later STOPPED
// observation widens the end to stoppedAt.
func TestStoppingTaskEndsAtExecutionStop(t *testing.T) {
	deprov := awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)
	deprov.LastStatus, deprov.DesiredStatus, deprov.Version = ptr("DEPROVISIONING"), ptr("STOPPED"), 5
	deprov.StoppingAt, deprov.ExecutionStoppedAt = ptr(at(29)), ptr(at(30))
	deprov.Attachments[0].Status = ptr("DETACHING")
	stopping := awsvpcTask("t2", "eni-2", "10.0.1.6", 0, -1)
	stopping.LastStatus, stopping.DesiredStatus, stopping.Version = ptr("STOPPING"), ptr("STOPPED"), 4
	stopping.StoppingAt = ptr(at(29))
	b := NewBuilder()
	if _, err := b.AddTasks(deprov, stopping); err != nil {
		t.Fatal(err)
	}
	x := b.Index()
	if got, ok := x.Task(taskARN("t1")); !ok || !got.Valid.End.Equal(at(30)) {
		t.Errorf("DEPROVISIONING task: valid %v, want the end at its executionStoppedAt %v", got.Valid, at(30))
	}
	if got, ok := x.TaskByIP(mustAddr("10.0.1.5"), at(120)); ok {
		t.Errorf("an hour and a half after its containers stopped, 10.0.1.5 is still %s's", got.ID())
	}
	if got, ok := x.TaskByIP(mustAddr("10.0.1.6"), at(120)); !ok || got.ID() != "t2" || !got.Valid.IsOpen() {
		t.Errorf("STOPPING task without executionStoppedAt: %v, %v; want it open", got, ok)
	}
	if _, err := b.AddTasks(awsvpcTask("t1", "eni-1", "10.0.1.5", 0, 30)); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Index().Task(taskARN("t1")); !got.Valid.End.Equal(at(31)) {
		t.Errorf("after STOPPED: valid %v, want the end at stoppedAt %v", got.Valid, at(31))
	}
}

// Two descriptions at one version and lastStatus, one told to stop: the
// desired-STOPPED one is the newer (a task told to stop is never told to
// run again), whichever is merged last. Files without versions (hand-made,
// or from tools that drop them) meet this.
func TestMergeKeepsDesiredStopped(t *testing.T) {
	run := awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)
	told := run
	told.DesiredStatus = ptr("STOPPED")
	for i, order := range [][]types.Task{{run, told}, {told, run}} {
		b := NewBuilder()
		if _, err := b.AddTasks(order...); err != nil {
			t.Fatal(err)
		}
		got, ok := b.Index().Task(taskARN("t1"))
		if !ok || got.DesiredStatus != "STOPPED" {
			t.Errorf("order %d: desired status %q, want STOPPED", i, got.DesiredStatus)
		}
	}
}

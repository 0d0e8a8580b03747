package history

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
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
		got.NetworkMode != "awsvpc" || got.IPv4 != mustAddr("10.0.1.5") || got.MAC != "0a:00:00:00:00:01" ||
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
	if !ok || got.ENI != "" || got.SubnetID != "subnet-1" || got.NetworkMode != "awsvpc" || got.AttachmentStatus != "PRECREATED" {
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
	b.NetworkMode = func(td string) string { return "bridge" }
	x := b.Index()
	check := func(port uint16, proto uint8, min int, want string) {
		t.Helper()
		got, ok := x.TaskByHostPort(ciA, port, proto, at(min))
		if (want == "") == ok || (ok && got.ID() != want) {
			t.Errorf("port %d/%d at %d: got %v %v, want %q", port, proto, min, got, ok, want)
		}
	}
	check(32768, ProtoTCP, 10, "b1")
	check(32768, ProtoTCP, 22, "")
	check(32768, ProtoTCP, 30, "b2")
	check(32768, ProtoUDP, 30, "")
	check(40005, ProtoUDP, 30, "b3")
	check(40010, ProtoUDP, 30, "")
	check(40005, ProtoTCP, 30, "")
	got, _ := x.Task(taskARN("b2"))
	if got.NetworkMode != "bridge" || len(got.Bindings) != 2 || got.Bindings[0].ContainerPort != 8080 {
		t.Fatalf("b2 = %+v", got)
	}
	if a, _ := x.Task(taskARN("a1")); a.NetworkMode != "awsvpc" {
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
		x.TaskByHostPort(ciA, 32768, ProtoTCP, at(5))
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

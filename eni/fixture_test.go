package eni

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

var update = flag.Bool("update", false, "rewrite testdata/sample-snapshot.json")

const (
	acct   = "123456789012"
	region = "us-east-1"
)

func ciARN(cluster, id string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:container-instance/%s/%s", region, acct, cluster, id)
}

func taskARN(cluster, id string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task/%s/%s", region, acct, cluster, id)
}

func tdARN(famRev string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s", region, acct, famRev)
}

// ciSpec describes a container instance; trunk is the value of its
// ecs.awsvpc-trunk-id attribute (an ECS id, UUID-like, not an ENI ID), or
// "" for an instance without trunking.
type ciSpec struct {
	id, instanceType, os, trunk string
	cpu, mem                    int32
}

func intRes(name string, v int32) types.Resource {
	return types.Resource{Name: aws.String(name), Type: aws.String("INTEGER"), IntegerValue: v}
}

func portsRes(name string, ports []string) types.Resource {
	return types.Resource{Name: aws.String(name), Type: aws.String("STRINGSET"), StringSetValue: ports}
}

func attr(name, value string) types.Attribute {
	return types.Attribute{Name: aws.String(name), Value: aws.String(value)}
}

// containerInstance builds a DescribeContainerInstances entry; used is the
// CPU, memory and static host ports the instance's tasks take.
func containerInstance(cluster string, s ciSpec, usedCPU, usedMem int32, usedPorts []string, running, pending int32) types.ContainerInstance {
	reserved := []string{"22", "2375", "2376", "51678", "51679"}
	attrs := []types.Attribute{attr("ecs.instance-type", s.instanceType), attr("ecs.os-type", s.os),
		attr("ecs.capability.task-eni", "")}
	attrs[2].Value = nil
	if s.os == "windows" {
		reserved = []string{"53", "135", "139", "445", "2375", "2376", "3389", "5985", "5986", "51678", "51679"}
	}
	if s.trunk != "" {
		attrs = append(attrs, attr("ecs.awsvpc-trunk-id", s.trunk))
	}
	ci := types.ContainerInstance{
		ContainerInstanceArn: aws.String(ciARN(cluster, s.id)),
		Ec2InstanceId:        aws.String("i-0" + s.id),
		Status:               aws.String("ACTIVE"),
		AgentConnected:       true,
		Attributes:           attrs,
		RegisteredResources: []types.Resource{intRes("CPU", s.cpu), intRes("MEMORY", s.mem),
			portsRes("PORTS", reserved), portsRes("PORTS_UDP", []string{})},
		RemainingResources: []types.Resource{intRes("CPU", s.cpu-usedCPU), intRes("MEMORY", s.mem-usedMem),
			portsRes("PORTS", append(append([]string{}, reserved...), usedPorts...)), portsRes("PORTS_UDP", []string{})},
		RunningTasksCount: running,
		PendingTasksCount: pending,
		RegisteredAt:      aws.Time(time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)),
	}
	if s.trunk != "" {
		ci.Attachments = []types.Attachment{{Id: aws.String("att-trunk-" + s.id), Type: aws.String("awsvpc-trunk"), Status: aws.String("ATTACHED"),
			Details: []types.KeyValuePair{{Name: aws.String("networkInterfaceId"), Value: aws.String("eni-0trunk" + s.id[len(s.id)-2:])}}}}
	}
	return ci
}

func draining(ci types.ContainerInstance) types.ContainerInstance {
	ci.Status = aws.String("DRAINING")
	return ci
}

func pm(container, host int32, proto types.TransportProtocol) types.PortMapping {
	p := types.PortMapping{ContainerPort: aws.Int32(container), Protocol: proto}
	if host >= 0 {
		p.HostPort = aws.Int32(host)
	}
	return p
}

func taskDef(famRev string, mode types.NetworkMode, windows bool, cpu int32, mem, memRes int32, ports ...types.PortMapping) types.TaskDefinition {
	fam, revs, _ := bytes.Cut([]byte(famRev), []byte(":"))
	rev, _ := strconv.Atoi(string(revs))
	c := types.ContainerDefinition{Name: aws.String(string(fam)), Image: aws.String("public.ecr.aws/example/" + string(fam)),
		Cpu: cpu, Essential: aws.Bool(true), PortMappings: ports}
	if mem > 0 {
		c.Memory = aws.Int32(mem)
	}
	if memRes > 0 {
		c.MemoryReservation = aws.Int32(memRes)
	}
	td := types.TaskDefinition{
		TaskDefinitionArn: aws.String(tdARN(famRev)), Family: aws.String(string(fam)), Revision: int32(rev),
		NetworkMode: mode, ContainerDefinitions: []types.ContainerDefinition{c}, Status: types.TaskDefinitionStatusActive,
		Compatibilities: []types.Compatibility{types.CompatibilityEc2},
	}
	if windows {
		td.RuntimePlatform = &types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyWindowsServer2019Core, CpuArchitecture: types.CPUArchitectureX8664}
	}
	return td
}

type taskSpec struct {
	id, famRev, ci, last string
	awsvpc               bool
	eniStatus            string
	bindings             []types.NetworkBinding
}

func task(cluster string, s taskSpec) types.Task {
	t := types.Task{
		TaskArn:              aws.String(taskARN(cluster, s.id)),
		ClusterArn:           aws.String(fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, acct, cluster)),
		TaskDefinitionArn:    aws.String(tdARN(s.famRev)),
		ContainerInstanceArn: aws.String(ciARN(cluster, s.ci)),
		DesiredStatus:        aws.String("RUNNING"),
		LastStatus:           aws.String(s.last),
		LaunchType:           types.LaunchTypeEc2,
		AvailabilityZone:     aws.String("us-east-1a"),
		CreatedAt:            aws.Time(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)),
	}
	fam, _, _ := bytes.Cut([]byte(s.famRev), []byte(":"))
	t.Group = aws.String("service:" + string(fam))
	c := types.Container{Name: aws.String(string(fam)), LastStatus: aws.String(s.last), TaskArn: t.TaskArn, NetworkBindings: s.bindings}
	if s.awsvpc {
		n := len(s.id)
		ip := "10.0.1." + strconv.Itoa(10+int(s.id[n-1]))
		t.Attachments = []types.Attachment{{
			Id: aws.String("att-" + s.id), Type: aws.String("ElasticNetworkInterface"), Status: aws.String(s.eniStatus),
			Details: []types.KeyValuePair{
				{Name: aws.String("subnetId"), Value: aws.String("subnet-0a1b2c3d")},
				{Name: aws.String("networkInterfaceId"), Value: aws.String("eni-0" + s.id)},
				{Name: aws.String("macAddress"), Value: aws.String("0a:00:00:00:00:01")},
				{Name: aws.String("privateIPv4Address"), Value: aws.String(ip)},
			},
		}}
		if s.last == "RUNNING" {
			c.NetworkInterfaces = []types.NetworkInterface{{AttachmentId: aws.String("att-" + s.id), PrivateIpv4Address: aws.String(ip)}}
		}
	}
	t.Containers = []types.Container{c}
	return t
}

func bind(host, container int32) []types.NetworkBinding {
	return []types.NetworkBinding{{BindIP: aws.String("0.0.0.0"), HostPort: aws.Int32(host), ContainerPort: aws.Int32(container), Protocol: types.TransportProtocolTcp}}
}

// sampleSnapshot is the cluster the examples and tests use: six instances
// of mixed types (c5, m5 with trunking, t3, Windows m5, p4d, an unknown
// type) running tasks in every EC2 network mode.
func sampleSnapshot() *Snapshot {
	const cl = "sample"
	s := &Snapshot{Cluster: cl, TakenAt: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	s.TaskDefinitions = []types.TaskDefinition{
		taskDef("web:3", types.NetworkModeAwsvpc, false, 256, 512, 0, pm(8080, -1, types.TransportProtocolTcp)),
		taskDef("api:7", types.NetworkModeBridge, false, 256, 512, 0, pm(8080, 8080, types.TransportProtocolTcp)),
		taskDef("worker:2", types.NetworkModeBridge, false, 512, 0, 1024, pm(9000, 0, types.TransportProtocolTcp)),
		taskDef("proxy:1", types.NetworkModeHost, false, 128, 256, 0, pm(80, 80, types.TransportProtocolTcp)),
		taskDef("iis:1", "", true, 1024, 2048, 0, pm(80, 0, types.TransportProtocolTcp)),
		taskDef("win-web:1", types.NetworkModeAwsvpc, true, 512, 1024, 0, pm(80, -1, types.TransportProtocolTcp)),
	}
	s.ContainerInstances = []types.ContainerInstance{
		containerInstance(cl, ciSpec{"c5l01", "c5.large", "linux", "", 2048, 3788}, 3*256, 3*512, []string{"8080"}, 3, 0),
		containerInstance(cl, ciSpec{"m5x02", "m5.xlarge", "linux", "5c1e7a3d-92b4-4f0e-8d6a-1b2c3d4e5f02", 4096, 15575}, 6*256+2*512, 6*512+2*1024, nil, 7, 1),
		containerInstance(cl, ciSpec{"t3m03", "t3.medium", "linux", "", 2048, 3904}, 128+256, 256+512, []string{"80"}, 2, 0),
		containerInstance(cl, ciSpec{"w5l04", "m5.large", "windows", "", 2048, 7680}, 1024+2*512, 2048+2*1024, nil, 3, 0),
		draining(containerInstance(cl, ciSpec{"p4d05", "p4d.24xlarge", "linux", "", 98304, 1160000}, 0, 0, nil, 0, 0)),
		containerInstance(cl, ciSpec{"x9l06", "x99.large", "linux", "", 2048, 3788}, 0, 0, nil, 0, 0),
	}
	specs := []taskSpec{
		{"web01", "web:3", "c5l01", "RUNNING", true, "ATTACHED", nil},
		{"web02", "web:3", "c5l01", "RUNNING", true, "ATTACHED", nil},
		{"api01", "api:7", "c5l01", "RUNNING", false, "", bind(8080, 8080)},
		{"web03", "web:3", "m5x02", "RUNNING", true, "ATTACHED", nil},
		{"web04", "web:3", "m5x02", "RUNNING", true, "ATTACHED", nil},
		{"web05", "web:3", "m5x02", "RUNNING", true, "ATTACHED", nil},
		{"web06", "web:3", "m5x02", "RUNNING", true, "ATTACHED", nil},
		{"web07", "web:3", "m5x02", "RUNNING", true, "ATTACHED", nil},
		{"web08", "web:3", "m5x02", "PROVISIONING", true, "PRECREATED", nil},
		{"wrk01", "worker:2", "m5x02", "RUNNING", false, "", bind(32768, 9000)},
		{"wrk02", "worker:2", "m5x02", "RUNNING", false, "", bind(32769, 9000)},
		{"prx01", "proxy:1", "t3m03", "RUNNING", false, "", bind(80, 80)},
		{"web09", "web:3", "t3m03", "RUNNING", true, "ATTACHED", nil},
		{"iis01", "iis:1", "w5l04", "RUNNING", false, "", bind(49152, 80)},
		{"wwb01", "win-web:1", "w5l04", "RUNNING", true, "ATTACHED", nil},
		{"wwb02", "win-web:1", "w5l04", "RUNNING", true, "ATTACHED", nil},
	}
	for _, sp := range specs {
		s.Tasks = append(s.Tasks, task(cl, sp))
	}
	return s
}

// TestSampleSnapshotFile keeps testdata/sample-snapshot.json (which the
// example program embeds a copy of) equal to sampleSnapshot.
func TestSampleSnapshotFile(t *testing.T) {
	var b bytes.Buffer
	if err := sampleSnapshot().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/sample-snapshot.json", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("testdata/sample-snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Fatal("testdata/sample-snapshot.json is stale: go test ./eni -run SampleSnapshotFile -update")
	}
	ex, err := os.ReadFile("../examples/enibudget/sample-snapshot.json")
	if err == nil && !bytes.Equal(ex, got) {
		t.Fatal("examples/enibudget/sample-snapshot.json differs from eni/testdata/sample-snapshot.json: copy it")
	}
}

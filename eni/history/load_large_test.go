package history

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// largeCluster is a platform-scale cluster, generated deterministically:
// n awsvpc tasks on n/20 container instances (at least 50), a quarter of
// them stopped halfway and replaced, one bridge task per instance. Its
// describe-* outputs are as the AWS CLI prints them (4-space indents,
// ISO times); history is the file a Watcher would have written of it over
// two polls (everything running, then the stops and replacements).
type largeCluster struct {
	describeTasks, describeInstances, describeEC2 []byte
	history                                       []byte
	tasks                                         int // distinct tasks
}

func newLargeCluster(tb testing.TB, n int) *largeCluster {
	const account = "123456789012"
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	half := start.Add(12 * time.Hour)
	cliTime := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000-07:00") }
	type kvJSON struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	pretty := func(v any) []byte {
		out, err := json.MarshalIndent(v, "", "    ")
		if err != nil {
			tb.Fatal(err)
		}
		return append(out, '\n')
	}
	cluster := "arn:aws:ecs:us-east-1:" + account + ":cluster/scale"
	instARN := func(i int) string {
		return fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container-instance/scale/%032x", account, i)
	}
	nInst := max(50, n/20)
	var cis, res, ts []any
	for i := range nInst {
		ec2 := fmt.Sprintf("i-%017x", i)
		ip := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}).String()
		cis = append(cis, map[string]any{
			"containerInstanceArn": instARN(i), "ec2InstanceId": ec2, "version": 12, "status": "ACTIVE",
			"agentConnected": true, "runningTasksCount": 20, "pendingTasksCount": 0,
			"registeredAt": cliTime(start.Add(-time.Hour)),
			"attributes": []any{
				map[string]any{"name": "ecs.instance-type", "value": "m6i.2xlarge"},
				map[string]any{"name": "ecs.availability-zone", "value": "us-east-1a"},
				map[string]any{"name": "ecs.os-type", "value": "linux"},
				map[string]any{"name": "ecs.capability.task-eni"},
			},
			"attachments": []any{},
		})
		res = append(res, map[string]any{
			"ReservationId": fmt.Sprintf("r-0%016x", i), "OwnerId": account,
			"Instances": []any{map[string]any{
				"InstanceId": ec2, "InstanceType": "m6i.2xlarge", "PrivateIpAddress": ip, "SubnetId": "subnet-0abc", "VpcId": "vpc-0abc",
				"LaunchTime": start.Add(-2 * time.Hour).Format("2006-01-02T15:04:05-07:00"),
				"State":      map[string]any{"Code": 16, "Name": "running"},
				"NetworkInterfaces": []any{map[string]any{
					"Attachment":         map[string]any{"DeviceIndex": 0, "NetworkCardIndex": 0, "Status": "attached", "AttachTime": start.Add(-2 * time.Hour).Format("2006-01-02T15:04:05-07:00")},
					"NetworkInterfaceId": fmt.Sprintf("eni-i%016x", i), "MacAddress": fmt.Sprintf("02:00:00:00:%02x:%02x", byte(i>>8), byte(i)),
					"PrivateIpAddress": ip, "SubnetId": "subnet-0abc", "VpcId": "vpc-0abc", "Status": "in-use",
				}},
			}},
		})
		ts = append(ts, map[string]any{
			"taskArn":    fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/b%031x", account, i),
			"clusterArn": cluster, "group": "service:bridge",
			"taskDefinitionArn":    "arn:aws:ecs:us-east-1:" + account + ":task-definition/bridge:1",
			"containerInstanceArn": instARN(i), "launchType": "EC2", "availabilityZone": "us-east-1a",
			"lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 2, "cpu": "256", "memory": "512",
			"createdAt": cliTime(start.Add(-time.Minute)), "startedAt": cliTime(start),
			"attachments": []any{},
			"containers": []any{map[string]any{
				"containerArn": fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container/scale/b%031x/web", account, i),
				"name":         "web", "image": "nginx:1.27", "lastStatus": "RUNNING",
				"networkBindings": []any{map[string]any{"bindIP": "0.0.0.0", "hostPort": 32768, "containerPort": 8080, "protocol": "tcp"}},
			}},
		})
	}
	task := func(i int, replaced bool) map[string]any {
		svc := i % 50
		id := fmt.Sprintf("%032x", i)
		eni := fmt.Sprintf("eni-%017x", i)
		if replaced {
			id, eni = fmt.Sprintf("r%031x", i), fmt.Sprintf("eni-r%016x", i)
		}
		return map[string]any{
			"taskArn":              fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/%s", account, id),
			"clusterArn":           cluster,
			"group":                fmt.Sprintf("service:s%d", svc),
			"taskDefinitionArn":    fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task-definition/f%d:1", account, svc),
			"containerInstanceArn": instARN(i % nInst),
			"launchType":           "EC2", "availabilityZone": "us-east-1a",
			"lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 3, "cpu": "512", "memory": "1024",
			"connectivity": "CONNECTED", "healthStatus": "UNKNOWN",
			"createdAt": cliTime(start.Add(-time.Minute)), "pullStartedAt": cliTime(start.Add(-50 * time.Second)),
			"startedAt": cliTime(start),
			"attachments": []any{map[string]any{
				"id": fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), "type": "ElasticNetworkInterface", "status": "ATTACHED",
				"details": []kvJSON{
					{"subnetId", "subnet-0abc"},
					{"networkInterfaceId", eni},
					{"macAddress", fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", byte(i>>24), byte(i>>16), byte(i>>8), byte(i))},
					{"privateDnsName", fmt.Sprintf("ip-10-%d-%d-%d.ec2.internal", 16+i>>16, byte(i>>8), byte(i))},
					{"privateIPv4Address", netip.AddrFrom4([4]byte{10, byte(16 + i>>16), byte(i >> 8), byte(i)}).String()},
				},
			}},
			"containers": []any{map[string]any{
				"containerArn": fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container/scale/%s/app", account, id),
				"name":         "app", "image": fmt.Sprintf("123456789012.dkr.ecr.us-east-1.amazonaws.com/s%d:latest", svc),
				"lastStatus": "RUNNING", "networkBindings": []any{},
				"networkInterfaces": []any{map[string]any{
					"attachmentId":       fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i),
					"privateIpv4Address": netip.AddrFrom4([4]byte{10, byte(16 + i>>16), byte(i >> 8), byte(i)}).String(),
				}},
				"healthStatus": "UNKNOWN", "cpu": "0",
			}},
		}
	}
	var stops []map[string]any
	for i := range n {
		t := task(i, false)
		if i%4 == 0 {
			s := task(i, false)
			s["lastStatus"], s["desiredStatus"], s["version"] = "STOPPED", "STOPPED", 6
			s["executionStoppedAt"], s["stoppedAt"] = cliTime(half), cliTime(half)
			r := task(i, true)
			r["createdAt"], r["startedAt"] = cliTime(half), cliTime(half)
			ts = append(ts, r)
			stops = append(stops, s, r)
			t = s
		}
		ts = append(ts, t)
	}
	rc := &largeCluster{
		describeTasks:     pretty(map[string]any{"tasks": ts, "failures": []any{}}),
		describeInstances: pretty(map[string]any{"containerInstances": cis, "failures": []any{}}),
		describeEC2:       pretty(map[string]any{"Reservations": res}),
		tasks:             len(ts),
	}

	// The Watcher's file: each task as Watcher.addTask writes it (trimmed,
	// awswire's wire form), then the instances and primary interfaces.
	var buf bytes.Buffer
	line := func(stamp time.Time, v any) {
		raw, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		var tk types.Task
		if err := awswire.Unmarshal(raw, &tk); err != nil {
			tb.Fatal(err)
		}
		tk = trimTask(&tk)
		detail, err := awswire.Marshal(&tk)
		if err != nil {
			tb.Fatal(err)
		}
		appendLine(&buf, detailTask, stamp.Format(time.RFC3339Nano), *tk.TaskArn, detail)
	}
	poll1 := start.Add(time.Minute)
	for _, t := range ts[:nInst] { // bridge tasks
		line(poll1, t)
	}
	for i := range n {
		line(poll1, task(i, false))
	}
	for _, c := range cis {
		raw, _ := json.Marshal(c)
		var ci types.ContainerInstance
		if err := awswire.Unmarshal(raw, &ci); err != nil {
			tb.Fatal(err)
		}
		ci = trimInstance(&ci)
		detail, err := awswire.Marshal(&ci)
		if err != nil {
			tb.Fatal(err)
		}
		c, _ := json.Marshal(cluster)
		detail = append(append(append([]byte(`{"clusterArn":`), c...), ','), detail[1:]...)
		appendLine(&buf, detailInstance, poll1.Format(time.RFC3339Nano), *ci.ContainerInstanceArn, detail)
	}
	for i := range nInst {
		pj := primaryToJSON(fmt.Sprintf("i-%017x", i), PrimaryInterface{
			ENI: fmt.Sprintf("eni-i%016x", i), MAC: fmt.Sprintf("02:00:00:00:%02x:%02x", byte(i>>8), byte(i)),
			IPv4: netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}),
		})
		detail, _ := json.Marshal(pj)
		appendLine(&buf, detailPrimary, poll1.Format(time.RFC3339Nano), pj.EC2InstanceID, detail)
	}
	for _, t := range stops {
		line(half.Add(time.Minute), t)
	}
	rc.history = buf.Bytes()
	return rc
}

// TestLargeClusterLoads checks that the benchmark's inputs load whole, and
// that the Watcher's file gives the history the describe outputs give.
func TestLargeClusterLoads(t *testing.T) {
	rc := newLargeCluster(t, 200)
	b := NewBuilder()
	for _, in := range [][]byte{rc.describeTasks, rc.describeInstances, rc.describeEC2} {
		if _, err := b.Load(bytes.NewReader(in), "describe"); err != nil {
			t.Fatal(err)
		}
	}
	h := NewBuilder()
	st, err := h.Load(bytes.NewReader(rc.history), "history")
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != rc.tasks || h.Len() != rc.tasks || st.Errors != 0 {
		t.Fatalf("describe %d tasks, history %d, want %d (%+v)", b.Len(), h.Len(), rc.tasks, st)
	}
	// Task by task, but for when a poll saw it stopped, which only the
	// Watcher's file tells. (Its instances know their cluster, which
	// describe-container-instances does not print.)
	bt, ht := b.Tasks(), h.Tasks()
	byARN := func(x, y Task) int { return strings.Compare(x.ARN, y.ARN) }
	slices.SortFunc(bt, byARN)
	slices.SortFunc(ht, byARN)
	for i := range bt {
		ht[i].seenStopped = time.Time{}
		if !reflect.DeepEqual(bt[i], ht[i]) {
			t.Fatalf("describe:\n%+v\nhistory:\n%+v", bt[i], ht[i])
		}
	}
}

// BenchmarkLoadLarge measures loading a platform-scale history into
// an Index: the describe-* outputs (as LoadFiles reads them) and the
// Watcher's file of the same cluster (as the Lambda worker reads it for
// every object).
func BenchmarkLoadLarge(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		rc := newLargeCluster(b, n)
		for _, c := range []struct {
			name   string
			inputs [][]byte
		}{
			{"describe", [][]byte{rc.describeTasks, rc.describeInstances, rc.describeEC2}},
			{"history", [][]byte{rc.history}},
		} {
			size := 0
			for _, in := range c.inputs {
				size += len(in)
			}
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					bl := NewBuilder()
					for _, in := range c.inputs {
						if _, err := bl.Load(bytes.NewReader(in), c.name); err != nil {
							b.Fatal(err)
						}
					}
					if bl.Len() != rc.tasks {
						b.Fatalf("%d tasks, want %d", bl.Len(), rc.tasks)
					}
					bl.Index()
				}
			})
		}
	}
}

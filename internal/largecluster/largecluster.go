// Package largecluster generates a platform-scale ECS cluster for the
// benchmarks and tests that measure the history at scale (eni/history's
// load, eni/history/intervals' table): its describe-* outputs as the AWS
// CLI prints them, deterministically.
package largecluster

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/netip"
	"time"
)

// Cluster is n awsvpc tasks on n/20 container instances (at least 50), a
// quarter of them stopped halfway through the day and replaced, and one
// bridge task per instance binding a host port.
type Cluster struct {
	// The describe-* outputs (4-space indents, ISO times).
	DescribeTasks, DescribeInstances, DescribeEC2 []byte
	// Tasks is how many distinct tasks DescribeTasks holds.
	Tasks int

	// What the outputs were made of, for writing the same cluster in
	// other forms: the bridge tasks, then the awsvpc tasks as a poll saw
	// them at Start (Running), the stopped ones and their replacements as
	// a poll saw them after Half (Stops), the container instances and
	// EC2 reservations.
	Bridge, Running, Stops []map[string]any
	Instances              []map[string]any
	ClusterARN             string
	Start, Half            time.Time
}

// Account is the account of every ARN.
const Account = "123456789012"

// InstanceENI, InstanceMAC and InstanceIPv4 are container instance i's
// primary interface.
func InstanceENI(i int) string { return fmt.Sprintf("eni-i%016x", i) }
func InstanceMAC(i int) string {
	return fmt.Sprintf("02:00:00:00:%02x:%02x", byte(i>>8), byte(i))
}
func InstanceIPv4(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}) }

// EC2InstanceID is container instance i's EC2 instance.
func EC2InstanceID(i int) string { return fmt.Sprintf("i-%017x", i) }

// New generates the cluster of n awsvpc tasks.
func New(n int) (*Cluster, error) {
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	half := start.Add(12 * time.Hour)
	cliTime := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000-07:00") }
	type kvJSON struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	cluster := "arn:aws:ecs:us-east-1:" + Account + ":cluster/scale"
	instARN := func(i int) string {
		return fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container-instance/scale/%032x", Account, i)
	}
	c := &Cluster{ClusterARN: cluster, Start: start, Half: half}
	nInst := max(50, n/20)
	var res []any
	for i := range nInst {
		ip := InstanceIPv4(i).String()
		c.Instances = append(c.Instances, map[string]any{
			"containerInstanceArn": instARN(i), "ec2InstanceId": EC2InstanceID(i), "version": 12, "status": "ACTIVE",
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
			"ReservationId": fmt.Sprintf("r-0%016x", i), "OwnerId": Account,
			"Instances": []any{map[string]any{
				"InstanceId": EC2InstanceID(i), "InstanceType": "m6i.2xlarge", "PrivateIpAddress": ip, "SubnetId": "subnet-0abc", "VpcId": "vpc-0abc",
				"LaunchTime": start.Add(-2 * time.Hour).Format("2006-01-02T15:04:05-07:00"),
				"State":      map[string]any{"Code": 16, "Name": "running"},
				"NetworkInterfaces": []any{map[string]any{
					"Attachment":         map[string]any{"DeviceIndex": 0, "NetworkCardIndex": 0, "Status": "attached", "AttachTime": start.Add(-2 * time.Hour).Format("2006-01-02T15:04:05-07:00")},
					"NetworkInterfaceId": InstanceENI(i), "MacAddress": InstanceMAC(i),
					"PrivateIpAddress": ip, "SubnetId": "subnet-0abc", "VpcId": "vpc-0abc", "Status": "in-use",
				}},
			}},
		})
		c.Bridge = append(c.Bridge, map[string]any{
			"taskArn":    fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/b%031x", Account, i),
			"clusterArn": cluster, "group": "service:bridge",
			"taskDefinitionArn":    "arn:aws:ecs:us-east-1:" + Account + ":task-definition/bridge:1",
			"containerInstanceArn": instARN(i), "launchType": "EC2", "availabilityZone": "us-east-1a",
			"lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 2, "cpu": "256", "memory": "512",
			"createdAt": cliTime(start.Add(-time.Minute)), "startedAt": cliTime(start),
			"attachments": []any{},
			"containers": []any{map[string]any{
				"containerArn": fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container/scale/b%031x/web", Account, i),
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
			"taskArn":              fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/%s", Account, id),
			"clusterArn":           cluster,
			"group":                fmt.Sprintf("service:s%d", svc),
			"taskDefinitionArn":    fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task-definition/f%d:1", Account, svc),
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
				"containerArn": fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container/scale/%s/app", Account, id),
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
	var ts []any
	for _, t := range c.Bridge {
		ts = append(ts, t)
	}
	for i := range n {
		t := task(i, false)
		c.Running = append(c.Running, t)
		if i%4 == 0 {
			s := task(i, false)
			s["lastStatus"], s["desiredStatus"], s["version"] = "STOPPED", "STOPPED", 6
			s["executionStoppedAt"], s["stoppedAt"] = cliTime(half), cliTime(half)
			r := task(i, true)
			r["createdAt"], r["startedAt"] = cliTime(half), cliTime(half)
			ts = append(ts, r)
			c.Stops = append(c.Stops, s, r)
			t = s
		}
		ts = append(ts, t)
	}
	var err error
	pretty := func(v any) []byte {
		out, e := json.MarshalIndent(v, "", "    ")
		err = cmp.Or(err, e)
		return append(out, '\n')
	}
	c.DescribeTasks = pretty(map[string]any{"tasks": ts, "failures": []any{}})
	c.DescribeInstances = pretty(map[string]any{"containerInstances": c.Instances, "failures": []any{}})
	c.DescribeEC2 = pretty(map[string]any{"Reservations": res})
	c.Tasks = len(ts)
	if err != nil {
		return nil, err
	}
	return c, nil
}

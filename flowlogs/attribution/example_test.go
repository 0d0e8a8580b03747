package attribution_test

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/netmode"
)

// describeTasks is what `aws ecs describe-tasks` prints for one awsvpc task
// (trimmed to the fields the history reads).
const describeTasks = `{"tasks": [{
  "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
  "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
  "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
  "group": "service:web", "launchType": "EC2", "availabilityZone": "us-east-1a",
  "lastStatus": "RUNNING", "desiredStatus": "RUNNING", "version": 3,
  "createdAt": "2026-11-25T09:00:00.000000+00:00", "startedAt": "2026-11-25T09:00:40.000000+00:00",
  "attachments": [{"id": "1b0e4c2a-7d3f-4a8e-9b1c-0d2e3f4a5b61", "type": "ElasticNetworkInterface", "status": "ATTACHED",
    "details": [{"name": "networkInterfaceId", "value": "eni-0a1b2c3d4e5f60711"},
                {"name": "privateIPv4Address", "value": "10.0.1.101"}]}]
}], "failures": []}`

// flowLog is an S3-delivered flow-log file: a header line, then records
// (v5 fields; the last line is another ENI's).
const flowLog = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction
5 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41020 8080 6 30 36793 1795600800 1795600859 ACCEPT OK ingress
5 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.1.5 8080 41020 6 438 613504 1795600800 1795600859 ACCEPT OK egress
5 123456789012 eni-0a1b2c3d4e5f60711 10.0.2.66 10.0.1.101 33005 22 6 1 60 1795601100 1795601159 REJECT OK ingress
5 123456789012 eni-0f6a7b8c9d0e1bc66 10.0.1.200 93.184.216.34 60000 443 6 3 2500 1795600800 1795600859 ACCEPT OK egress
`

// Example is what a platform tool does: build the task history, stream
// flow-log records through attribution, read the rollups, render a report.
func Example() {
	b := history.NewBuilder()
	if _, err := b.Load(strings.NewReader(describeTasks), "describe-tasks.json"); err != nil {
		panic(err)
	}
	a := attribution.New(b.Index())

	r := flowlogs.NewReader(strings.NewReader(flowLog), flowlogs.WithFields(attribution.Fields()...))
	if err := a.AddAll(r.All()); err != nil {
		panic(err)
	}

	res := a.Result(attribution.ByService)
	for _, g := range res.Groups {
		fmt.Printf("%s: in %d B, out %d B, rejected %d B, %d records\n", g.Key, g.BytesIn, g.BytesOut, g.RejectedBytes, g.Records)
	}
	for _, u := range res.Unattributed {
		fmt.Printf("unattributed (%s): %d B, %d records\n", u.Reason, u.Bytes, u.Records)
	}
	fmt.Printf("total: %d B, %d records\n", res.Total.Bytes, res.Total.Records)
	// Output:
	// service:web: in 36853 B, out 613504 B, rejected 60 B, 3 records
	// unattributed (unknown ENI): 2500 B, 1 records
	// total: 652857 B, 4 records
}

// Example_report renders the same result as the documented JSON; CSV,
// a table and HTML work the same way (report.Write with a Format, or
// html.Write of report/html for a page with charts).
func Example_report() {
	b := history.NewBuilder()
	b.Load(strings.NewReader(describeTasks), "describe-tasks.json")
	a := attribution.New(b.Index())
	a.AddAll(flowlogs.NewReader(strings.NewReader(flowLog)).All())

	report.WriteJSON(os.Stdout, a.Result(attribution.ByTask))
	// Output:
	// {
	//   "groups": [
	//     {
	//       "key": "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
	//       "bytes_in": 36853,
	//       "bytes_out": 613504,
	//       "packets_in": 31,
	//       "packets_out": 438,
	//       "records": 3,
	//       "accepted_bytes": 650297,
	//       "rejected_bytes": 60,
	//       "tasks": [
	//         {
	//           "arn": "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
	//           "id": "3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
	//           "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/demo",
	//           "service": "web",
	//           "group": "service:web",
	//           "family": "web",
	//           "revision": 7,
	//           "task_definition_arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
	//           "network_mode": "awsvpc",
	//           "launch_type": "EC2",
	//           "container_instance_arn": "",
	//           "ec2_instance_id": "",
	//           "az": "us-east-1a",
	//           "eni": "eni-0a1b2c3d4e5f60711",
	//           "addresses": [
	//             "10.0.1.101"
	//           ],
	//           "start": "2026-11-25T09:00:00Z"
	//         }
	//       ],
	//       "ecs_field_only_tasks": 0,
	//       "inferred_bytes": 0,
	//       "inferred_records": 0,
	//       "inferred": false,
	//       "class_bytes": {
	//         "aws_service": 0,
	//         "cross_az": 0,
	//         "internet": 0,
	//         "load_balancer": 0,
	//         "on_premises": 0,
	//         "other_vpc": 0,
	//         "public": 0,
	//         "same_az": 0,
	//         "unknown": 650357
	//       },
	//       "top_peers": [
	//         {
	//           "prefix": "10.0.1.5/32",
	//           "service": "",
	//           "class": "unknown",
	//           "bytes": 650297,
	//           "packets": 468,
	//           "records": 2,
	//           "max_error": 0
	//         },
	//         {
	//           "prefix": "10.0.2.66/32",
	//           "service": "",
	//           "class": "unknown",
	//           "bytes": 60,
	//           "packets": 1,
	//           "records": 1,
	//           "max_error": 0
	//         }
	//       ],
	//       "top_ports": [
	//         {
	//           "protocol": 6,
	//           "port": 8080,
	//           "bytes": 650297,
	//           "packets": 468,
	//           "records": 2,
	//           "max_error": 0
	//         },
	//         {
	//           "protocol": 6,
	//           "port": 22,
	//           "bytes": 60,
	//           "packets": 1,
	//           "records": 1,
	//           "max_error": 0
	//         }
	//       ],
	//       "class_bytes_in": {
	//         "aws_service": 0,
	//         "cross_az": 0,
	//         "internet": 0,
	//         "load_balancer": 0,
	//         "on_premises": 0,
	//         "other_vpc": 0,
	//         "public": 0,
	//         "same_az": 0,
	//         "unknown": 36853
	//       },
	//       "class_bytes_out": {
	//         "aws_service": 0,
	//         "cross_az": 0,
	//         "internet": 0,
	//         "load_balancer": 0,
	//         "on_premises": 0,
	//         "other_vpc": 0,
	//         "public": 0,
	//         "same_az": 0,
	//         "unknown": 613504
	//       }
	//     }
	//   ],
	//   "unattributed": [
	//     {
	//       "reason": "unknown ENI",
	//       "bytes": 2500,
	//       "packets": 3,
	//       "records": 1,
	//       "top_interfaces": [
	//         {
	//           "id": "eni-0f6a7b8c9d0e1bc66",
	//           "bytes": 2500,
	//           "records": 1,
	//           "max_error": 0
	//         }
	//       ]
	//     }
	//   ],
	//   "total": {
	//     "bytes": 652857,
	//     "packets": 472,
	//     "records": 4
	//   },
	//   "by": "task",
	//   "first": "2026-11-25T10:00:00Z",
	//   "last": "2026-11-25T10:05:00Z",
	//   "step_seconds": 300,
	//   "incomplete": false
	// }
}

// Example_rollups reads one task's detail: top peers with their class, top
// service ports and the time series.
func Example_rollups() {
	b := history.NewBuilder()
	b.Load(strings.NewReader(describeTasks), "describe-tasks.json")
	a := attribution.New(b.Index(), attribution.WithStep(5*time.Minute))
	a.AddAll(flowlogs.NewReader(strings.NewReader(flowLog)).All())

	g := a.Result(attribution.ByTask).Groups[0]
	fmt.Println("task", g.Tasks[0].ID(), "family", g.Tasks[0].Family, "mode", g.Tasks[0].NetworkMode)
	for _, p := range g.TopPeers {
		fmt.Printf("peer %s (%s): %d B\n", p.Prefix.Addr(), p.Class, p.Bytes)
	}
	for _, p := range g.TopPorts {
		fmt.Printf("port %d/%d: %d B\n", p.Port, p.Protocol, p.Bytes)
	}
	for _, p := range g.Series {
		fmt.Printf("%s in %d out %d\n", p.Start.Format("15:04"), p.BytesIn, p.BytesOut)
	}
	// Output:
	// task 3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b family web mode awsvpc
	// peer 10.0.1.5 (unknown): 650297 B
	// peer 10.0.2.66 (unknown): 60 B
	// port 8080/6: 650297 B
	// port 22/6: 60 B
	// 10:00 in 36793 out 613504
	// 10:05 in 60 out 0
}

// ExampleWithTopology classifies peers by what their traffic costs: with
// the VPC's subnets (ec2topology reads them from EC2 or saved CLI output)
// a peer's address names its AZ, and the task's AZ (here us-east-1a, from
// describe-tasks) tells same-AZ traffic from cross-AZ traffic.
func ExampleWithTopology() {
	b := history.NewBuilder()
	if _, err := b.Load(strings.NewReader(describeTasks), "describe-tasks.json"); err != nil {
		panic(err)
	}
	topo := attribution.Topology{Subnets: []attribution.Subnet{
		{ID: "subnet-0a", Prefix: netip.MustParsePrefix("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"},
		{ID: "subnet-0b", Prefix: netip.MustParsePrefix("10.0.2.0/24"), AZ: "us-east-1b", VPC: "vpc-1"},
	}}
	a := attribution.New(b.Index(), attribution.WithTopology(topo))
	if err := a.AddAll(flowlogs.NewReader(strings.NewReader(flowLog)).All()); err != nil {
		panic(err)
	}

	g := a.Result(attribution.ByService).Groups[0]
	for _, p := range g.TopPeers {
		fmt.Printf("peer %s (%s): %d B\n", p.Prefix.Addr(), p.Class, p.Bytes)
	}
	for _, c := range attribution.PeerClasses() {
		if g.ClassBytes[c] > 0 {
			fmt.Printf("%s: in %d B, out %d B\n", c, g.ClassBytesIn[c], g.ClassBytesOut[c])
		}
	}
	// Output:
	// peer 10.0.1.5 (same AZ): 650297 B
	// peer 10.0.2.66 (cross-AZ): 60 B
	// same AZ: in 36793 B, out 613504 B
	// cross-AZ: in 60 B, out 0 B
}

// ExampleAttributor_Groups streams the groups instead of taking a Result:
// at ten thousand tasks only the group in hand has its peers, ports and
// series built. A group is valid until the loop goes on; Clone keeps one.
func ExampleAttributor_Groups() {
	b := history.NewBuilder()
	b.Load(strings.NewReader(describeTasks), "describe-tasks.json")
	a := attribution.New(b.Index())
	a.AddAll(flowlogs.NewReader(strings.NewReader(flowLog)).All())

	var heaviest attribution.Group
	for g := range a.Groups(attribution.ByFamily) {
		if heaviest.Key == "" {
			heaviest = g.Clone()
		}
		fmt.Printf("%s: %d B, %d peers, %d points\n", g.Key, g.Bytes(), len(g.TopPeers), len(g.Series))
	}
	fmt.Println("heaviest:", heaviest.Key, heaviest.TopPeers[0].Prefix)
	// Output:
	// web: 650357 B, 2 peers, 2 points
	// heaviest: web 10.0.1.5/32
}

// ExampleNew_taskData attributes from task data a tool already has, not
// from ECS's API or events: here a bridge-mode task whose host port 32768
// maps its container's port 8080 on an instance.
func ExampleNew_taskData() {
	tasks := []history.Task{{
		ARN:   "arn:aws:ecs:us-east-1:123456789012:task/demo/b2d4f6a8c0e14a3b9d5f7a9c1e3b5d70",
		Group: "service:admin", NetworkMode: netmode.ModeBridge, ContainerInstanceARN: "ci-2",
		Bindings: []history.Binding{{Proto: netmode.TCP, HostPort: 32768, HostPortLast: 32768, ContainerPort: 8080, ContainerPortLast: 8080}},
	}}
	instances := []history.Instance{{ARN: "ci-2", ENI: "eni-0c2b3c4d5e6f70812"}}
	h, err := history.NewIndex(tasks, instances)
	if err != nil {
		panic(err)
	}
	a := attribution.New(h)

	f := flowlogs.DefaultFormat
	for _, line := range []string{
		"2 123456789012 eni-0c2b3c4d5e6f70812 10.0.2.5 10.0.2.20 43000 32768 6 5 4000 1795600800 1795600859 ACCEPT OK",
		"2 123456789012 eni-0c2b3c4d5e6f70812 10.0.2.20 52.94.225.20 45000 443 6 9 9000 1795600800 1795600859 ACCEPT OK",
	} {
		rec, err := flowlogs.ParseLine(f, line)
		if err != nil {
			panic(err)
		}
		a.Add(rec)
	}
	res := a.Result(attribution.ByService)
	g := res.Groups[0]
	fmt.Printf("%s: %d B, %d B inferred\n", g.Key, g.Bytes(), g.InferredBytes)
	fmt.Printf("%s: %d B\n", res.Unattributed[0].Reason, res.Unattributed[0].Bytes)
	// Output:
	// service:admin: 4000 B, 4000 B inferred
	// shared instance ENI, no port binding: 9000 B
}

// ExampleMerge attributes each flow-log object on its own, as a worker
// next to the data does, and merges the partials into what one run over
// every object gives.
func ExampleMerge() {
	b := history.NewBuilder()
	if _, err := b.Load(strings.NewReader(describeTasks), "describe-tasks.json"); err != nil {
		panic(err)
	}
	h := b.Index()
	header, rest, _ := strings.Cut(flowLog, "\n")
	lines := strings.SplitAfter(strings.TrimSuffix(rest, "\n"), "\n")
	var parts []*attribution.Partial
	for _, object := range [][]string{lines[:2], lines[2:]} { // two objects
		a := attribution.New(h)
		r := flowlogs.NewReader(strings.NewReader(header+"\n"+strings.Join(object, "")), flowlogs.WithFields(attribution.Fields()...))
		if err := a.AddAll(r.All()); err != nil {
			panic(err)
		}
		parts = append(parts, a.Partial())
	}
	merged, err := attribution.Merge(parts...)
	if err != nil {
		panic(err)
	}
	res := merged.Result(attribution.ByService)
	for _, g := range res.Groups {
		fmt.Printf("%s: in %d B, out %d B, %d records\n", g.Key, g.BytesIn, g.BytesOut, g.Records)
	}
	fmt.Printf("total: %d B, %d records\n", res.Total.Bytes, res.Total.Records)
	// Output:
	// service:web: in 36853 B, out 613504 B, 3 records
	// total: 652857 B, 4 records
}

// ExampleMerger adds partials up as they are read, one at a time, as a
// reduce over many workers' files does: each is added in place, so the
// sum is held once and each part only while it is added.
func ExampleMerger() {
	b := history.NewBuilder()
	if _, err := b.Load(strings.NewReader(describeTasks), "describe-tasks.json"); err != nil {
		panic(err)
	}
	h := b.Index()
	header, rest, _ := strings.Cut(flowLog, "\n")
	var sum attribution.Merger
	for _, object := range strings.SplitAfter(strings.TrimSuffix(rest, "\n"), "\n") { // one object a record
		a := attribution.New(h)
		r := flowlogs.NewReader(strings.NewReader(header+"\n"+object), flowlogs.WithFields(attribution.Fields()...))
		if err := a.AddAll(r.All()); err != nil {
			panic(err)
		}
		// A reduce would read each part from its file here
		// (partials.ReadFile).
		if err := sum.Add(a.Partial()); err != nil {
			panic(err)
		}
	}
	res := sum.Partial().Result(attribution.ByService)
	for _, g := range res.Groups {
		fmt.Printf("%s: in %d B, out %d B, %d records\n", g.Key, g.BytesIn, g.BytesOut, g.Records)
	}
	fmt.Printf("total: %d B, %d records\n", res.Total.Bytes, res.Total.Records)
	// Output:
	// service:web: in 36853 B, out 613504 B, 3 records
	// total: 652857 B, 4 records
}

// ExampleAttributor_PartialStream is the fan-out worker's last step: it
// writes its object's partial without building every task's peers, ports
// and series at once (a Partial of ten thousand tasks holds as much memory
// again as the rollups; the stream holds one task's). The reduce step
// reads the files back and merges them (Merge, Merger).
func ExampleAttributor_PartialStream() {
	b := history.NewBuilder()
	if _, err := b.Load(strings.NewReader(describeTasks), "describe-tasks.json"); err != nil {
		panic(err)
	}
	a := attribution.New(b.Index())
	r := flowlogs.NewReader(strings.NewReader(flowLog), flowlogs.WithFields(attribution.Fields()...))
	if err := a.AddAll(r.All()); err != nil {
		panic(err)
	}

	dir, err := os.MkdirTemp("", "partials")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "part-1.parquet")
	f, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	head, tasks := a.PartialStream()
	if err := partials.WriteStream(f, head, tasks); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil { // a write error can surface only here
		panic(err)
	}

	p, err := partials.ReadFile(name)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(p.Tasks), "task,", p.Total.Records, "records")
	for _, g := range p.Result(attribution.ByService).Groups {
		fmt.Printf("%s: in %d B, out %d B, %d records\n", g.Key, g.BytesIn, g.BytesOut, g.Records)
	}
	// Output:
	// 1 task, 4 records
	// service:web: in 36853 B, out 613504 B, 3 records
}

// ExampleMerge_inputs names each part's flow-log object in its Inputs, as
// a fan-out worker should: an Attributor does not know where its records
// came from, and a part that names none is merged unchecked. Named, the
// same object given twice (a retried worker, a merged file beside one of
// its parts) is refused instead of counted twice.
func ExampleMerge_inputs() {
	b := history.NewBuilder()
	if _, err := b.Load(strings.NewReader(describeTasks), "describe-tasks.json"); err != nil {
		panic(err)
	}
	h := b.Index()
	worker := func(object string) *attribution.Partial {
		a := attribution.New(h)
		r := flowlogs.NewReader(strings.NewReader(flowLog), flowlogs.WithSource(object), flowlogs.WithFields(attribution.Fields()...))
		if err := a.AddAll(r.All()); err != nil {
			panic(err)
		}
		p := a.Partial()
		// For a delivered object, source.Key.DeliveryName is its name.
		p.Inputs = []attribution.Input{{Name: object}}
		return p
	}
	first := worker("123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1000Z_4c1e82d3.log.gz")
	retried := worker("123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1000Z_4c1e82d3.log.gz")

	_, err := attribution.Merge(first, retried)
	var overlap *attribution.OverlapError
	fmt.Println(errors.As(err, &overlap))
	fmt.Println(err)
	// Output:
	// true
	// attribution: partial 2: input 123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1000Z_4c1e82d3.log.gz is in another part too: its records would be counted twice
}

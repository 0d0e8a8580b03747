// Command gensample writes the sample that examples/attribute embeds: a small
// ECS cluster as the AWS CLI prints it (describe-tasks,
// describe-container-instances, describe-task-definition, ec2
// describe-instances), its network (ec2 describe-subnets, describe-vpcs, and
// describe-network-interfaces of the load balancer's interfaces) and the
// VPC Flow Logs it produced over one hour, delivered to S3 (gzip, header
// line, 5-minute files in the S3 key layout).
//
// The output is a pure function of the code: run
//
//	go run ./examples/attribute/internal/gensample -out examples/attribute/sample
//
// and commit the result. -out is rewritten only when it holds a sample and
// nothing else. The cluster ("demo", us-east-1, two AZs):
//
//   - service web: two awsvpc tasks, one per AZ, behind an internal ALB
//     (port 8080) with a node in each AZ, cross-zone: half of each task's
//     ALB traffic crosses AZs, which AWS does not bill (the nodes'
//     interfaces are in network/describe-network-interfaces.json, as
//     `aws ec2 describe-network-interfaces --filters
//     Name=requester-id,Values=amazon-elb` prints them);
//   - web calls api and reads S3 through a gateway endpoint;
//   - service api: two awsvpc tasks; api-1 is replaced at 10:30 by a
//     deployment and its successor gets the same private IP on a new ENI;
//     api calls a database (its ENI is in the flow logs too) and the
//     internet through a NAT gateway (whose ENI is in the flow logs);
//   - service admin: a bridge-mode task with a dynamic host port (8080 →
//     32768) on the second instance, behind the same ALB; the instance's
//     own outbound traffic (image pulls) shares that ENI;
//   - service node-exporter: a host-mode daemon task on port 9100, scraped
//     by a Prometheus server;
//   - a scanner probing port 22 (rejected), one SKIPDATA and one NODATA
//     line, and a late record on the replaced task's ENI.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
)

const (
	account = "123456789012"
	region  = "us-east-1"
	cluster = "demo"
	vpc     = "vpc-0d3a9c5e7b1f20468"
)

var (
	clusterARN = fmt.Sprintf("arn:aws:ecs:%s:%s:cluster/%s", region, account, cluster)
	t0         = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
)

func at(d time.Duration) time.Time { return t0.Add(d) }

type instance struct {
	id, ciID, az, subnet, eni, mac, ip string
	registered                         time.Time
}

type task struct {
	name, id, service, family string
	revision                  int
	mode                      string // awsvpc, bridge, host
	inst                      *instance
	eni, mac, ip, attachment  string
	container                 string
	containerPort, hostPort   int
	created, started          time.Time
	stopping, execStopped     time.Time
	stopped                   time.Time
}

func (t *task) arn() string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task/%s/%s", region, account, cluster, t.id)
}

func (t *task) tdARN() string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:task-definition/%s:%d", region, account, t.family, t.revision)
}

func (in *instance) arn() string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:container-instance/%s/%s", region, account, cluster, in.ciID)
}

func (t *task) alive(ts time.Time) bool {
	return !ts.Before(t.started) && (t.stopped.IsZero() || ts.Before(t.stopping))
}

var (
	ci1 = &instance{id: "i-0f1e2d3c4b5a69788", ciID: "5c1d9e0f6a2b4c3d8e7f60a1b2c3d4e5", az: "us-east-1a",
		subnet: "subnet-0a11b22c33d44e55f", eni: "eni-0c1a2b3c4d5e6f701", mac: "0e:1a:00:00:00:01", ip: "10.0.1.10",
		registered: time.Date(2026, 11, 25, 7, 12, 4, 0, time.UTC)}
	ci2 = &instance{id: "i-07a8b9c0d1e2f3a4b", ciID: "9a8b7c6d5e4f40312a1b2c3d4e5f6071", az: "us-east-1b",
		subnet: "subnet-0b66c77d88e99f00a", eni: "eni-0c2b3c4d5e6f70812", mac: "0e:2b:00:00:00:02", ip: "10.0.2.20",
		registered: time.Date(2026, 11, 25, 7, 12, 9, 0, time.UTC)}

	web1 = &task{name: "web-1", id: "3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b", service: "web", family: "web", revision: 7, mode: "awsvpc",
		inst: ci1, eni: "eni-0a1b2c3d4e5f60711", mac: "0e:aa:00:00:01:01", ip: "10.0.1.101", attachment: "1b0e4c2a-7d3f-4a8e-9b1c-0d2e3f4a5b61",
		container: "web", containerPort: 8080, created: at(-3 * time.Hour), started: at(-3*time.Hour + 40*time.Second)}
	web2 = &task{name: "web-2", id: "8d2e7f1a3b4c4d5e8f9a0b1c2d3e4f70", service: "web", family: "web", revision: 7, mode: "awsvpc",
		inst: ci2, eni: "eni-0b2c3d4e5f6a70822", mac: "0e:aa:00:00:01:02", ip: "10.0.2.102", attachment: "2c1f5d3b-8e4a-4b9f-8c2d-1e3f4a5b6c72",
		container: "web", containerPort: 8080, created: at(-3 * time.Hour), started: at(-3*time.Hour + 38*time.Second)}
	api1 = &task{name: "api-1", id: "c41b8e2f6a9d4c7e8b1a2f3e4d5c6b7a", service: "api", family: "api", revision: 12, mode: "awsvpc",
		inst: ci1, eni: "eni-0c3d4e5f6a7b80933", mac: "0e:aa:00:00:02:01", ip: "10.0.1.111", attachment: "3d2a6e4c-9f5b-4c0a-9d3e-2f4a5b6c7d83",
		container: "api", containerPort: 9000, created: at(-2 * time.Hour), started: at(-2*time.Hour + 35*time.Second),
		stopping: at(30 * time.Minute), execStopped: at(30*time.Minute + 20*time.Second), stopped: at(30*time.Minute + 50*time.Second)}
	api1b = &task{name: "api-3", id: "e7f0a3b6c9d24e1f8a5b6c7d8e9f0a1b", service: "api", family: "api", revision: 13, mode: "awsvpc",
		inst: ci1, eni: "eni-0d4e5f6a7b8c90a44", mac: "0e:aa:00:00:02:03", ip: "10.0.1.111", attachment: "4e3b7f5d-0a6c-4d1b-8e4f-3a5b6c7d8e94",
		container: "api", containerPort: 9000, created: at(31 * time.Minute), started: at(31*time.Minute + 30*time.Second)}
	api2 = &task{name: "api-2", id: "5a9c3e7b1d0f4a2c8e6b4d2f0a8c6e4b", service: "api", family: "api", revision: 12, mode: "awsvpc",
		inst: ci2, eni: "eni-0e5f6a7b8c9d0ab55", mac: "0e:aa:00:00:02:02", ip: "10.0.2.112", attachment: "5f4c8a6e-1b7d-4e2c-9f5a-4b6c7d8e9fa5",
		container: "api", containerPort: 9000, created: at(-2 * time.Hour), started: at(-2*time.Hour + 33*time.Second)}
	admin = &task{name: "admin", id: "b2d4f6a8c0e14a3b9d5f7a9c1e3b5d70", service: "admin", family: "admin", revision: 3, mode: "bridge",
		inst: ci2, container: "admin", containerPort: 8080, hostPort: 32768, created: at(-150 * time.Minute), started: at(-150*time.Minute + 20*time.Second)}
	exporter = &task{name: "node-exporter", id: "0f1e2d3c4b5a49687a6b5c4d3e2f1a0b", service: "node-exporter", family: "node-exporter", revision: 2, mode: "host",
		inst: ci1, container: "node-exporter", containerPort: 9100, hostPort: 9100, created: at(-170 * time.Minute), started: at(-170*time.Minute + 9*time.Second)}

	tasks     = []*task{web1, web2, api1, api2, api1b, admin, exporter}
	instances = []*instance{ci1, ci2}
)

// Other addresses and interfaces in the VPC.
const (
	albA, albB     = "10.0.1.5", "10.0.2.5"
	albName        = "app/demo-web/5f2e8c1a9b3d4e6f" // the ALB's ID, as its interfaces' descriptions name it
	albENIA        = "eni-0e1d2c3b4a5968778"
	albENIB        = "eni-0f2e3d4c5b6a79889"
	natIP, natENI  = "10.0.1.200", "eni-0f6a7b8c9d0e1bc66"
	dbIP, dbENI    = "10.0.2.50", "eni-0a7b8c9d0e1f2cd77"
	prometheus     = "10.0.2.30"
	scanner        = "10.0.2.66"
	internetHost   = "93.184.216.34"
	s3Addr         = "52.216.152.94"
	ecrAddr        = "52.94.225.20"
	flowLogID      = "fl-0123456789abcdef0"
	flowLogFormat  = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr az-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path"
	windowDuration = time.Hour
)

func main() {
	cli.Exit("gensample", run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) error {
	flags := flag.NewFlagSet("gensample", flag.ContinueOnError)
	flags.SetOutput(stderr)
	out := flags.String("out", "examples/attribute/sample", "output `directory`: created, or rewritten if it holds a sample gensample wrote and nothing else")
	if err := cli.Parse(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: the output directory goes in -out", flags.Arg(0))
	}
	if strings.TrimSpace(*out) == "" {
		return errors.New("-out: empty: give the output directory")
	}
	return write(*out)
}

// write writes the sample into dir. What dir held is removed first, so
// that a file the generator no longer writes (a flow-log file of other
// records has another name) does not stay in the sample; it must be a
// sample, or nothing: -out names what is deleted, and a mistyped -out
// must not delete a user's files.
func write(dir string) error {
	files := map[string][]byte{
		"tasks/describe-tasks.json":                         describeTasks(),
		"tasks/describe-container-instances.json":           describeContainerInstances(),
		"tasks/describe-instances.json":                     describeInstances(),
		"tasks/describe-task-definition-admin.json":         describeTaskDefinition(admin),
		"tasks/describe-task-definition-node-exporter.json": describeTaskDefinition(exporter),
		"network/describe-subnets.json":                     describeSubnets(),
		"network/describe-vpcs.json":                        describeVpcs(),
		"network/describe-network-interfaces.json":          describeNetworkInterfaces(),
	}
	var patterns []string
	for name := range files {
		patterns = append(patterns, name)
	}
	for name, body := range flowLogFiles() {
		files[name] = body
	}
	// Flow-log files are named by their content, so a sample of an
	// earlier version has others: any of the sample's flow log's names.
	patterns = append(patterns, fmt.Sprintf("flowlogs/AWSLogs/%s/vpcflowlogs/%s/*/*/*/%s_vpcflowlogs_%s_%s_*.log.gz",
		account, region, account, region, flowLogID))
	if err := clearSample(dir, patterns); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// clearSample empties dir, which may not exist, if everything in it is a
// sample file (its slash-separated path relative to dir matches one of
// patterns) or a directory on the way to one; else it removes nothing and
// says what is in the way.
func clearSample(dir string, patterns []string) error {
	fi, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("-out %s: not a directory: gensample rewrites only a directory of its sample", dir)
	}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if rel == "." || sampleEntry(filepath.ToSlash(rel), d, patterns) {
			return nil
		}
		return fmt.Errorf("-out %s: holds %s, which gensample does not write: gensample rewrites only a directory of its sample; move it, or give another -out", dir, p)
	})
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// The entries, not dir: it may be "." or a mount point, and keeps its
	// mode.
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// sampleEntry reports whether rel is a sample file (a regular file whose
// path matches one of patterns) or a directory on the way to one.
func sampleEntry(rel string, d fs.DirEntry, patterns []string) bool {
	parts := strings.Split(rel, "/")
	for _, pat := range patterns {
		pp := strings.Split(pat, "/")
		var ok bool
		switch {
		case d.IsDir() && len(parts) < len(pp):
			ok, _ = path.Match(strings.Join(pp[:len(parts)], "/"), rel)
		case d.Type().IsRegular() && len(parts) == len(pp):
			ok, _ = path.Match(pat, rel)
		}
		if ok {
			return true
		}
	}
	return false
}

// cliTime formats a time the way the AWS CLI v2 prints timestamps.
func cliTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000-07:00") }

func jsonBytes(v any) []byte {
	b, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

type kv struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

func describeTasks() []byte {
	var ts []any
	for _, t := range tasks {
		m := map[string]any{
			"taskArn":              t.arn(),
			"clusterArn":           clusterARN,
			"taskDefinitionArn":    t.tdARN(),
			"containerInstanceArn": t.inst.arn(),
			"availabilityZone":     t.inst.az,
			"group":                "service:" + t.service,
			"launchType":           "EC2",
			"cpu":                  "256",
			"memory":               "512",
			"connectivity":         "CONNECTED",
			"connectivityAt":       cliTime(t.created.Add(5 * time.Second)),
			"createdAt":            cliTime(t.created),
			"pullStartedAt":        cliTime(t.created.Add(10 * time.Second)),
			"pullStoppedAt":        cliTime(t.started.Add(-5 * time.Second)),
			"startedAt":            cliTime(t.started),
			"startedBy":            "ecs-svc/" + fmt.Sprint(int64(1000000000000000000)+int64(len(t.service))*7919),
			"lastStatus":           "RUNNING",
			"desiredStatus":        "RUNNING",
			"healthStatus":         "UNKNOWN",
			"version":              3,
			"attachments":          []any{},
			"tags":                 []any{},
		}
		c := map[string]any{
			"containerArn": fmt.Sprintf("arn:aws:ecs:%s:%s:container/%s/%s/%s", region, account, cluster, t.id, uuidOf(t.id+t.container)),
			"taskArn":      t.arn(),
			"name":         t.container,
			"image":        fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s:%d", account, region, t.family, t.revision),
			"lastStatus":   "RUNNING",
			"healthStatus": "UNKNOWN",
			"cpu":          "256",
			"memory":       "512",
		}
		switch t.mode {
		case "awsvpc":
			m["attachments"] = []any{map[string]any{
				"id": t.attachment, "type": "ElasticNetworkInterface", "status": "ATTACHED",
				"details": []kv{
					{"subnetId", t.inst.subnet}, {"networkInterfaceId", t.eni}, {"macAddress", t.mac},
					{"privateDnsName", "ip-" + strings.ReplaceAll(t.ip, ".", "-") + ".ec2.internal"},
					{"privateIPv4Address", t.ip},
				},
			}}
			c["networkBindings"] = []any{}
			c["networkInterfaces"] = []any{map[string]any{"attachmentId": t.attachment, "privateIpv4Address": t.ip}}
		default:
			c["networkBindings"] = []any{map[string]any{
				"bindIP": "0.0.0.0", "containerPort": t.containerPort, "hostPort": t.hostPort, "protocol": "tcp",
			}}
			c["networkInterfaces"] = []any{}
		}
		if !t.stopped.IsZero() {
			m["lastStatus"], m["desiredStatus"], m["version"] = "STOPPED", "STOPPED", 6
			m["stopCode"] = "ServiceSchedulerInitiated"
			m["stoppedReason"] = "Scaling activity initiated by (deployment ecs-svc/4172851064293811872)"
			m["stoppingAt"] = cliTime(t.stopping)
			m["executionStoppedAt"] = cliTime(t.execStopped)
			m["stoppedAt"] = cliTime(t.stopped)
			m["connectivity"] = "DISCONNECTED"
			c["lastStatus"] = "STOPPED"
			c["exitCode"] = 0
			if a, ok := m["attachments"].([]any); ok && len(a) > 0 {
				a[0].(map[string]any)["status"] = "DELETED"
			}
		}
		m["containers"] = []any{c}
		ts = append(ts, m)
	}
	return jsonBytes(map[string]any{"tasks": ts, "failures": []any{}})
}

func describeContainerInstances() []byte {
	var cis []any
	for _, in := range instances {
		cis = append(cis, map[string]any{
			"containerInstanceArn": in.arn(),
			"ec2InstanceId":        in.id,
			"version":              41,
			"versionInfo":          map[string]any{"agentVersion": "1.105.1", "agentHash": "8dfceca6", "dockerVersion": "DockerVersion: 25.0.8"},
			"status":               "ACTIVE",
			"agentConnected":       true,
			"runningTasksCount":    3,
			"pendingTasksCount":    0,
			"registeredAt":         cliTime(in.registered),
			"attributes": []any{
				map[string]any{"name": "ecs.availability-zone", "value": in.az},
				map[string]any{"name": "ecs.instance-type", "value": "m5.large"},
				map[string]any{"name": "ecs.os-type", "value": "linux"},
				map[string]any{"name": "ecs.capability.task-eni"},
			},
			"registeredResources": []any{
				map[string]any{"name": "CPU", "type": "INTEGER", "integerValue": 2048},
				map[string]any{"name": "MEMORY", "type": "INTEGER", "integerValue": 7680},
				map[string]any{"name": "PORTS", "type": "STRINGSET", "stringSetValue": []string{"22", "2375", "2376", "51678", "51679"}},
			},
			"attachments": []any{},
			"tags":        []any{},
		})
	}
	return jsonBytes(map[string]any{"containerInstances": cis, "failures": []any{}})
}

func describeInstances() []byte {
	var res []any
	for i, in := range instances {
		res = append(res, map[string]any{
			"ReservationId": fmt.Sprintf("r-0%016x", 0x5eed0+i),
			"OwnerId":       account,
			"Groups":        []any{},
			"Instances": []any{map[string]any{
				"InstanceId":       in.id,
				"InstanceType":     "m5.large",
				"ImageId":          "ami-0c7217cdde317cfec",
				"LaunchTime":       in.registered.Add(-90 * time.Second).Format("2006-01-02T15:04:05-07:00"),
				"Placement":        map[string]any{"AvailabilityZone": in.az, "GroupName": "", "Tenancy": "default"},
				"PrivateDnsName":   "ip-" + strings.ReplaceAll(in.ip, ".", "-") + ".ec2.internal",
				"PrivateIpAddress": in.ip,
				"State":            map[string]any{"Code": 16, "Name": "running"},
				"SubnetId":         in.subnet,
				"VpcId":            vpc,
				"NetworkInterfaces": []any{map[string]any{
					"Attachment": map[string]any{
						"AttachTime": in.registered.Add(-90 * time.Second).Format("2006-01-02T15:04:05-07:00"), "AttachmentId": fmt.Sprintf("eni-attach-0%016x", 0xa77ac4+i),
						"DeleteOnTermination": true, "DeviceIndex": 0, "Status": "attached", "NetworkCardIndex": 0,
					},
					"NetworkInterfaceId": in.eni,
					"MacAddress":         in.mac,
					"PrivateIpAddress":   in.ip,
					"SubnetId":           in.subnet,
					"VpcId":              vpc,
					"Status":             "in-use",
					"InterfaceType":      "interface",
					"Ipv6Addresses":      []any{},
				}},
			}},
		})
	}
	return jsonBytes(map[string]any{"Reservations": res})
}

func describeTaskDefinition(t *task) []byte {
	pm := map[string]any{"containerPort": t.containerPort, "hostPort": 0, "protocol": "tcp"}
	if t.mode == "host" {
		pm["hostPort"] = t.hostPort
	}
	return jsonBytes(map[string]any{"taskDefinition": map[string]any{
		"taskDefinitionArn": t.tdARN(),
		"family":            t.family,
		"revision":          t.revision,
		"networkMode":       t.mode,
		"status":            "ACTIVE",
		"containerDefinitions": []any{map[string]any{
			"name": t.container, "image": fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s:%d", account, region, t.family, t.revision),
			"cpu": 256, "memory": 512, "essential": true, "portMappings": []any{pm},
		}},
		"requiresCompatibilities": []string{"EC2"},
		"compatibilities":         []string{"EC2"},
		"registeredAt":            cliTime(t.created.Add(-24 * time.Hour)),
	}})
}

func uuidOf(s string) string {
	h := fnv.New128a()
	h.Write([]byte(s))
	b := h.Sum(nil)
	return fmt.Sprintf("%x-%x-4%x-8%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])[:36]
}

func describeSubnets() []byte {
	var out []any
	for _, s := range []struct{ id, cidr, az, azID string }{
		{ci1.subnet, "10.0.1.0/24", "us-east-1a", "use1-az4"},
		{ci2.subnet, "10.0.2.0/24", "us-east-1b", "use1-az6"},
	} {
		out = append(out, map[string]any{
			"SubnetId": s.id, "CidrBlock": s.cidr, "AvailabilityZone": s.az, "AvailabilityZoneId": s.azID,
			"VpcId": vpc, "State": "available", "AvailableIpAddressCount": 240, "MapPublicIpOnLaunch": false,
			"OwnerId": account, "Ipv6CidrBlockAssociationSet": []any{},
		})
	}
	return jsonBytes(map[string]any{"Subnets": out})
}

func describeVpcs() []byte {
	return jsonBytes(map[string]any{"Vpcs": []any{
		map[string]any{"VpcId": vpc, "CidrBlock": "10.0.0.0/16", "State": "available", "OwnerId": account, "IsDefault": false,
			"CidrBlockAssociationSet": []any{map[string]any{"CidrBlock": "10.0.0.0/16", "AssociationId": "vpc-cidr-assoc-0a1b2c3d4e5f60718",
				"CidrBlockState": map[string]any{"State": "associated"}}}},
		map[string]any{"VpcId": "vpc-0e1f2a3b4c5d6e7f8", "CidrBlock": "10.1.0.0/16", "State": "available", "OwnerId": account, "IsDefault": false,
			"CidrBlockAssociationSet": []any{map[string]any{"CidrBlock": "10.1.0.0/16", "AssociationId": "vpc-cidr-assoc-0f1e2d3c4b5a69708",
				"CidrBlockState": map[string]any{"State": "associated"}}}},
	}})
}

// describeNetworkInterfaces is `aws ec2 describe-network-interfaces
// --filters Name=requester-id,Values=amazon-elb`: the ALB's interfaces,
// one node in each of the cluster's subnets, as ELB creates them
// (requester amazon-elb, description "ELB app/NAME/ID", interface type
// interface). The ALB is internal: no public address.
func describeNetworkInterfaces() []byte {
	var out []any
	for i, n := range []struct{ eni, mac, ip string }{{albENIA, "0e:b1:00:00:00:01", albA}, {albENIB, "0e:b1:00:00:00:02", albB}} {
		in := instances[i] // the node's subnet is the instance's
		azID := map[string]string{"us-east-1a": "use1-az4", "us-east-1b": "use1-az6"}[in.az]
		dns := "ip-" + strings.ReplaceAll(n.ip, ".", "-") + ".ec2.internal"
		out = append(out, map[string]any{
			"Attachment": map[string]any{
				"AttachTime": time.Date(2026, 11, 2, 9, 41, 17, 0, time.UTC).Format("2006-01-02T15:04:05-07:00"), "AttachmentId": fmt.Sprintf("ela-attach-0%016x", 0xa1b0+i),
				"DeleteOnTermination": false, "DeviceIndex": 1, "NetworkCardIndex": 0, "InstanceOwnerId": "amazon-elb", "Status": "attached",
			},
			"AvailabilityZone":   in.az,
			"AvailabilityZoneId": azID,
			"Description":        "ELB " + albName,
			"Groups":             []any{map[string]any{"GroupId": "sg-0a1b2c3d4e5f60789", "GroupName": "demo-web-alb"}},
			"InterfaceType":      "interface",
			"Ipv6Addresses":      []any{},
			"MacAddress":         n.mac,
			"NetworkInterfaceId": n.eni,
			"OwnerId":            account,
			"PrivateDnsName":     dns,
			"PrivateIpAddress":   n.ip,
			"PrivateIpAddresses": []any{map[string]any{"Primary": true, "PrivateDnsName": dns, "PrivateIpAddress": n.ip}},
			"RequesterId":        "amazon-elb",
			"RequesterManaged":   true,
			"SourceDestCheck":    true,
			"Status":             "in-use",
			"SubnetId":           in.subnet,
			"TagSet":             []any{},
			"VpcId":              vpc,
			"Operator":           map[string]any{"Managed": false},
		})
	}
	return jsonBytes(map[string]any{"NetworkInterfaces": out})
}

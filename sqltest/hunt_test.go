package sqltest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/netmode"
)

// The hunt: a wider generator than generate's, over many seeds, comparing
// the engines on what their rules make intricate: the v7 ecs-* fields
// (ecs-task-arn alone, ecs-task-id alone, both, contradicting, bare IDs,
// short ARNs, tasks the history does not know, two clusters, compact
// cluster-name and container-instance-id fields, names of two ARNs),
// formats without start or without end, NODATA and SKIPDATA, IPv6 and
// dual-stack tasks, bridge host ports with tcp-flags openers, host mode,
// intermediaries' interfaces, records at a task's first and last
// seconds and around sub-second bounds and execution stops, the late
// slack, every GroupBy and the fallback switched off.
//
// By default (not under -short) TestHunt runs huntDefaultSeeds seeds and
// TestHuntFormats a third of them, seven formats each (about 18 s on two
// cores); ECSNET_HUNT_SEEDS sets both counts (200 seeds take about four
// minutes in TestHunt, and make 1,400 runs of TestHuntFormats), and
// ECSNET_HUNT_FIRST the first seed.
//
// Left out on purpose, as differences the packages document (sqlattr's
// "What the query does not do"):
//   - a task the history does not know whose records carry different
//     ecs-* values: attribution makes it from its first record (taking
//     only the ecs-task-arn, and the cluster of a long ARN, from a later
//     record when the first had ecs-task-id alone), the query takes the
//     largest value of each field. So each such task (huntUnknown) has
//     fixed values, written in one format, and its ecs-task-arn is its
//     ARN or absent, never its bare ID nor a second ARN of its ID. (A
//     record of ecs-task-id alone, in a format without
//     ecs-service-name, before one with ecs-task-arn and
//     ecs-service-name: Go groups the task by service under "", SQL
//     under "service:NAME".)
//   - more tasks made from ecs-* fields than WithMaxECSTasks (ECSTaskLimit);
//   - addresses in other text than Go's canonical form (the query compares
//     text): the records' addresses are canonical;
//   - container instances registered for no whole second, or without an
//     ENI and address (the query has no rows to know them by);
//   - Builder.IntervalFilter, which prunes what the query knows.

const huntDefaultSeeds = 12

const (
	huntOther     = "arn:aws:ecs:us-east-1:" + genAccount + ":cluster/other"
	huntGenEU     = "arn:aws:ecs:eu-west-1:" + genAccount + ":cluster/gen" // a second cluster named gen
	huntTaskARN   = "arn:aws:ecs:us-east-1:" + genAccount + ":task/"
	huntInstARN   = "arn:aws:ecs:us-east-1:" + genAccount + ":container-instance/"
	huntTaskDefNS = "arn:aws:ecs:us-east-1:" + genAccount + ":task-definition/"
)

// huntFormats are the record formats, by name.
var huntFormats = map[string]string{
	// v7 with ECS fields by ARN, flow-direction and tcp-flags.
	"v7": "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"tcp-flags pkt-srcaddr pkt-dstaddr flow-direction ecs-cluster-arn ecs-container-instance-arn ecs-service-name " +
		"ecs-task-definition-arn ecs-task-arn ecs-task-id",
	// v7's compact fields: cluster name and container instance ID.
	"v7c": "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"flow-direction ecs-cluster-name ecs-container-instance-id ecs-task-id ecs-task-arn ecs-service-name ecs-task-definition-arn",
	// The default format.
	"v2": "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
	// Without start; without end.
	"nostart": "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action log-status tcp-flags",
	"noend":   "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start action log-status pkt-srcaddr pkt-dstaddr",
	// v11's interface-type, and tcp-flags without flow-direction.
	"v11": "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"tcp-flags pkt-srcaddr pkt-dstaddr flow-direction interface-type",
	"flags": "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags",
}

var huntFormatNames = []string{"v7", "v7c", "v2", "nostart", "noend", "v11", "flags"}

// huntUnknown is a task the history does not know, which records name:
// its ecs-* values are fixed, as one flow log writes them (attribution
// makes the task from its first record, SQL from the largest value of
// each field: sqlattr's documented difference), and its records are of
// one ECS format.
type huntUnknown struct {
	arn, id               string
	cluster, inst         string // as the format writes them: ARN or name/ID, "-" if none
	service, taskdef, fmt string
}

type huntCluster struct {
	h       *history.Index
	tasks   []genTask
	insts   []genInstance
	unknown []huntUnknown
	lines   map[string][]string
	r       *rand.Rand
}

// frac is t plus, now and then, a fraction of a second.
func frac(r *rand.Rand, t time.Time) time.Time {
	switch r.IntN(5) {
	case 0:
		return t.Add(time.Duration(1+r.IntN(999)) * time.Millisecond)
	case 1:
		return t.Add(time.Duration(1+r.IntN(999999)) * time.Nanosecond)
	}
	return t
}

func huntGenerate(seed uint64, n int) *huntCluster {
	r := rand.New(rand.NewPCG(seed, 11))
	b := history.NewBuilder()
	c := &huntCluster{lines: map[string][]string{}, r: r}
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	// Instances: a (trunk), b, and, now and then, b re-registered (a new
	// container instance ARN on the same EC2 instance, so the same ENI
	// and address change hands), and c in the other cluster, whose ID
	// some seeds give to one of gen's too (an ID of two ARNs).
	type instSpec struct {
		name, cluster, ec2 string
		reg                time.Time
	}
	specs := []instSpec{{"cia", genCluster, "i-a", genT0.Add(-time.Hour)}, {"cib", genCluster, "i-b", genT0.Add(-time.Hour)},
		{"cic", huntOther, "i-c", genT0.Add(-time.Hour)}}
	if r.IntN(2) == 0 {
		specs = append(specs, instSpec{"cib2", genCluster, "i-b", frac(r, genT0.Add(time.Duration(600+r.IntN(2400))*time.Second))})
	}
	if r.IntN(2) == 0 { // an instance registered late: records before are outside its life
		specs = append(specs, instSpec{"cid", genCluster, "i-d", frac(r, genT0.Add(time.Duration(r.IntN(2400))*time.Second))})
	}
	dupID := r.IntN(3) == 0
	for i, s := range specs {
		id := s.name
		if dupID && s.name == "cic" {
			id = "cia"
		}
		cname := genCluster[strings.LastIndexByte(genCluster, '/')+1:]
		if s.cluster == huntOther {
			cname = "other"
		}
		in := genInstance{arn: huntInstARN + cname + "/" + id, eni: "eni-inst" + s.ec2[2:], ip: fmt.Sprintf("10.0.9.%d", 10+int(s.ec2[2]-'a'))}
		attrs := []types.Attribute{{Name: ptr("ecs.availability-zone"), Value: ptr("us-east-1a")}}
		if i == 0 {
			in.trunk = "eni-trunka"
			attrs = append(attrs, types.Attribute{Name: ptr("ecs.awsvpc-trunk-id"), Value: ptr(in.trunk)})
		}
		pi := history.PrimaryInterface{ENI: in.eni, IPv4: mustAddr(in.ip)}
		if s.ec2 == "i-b" && r.IntN(2) == 0 {
			pi.IPv6 = mustAddr("2600:1f18:0:9::b")
		}
		b.SetPrimaryInterface(s.ec2, pi)
		if err := b.AddContainerInstances(s.cluster, types.ContainerInstance{
			ContainerInstanceArn: ptr(in.arn), Ec2InstanceId: ptr(s.ec2), Status: ptr("ACTIVE"),
			RegisteredAt: ptr(s.reg), Attributes: attrs,
		}); err != nil {
			panic(err)
		}
		c.insts = append(c.insts, in)
	}
	// awsvpc tasks.
	services := []string{"service:web", "service:api", "family:batch"}
	var prevStop time.Time
	for i := range 12 {
		id := fmt.Sprintf("%032x", seed*1000+uint64(i))
		cl, cname := genCluster, "gen"
		switch {
		case i%5 == 4:
			cl, cname = huntOther, "other"
		case i == 7 && r.IntN(2) == 0:
			cl = huntGenEU
		}
		if i == 9 && len(c.tasks) > 0 && r.IntN(2) == 0 { // two history tasks of one ID
			id = c.tasks[r.IntN(len(c.tasks))].id
			cl, cname = huntOther, "other"
		}
		arn := huntTaskARN + cname + "/" + id
		if cl == huntGenEU {
			arn = strings.Replace(arn, "us-east-1", "eu-west-1", 1)
		}
		if r.IntN(8) == 0 { // a short ARN
			arn = huntTaskARN + id
		}
		gt := genTask{arn: arn, id: id, eni: fmt.Sprintf("eni-t%d", i), ip: fmt.Sprintf("10.0.1.%d", 1+r.IntN(4))}
		if i > 0 && r.IntN(4) == 0 {
			gt.eni = c.tasks[r.IntN(len(c.tasks))].eni
		}
		created := frac(r, genT0.Add(time.Duration(r.IntN(3000))*time.Second))
		if !prevStop.IsZero() && r.IntN(4) == 0 {
			created = prevStop // at the instant the last one stopped
			if i > 0 {
				gt.eni = c.tasks[i-1].eni
				if c.tasks[i-1].ip != "" {
					gt.ip = c.tasks[i-1].ip
				}
			}
		}
		svc := services[r.IntN(len(services))]
		fam := strings.TrimPrefix(strings.TrimPrefix(svc, "service:"), "family:")
		details := []types.KeyValuePair{kv("subnetId", "subnet-1"), kv("networkInterfaceId", gt.eni)}
		switch r.IntN(6) {
		case 0: // IPv6 only
			gt.ip = ""
			gt.ip6 = fmt.Sprintf("2600:1f18:0:1::%x", 0xa+r.IntN(3))
			details = append(details, kv("ipv6Address", gt.ip6))
		case 1, 2: // dual stack
			gt.ip6 = fmt.Sprintf("2600:1f18:0:1::%x", 0xa+r.IntN(3))
			details = append(details, kv("privateIPv4Address", gt.ip), kv("ipv6Address", gt.ip6))
		default:
			details = append(details, kv("privateIPv4Address", gt.ip))
		}
		t := types.Task{
			TaskArn: ptr(gt.arn), ClusterArn: ptr(cl), Group: ptr(svc),
			TaskDefinitionArn: ptr(huntTaskDefNS + fam + ":3"),
			LaunchType:        types.LaunchTypeFargate, AvailabilityZone: ptr("us-east-1a"),
			LastStatus: ptr("RUNNING"), DesiredStatus: ptr("RUNNING"), Version: 3,
			CreatedAt: ptr(created), StartedAt: ptr(created.Add(20 * time.Second)),
			Attachments: []types.Attachment{{Id: ptr("att-" + id + fmt.Sprint(i)), Type: ptr("ElasticNetworkInterface"), Status: ptr("ATTACHED"),
				Details: details}},
		}
		if r.IntN(6) == 0 {
			t.ClusterArn = nil // the cluster only in the long ARN
		}
		if r.IntN(10) == 0 {
			t.Group = nil
		}
		if r.IntN(12) == 0 {
			t.TaskDefinitionArn = nil
		}
		switch r.IntN(12) {
		case 0: // pulled, not created
			t.CreatedAt, t.PullStartedAt = nil, ptr(created)
		case 1: // started only
			t.CreatedAt, t.StartedAt = nil, ptr(created)
		}
		if i%3 == 1 {
			t.LaunchType, t.ContainerInstanceArn = types.LaunchTypeEc2, ptr(c.insts[0].arn)
		}
		gt.start = created.Unix()
		if r.IntN(10) < 7 {
			life := time.Duration(300+r.IntN(2400)) * time.Second
			if r.IntN(8) == 0 {
				life = time.Duration(r.IntN(1500)) * time.Millisecond // maybe no whole second
			}
			stopped := frac(r, created.Add(life))
			t.LastStatus, t.DesiredStatus, t.Version = ptr("STOPPED"), ptr("STOPPED"), 6
			t.StoppedAt = ptr(stopped)
			if r.IntN(2) == 0 {
				t.ExecutionStoppedAt = ptr(frac(r, stopped.Add(-time.Duration(r.IntN(120))*time.Second)))
			}
			t.Attachments[0].Status = ptr("DELETED")
			gt.stop = stopped.Unix()
			prevStop = stopped
			if r.IntN(8) == 0 { // stopped, but only the execution stop and stopping are known
				t.StoppedAt, t.StoppingAt = nil, ptr(stopped.Add(-time.Duration(r.IntN(30))*time.Second))
				if t.ExecutionStoppedAt == nil {
					t.ExecutionStoppedAt = ptr(stopped)
				}
				gt.stop = max(t.StoppingAt.Unix(), t.ExecutionStoppedAt.Unix())
			}
		} else if r.IntN(6) == 0 { // running, its containers stopped
			es := frac(r, created.Add(time.Duration(300+r.IntN(2400))*time.Second))
			t.ExecutionStoppedAt = ptr(es)
			gt.stop = es.Unix()
		}
		if _, err := b.AddTasks(t); err != nil {
			panic(err)
		}
		c.tasks = append(c.tasks, gt)
	}
	// Bridge tasks, a host-mode task, ports reused over time.
	b.SetNetworkMode(huntTaskDefNS+"exporter:1", netmode.ModeHost)
	b.SetNetworkMode(huntTaskDefNS+"legacy:2", netmode.ModeBridge)
	for i := range 8 {
		id := fmt.Sprintf("%032x", seed*1000+100+uint64(i))
		in := c.insts[r.IntN(len(c.insts))]
		cl, cname := genCluster, "gen"
		if strings.Contains(in.arn, "/other/") {
			cl, cname = huntOther, "other"
		}
		gt := genTask{arn: huntTaskARN + cname + "/" + id, id: id, inst: in.arn}
		td, group := "legacy:2", "service:legacy"
		if r.IntN(3) == 0 {
			td = "legacy9:1" // mode unknown to the history
		}
		var nbs []types.NetworkBinding
		switch {
		case i == 0:
			td, group = "exporter:1", "service:exporter"
			nbs = append(nbs, types.NetworkBinding{ContainerPort: ptr(int32(9100)), HostPort: ptr(int32(9100)), Protocol: types.TransportProtocolTcp})
			gt.ports = []int{9100}
		case i == 1:
			nbs = append(nbs, types.NetworkBinding{ContainerPortRange: ptr("5000-5003"), HostPortRange: ptr("50000-50003"), Protocol: types.TransportProtocolUdp})
			gt.ports = []int{50000, 50002, 50003}
		case i == 2:
			nbs = append(nbs, types.NetworkBinding{ContainerPortRange: ptr("10000-19999"), HostPortRange: ptr("52000-61999"), Protocol: types.TransportProtocolUdp})
			gt.ports = []int{52000, 57777, 61999}
		case i == 3 || i == 4:
			// Ranges of several widths that overlap each other's ports (and
			// the narrowPorts bound of attribution's index), in time too.
			lo := 32700 + r.IntN(80)
			hi := lo + []int{1, 10, 63, 64, 65, 200}[r.IntN(6)]
			proto := []types.TransportProtocol{types.TransportProtocolTcp, types.TransportProtocolUdp}[r.IntN(2)]
			nbs = append(nbs, types.NetworkBinding{ContainerPortRange: ptr(fmt.Sprintf("%d-%d", 1000, 1000+hi-lo)),
				HostPortRange: ptr(fmt.Sprintf("%d-%d", lo, hi)), Protocol: proto})
			gt.ports = []int{lo, hi, (lo + hi) / 2, 32768}
		case i == 5 && r.IntN(2) == 0: // a bridge task on the host-mode task's port
			nbs = append(nbs, types.NetworkBinding{ContainerPort: ptr(int32(9100)), HostPort: ptr(int32(9100)), Protocol: types.TransportProtocolTcp})
			gt.ports = []int{9100}
		default:
			p := 32768 + r.IntN(3)
			nbs = append(nbs, types.NetworkBinding{BindIP: ptr("0.0.0.0"), ContainerPort: ptr(int32(8080)), HostPort: ptr(int32(p)), Protocol: types.TransportProtocolTcp})
			gt.ports = []int{p}
			if r.IntN(3) == 0 { // a second, IPv6 binding of the same port
				nbs = append(nbs, types.NetworkBinding{BindIP: ptr("::"), ContainerPort: ptr(int32(8080)), HostPort: ptr(int32(p)), Protocol: types.TransportProtocolTcp})
			}
		}
		created := frac(r, genT0.Add(time.Duration(r.IntN(3000))*time.Second))
		t := types.Task{
			TaskArn: ptr(gt.arn), ClusterArn: ptr(cl), Group: ptr(group),
			TaskDefinitionArn: ptr(huntTaskDefNS + td),
			LaunchType:        types.LaunchTypeEc2, ContainerInstanceArn: ptr(in.arn),
			LastStatus: ptr("RUNNING"), DesiredStatus: ptr("RUNNING"), Version: 2, CreatedAt: ptr(created),
			Containers: []types.Container{{Name: ptr("app"), NetworkBindings: nbs}},
		}
		gt.start = created.Unix()
		if r.IntN(2) == 0 {
			stopped := frac(r, created.Add(time.Duration(300+r.IntN(2400))*time.Second))
			t.LastStatus, t.DesiredStatus, t.Version, t.StoppedAt = ptr("STOPPED"), ptr("STOPPED"), 5, ptr(stopped)
			if r.IntN(3) == 0 {
				t.ExecutionStoppedAt = ptr(frac(r, stopped.Add(-time.Duration(r.IntN(90))*time.Second)))
			}
			gt.stop = stopped.Unix()
		}
		if _, err := b.AddTasks(t); err != nil {
			panic(err)
		}
		c.tasks = append(c.tasks, gt)
	}
	c.h = b.Index()
	// Tasks the history does not know.
	for i := range 4 {
		id := fmt.Sprintf("ffff%028d", seed*10+uint64(i))
		u := huntUnknown{id: id, service: pick("-", "web", "jobs"), taskdef: huntTaskDefNS + pick("web:1", "api:2", "batch:4")}
		cname := pick("gen", "other", "nowhere")
		u.arn = huntTaskARN + cname + "/" + id
		if r.IntN(5) == 0 {
			u.arn = huntTaskARN + id // short
		}
		if i%2 == 0 {
			u.fmt = "v7"
			u.cluster = pick("-", genCluster, huntOther, huntGenEU, "arn:aws:ecs:us-east-1:"+genAccount+":cluster/lost")
			u.inst = pick("-", c.insts[r.IntN(len(c.insts))].arn, huntInstARN+"gen/lost")
		} else {
			u.fmt = "v7c"
			u.cluster = pick("-", "gen", "other", "lost")
			inst := c.insts[r.IntN(len(c.insts))].arn
			u.inst = pick("-", inst[strings.LastIndexByte(inst, '/')+1:], "lost")
		}
		c.unknown = append(c.unknown, u)
	}
	for range n {
		c.record()
	}
	return c
}

// record adds one record line in one of the formats.
func (c *huntCluster) record() {
	r := c.r
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	format := huntFormatNames[r.IntN(len(huntFormatNames))]
	external := pick("52.94.1.1", "10.0.5.5", "172.20.1.9", "8.8.8.8", "192.168.3.3")
	task := c.tasks[r.IntN(len(c.tasks))]
	t := task.start + int64(r.IntN(1800))
	edges := []int64{task.start - 1, task.start, task.start + 1}
	if task.stop != 0 {
		edges = append(edges, task.stop-1, task.stop, task.stop+1, task.stop+59, task.stop+60, task.stop+61, task.stop+200, task.stop+300, task.stop+301)
	}
	if r.IntN(2) == 0 {
		t = edges[r.IntN(len(edges))]
	}
	in := r.IntN(2) == 0
	eni, local := task.eni, task.ip
	if local == "" && task.ip6 != "" {
		local, external = task.ip6, pick("2600:1f18:ffff::9", "fd00:ec2::23")
	}
	if local == "" { // a bridge task: no address of its own
		local = "10.0.1.9"
	}
	if task.ip6 != "" && task.ip != "" && r.IntN(3) == 0 {
		local, external = task.ip6, pick("2600:1f18:ffff::9", "fd00:ec2::23")
	}
	sport, dport, proto := fmt.Sprint(40000+r.IntN(20000)), pick("443", "5432", "80"), "6"
	itype := "-"
	switch k := r.IntN(10); {
	case k < 3 && task.eni != "": // the task's own ENI
		if r.IntN(5) == 0 { // the next owner of an address talking on the old ENI
			local = fmt.Sprintf("10.0.1.%d", 1+r.IntN(4))
		}
	case k < 6: // on an instance: its ENI, by host port
		inst := c.insts[r.IntN(len(c.insts))]
		if task.inst != "" && r.IntN(4) != 0 {
			for _, x := range c.insts {
				if x.arn == task.inst {
					inst = x
				}
			}
		}
		eni, local = inst.eni, inst.ip
		if inst.eni == "eni-instb" && r.IntN(4) == 0 {
			local = "2600:1f18:0:9::b"
			external = "2600:1f18:ffff::9"
		}
		dport = pick("22", "9100", "32768", "32769", "32770", "50000", "50002", "50003", "52000", "57777", "61999", "62000")
		if len(task.ports) > 0 && r.IntN(2) == 0 {
			dport = fmt.Sprint(task.ports[r.IntN(len(task.ports))])
		}
		if r.IntN(4) == 0 { // a client's ephemeral port that a binding also has
			sport = pick("32768", "32769", "9100")
		}
		if p, _ := strconv.Atoi(dport); p >= 50000 && p <= 62000 {
			proto = "17"
		}
		if r.IntN(5) == 0 {
			eni = "-" // no interface: found by the instance's address
		}
	case k < 8: // a trunk ENI, an intermediary or no interface: by address
		eni = pick(c.insts[0].trunk, "eni-natgw", "-", "eni-tgw")
		if eni == "eni-natgw" || eni == "eni-tgw" {
			itype = pick("nat_gateway", "transit_gateway", "interface", "-")
		}
		if r.IntN(4) == 0 {
			local = fmt.Sprintf("10.0.1.%d", 1+r.IntN(5))
		}
	default: // someone else's ENI talking to the task
		eni = "eni-db"
		local, external = external, local
	}
	src, dst, sp, dp := external, local, sport, dport
	if !in {
		src, dst, sp, dp = local, external, dport, sport
	}
	switch r.IntN(10) {
	case 0:
		sp, dp = "-", "-"
	case 1:
		sp = "-"
	}
	psrc, pdst := src, dst
	if r.IntN(5) == 0 {
		psrc = "-"
	}
	dir := "ingress"
	if !in {
		dir = "egress"
	}
	if r.IntN(4) == 0 {
		dir = "-"
	}
	flags := pick("-", "0", "2", "18", "3", "19", "16", "24", "1", "4", "2", "18")
	if proto != "6" {
		flags = pick("-", "0")
	}
	status, action := "OK", pick("ACCEPT", "ACCEPT", "REJECT")
	bytes, packets := fmt.Sprint(40+r.IntN(100000)), fmt.Sprint(1+r.IntN(90))
	if r.IntN(30) == 0 {
		bytes = "0"
	}
	if r.IntN(20) == 0 {
		status = pick("NODATA", "SKIPDATA")
		src, dst, sp, dp, proto, action, psrc, pdst, dir, flags = "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"
		if status == "NODATA" || r.IntN(2) == 0 {
			bytes, packets = "-", "-"
		}
	}
	if r.IntN(60) == 0 {
		t = genT0.Unix() - 7200 // before every instance and task
	}
	start, end := fmt.Sprint(t), fmt.Sprint(t+int64(r.IntN(61)))
	switch r.IntN(50) {
	case 0, 1:
		start = "-" // read from end where the format has one
	case 2:
		start, end = "-", "-" // at 0
	}
	// ecs-* fields: a history task's, by ARN, ID, both or a short ARN; a
	// task the history does not know; nothing.
	ecs := map[string]string{}
	if (format == "v7" || format == "v7c") && (status == "OK" || r.IntN(2) == 0) && r.IntN(3) == 0 {
		named := c.tasks[r.IntN(len(c.tasks))]
		arn, id := named.arn, named.id
		cluster, inst := pick("-", genCluster, huntOther), "-"
		if format == "v7c" {
			cluster = pick("-", "gen", "other")
		}
		svc, td := pick("-", "web"), huntTaskDefNS+pick("web:1", "api:2")
		switch r.IntN(8) {
		case 0: // only the ARN
			id = "-"
		case 1: // only the ID
			arn = "-"
		case 2: // the ID in the ARN field
			arn, id = named.id, "-"
		case 3: // an ID that contradicts the ARN: the ARN counts
			id = c.tasks[r.IntN(len(c.tasks))].id
		case 4: // the short ARN of a task the history has by its long one
			arn = huntTaskARN + named.id
		case 5, 6:
			u := c.unknown[r.IntN(len(c.unknown))]
			if u.fmt != format {
				break
			}
			arn, id, cluster, inst, svc, td = u.arn, u.id, u.cluster, u.inst, u.service, u.taskdef
			switch r.IntN(3) {
			case 0:
				id = "-"
			case 1:
				arn = "-"
			}
		}
		ecs["cluster"], ecs["inst"], ecs["svc"], ecs["td"], ecs["arn"], ecs["id"] = cluster, inst, svc, td, arn, id
	}
	e := func(k string) string {
		if v, ok := ecs[k]; ok {
			return v
		}
		return "-"
	}
	vals := map[string]string{
		"version": "5", "account-id": genAccount, "interface-id": eni, "srcaddr": src, "dstaddr": dst,
		"srcport": sp, "dstport": dp, "protocol": proto, "packets": packets, "bytes": bytes, "start": start, "end": end,
		"action": action, "log-status": status, "tcp-flags": flags, "pkt-srcaddr": psrc, "pkt-dstaddr": pdst,
		"flow-direction": dir, "interface-type": itype,
		"ecs-cluster-arn": e("cluster"), "ecs-cluster-name": e("cluster"), "ecs-container-instance-arn": e("inst"),
		"ecs-container-instance-id": e("inst"), "ecs-service-name": e("svc"), "ecs-task-definition-arn": e("td"),
		"ecs-task-arn": e("arn"), "ecs-task-id": e("id"),
	}
	var out []string
	for _, f := range strings.Fields(huntFormats[format]) {
		out = append(out, vals[f])
	}
	c.lines[format] = append(c.lines[format], strings.Join(out, " "))
}

func (c *huntCluster) fixture() fixture {
	return fixture{h: c.h, records: func(yield func(*flowlogs.Record) error) error {
		for _, name := range huntFormatNames {
			lines := c.lines[name]
			if len(lines) == 0 {
				continue
			}
			if err := yieldLines(huntFormats[name], lines, yield); err != nil {
				return err
			}
		}
		return nil
	}}
}

func huntEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func TestHunt(t *testing.T) {
	if testing.Short() {
		t.Skip("the hunt runs many seeds")
	}
	first, seeds := uint64(huntEnv("ECSNET_HUNT_FIRST", 1)), uint64(huntEnv("ECSNET_HUNT_SEEDS", huntDefaultSeeds))
	bys := []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster}
	for seed := first; seed < first+seeds; seed++ {
		c := huntGenerate(seed, 500)
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			fx := c.fixture()
			// Every GroupBy, one of them in all three dialects.
			all := int(seed) % len(bys)
			for i, by := range bys {
				if i == all {
					runAll(t, fx, sqlattr.Builder{By: by}, seed%2 == 0)
				} else {
					run(t, fx, sqlattr.Builder{By: by})
				}
			}
			by := bys[int(seed/5)%len(bys)]
			run(t, fx, sqlattr.Builder{By: by, NoIPFallback: true}, attribution.WithoutIPFallback())
			switch seed % 4 {
			case 0:
				run(t, fx, sqlattr.Builder{By: by, Slack: -1}, attribution.WithLateSlack(0))
			case 1:
				run(t, fx, sqlattr.Builder{By: by, Slack: 5 * time.Minute}, attribution.WithLateSlack(5*time.Minute))
			case 2:
				run(t, fx, sqlattr.Builder{By: by, Slack: time.Second + 500*time.Millisecond}, attribution.WithLateSlack(1500*time.Millisecond),
					attribution.WithPeerPrefix(24, 64))
			case 3:
				run(t, fx, sqlattr.Builder{By: by, Slack: 61 * time.Second}, attribution.WithLateSlack(61*time.Second), attribution.WithSyncAddAll())
			}
		})
	}
}

// TestHuntFormats runs each format's records alone, the query told the
// table's fields are that format's (Builder.Fields): fields the format
// lacks read as absent in every record, as attribution reads them.
func TestHuntFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("the hunt runs many seeds")
	}
	first, seeds := uint64(huntEnv("ECSNET_HUNT_FIRST", 1)), uint64(huntEnv("ECSNET_HUNT_SEEDS", huntDefaultSeeds/3))
	for seed := first; seed < first+seeds; seed++ {
		c := huntGenerate(seed, 500)
		for _, name := range huntFormatNames {
			t.Run(fmt.Sprintf("seed%d/%s", seed, name), func(t *testing.T) {
				fm, err := flowlogs.ParseFormat(huntFormats[name])
				if err != nil {
					t.Fatal(err)
				}
				one := &huntCluster{h: c.h, lines: map[string][]string{name: c.lines[name]}}
				by := attribution.GroupBy(int(seed) % 5)
				run(t, one.fixture(), sqlattr.Builder{By: by, Fields: fm.Fields()})
			})
		}
	}
}

package sqltest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
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

const (
	genCluster = "arn:aws:ecs:us-east-1:111122223333:cluster/gen"
	genAccount = "111122223333"
)

var genT0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

func kv(name, value string) types.KeyValuePair {
	return types.KeyValuePair{Name: ptr(name), Value: ptr(value)}
}

// genTask is what the generator knows of a task, to aim records at it.
type genTask struct {
	arn, id, eni, ip, inst string
	ip6                    string // dual-stack tasks only
	ports                  []int
	start, stop            int64 // unix seconds; stop 0 while running
}

type genInstance struct {
	arn, eni, ip, trunk string
}

// cluster is a generated cluster: its history and flow-log lines in two
// formats (v7 with flow-direction and ECS fields, and the default v2).
type cluster struct {
	h            *history.Index
	tasks        []genTask
	insts        []genInstance
	linesA       []string
	linesB       []string
	headA, headB string
}

// at is T0 plus sec seconds and, sometimes, a fraction of a second, so
// that intervals begin and end between whole seconds too.
func at(r *rand.Rand, sec int64) time.Time {
	t := genT0.Add(time.Duration(sec) * time.Second)
	if r.IntN(4) == 0 {
		t = t.Add(time.Duration(r.IntN(1000)) * time.Millisecond)
	}
	return t
}

func generate(seed uint64) *cluster { return generateN(seed, 600) }

// generateN is generate with n records.
func generateN(seed uint64, n int) *cluster {
	r := rand.New(rand.NewPCG(seed, 7))
	b := history.NewBuilder()
	c := &cluster{}
	for i, n := range []string{"a", "b"} {
		in := genInstance{arn: "arn:aws:ecs:us-east-1:" + genAccount + ":container-instance/gen/ci" + n,
			eni: "eni-inst" + n, ip: fmt.Sprintf("10.0.9.%d", 10+i)}
		attrs := []types.Attribute{{Name: ptr("ecs.availability-zone"), Value: ptr("us-east-1a")}}
		if i == 0 {
			in.trunk = "eni-trunka"
			attrs = append(attrs, types.Attribute{Name: ptr("ecs.awsvpc-trunk-id"), Value: ptr(in.trunk)})
		}
		b.SetPrimaryInterface("i-"+n, history.PrimaryInterface{ENI: in.eni, IPv4: mustAddr(in.ip)})
		if err := b.AddContainerInstances(genCluster, types.ContainerInstance{
			ContainerInstanceArn: ptr(in.arn), Ec2InstanceId: ptr("i-" + n), Status: ptr("ACTIVE"),
			RegisteredAt: ptr(genT0.Add(-time.Hour)), Attributes: attrs,
		}); err != nil {
			panic(err)
		}
		c.insts = append(c.insts, in)
	}
	// awsvpc tasks: addresses from a pool of four, so that they are reused
	// by tasks that replace each other, sometimes overlapping; now and then
	// an ENI is handed on too.
	services := []string{"service:web", "service:api", "family:batch"}
	for i := range 10 {
		id := fmt.Sprintf("%032x", seed*1000+uint64(i))
		gt := genTask{arn: "arn:aws:ecs:us-east-1:" + genAccount + ":task/gen/" + id, id: id,
			eni: fmt.Sprintf("eni-t%d", i), ip: fmt.Sprintf("10.0.1.%d", 1+r.IntN(4))}
		if i > 0 && r.IntN(5) == 0 {
			gt.eni = c.tasks[r.IntN(len(c.tasks))].eni
		}
		created := at(r, int64(r.IntN(3000)))
		svc := services[r.IntN(len(services))]
		fam := strings.TrimPrefix(strings.TrimPrefix(svc, "service:"), "family:")
		t := types.Task{
			TaskArn: ptr(gt.arn), ClusterArn: ptr(genCluster), Group: ptr(svc),
			TaskDefinitionArn: ptr("arn:aws:ecs:us-east-1:" + genAccount + ":task-definition/" + fam + ":3"),
			LaunchType:        types.LaunchTypeFargate, AvailabilityZone: ptr("us-east-1a"),
			LastStatus: ptr("RUNNING"), DesiredStatus: ptr("RUNNING"), Version: 3,
			CreatedAt: ptr(created), StartedAt: ptr(created.Add(20 * time.Second)),
			Attachments: []types.Attachment{{Id: ptr("att-" + id), Type: ptr("ElasticNetworkInterface"), Status: ptr("ATTACHED"),
				Details: []types.KeyValuePair{kv("subnetId", "subnet-1"), kv("networkInterfaceId", gt.eni), kv("privateIPv4Address", gt.ip)}}},
		}
		if i%4 == 3 { // dual stack, from a pool of two IPv6 addresses
			gt.ip6 = fmt.Sprintf("2600:1f18:0:1::%x", 0xa+r.IntN(2))
			t.Attachments[0].Details = append(t.Attachments[0].Details, kv("ipv6Address", gt.ip6))
		}
		if i%3 == 1 { // on an instance, through its trunk ENI
			t.LaunchType, t.ContainerInstanceArn = types.LaunchTypeEc2, ptr(c.insts[0].arn)
		}
		gt.start = created.Unix()
		if r.IntN(10) < 7 {
			stopped := created.Add(time.Duration(300+r.IntN(2400)) * time.Second)
			t.LastStatus, t.DesiredStatus, t.Version = ptr("STOPPED"), ptr("STOPPED"), 6
			t.StoppedAt = ptr(stopped)
			if r.IntN(2) == 0 {
				t.ExecutionStoppedAt = ptr(stopped.Add(-time.Duration(r.IntN(120)) * time.Second))
			}
			t.Attachments[0].Status = ptr("DELETED")
			gt.stop = stopped.Unix()
		}
		if _, err := b.AddTasks(t); err != nil {
			panic(err)
		}
		c.tasks = append(c.tasks, gt)
	}
	// bridge tasks with host ports reused over time, a hostPortRange, and a
	// host-mode task.
	b.SetNetworkMode("arn:aws:ecs:us-east-1:"+genAccount+":task-definition/exporter:1", netmode.ModeHost)
	for i := range 7 {
		id := fmt.Sprintf("%032x", seed*1000+100+uint64(i))
		in := c.insts[r.IntN(2)]
		gt := genTask{arn: "arn:aws:ecs:us-east-1:" + genAccount + ":task/gen/" + id, id: id, inst: in.arn}
		td, group := "legacy:2", "service:legacy"
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
			// A wide range (an RTP server's): 10,000 ports, one table row,
			// which both engines must own port by port.
			nbs = append(nbs, types.NetworkBinding{ContainerPortRange: ptr("10000-19999"), HostPortRange: ptr("52000-61999"), Protocol: types.TransportProtocolUdp})
			gt.ports = []int{52000, 57777, 61999}
		default:
			p := 32768 + r.IntN(3)
			nbs = append(nbs, types.NetworkBinding{BindIP: ptr("0.0.0.0"), ContainerPort: ptr(int32(8080)), HostPort: ptr(int32(p)), Protocol: types.TransportProtocolTcp})
			gt.ports = []int{p}
		}
		created := at(r, int64(r.IntN(3000)))
		t := types.Task{
			TaskArn: ptr(gt.arn), ClusterArn: ptr(genCluster), Group: ptr(group),
			TaskDefinitionArn: ptr("arn:aws:ecs:us-east-1:" + genAccount + ":task-definition/" + td),
			LaunchType:        types.LaunchTypeEc2, ContainerInstanceArn: ptr(in.arn),
			LastStatus: ptr("RUNNING"), DesiredStatus: ptr("RUNNING"), Version: 2, CreatedAt: ptr(created),
			Containers: []types.Container{{Name: ptr("app"), NetworkBindings: nbs}},
		}
		gt.start = created.Unix()
		if r.IntN(2) == 0 {
			stopped := created.Add(time.Duration(300+r.IntN(2400)) * time.Second)
			t.LastStatus, t.DesiredStatus, t.Version, t.StoppedAt = ptr("STOPPED"), ptr("STOPPED"), 5, ptr(stopped)
			gt.stop = stopped.Unix()
		}
		if _, err := b.AddTasks(t); err != nil {
			panic(err)
		}
		c.tasks = append(c.tasks, gt)
	}
	c.h = b.Index()
	c.headA = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"pkt-srcaddr pkt-dstaddr flow-direction ecs-cluster-arn ecs-container-instance-arn ecs-service-name " +
		"ecs-task-definition-arn ecs-task-arn ecs-task-id"
	c.headB = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
	for range n {
		c.record(r)
	}
	return c
}

func mustAddr(s string) netipAddr { return parseAddr(s) }

// record adds one record line in one of the two formats.
func (c *cluster) record(r *rand.Rand) {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	external := pick("52.94.1.1", "10.0.5.5", "172.20.1.9", "8.8.8.8", "192.168.3.3")
	task := c.tasks[r.IntN(len(c.tasks))]
	// A time on or near an edge of the task's life.
	t := task.start + int64(r.IntN(1800))
	edges := []int64{task.start - 1, task.start, task.start + 1}
	if task.stop != 0 {
		edges = append(edges, task.stop-1, task.stop, task.stop+59, task.stop+60, task.stop+61, task.stop+200)
	}
	if r.IntN(2) == 0 {
		t = edges[r.IntN(len(edges))]
	}
	in := r.IntN(2) == 0
	eni, local := task.eni, task.ip
	if local == "" { // a bridge task: no address of its own
		local = "10.0.1.9"
	}
	if task.ip6 != "" && r.IntN(3) == 0 {
		local, external = task.ip6, pick("2600:1f18:ffff::9", "fd00:ec2::23")
	}
	sport, dport, proto := fmt.Sprint(40000+r.IntN(20000)), pick("443", "5432", "80"), "6"
	switch k := r.IntN(10); {
	case k < 4 && task.eni != "": // the task's own ENI
		if r.IntN(5) == 0 { // the next owner of an address talking on the old ENI
			local = fmt.Sprintf("10.0.1.%d", 1+r.IntN(4))
		}
	case k < 6: // on an instance: its ENI, by host port
		inst := c.insts[r.IntN(2)]
		if task.inst != "" {
			for _, x := range c.insts {
				if x.arn == task.inst {
					inst = x
				}
			}
		}
		eni, local = inst.eni, inst.ip
		dport = pick("22", "9100", "32768", "32769", "32770", "50000", "50002", "50003", "52000", "57777", "61999", "62000")
		if len(task.ports) > 0 && r.IntN(2) == 0 {
			dport = fmt.Sprint(task.ports[r.IntN(len(task.ports))])
		}
		if p, _ := strconv.Atoi(dport); p >= 50000 && p <= 62000 {
			proto = "17"
		}
		if r.IntN(6) == 0 {
			eni = "-" // no interface: found by the instance's address
		}
	case k < 8: // a trunk ENI, a NAT gateway or no interface: by address
		eni = pick(c.insts[0].trunk, "eni-natgw", "-")
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
	if r.IntN(8) == 0 {
		sp, dp = "-", "-"
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
	status, action := "OK", pick("ACCEPT", "ACCEPT", "REJECT")
	bytes, packets := fmt.Sprint(40+r.IntN(100000)), fmt.Sprint(1+r.IntN(90))
	if r.IntN(25) == 0 {
		status = pick("NODATA", "SKIPDATA")
		src, dst, sp, dp, proto, bytes, packets, action, psrc, pdst, dir = "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"
	}
	ecs := "- - - - - -"
	if r.IntN(6) == 0 && status == "OK" {
		named := c.tasks[r.IntN(len(c.tasks))]
		arn, id := named.arn, named.id
		svc, td := pick("-", "web"), pick("web:1", "api:2")
		switch r.IntN(4) {
		case 0: // only the ARN
			id = "-"
		case 1: // only the ID
			arn = "-"
		case 2:
			// A task the history does not know. Its fields are the same
			// in every record, as a flow log writes them: attribution
			// makes the task from its first record, which SQL cannot
			// tell (sqlattr's documentation).
			n := r.IntN(3)
			id = fmt.Sprintf("ffff%028d", n)
			arn = "arn:aws:ecs:us-east-1:" + genAccount + ":task/gen/" + id
			svc, td = []string{"-", "web", "-"}[n], []string{"web:1", "api:2", "batch:4"}[n]
		}
		ecs = fmt.Sprintf("%s - %s %s %s %s", genCluster, svc,
			"arn:aws:ecs:us-east-1:"+genAccount+":task-definition/"+td, arn, id)
	}
	base := fmt.Sprintf("%s %s %s %s %s %s %s %s %s %s %d %d %s %s", "5", genAccount, eni, src, dst, sp, dp, proto, packets, bytes, t, t+50, action, status)
	if r.IntN(3) == 0 {
		c.linesB = append(c.linesB, strings.Replace(base, "5 ", "2 ", 1))
		return
	}
	c.linesA = append(c.linesA, fmt.Sprintf("%s %s %s %s %s", base, psrc, pdst, dir, ecs))
}

func (c *cluster) fixture() fixture {
	return fixture{h: c.h, records: func(yield func(*flowlogs.Record) error) error {
		for _, f := range []struct {
			head  string
			lines []string
		}{{c.headA, c.linesA}, {c.headB, c.linesB}} {
			if err := yieldLines(f.head, f.lines, yield); err != nil {
				return err
			}
		}
		return nil
	}}
}

func TestGeneratedClusters(t *testing.T) {
	for seed := range uint64(6) {
		c := generate(seed + 1)
		t.Run(fmt.Sprint("seed", seed+1), func(t *testing.T) {
			fx := c.fixture()
			got := run(t, fx, sqlattr.Builder{})
			reasons, unknown := 0, 0
			for _, r := range got {
				if r.Kind == "unattributed" {
					reasons++
				}
				if r.BytesUnknown > 0 {
					unknown++
				}
			}
			if reasons < 4 || len(got) < 10 || unknown == 0 {
				t.Errorf("a weak fixture: %d rows, %d reasons, %d groups with direction unknown", len(got), reasons, unknown)
			}
			run(t, fx, sqlattr.Builder{By: attribution.ByService})
			runAll(t, fx, sqlattr.Builder{By: attribution.ByCluster}, false)
			run(t, fx, sqlattr.Builder{By: attribution.ByFamily})
			run(t, fx, sqlattr.Builder{By: attribution.ByInstance})
			run(t, fx, sqlattr.Builder{NoIPFallback: true}, attribution.WithoutIPFallback())
			run(t, fx, sqlattr.Builder{Slack: 5 * time.Minute}, attribution.WithLateSlack(5*time.Minute))
		})
	}
}

type netipAddr = netip.Addr

func parseAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

package attribution

import (
	"bytes"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/netmode"
)

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

func addrs(s ...string) []netip.Addr {
	var out []netip.Addr
	for _, x := range s {
		out = append(out, netip.MustParseAddr(x))
	}
	return out
}

const (
	arnWeb1 = "arn:aws:ecs:us-east-1:123456789012:task/demo/web1"
	arnWeb2 = "arn:aws:ecs:us-east-1:123456789012:task/demo/web2"
	arnAPI1 = "arn:aws:ecs:us-east-1:123456789012:task/demo/api1"
	arnAPI2 = "arn:aws:ecs:us-east-1:123456789012:task/demo/api2"
	arnX1   = "arn:aws:ecs:us-east-1:123456789012:task/demo/x1"
	arnX2   = "arn:aws:ecs:us-east-1:123456789012:task/demo/x2"
	arnBr1  = "arn:aws:ecs:us-east-1:123456789012:task/demo/br1"
	arnBr2  = "arn:aws:ecs:us-east-1:123456789012:task/demo/br2"
	arnHost = "arn:aws:ecs:us-east-1:123456789012:task/demo/host1"
	ciA     = "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/ci-a"
	ciB     = "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/ci-b"
	cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
)

func fixture() *history.Index {
	task := func(arn, group, family string, mode netmode.Mode, ci, az, eni string, a []netip.Addr, start, stop time.Time, b ...history.Binding) history.Task {
		v4, v6 := ips(a)
		return history.Task{ARN: arn, ClusterARN: cluster, Group: group, Family: family, Revision: 1,
			NetworkMode: mode, ContainerInstanceARN: ci, AvailabilityZone: az, ENI: eni, IPv4: v4, IPv6: v6,
			Valid: history.Interval{Start: start, End: stop}, Bindings: b}
	}
	awsvpc, bridge, host := netmode.ModeAWSVPC, netmode.ModeBridge, netmode.ModeHost
	tasks := []history.Task{
		task(arnWeb1, "service:web", "web", awsvpc, ciA, "us-east-1a", "eni-web1", addrs("10.0.1.101"), at(0), time.Time{}, port(8443, 8443)),
		task(arnWeb2, "service:web", "web", awsvpc, ciB, "us-east-1b", "eni-web2", addrs("10.0.2.102"), at(0), time.Time{}),
		task(arnAPI1, "service:api", "api", awsvpc, ciA, "us-east-1a", "eni-api1", addrs("10.0.1.111"), at(0), at(30)),
		task(arnAPI2, "service:api", "api", awsvpc, ciA, "us-east-1a", "eni-api2", addrs("10.0.1.111"), at(31), time.Time{}),
		task(arnX1, "family:x", "x", awsvpc, ciA, "us-east-1a", "eni-reuse", addrs("10.0.1.150"), at(0), at(10)),
		task(arnX2, "family:x", "x", awsvpc, ciA, "us-east-1a", "eni-reuse", addrs("10.0.1.151"), at(20), time.Time{}),
		task(arnBr1, "service:admin", "admin", bridge, ciB, "", "", nil, at(0), at(35), port(32768, 8080)),
		task(arnBr2, "service:admin", "admin", bridge, ciB, "", "", nil, at(40), time.Time{}, port(32768, 8080)),
		task(arnHost, "daemon:node-exporter", "node-exporter", host, ciA, "", "", nil, at(0), time.Time{}, port(9100, 9100)),
	}
	inst := []history.Instance{
		{ARN: ciA, EC2InstanceID: "i-a", AvailabilityZone: "us-east-1a", ENI: "eni-inst-a", IPv4: netip.MustParseAddr("10.0.1.10")},
		{ARN: ciB, EC2InstanceID: "i-b", AvailabilityZone: "us-east-1b", ENI: "eni-inst-b", IPv4: netip.MustParseAddr("10.0.2.20")},
	}
	return mustIndex(tasks, inst)
}

// fl builds an OK TCP ACCEPT flow.
func fl(eni, src, dst string, sp, dp uint16, bytes uint64, min int) flow {
	f := flow{eni: eni, srcPort: sp, dstPort: dp, proto: 6, hasPorts: true, bytes: bytes, packets: bytes / 100,
		start: at(min).Unix(), action: actionAccept}
	if src != "" {
		f.src = netip.MustParseAddr(src)
	}
	if dst != "" {
		f.dst = netip.MustParseAddr(dst)
	}
	return f
}

func newTestEngine(opts ...Option) *engine {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return newEngine(fixture(), cfg)
}

// checkInvariant asserts attributed + unattributed = total under every
// grouping.
func checkInvariant(t *testing.T, e *engine) {
	t.Helper()
	for _, g := range []GroupBy{ByTask, ByService, ByFamily, ByInstance, ByCluster} {
		r := e.result(g)
		a, u := r.Attributed(), r.UnattributedTotal()
		sum := Totals{a.Bytes + u.Bytes, a.Packets + u.Packets, a.Records + u.Records}
		if sum != r.Total {
			t.Fatalf("by %v: attributed %+v + unattributed %+v = %+v, total %+v", g, a, u, sum, r.Total)
		}
		for _, gr := range r.Groups {
			var s uint64
			for _, p := range gr.Series {
				s += p.BytesIn + p.BytesOut + p.BytesUnknown
			}
			// Records outside a task's series bound are in every total
			// but its series (Stats.SeriesDropped).
			if s != gr.Bytes() && (r.Stats.SeriesDropped == 0 || s > gr.Bytes()) {
				t.Fatalf("by %v group %s: series sums to %d, bytes %d", g, gr.Key, s, gr.Bytes())
			}
		}
		checkClasses(t, r)
	}
}

// outcome runs one flow through a fresh engine and reports where it went.
type outcome struct {
	task   string // ARN, or ""
	in     bool
	method Method
	reason Reason
}

func run1(t *testing.T, f flow, opts ...Option) (outcome, *engine) {
	t.Helper()
	e := newTestEngine(opts...)
	e.add(&f)
	checkInvariant(t, e)
	r := e.result(ByTask)
	if len(r.Groups) == 1 {
		g := r.Groups[0]
		o := outcome{task: g.Key, in: g.BytesIn > 0}
		for m, mt := range r.Stats.ByMethod {
			if mt.Records == 1 {
				o.method = Method(m)
			}
		}
		return o, e
	}
	if len(r.Unattributed) != 1 || len(r.Groups) != 0 {
		t.Fatalf("want exactly one group or one reason, got %d groups, %d reasons", len(r.Groups), len(r.Unattributed))
	}
	return outcome{reason: r.Unattributed[0].Reason}, e
}

func TestAttributionPaths(t *testing.T) {
	ecs := func(f flow, arn string) flow { f.ecsTaskARN = arn; return f }
	dir := func(f flow, d uint8) flow { f.dir = d; return f }
	pkt := func(f flow, s, d string) flow {
		if s != "" {
			f.pktSrc = netip.MustParseAddr(s)
		}
		if d != "" {
			f.pktDst = netip.MustParseAddr(d)
		}
		return f
	}
	status := func(f flow, s uint8) flow { f.status = s; return f }
	noports := func(f flow) flow { f.hasPorts = false; return f }
	for _, c := range []struct {
		name string
		f    flow
		want outcome
		opts []Option
	}{
		{"eni ingress by address", fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 5), outcome{task: arnWeb1, in: true, method: ByENI}, nil},
		{"eni egress by address", fl("eni-web1", "10.0.1.101", "10.0.1.111", 40000, 9000, 1000, 5), outcome{task: arnWeb1, method: ByENI}, nil},
		{"eni flow-direction wins", dir(fl("eni-web1", "10.0.1.101", "10.0.1.111", 40000, 9000, 1000, 5), dirIngress), outcome{task: arnWeb1, in: true, method: ByENI}, nil},
		{"eni reuse first owner", fl("eni-reuse", "10.0.1.150", "8.8.8.8", 40000, 53, 100, 5), outcome{task: arnX1, method: ByENI}, nil},
		{"eni reuse second owner", fl("eni-reuse", "10.0.1.151", "8.8.8.8", 40000, 53, 100, 25), outcome{task: arnX2, method: ByENI}, nil},
		{"eni between owners", fl("eni-reuse", "10.0.1.150", "8.8.8.8", 40000, 53, 100, 15), outcome{reason: OutsideLifetime}, nil},
		{"eni within late slack", fl("eni-reuse", "10.0.1.150", "8.8.8.8", 40000, 53, 100, 11), outcome{task: arnX1, method: ByENI}, []Option{WithLateSlack(2 * time.Minute)}},
		{"eni after stop", fl("eni-api1", "10.0.1.111", "10.0.9.9", 40000, 5432, 100, 50), outcome{reason: OutsideLifetime}, nil},
		{"ip on trunk before reuse", pkt(fl("eni-trunk", "10.0.1.10", "10.0.9.9", 40000, 5432, 100, 15), "10.0.1.111", ""), outcome{task: arnAPI1, method: ByIP}, nil},
		{"ip on trunk after reuse", pkt(fl("eni-trunk", "10.0.1.10", "10.0.9.9", 40000, 5432, 100, 45), "10.0.1.111", ""), outcome{task: arnAPI2, method: ByIP}, nil},
		{"ip in gap between owners", func() flow { f := fl("eni-nat", "10.0.1.111", "1.1.1.1", 40000, 443, 100, 30); f.start += 30; return f }(), outcome{reason: OutsideLifetime}, []Option{WithLateSlack(0)}},
		{"ip remote side with direction", dir(fl("eni-db", "10.0.1.111", "10.0.9.9", 40000, 5432, 100, 45), dirIngress), outcome{reason: UnknownENI}, nil},
		{"ip local side with direction", dir(pkt(fl("eni-trunk", "10.0.1.10", "10.0.9.9", 40000, 5432, 100, 45), "10.0.1.111", ""), dirEgress), outcome{task: arnAPI2, method: ByIP}, nil},
		{"ip dst side", fl("eni-nat", "1.1.1.1", "10.0.1.111", 443, 40000, 100, 45), outcome{task: arnAPI2, in: true, method: ByIP}, nil},
		{"ip fallback off", fl("eni-nat", "1.1.1.1", "10.0.1.111", 443, 40000, 100, 45), outcome{reason: UnknownENI}, []Option{WithoutIPFallback()}},
		{"no interface, ip", fl("", "10.0.1.101", "1.1.1.1", 40000, 443, 100, 45), outcome{task: arnWeb1, method: ByIP}, nil},
		{"bridge inbound to host port", fl("eni-inst-b", "10.0.2.5", "10.0.2.20", 41000, 32768, 700, 5), outcome{task: arnBr1, in: true, method: ByHostPort}, nil},
		{"bridge reply from host port", fl("eni-inst-b", "10.0.2.20", "10.0.2.5", 32768, 41000, 700, 5), outcome{task: arnBr1, method: ByHostPort}, nil},
		{"bridge port reused later", fl("eni-inst-b", "10.0.2.5", "10.0.2.20", 41000, 32768, 700, 45), outcome{task: arnBr2, in: true, method: ByHostPort}, nil},
		{"bridge port between owners", fl("eni-inst-b", "10.0.2.5", "10.0.2.20", 41000, 32768, 700, 38), outcome{reason: SharedENINoBinding}, nil},
		{"bridge udp not tcp binding", func() flow {
			f := fl("eni-inst-b", "10.0.2.5", "10.0.2.20", 41000, 32768, 700, 5)
			f.proto = 17
			return f
		}(), outcome{reason: SharedENINoBinding}, nil},
		{"bridge outbound snat", fl("eni-inst-b", "10.0.2.20", "52.1.2.3", 45000, 443, 900, 5), outcome{reason: SharedENINoBinding}, nil},
		{"instance no ports", noports(fl("eni-inst-b", "10.0.2.20", "52.1.2.3", 0, 0, 90, 5)), outcome{reason: SharedENINoBinding}, nil},
		{"awsvpc bindings are not host ports", fl("eni-inst-a", "10.0.2.5", "10.0.1.10", 41000, 8443, 700, 5), outcome{reason: SharedENINoBinding}, nil},
		{"host mode port", fl("eni-inst-a", "10.0.2.30", "10.0.1.10", 50000, 9100, 300, 5), outcome{reason: HostMode}, nil},
		{"no interface, instance address", fl("", "10.0.2.5", "10.0.2.20", 41000, 32768, 700, 5), outcome{task: arnBr1, in: true, method: ByHostPort}, nil},
		{"unknown eni", fl("eni-lambda", "10.0.3.3", "52.1.2.3", 40000, 443, 100, 5), outcome{reason: UnknownENI}, nil},
		{"nodata", status(flow{eni: "eni-web1", start: at(5).Unix()}, statusNoData), outcome{reason: NoData}, nil},
		{"nodata with bytes", status(fl("eni-web1", "", "", 0, 0, 77, 5), statusNoData), outcome{reason: NoData}, nil},
		{"skipdata", status(fl("eni-web1", "", "", 0, 0, 0, 5), statusSkipData), outcome{reason: SkipData}, nil},
		{"ecs field agrees", ecs(fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 5), arnWeb1), outcome{task: arnWeb1, in: true, method: ByECSField}, nil},
		{"ecs field disagrees", ecs(fl("eni-api1", "10.0.1.111", "10.0.1.101", 40000, 8080, 1000, 5), arnWeb1), outcome{task: arnWeb1, in: true, method: ByECSField}, nil},
		{"ecs field unknown task", ecs(dir(fl("eni-zzz", "10.0.5.5", "10.0.1.101", 40000, 8080, 1000, 5), dirEgress), "arn:aws:ecs:us-east-1:123456789012:task/demo/fargate1"), outcome{task: "arn:aws:ecs:us-east-1:123456789012:task/demo/fargate1", method: ByECSField}, nil},
		{"ecs field beats lifetime", ecs(fl("eni-api1", "10.0.1.111", "10.0.9.9", 40000, 5432, 100, 50), arnAPI1), outcome{task: arnAPI1, method: ByECSField}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			got, _ := run1(t, c.f, c.opts...)
			if got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestECSFieldStats(t *testing.T) {
	e := newTestEngine()
	agree := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 5)
	agree.ecsTaskARN = arnWeb1
	disagree := fl("eni-api1", "10.0.1.111", "10.0.1.101", 40000, 8080, 1000, 5)
	disagree.ecsTaskID = "web1"
	only := fl("eni-zzz", "10.0.5.5", "10.0.5.6", 40000, 8080, 1000, 5)
	only.ecsTaskID = "f00"
	only.ecsService = "batch"
	only.ecsTaskDef = "arn:aws:ecs:us-east-1:123456789012:task-definition/batch:7"
	for _, f := range []flow{agree, disagree, only, only} {
		e.add(&f)
	}
	checkInvariant(t, e)
	s := e.stats
	if s.ECSFieldDisagreements != 1 || s.ECSFieldOnly != 2 || s.ByMethod[ByECSField].Records != 4 {
		t.Fatalf("stats %+v", s)
	}
	r := e.result(ByFamily)
	var batch *Group
	for i := range r.Groups {
		if r.Groups[i].Key == "batch" {
			batch = &r.Groups[i]
		}
	}
	if batch == nil || batch.Records != 2 || batch.Tasks[0].Group != "service:batch" || batch.Tasks[0].Revision != 7 || batch.ECSFieldOnlyTasks != 1 {
		t.Fatalf("batch group %+v", batch)
	}
}

// TestTaskMapsMadeByECSFields checks that the maps of tasks by ARN and
// ID wait for the first record with ecs-* fields, and then find the
// history's task, not one made from the fields.
func TestTaskMapsMadeByECSFields(t *testing.T) {
	e := newTestEngine()
	plain := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 5)
	e.add(&plain)
	if e.ix.byARN != nil || e.ix.byID != nil {
		t.Fatal("maps by ARN and ID made without a record naming a task")
	}
	byARN := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 6)
	byARN.ecsTaskARN = arnWeb1
	byID := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 7)
	byID.ecsTaskID = "web1"
	for _, f := range []flow{byARN, byID} {
		e.add(&f)
	}
	checkInvariant(t, e)
	var web1 *taskState
	for _, st := range e.ix.tasks {
		if st.info.ARN == arnWeb1 {
			web1 = st
		}
	}
	if web1 == nil || e.ix.byARN[arnWeb1] != web1 || e.ix.byID["web1"] != web1 {
		t.Fatalf("by ARN %p, by ID %p, want the history's task %p", e.ix.byARN[arnWeb1], e.ix.byID["web1"], web1)
	}
	if len(e.ecsOnly) != 0 || e.stats.ECSFieldDisagreements != 0 || e.stats.ECSFieldOnly != 0 {
		t.Fatalf("tasks made from fields %d, stats %+v", len(e.ecsOnly), e.stats)
	}
}

// TestECSCompactFields: a task known only from records in the compact v7
// set (ecs-task-id, ecs-cluster-name, ecs-service-name,
// ecs-container-instance-id) is keyed by the cluster name and the
// container instance ID the records give, and is a Fargate task only when
// the format has a container-instance field and the record leaves it "-".
func TestECSCompactFields(t *testing.T) {
	const (
		head  = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction "
		line  = "7 eni-0aaa 10.9.0.5 10.9.0.6 443 40000 6 10 1000 1764064800 1764064860 ACCEPT OK egress "
		inst  = "0123456789abcdef0123456789abcdef"
		clARN = "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
		ciARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/" + inst
	)
	for _, c := range []struct {
		name, fields, values    string
		cluster, instance, kind string // the task's ByCluster and ByInstance keys, launch type
	}{
		{"compact, EC2", "ecs-cluster-name ecs-container-instance-id ecs-service-name ecs-task-id",
			"prod " + inst + " api 1111111111111111111111111111111a", "prod", inst, ""},
		{"compact, Fargate", "ecs-cluster-name ecs-container-instance-id ecs-service-name ecs-task-id",
			"prod - api 1111111111111111111111111111111a", "prod", "", "FARGATE"},
		{"instance ARN field only, Fargate", "ecs-cluster-name ecs-container-instance-arn ecs-task-id",
			"prod - 1111111111111111111111111111111a", "prod", "", "FARGATE"},
		{"no container-instance field", "ecs-cluster-name ecs-service-name ecs-task-id",
			"prod api 1111111111111111111111111111111a", "prod", "", ""},
		{"ARNs first", "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-task-id",
			clARN + " prod " + ciARN + " " + inst + " 1111111111111111111111111111111a", clARN, ciARN, ""},
		{"names where the ARNs are absent", "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-task-id",
			"- prod - " + inst + " 1111111111111111111111111111111a", "prod", inst, ""},
		{"both absent, Fargate", "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-task-id",
			"- prod - - 1111111111111111111111111111111a", "prod", "", "FARGATE"},
		{"cluster from the task ARN", "ecs-container-instance-id ecs-task-arn",
			inst + " arn:aws:ecs:us-east-1:123456789012:task/blue/1111111111111111111111111111111a", "blue", inst, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := head + c.fields + "\n" + line + c.values + "\n" + line + c.values + "\n"
			for _, sync := range []bool{false, true} {
				opts := []Option{}
				if sync {
					opts = append(opts, WithSyncAddAll())
				}
				a := New(mustIndex(nil, nil), opts...)
				if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in), flowlogs.WithFields(Fields()...)).All()); err != nil {
					t.Fatal(err)
				}
				p := a.Partial()
				for _, r := range []*Result{a.Result(ByCluster), p.Result(ByCluster)} {
					if len(r.Groups) != 1 || r.Groups[0].Records != 2 {
						t.Fatalf("groups %+v, unattributed %+v", r.Groups, r.Unattributed)
					}
					g := r.Groups[0]
					if g.Key != c.cluster || g.Tasks[0].LaunchType != c.kind || g.ECSFieldOnlyTasks != 1 {
						t.Errorf("by cluster: key %q, launch type %q (ECS-only tasks %d); want %q, %q", g.Key, g.Tasks[0].LaunchType, g.ECSFieldOnlyTasks, c.cluster, c.kind)
					}
				}
				for _, r := range []*Result{a.Result(ByInstance), p.Result(ByInstance)} {
					if k := r.Groups[0].Key; k != c.instance {
						t.Errorf("by instance: key %q, want %q", k, c.instance)
					}
				}
			}
		})
	}
}

// TestOneClusterTwoGroups: a task known only from records' compact v7
// fields (ecs-cluster-name, ecs-container-instance-id) is grouped with the
// history's tasks of its cluster and container instance: the name and the
// ID are resolved to the one ARN of the history ending in "/NAME" or
// "/ID" (tasks' and instances' cluster ARNs; instances' ARNs and those
// tasks name), and its instance is the history's. "prod" was once a
// ByCluster group beside cluster/prod (and an ID a ByInstance group beside
// its instance's ARN). A name or ID of two ARNs, or of none, stays as it
// is; so does a value that is an ARN already. The partial, and the
// partial of parts, group alike.
func TestOneClusterTwoGroups(t *testing.T) {
	const (
		acct   = "arn:aws:ecs:us-east-1:123456789012:"
		prod   = acct + "cluster/prod"
		instID = "0123456789abcdef0123456789abcdef"
		ci     = acct + "container-instance/prod/" + instID
		onlyID = "1111111111111111aaaaaaaaaaaaaaaa" // named by a task only
		dupID  = "2222222222222222bbbbbbbbbbbbbbbb" // of two instance ARNs
	)
	task := func(id, cl, inst, eni, ip string) history.Task {
		return history.Task{ARN: acct + "task/" + cl[strings.LastIndexByte(cl, '/')+1:] + "/" + id, ClusterARN: cl,
			Group: "service:api", Family: "api", NetworkMode: netmode.ModeAWSVPC, ContainerInstanceARN: inst, ENI: eni,
			IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: t0}}
	}
	h := mustIndex([]history.Task{
		task("aaaa", prod, ci, "eni-a", "10.0.1.5"),
		task("aaab", prod, acct+"container-instance/prod/"+onlyID, "eni-b", "10.0.1.6"),
		task("aaac", acct+"cluster/dup", acct+"container-instance/dup/"+dupID, "eni-c", "10.0.1.7"),
		task("aaad", "arn:aws:ecs:us-west-2:123456789012:cluster/dup", "arn:aws:ecs:us-west-2:123456789012:container-instance/dup/"+dupID, "eni-d", "10.0.1.8"),
	}, []history.Instance{{ARN: ci, ClusterARN: prod, EC2InstanceID: "i-0abc", AvailabilityZone: "us-east-1a"}})
	s := t0.Add(time.Minute).Unix()
	var in strings.Builder
	fmt.Fprintf(&in, "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-cluster-name ecs-container-instance-id ecs-task-id\n")
	for _, r := range []struct{ eni, src, bytes, cluster, inst, id string }{
		{"eni-a", "10.0.1.5", "100", "prod", instID, "aaaa"}, // the history's task
		{"eni-x", "10.0.7.1", "200", "prod", instID, "bbbb"},
		{"eni-x", "10.0.7.2", "400", "prod", onlyID, "bbbc"},
		{"eni-x", "10.0.7.3", "800", "dup", dupID, "bbbd"},
		{"eni-x", "10.0.7.4", "1600", "blue", "3333333333333333cccccccccccccccc", "bbbe"},
		{"eni-x", "10.0.7.5", "3200", prod, ci, "bbbf"}, // ARNs already (in name fields: as they come)
	} {
		fmt.Fprintf(&in, "7 %s %s 10.0.2.9 40000 443 6 1 %s %d %d ACCEPT OK %s %s %s\n", r.eni, r.src, r.bytes, s, s+30, r.cluster, r.inst, r.id)
	}
	want := map[GroupBy]map[string]uint64{
		ByCluster: {prod: 100 + 200 + 400 + 3200, "dup": 800, "blue": 1600},
		ByInstance: {ci: 100 + 200 + 3200, acct + "container-instance/prod/" + onlyID: 400, dupID: 800,
			"3333333333333333cccccccccccccccc": 1600},
	}
	a := New(h)
	b, c := New(h), New(h) // the records split in two parts
	if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in.String()), flowlogs.WithFields(Fields()...)).All()); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(in.String(), "\n")
	head, recs := lines[0], lines[1:]
	for i, x := range []*Attributor{b, c} {
		part := head
		for j := i; j < len(recs); j += 2 {
			part += recs[j]
		}
		if err := x.AddAll(flowlogs.NewReader(strings.NewReader(part), flowlogs.WithFields(Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
	}
	merged, err := Merge(b.Partial(), c.Partial())
	if err != nil {
		t.Fatal(err)
	}
	for g, w := range want {
		for name, r := range map[string]*Result{"Result": a.Result(g), "Partial": a.Partial().Result(g), "Merge": merged.Result(g)} {
			got := map[string]uint64{}
			for _, grp := range r.Groups {
				got[grp.Key] = grp.Bytes()
				if grp.Key == ci && (len(grp.Instances) != 1 || grp.Instances[0].EC2InstanceID != "i-0abc") {
					t.Errorf("%s by %v: group %s has instances %+v, want the history's", name, g, ci, grp.Instances)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(w) {
				t.Errorf("%s by %v: bytes by group %v, want %v", name, g, got, w)
			}
		}
	}
}

// TestSlashlessECSTaskARN: an ecs-task-arn without a task ID after a "/"
// is its own task ID, so two such records of different tasks make two
// tasks; the ID "" is never a key (once it made every such record find
// the first task made so).
func TestSlashlessECSTaskARN(t *testing.T) {
	e := newTestEngine()
	var fs []flow
	for i, arn := range []string{"task-a", "task-b", "task-a", "arn:aws:ecs:us-east-1:123456789012:task/demo/", "arn:aws:ecs:us-east-1:123456789012:task/other/"} {
		f := fl("eni-zzz", "10.0.5.5", "52.1.2.3", 40000, 443, 100*uint64(i+1), 5)
		f.dir, f.ecsTaskARN = dirEgress, arn
		fs = append(fs, f)
	}
	for i := range fs {
		e.add(&fs[i])
	}
	checkInvariant(t, e)
	if len(e.ecsOnly) != 4 {
		t.Fatalf("%d tasks made from fields, want 4", len(e.ecsOnly))
	}
	if _, ok := e.ix.byID[""]; ok {
		t.Fatal(`byID[""] is set`)
	}
	got := map[string]uint64{}
	for _, g := range e.result(ByTask).Groups {
		got[g.Key] = g.Bytes()
	}
	want := map[string]uint64{"task-a": 400, "task-b": 200,
		"arn:aws:ecs:us-east-1:123456789012:task/demo/": 400, "arn:aws:ecs:us-east-1:123456789012:task/other/": 500}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("bytes by task %v, want %v", got, want)
	}
	// A history task whose ARN ends in "/" (ID "") is no task of ID "".
	h := mustIndex([]history.Task{{ARN: "arn:aws:ecs:us-east-1:123456789012:task/demo/", Valid: history.Interval{Start: at(0)}}}, nil)
	e = newEngine(h, defaultConfig())
	f := fl("eni-zzz", "10.0.5.5", "52.1.2.3", 40000, 443, 100, 5)
	f.ecsTaskARN = "arn:aws:ecs:us-east-1:123456789012:task/demo/x1/"
	e.add(&f)
	if _, ok := e.ix.byID[""]; ok || len(e.ecsOnly) != 1 {
		t.Fatalf(`byID[""] set (%v) or %d tasks made from fields, want 1`, ok, len(e.ecsOnly))
	}
}

func TestRollupsByGroup(t *testing.T) {
	e := newTestEngine()
	for _, f := range []flow{
		fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 1),
		fl("eni-web2", "10.0.2.5", "10.0.2.102", 40000, 8080, 2000, 2),
		fl("eni-api1", "10.0.1.111", "10.0.9.9", 40000, 5432, 300, 3),
		fl("eni-api2", "10.0.1.111", "10.0.9.9", 40000, 5432, 400, 40),
		fl("eni-inst-b", "10.0.2.5", "10.0.2.20", 41000, 32768, 50, 5),
	} {
		e.add(&f)
	}
	checkInvariant(t, e)
	want := map[GroupBy]map[string]uint64{
		ByTask:     {arnWeb1: 1000, arnWeb2: 2000, arnAPI1: 300, arnAPI2: 400, arnBr1: 50},
		ByService:  {"service:web": 3000, "service:api": 700, "service:admin": 50},
		ByFamily:   {"web": 3000, "api": 700, "admin": 50},
		ByInstance: {ciA: 1700, ciB: 2050},
		ByCluster:  {cluster: 3750},
	}
	for g, w := range want {
		r := e.result(g)
		got := map[string]uint64{}
		for _, gr := range r.Groups {
			got[gr.Key] = gr.Bytes()
		}
		if len(got) != len(w) {
			t.Errorf("by %v: got %v want %v", g, got, w)
		}
		for k, v := range w {
			if got[k] != v {
				t.Errorf("by %v: %s = %d, want %d", g, k, got[k], v)
			}
		}
		for i := 1; i < len(r.Groups); i++ {
			if r.Groups[i-1].Bytes() < r.Groups[i].Bytes() {
				t.Errorf("by %v: not sorted heaviest first", g)
			}
		}
	}
	r := e.result(ByService)
	for _, g := range r.Groups {
		if g.Key == "service:admin" && (g.InferredBytes != 50 || g.InferredRecords != 1) {
			t.Errorf("admin inferred %d/%d", g.InferredBytes, g.InferredRecords)
		}
		if g.Key == "service:api" && len(g.Tasks) != 2 {
			t.Errorf("api tasks %d", len(g.Tasks))
		}
	}
}

func TestAcceptRejectAndPorts(t *testing.T) {
	e := newTestEngine()
	acc := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 1)
	rej := fl("eni-web1", "10.0.2.66", "10.0.1.101", 40001, 22, 60, 1)
	rej.action = actionReject
	none := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 5, 1)
	none.action = actionNone
	reply := fl("eni-web1", "10.0.1.101", "10.0.2.5", 8080, 40000, 3000, 1)
	syn := fl("eni-web1", "10.0.1.101", "10.0.2.5", 50000, 40000, 10, 1)
	syn.hasFlags, syn.tcpFlags = true, 2 // 50000 → 40000 opened by the task: service port 40000
	for _, f := range []flow{acc, rej, none, reply, syn} {
		e.add(&f)
	}
	g := e.result(ByTask).Groups[0]
	if g.AcceptedBytes != 4010 || g.RejectedBytes != 60 || g.BytesIn != 1065 || g.BytesOut != 3010 {
		t.Fatalf("counters %+v", g.Counters)
	}
	ports := map[uint16]uint64{}
	for _, p := range g.TopPorts {
		ports[p.Port] = p.Bytes
	}
	if ports[8080] != 4005 || ports[22] != 60 || ports[40000] != 10 || g.TopPorts[0].Port != 8080 {
		t.Fatalf("ports %+v", g.TopPorts)
	}
}

func TestPeerClasses(t *testing.T) {
	topo := Topology{
		Subnets: []Subnet{{ID: "subnet-db", Prefix: netip.MustParsePrefix("10.0.3.0/24"), AZ: "us-east-1b", VPC: "vpc-1"}},
		VPCs: []VPC{
			{ID: "vpc-1", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}},
			{ID: "vpc-2", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}},
		},
	}
	e := newTestEngine(WithTopology(topo))
	svc := fl("eni-web1", "10.0.1.101", "52.216.1.1", 40000, 443, 1, 1)
	svc.pktDst, svc.dstService = svc.dst, "S3"
	// The format has pkt-dst-aws-service, empty: not AWS's.
	natted := fl("eni-web1", "10.0.1.101", "10.0.1.200", 40000, 443, 2, 1)
	natted.pktDst = netip.MustParseAddr("93.184.216.34")
	natted.fmtFields = svcDst
	// Without the field, a public peer may be an AWS service or not, and
	// so may an internet gateway's.
	igw := fl("eni-web1", "10.0.1.101", "10.9.9.9", 40000, 443, 4, 1)
	igw.trafficPath = 8
	public := fl("eni-web1", "10.0.1.101", "52.216.1.2", 40000, 443, 1024, 1)
	public.fmtFields = svcSrc // the other side's field says nothing of the peer
	nextHop := fl("eni-web1", "10.0.1.101", "10.0.0.7", 40000, 443, 8, 1)
	nextHop.azID, nextHop.nextHopAZID = "use1-az1", "use1-az2"
	for _, f := range []flow{
		fl("eni-web1", "10.0.1.101", "10.0.1.111", 40000, 9000, 16, 1),  // api1, same AZ
		fl("eni-web1", "10.0.1.101", "10.0.2.102", 40000, 8080, 32, 1),  // web2, cross-AZ
		fl("eni-web1", "10.0.1.101", "10.0.2.20", 40000, 32768, 64, 1),  // instance b, cross-AZ
		fl("eni-web1", "10.0.1.101", "10.0.3.50", 40000, 5432, 128, 1),  // subnet in b
		fl("eni-web1", "10.0.1.101", "10.1.0.5", 40000, 5432, 256, 1),   // other VPC
		fl("eni-web1", "10.0.1.101", "10.0.200.5", 40000, 5432, 512, 1), // in VPC, unknown subnet
		svc, natted, igw, public, nextHop,
	} {
		e.add(&f)
	}
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	want := map[PeerClass]uint64{PeerAWSService: 1, PeerInternet: 2, PeerPublic: 4 + 1024, PeerCrossAZ: 32 + 64 + 128 + 8, PeerSameAZ: 16, PeerOtherVPC: 256, PeerUnknown: 512}
	for c, w := range want {
		if g.ClassBytes[c] != w {
			t.Errorf("%v: %d, want %d (all %v)", c, g.ClassBytes[c], w, g.ClassBytes)
		}
	}
	for _, p := range g.TopPeers {
		if p.Prefix.Addr() == netip.MustParseAddr("52.216.1.1") && (p.Service != "S3" || p.Class != PeerAWSService) {
			t.Errorf("S3 peer %+v", p)
		}
		if p.Prefix.Addr() == netip.MustParseAddr("93.184.216.34") && p.Class != PeerInternet {
			t.Errorf("NATed peer %+v", p)
		}
	}
}

func TestPeerPrefixGrouping(t *testing.T) {
	e := newTestEngine(WithPeerPrefix(24, 64))
	for i := range 10 {
		f := fl("eni-web1", "10.0.1.101", "203.0.113."+string(rune('0'+i)), 40000, 443, 10, 1)
		e.add(&f)
	}
	g := e.result(ByTask).Groups[0]
	if len(g.TopPeers) != 1 || g.TopPeers[0].Prefix != netip.MustParsePrefix("203.0.113.0/24") || g.TopPeers[0].Bytes != 100 {
		t.Fatalf("peers %+v", g.TopPeers)
	}
}

func TestSeries(t *testing.T) {
	cfg := defaultConfig()
	WithStep(time.Minute)(&cfg)
	WithMaxBuckets(100)(&cfg)
	e := newEngine(mustIndex([]history.Task{{ARN: arnWeb1, ENI: "eni-web1", IPv4: netip.MustParseAddr("10.0.1.101")}}, nil), cfg)
	for _, m := range []int{10, 50, 3, 10, 5000, -5000} {
		f := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 100, m)
		e.add(&f)
	}
	r := e.result(ByTask)
	g := r.Groups[0]
	if r.Stats.SeriesDropped != 2 {
		t.Fatalf("dropped %d", r.Stats.SeriesDropped)
	}
	if len(g.Series) != 3 || !g.Series[0].Start.Equal(at(3)) || g.Series[1].BytesIn != 200 || !g.Series[2].Start.Equal(at(50)) {
		t.Fatalf("series %+v", g.Series)
	}
	if g.Bytes() != 600 {
		t.Fatalf("bytes %d", g.Bytes())
	}
}

func TestWithoutPeers(t *testing.T) {
	e := newTestEngine(WithoutPeers())
	f := fl("eni-web1", "10.0.2.5", "10.0.1.101", 40000, 8080, 1000, 1)
	e.add(&f)
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	if g.BytesIn != 1000 || len(g.TopPeers) != 0 || len(g.TopPorts) != 0 || g.ClassBytes[PeerUnknown] != 1000 || len(g.Series) != 1 {
		t.Fatalf("%+v", g)
	}
}

// Without flow-direction, bytes where neither address is the task's are
// kept apart as direction unknown, not guessed into in or out (issue 15),
// in the counters and the series alike.
func TestDirectionUnknown(t *testing.T) {
	e := newTestEngine()
	f := fl("", "10.0.1.101", "10.0.1.101", 1, 2, 10, 1) // both sides the task: egress
	e.add(&f)
	f2 := fl("eni-web1", "10.0.7.7", "10.0.7.8", 1, 2, 30, 1) // neither: unknown
	e.add(&f2)
	f3 := fl("eni-web1", "52.1.2.3", "10.0.7.8", 1, 2, 50, 1) // neither, public source: still unknown
	e.add(&f3)
	if e.stats.DirectionUnknown != 2 {
		t.Fatalf("unknown %d", e.stats.DirectionUnknown)
	}
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	if g.BytesOut != 10 || g.BytesIn != 0 || g.BytesUnknown != 80 || g.PacketsUnknown != 0 || g.Bytes() != 90 {
		t.Fatalf("%+v", g.Counters)
	}
	if p := g.Series[0]; p.BytesOut != 10 || p.BytesUnknown != 80 {
		t.Fatalf("series %+v", p)
	}
}

func TestUnattributedInterfaces(t *testing.T) {
	e := newTestEngine()
	for i := range 3 {
		f := fl("eni-lambda", "10.0.3.3", "52.1.2.3", 40000, 443, uint64(100*(i+1)), 5)
		e.add(&f)
	}
	f := fl("eni-other", "10.0.3.4", "52.1.2.3", 40000, 443, 50, 5)
	e.add(&f)
	r := e.result(ByTask)
	u := r.Unattributed[0]
	if u.Reason != UnknownENI || u.Records != 4 || u.Bytes != 650 || len(u.TopInterfaces) != 2 || u.TopInterfaces[0].ID != "eni-lambda" || u.TopInterfaces[0].Bytes != 600 {
		t.Fatalf("%+v", u)
	}
}

// A record that starts exactly WithLateSlack after its task stopped is the
// task's (a packet at the stop can carry a start 60 s later; issue 15),
// one second more is not, and a next owner always wins.
func TestLateWindowInclusive(t *testing.T) {
	e := newTestEngine()
	stop := at(30).Unix() // api1's stop, a whole second
	cases := []struct {
		f    flow
		want string
	}{
		{flow{eni: "eni-api1", start: stop + 60}, arnAPI1},
		{flow{eni: "eni-api1", start: stop + 61}, ""},
		// By address: api2 takes 10.0.1.111 at 10:31, before the window ends.
		{flow{src: netip.MustParseAddr("10.0.1.111"), start: stop + 59, dir: dirEgress}, arnAPI1},
		{flow{src: netip.MustParseAddr("10.0.1.111"), start: stop + 60, dir: dirEgress}, arnAPI2},
		// Host port 32768 on ci-b: br1 stops at 10:35, br2 starts at 10:40.
		{flow{eni: "eni-inst-b", dst: netip.MustParseAddr("10.0.2.20"), dstPort: 32768, proto: 6, hasPorts: true, dir: dirIngress, start: at(35).Unix() + 60}, arnBr1},
		{flow{eni: "eni-inst-b", dst: netip.MustParseAddr("10.0.2.20"), dstPort: 32768, proto: 6, hasPorts: true, dir: dirIngress, start: at(35).Unix() + 61}, ""},
	}
	for _, c := range cases {
		st, _, _, _, _ := e.join(&c.f)
		got := ""
		if st != nil {
			got = st.info.ARN
		}
		if got != c.want {
			t.Errorf("%s at stop+%d: %q, want %q", c.f.eni, c.f.start-stop, got, c.want)
		}
	}

	// A stop inside a second: its own second counts as held, the window
	// ends 60 s after the stop.
	half := 500 * time.Millisecond
	ef := newEngine(mustIndex([]history.Task{{ARN: "frac", NetworkMode: netmode.ModeAWSVPC, ENI: "eni-f",
		Valid: history.Interval{Start: at(0), End: at(30).Add(half)}}}, nil), defaultConfig())
	for d, want := range map[int64]bool{0: true, 60: true, 61: false} {
		f := flow{eni: "eni-f", start: stop + d}
		if st, _, _, _, _ := ef.join(&f); (st != nil) != want {
			t.Errorf("fractional stop, record at stop+%d: attributed %v", d, st != nil)
		}
	}
}

// serviceNames keeps one copy of each name up to maxServiceNames, and
// past it still returns the name, a copy of its own, without growing.
func TestServiceNamesBounded(t *testing.T) {
	m := serviceNames{}
	if m.intern("") != nil {
		t.Error(`intern("") is not nil`)
	}
	if a, b := m.intern("S3"), m.intern("S3"); a != b || *a != "S3" {
		t.Errorf("S3 interned twice: %p %p", a, b)
	}
	for i := range 2 * maxServiceNames {
		name := "X" + strconv.Itoa(i)
		if v := m.intern(name); *v != name {
			t.Fatalf("intern(%q) = %q", name, *v)
		}
	}
	if len(m) != maxServiceNames {
		t.Errorf("%d names kept, want at most %d", len(m), maxServiceNames)
	}
	if a, b := m.intern("S3"), m.intern("S3"); a != b {
		t.Error("a name interned before the bound lost its one copy")
	}
}

// TestRollupsMadeByRecords: a task has a rollup once a record is
// attributed to it, and not before, so that a history of many tasks costs
// a few words for each without records (a week's history and a 5-minute
// object); the results are those of tasks with records either way.
func TestRollupsMadeByRecords(t *testing.T) {
	set := benchInput("large")
	rollups := func(a *Attributor) (n int) {
		for _, st := range a.e.ix.tasks {
			if st.rollup != nil {
				n++
			}
		}
		return n
	}
	for _, opts := range [][]Option{nil, {WithSyncAddAll()}} {
		a := New(set.h, opts...)
		if n := len(a.e.ix.tasks); n < 1000 {
			t.Fatalf("the large input's history has %d tasks", n)
		}
		if n := rollups(a); n != 0 {
			t.Fatalf("options %d: %d rollups before any record", len(opts), n)
		}
		r := flowlogs.NewReader(bytes.NewReader(set.in), flowlogs.WithFields(Fields()...))
		err := a.AddAll(func(yield func(*flowlogs.Record, error) bool) {
			for i := 0; i < 300 && r.Scan(); i++ {
				if !yield(r.Record(), nil) {
					return
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		groups := len(a.Result(ByTask).Groups)
		if n := rollups(a); n != groups || n == 0 || n >= len(a.e.ix.tasks)/2 {
			t.Fatalf("options %d: %d rollups for %d tasks with records, of %d", len(opts), n, groups, len(a.e.ix.tasks))
		}
	}
}

// TestPublicPeerNeedsServiceField: through the parser, a public peer is
// the internet only when the record's format has the peer side's
// pkt-*-aws-service field and it is empty; in a format without it (the
// default one) it may be S3 or any AWS endpoint as well, and is public.
func TestPublicPeerNeedsServiceField(t *testing.T) {
	start := at(5).Unix()
	for _, c := range []struct {
		name, header, fields string
		want                 PeerClass
	}{
		{"default format", "", "2 123456789012 eni-web1 10.0.1.101 198.51.100.7 40000 443 6 1 1000 %d %d ACCEPT OK", PeerPublic},
		{"the field, empty", "interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction pkt-dst-aws-service",
			"eni-web1 10.0.1.101 198.51.100.7 40000 443 6 1 1000 %d %d ACCEPT OK egress -", PeerInternet},
		{"the field, S3", "interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction pkt-dst-aws-service",
			"eni-web1 10.0.1.101 52.216.8.1 40000 443 6 1 1000 %d %d ACCEPT OK egress S3", PeerAWSService},
		// Ingress: the peer is the source, so only the source's field says.
		{"the other side's field", "interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction pkt-dst-aws-service",
			"eni-web1 198.51.100.7 10.0.1.101 443 40000 6 1 1000 %d %d ACCEPT OK ingress -", PeerPublic},
	} {
		in := c.header
		if in != "" {
			in += "\n"
		}
		in += fmt.Sprintf(c.fields, start, start+60) + "\n"
		e := newTestEngine()
		r := flowlogs.NewReader(strings.NewReader(in))
		for r.Scan() {
			var f flow
			fromRecord(r.Record(), &f)
			e.add(&f)
		}
		if err := r.Err(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		g := e.result(ByTask).Groups
		if len(g) != 1 || g[0].ClassBytes[c.want] != 1000 {
			t.Errorf("%s: groups %+v, want the 1000 bytes in class %v", c.name, g, c.want)
		}
	}
}

// TestECSFieldsOverrideKeepNoBoundPort: a record whose ecs-* fields name
// another task than the one the host-port join found goes to the named
// task, and so must its port: the join's bound port (and the server role
// it implies for a load balancer node) was the other task's. The named
// task's port summary had br2's host port 32768, where a record not
// bound to a port counts its lower port, 443.
func TestECSFieldsOverrideKeepNoBoundPort(t *testing.T) {
	f := fl("eni-inst-b", "10.0.9.9", "10.0.2.20", 443, 32768, 1000, 45)
	f.dir, f.ecsTaskARN = dirIngress, arnWeb1
	e := newTestEngine()
	e.add(&f)
	r := e.result(ByTask)
	if len(r.Groups) != 1 || r.Groups[0].Key != arnWeb1 || r.Stats.ECSFieldDisagreements != 1 {
		t.Fatalf("groups %+v, stats %+v: want web1 alone, one disagreement", r.Groups, r.Stats)
	}
	if p := r.Groups[0].TopPorts; len(p) != 1 || p[0].Port != 443 {
		t.Errorf("web1's ports %+v: want 443 (32768 is br2's host port, bound by the host-port join)", p)
	}
}

package attribution

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/netmode"
)

// reviewAttribute runs a flow log (head and lines) through an Attributor
// over h.
func reviewAttribute(t *testing.T, h *history.Index, head string, lines []string, opts ...Option) *Attributor {
	t.Helper()
	a := New(h, append([]Option{WithSyncAddAll()}, opts...)...)
	in := head + "\n" + strings.Join(lines, "\n") + "\n"
	if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in), flowlogs.WithFields(Fields()...)).All()); err != nil {
		t.Fatal(err)
	}
	return a
}

const reviewECSHead = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction ecs-service-name ecs-task-arn ecs-task-id"

// reviewECSLine is an egress record of 3 packets naming a task in the v7
// fields ("-" for absent).
func reviewECSLine(bytes int, service, arn, id string) string {
	s := t0.Add(2 * time.Minute).Unix()
	return fmt.Sprintf("7 - 10.0.9.9 52.94.1.1 40000 443 6 3 %d %d %d ACCEPT OK egress %s %s %s", bytes, s, s+30, service, arn, id)
}

// TestECSFieldsOneTaskPerARN: records naming tasks in their ecs-*
// fields with odd values (the task ARN in ecs-task-id, an ecs-task-id
// that is not the ARN's last segment) never make a second task of an ARN
// that the history or an earlier record already has: an Attributor's
// tasks are one per ARN (Partial.Tasks says so, and partials.Read refuses
// a file where a task appears twice), and a record naming a history task
// by its ARN is that task's, with its service.
func TestECSFieldsOneTaskPerARN(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	known := history.Task{ARN: acct + "task/prod/0123", ClusterARN: acct + "cluster/prod", Group: "service:web", Family: "web",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-k", IPv4: netip.MustParseAddr("10.0.1.1"), Valid: history.Interval{Start: t0}}
	h := mustIndex([]history.Task{known}, nil)
	other := acct + "task/prod/4567"
	for _, c := range []struct {
		name  string
		lines []string
		want  map[string]uint64 // bytes by task ARN
		svc   map[string]uint64 // bytes by service group
	}{
		{"history ARN in ecs-task-id", []string{reviewECSLine(100, "-", "-", known.ARN)},
			map[string]uint64{known.ARN: 100}, map[string]uint64{"service:web": 100}},
		{"an ARN, then that ARN in ecs-task-id", []string{reviewECSLine(100, "api", other, "-"), reviewECSLine(200, "api", "-", other)},
			map[string]uint64{other: 300}, map[string]uint64{"service:api": 300}},
		{"one ARN with two IDs", []string{reviewECSLine(100, "api", other, "aaaa"), reviewECSLine(200, "api", other, "bbbb")},
			map[string]uint64{other: 300}, map[string]uint64{"service:api": 300}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := reviewAttribute(t, h, reviewECSHead, c.lines)
			seen := map[string]int{}
			got := map[string]uint64{}
			for _, tp := range a.Partial().Tasks {
				seen[tp.Task.ARN]++
				got[tp.Task.ARN] += tp.BytesIn + tp.BytesOut + tp.BytesUnknown
			}
			for arn, n := range seen {
				if n > 1 {
					t.Errorf("task %s appears %d times in the partial", arn, n)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("bytes by task %v, want %v", got, c.want)
			}
			svc := map[string]uint64{}
			for _, g := range a.Result(ByService).Groups {
				svc[g.Key] = g.Bytes()
			}
			if fmt.Sprint(svc) != fmt.Sprint(c.svc) {
				t.Errorf("bytes by service %v, want %v", svc, c.svc)
			}
		})
	}
}

// TestECSFieldsOrderFree: which task a record's ecs-* fields name
// does not depend on the order of the records (the SQL twin reads them as
// a set): a record whose ecs-task-id is not its ecs-task-arn's last
// segment belongs to the ARN's task, never to whichever task an earlier
// record with that ID made. In either order, A gets 100 bytes and B 600.
func TestECSFieldsOrderFree(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	A, B := acct+"task/prod/aaaa", acct+"task/prod/bbbb"
	lines := []string{reviewECSLine(100, "web", A, "cccc"), reviewECSLine(200, "web", B, "cccc"), reviewECSLine(400, "web", B, "dddd")}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 0, 2}} {
		var ls []string
		for _, i := range order {
			ls = append(ls, lines[i])
		}
		a := reviewAttribute(t, mustIndex(nil, nil), reviewECSHead, ls)
		got := map[string]uint64{}
		for _, g := range a.Result(ByTask).Groups {
			got[g.Key] += g.Bytes()
		}
		if want := map[string]uint64{A: 100, B: 600}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("order %v: bytes by task %v, want %v", order, got, want)
		}
	}
}

// TestMadeTaskTakesItsARN: a task the history does not know, named by
// ecs-task-id alone in one record and with its ecs-task-arn in another,
// is keyed by its ARN whichever comes first, its cluster read from the
// long ARN (the SQL twin takes any record's ARN); and a Partial taken
// before the ARN came keeps the task as it was then.
func TestMadeTaskTakesItsARN(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	C := acct + "task/prod/cccc"
	bare, full := reviewECSLine(100, "api", "-", "cccc"), reviewECSLine(200, "api", C, "cccc")
	for _, lines := range [][]string{{bare, full}, {full, bare}, {bare, bare, full}} {
		a := reviewAttribute(t, mustIndex(nil, nil), reviewECSHead, lines)
		want := uint64(100*(len(lines)-1) + 200)
		got := map[string]uint64{}
		for _, g := range a.Result(ByTask).Groups {
			got[g.Key] += g.Bytes()
		}
		if len(got) != 1 || got[C] != want {
			t.Errorf("records %q: bytes by task %v, want %s %d", lines, got, C, want)
		}
		clusters := map[string]uint64{}
		for _, g := range a.Result(ByCluster).Groups {
			clusters[g.Key] += g.Bytes()
		}
		if len(clusters) != 1 || clusters["prod"] != want {
			t.Errorf("records %q: bytes by cluster %v, want prod %d", lines, clusters, want)
		}
	}
	a := New(mustIndex(nil, nil), WithSyncAddAll())
	add := func(line string) {
		t.Helper()
		in := reviewECSHead + "\n" + line + "\n"
		if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in), flowlogs.WithFields(Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
	}
	add(bare)
	before := a.Partial()
	add(full)
	if len(before.Tasks) != 1 || before.Tasks[0].Task.ARN != "cccc" {
		t.Errorf("the Partial taken before the ARN came: %d tasks, the first %q; want one, cccc", len(before.Tasks), before.Tasks[0].Task.ARN)
	}
	if after := a.Partial(); len(after.Tasks) != 1 || after.Tasks[0].Task.ARN != C {
		t.Errorf("after the ARN came: %d tasks; want one, %s", len(after.Tasks), C)
	}
}

// TestSameTaskIDTwoTasks: two history tasks of one task ID (two
// clusters): a record naming the ID alone goes to the one of the greater
// ARN, as the SQL twin's `ids` (MAX(task_arn) per task_id) takes it,
// whichever started later.
func TestSameTaskIDTwoTasks(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	mk := func(cl, eni, ip string, start time.Time) history.Task {
		return history.Task{ARN: acct + "task/" + cl + "/0123", ClusterARN: acct + "cluster/" + cl, NetworkMode: netmode.ModeAWSVPC,
			ENI: eni, IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: start}}
	}
	// a's ARN is the smaller, and it started later.
	ta, tb := mk("a", "eni-a", "10.0.1.1", t0.Add(time.Minute)), mk("b", "eni-b", "10.0.1.2", t0)
	for _, tasks := range [][]history.Task{{ta, tb}, {tb, ta}} {
		a := reviewAttribute(t, mustIndex(tasks, nil), reviewECSHead, []string{reviewECSLine(100, "-", "-", "0123")})
		r := a.Result(ByTask)
		if len(r.Groups) != 1 || r.Groups[0].Key != tb.ARN {
			var keys []string
			for _, g := range r.Groups {
				keys = append(keys, g.Key)
			}
			t.Errorf("groups %v, want the task %s", keys, tb.ARN)
		}
	}
}

// TestIPv6PeerPrefixNotNoPeer: with peers grouped by CIDR
// (WithPeerPrefix), an IPv6 peer whose prefix is ::/N (all of IPv6 at
// /0; at /64 an address whose first 64 bits are zero) is that prefix,
// not "no peer" (the invalid Prefix that a record naming no peer gets),
// and the two stay apart in the summary. An IPv4-mapped peer is grouped
// as the IPv4 address it is, by the IPv4 prefix. Peers in the task's own
// /64 were never affected, nor was any peer's class, which is read from
// the whole address.
func TestIPv6PeerPrefixNotNoPeer(t *testing.T) {
	task := history.Task{ARN: arnWeb1, ClusterARN: cluster, NetworkMode: netmode.ModeAWSVPC, ENI: "eni-6",
		IPv6: netip.MustParseAddr("2600:1f18:1:2::10"), Valid: history.Interval{Start: t0}}
	h := mustIndex([]history.Task{task}, nil)
	s := t0.Add(time.Minute).Unix()
	line := func(dst string, bytes int) string {
		return fmt.Sprintf("2 123456789012 eni-6 2600:1f18:1:2::10 %s 40000 443 6 3 %d %d %d ACCEPT OK", dst, bytes, s, s+30)
	}
	const head = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
	// A record without addresses: its peer is none.
	const noAddr = "version interface-id bytes packets start end action log-status"
	for _, c := range []struct {
		v4, v6 int
		lines  []string
		want   map[string]uint64 // peer prefix ("" for none) → bytes
	}{
		{32, 0, []string{line("2600:1f18:1:3::20", 100), line("2a05:d018::1", 200)}, map[string]uint64{"::/0": 300}},
		{32, 64, []string{line("::5", 100), line("2600:1f18:1:2::20", 200)}, map[string]uint64{"::/64": 100, "2600:1f18:1:2::/64": 200}},
		{24, 64, []string{line("::ffff:10.0.0.5", 100), line("::ffff:10.0.0.6", 200)}, map[string]uint64{"10.0.0.0/24": 300}},
	} {
		a := reviewAttribute(t, h, head, c.lines, WithPeerPrefix(c.v4, c.v6))
		in := noAddr + "\n" + fmt.Sprintf("2 eni-6 400 4 %d %d ACCEPT OK\n", s, s+30)
		if err := a.AddAll(flowlogs.NewReader(strings.NewReader(in), flowlogs.WithFields(Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
		want := map[string]uint64{"": 400}
		for k, v := range c.want {
			want[k] = v
		}
		for name, r := range map[string]*Result{"Result": a.Result(ByTask), "Partial": a.Partial().Result(ByTask)} {
			got := map[string]uint64{}
			for _, g := range r.Groups {
				for _, p := range g.TopPeers {
					k := ""
					if p.Prefix.IsValid() {
						k = p.Prefix.String()
					}
					got[k] += p.Bytes
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s, peers by /%d and /%d: %v, want %v", name, c.v4, c.v6, got, want)
			}
		}
	}
}

// TestMadeTaskTakesARNFromTaskIDField: a task the history does not
// know, named by a bare ecs-task-id in one record and by its ARN written
// in ecs-task-id in another (the ARN is the record's reference, as
// TestECSFieldsOneTaskPerARN has it), is keyed by its ARN whichever record
// comes first, as when the ARN comes in ecs-task-arn: one run took it only
// from ecs-task-arn, so records in one order made the task "cccc", in the
// other the ARN's, and Merge of two parts, one record each, folded the
// bare task into the ARN's (Merger.folded) against the one run of the first
// order.
func TestMadeTaskTakesARNFromTaskIDField(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	C := acct + "task/prod/cccc"
	bare, long := reviewECSLine(100, "api", "-", "cccc"), reviewECSLine(200, "api", "-", C)
	byTask := func(p *Partial) map[string]uint64 {
		got := map[string]uint64{}
		for _, g := range p.Result(ByTask).Groups {
			got[g.Key] += g.Bytes()
		}
		return got
	}
	want := fmt.Sprint(map[string]uint64{C: 300})
	for _, lines := range [][]string{{bare, long}, {long, bare}} {
		one := reviewAttribute(t, mustIndex(nil, nil), reviewECSHead, lines).Partial()
		if got := byTask(one); fmt.Sprint(got) != want {
			t.Errorf("one run of %q: bytes by task %v, want %s", lines, got, want)
		}
		cl := map[string]uint64{}
		for _, g := range one.Result(ByCluster).Groups {
			cl[g.Key] += g.Bytes()
		}
		if fmt.Sprint(cl) != fmt.Sprint(map[string]uint64{"prod": 300}) {
			t.Errorf("one run of %q: bytes by cluster %v, want prod 300", lines, cl)
		}
		pa := reviewAttribute(t, mustIndex(nil, nil), reviewECSHead, lines[:1]).Partial()
		pb := reviewAttribute(t, mustIndex(nil, nil), reviewECSHead, lines[1:]).Partial()
		m, err := Merge(pa, pb)
		if err != nil {
			t.Fatal(err)
		}
		if got := byTask(m); fmt.Sprint(got) != want {
			t.Errorf("merged parts of %q: bytes by task %v, want %s", lines, got, want)
		}
	}
}

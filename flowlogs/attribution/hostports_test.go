package attribution

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/internal/ownership"
	"github.com/ecsnet/ecsnet/netmode"
)

const ciRange = "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/ci-range"

// hostPortFlow is an inbound record to host port p of ciRange's instance.
func hostPortFlow(proto netmode.Protocol, p uint16, s int64) flow {
	return flow{eni: "eni-inst-range", src: netip.MustParseAddr("198.51.100.7"), dst: netip.MustParseAddr("10.0.3.30"),
		srcPort: 40000, dstPort: p, proto: uint8(proto), hasPorts: true, start: s, dir: dirIngress}
}

func rangeInstance() []history.Instance {
	return []history.Instance{{ARN: ciRange, ENI: "eni-inst-range", IPv4: netip.MustParseAddr("10.0.3.30"),
		Valid: history.Interval{Start: at(-60)}}}
}

// TestLargeHostPortRange: a bridge task mapping 10,000 UDP ports (an RTP
// media server's hostPortRange) owns every one of them, as eni/history
// says; an index that kept such a range at its first port only left the
// traffic on the others unattributed.
func TestLargeHostPortRange(t *testing.T) {
	const arn = "arn:aws:ecs:us-east-1:123456789012:task/demo/rtp"
	h := mustIndex([]history.Task{{
		ARN: arn, ContainerInstanceARN: ciRange, NetworkMode: netmode.ModeBridge,
		Bindings: []history.Binding{{Proto: netmode.UDP, HostPort: 50000, HostPortLast: 59999, ContainerPort: 10000, ContainerPortLast: 19999}},
		Valid:    history.Interval{Start: at(0)},
	}}, rangeInstance())
	e := New(h).e
	when := at(30)
	for _, c := range []struct {
		proto netmode.Protocol
		port  uint16
		owned bool
	}{
		{netmode.UDP, 49999, false}, {netmode.UDP, 50000, true}, {netmode.UDP, 55000, true},
		{netmode.UDP, 59999, true}, {netmode.UDP, 60000, false}, {netmode.TCP, 55000, false},
	} {
		f := hostPortFlow(c.proto, c.port, when.Unix())
		st, method, reason, _, _ := e.join(&f)
		tk, ok := h.TaskByHostPort(ciRange, c.port, c.proto, when)
		if ok != c.owned || ok && tk.ARN != arn {
			t.Fatalf("history: %d/%d owned %v, want %v", c.proto, c.port, ok, c.owned)
		}
		switch {
		case c.owned && (st == nil || st.info.ARN != arn || method != ByHostPort):
			t.Errorf("%d/%d: attributed to %s (method %v, reason %v), want the RTP task by host port", c.proto, c.port, taskName(st), method, reason)
		case !c.owned && (st != nil || reason != SharedENINoBinding):
			t.Errorf("%d/%d: attributed to %s (reason %v), want unattributed, %v", c.proto, c.port, taskName(st), reason, SharedENINoBinding)
		}
	}
}

// rangeHistory is a random history of bridge tasks on one instance whose
// host port ranges, of widths either side of every bound the index has or
// had (1, 64, 4096 ports), overlap each other in ports and in time, some
// handing their ports over at an executionStoppedAt, some at fractional
// seconds.
func rangeHistory(r *rand.Rand) *history.Index {
	widths := []int{1, 1, 2, 63, 64, 65, 300, 4096, 4097, 10000}
	var tasks []history.Task
	for i := range 10 {
		lo := 40000 + r.IntN(12000)
		w := widths[r.IntN(len(widths))]
		proto := netmode.TCP
		if r.IntN(4) == 0 {
			proto = netmode.UDP
		}
		start := at(r.IntN(20)).Add(time.Duration(r.IntN(3)) * 400 * time.Millisecond)
		tk := history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:123456789012:task/demo/r%02d", i), ContainerInstanceARN: ciRange,
			NetworkMode: netmode.ModeBridge, Valid: history.Interval{Start: start},
			Bindings: []history.Binding{{Proto: proto, HostPort: uint16(lo), HostPortLast: uint16(lo + w - 1)}}}
		switch r.IntN(4) {
		case 0: // the same range on :: as well
			b := tk.Bindings[0]
			b.BindIP = netip.IPv6Unspecified()
			tk.Bindings = append(tk.Bindings, b)
		case 1: // and a single port, perhaps inside another task's range
			tk.Bindings = append(tk.Bindings, history.Binding{Proto: netmode.TCP, HostPort: uint16(40000 + r.IntN(22000))})
		}
		if r.IntN(4) > 0 {
			tk.Valid.End = start.Add(time.Duration(5+r.IntN(20)) * time.Minute)
			if r.IntN(2) == 0 {
				tk.ExecutionStoppedAt = tk.Valid.End.Add(-time.Duration(r.IntN(240)) * time.Second)
			}
		}
		tasks = append(tasks, tk)
	}
	return mustIndex(tasks, rangeInstance())
}

// perPortOwners is ix's host ports of ciRange as expanding every range
// port by port gives them (the rule for ranges of up to 4096 ports before
// they were indexed as runs): what the runs must give each port.
func perPortOwners(ix *index) map[uint32]spans[taskState] {
	m := map[uint32]spans[taskState]{}
	for _, st := range ix.tasks {
		t := st.info
		if t.ContainerInstanceARN != ciRange {
			continue
		}
		sp := span[taskState]{ownership.StartNanos(t.Valid.Start), ownership.EndNanos(t.Valid.End), st}
		for _, b := range t.Bindings {
			for p := int(b.HostPort); p <= int(max(b.HostPortLast, b.HostPort)); p++ {
				k := portKey(uint8(b.Proto), uint16(p))
				m[k] = append(m[k], sp)
			}
		}
	}
	cut := func(t *taskState) int64 {
		if t.info.ExecutionStoppedAt.IsZero() {
			return 0
		}
		return t.info.ExecutionStoppedAt.UnixNano()
	}
	resolve(m, cut, func(a, b *taskState) int { return strings.Compare(a.info.ARN, b.info.ARN) })
	return m
}

// TestHostPortRangesPerPort: on ranges that overlap in ports and time,
// records to every port where an owner changes, and to random ports, at
// every second where one does, land on the task the per-port rule names,
// and on the one eni/history names (but for the late-record slack).
func TestHostPortRangesPerPort(t *testing.T) {
	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	owned, handedOver := 0, 0
	for seed := range uint64(rounds) {
		r := rand.New(rand.NewPCG(seed, 21))
		h := rangeHistory(r)
		e := New(h).e
		want := perPortOwners(e.ix)
		var ports []uint16
		secs := map[int64]bool{}
		for _, tk := range h.Tasks() {
			for _, b := range tk.Bindings {
				last := max(b.HostPortLast, b.HostPort)
				ports = append(ports, b.HostPort-1, b.HostPort, b.HostPort+1, last-1, last, last+1)
			}
			for _, x := range []time.Time{tk.Valid.Start, tk.Valid.End, tk.ExecutionStoppedAt} {
				if !x.IsZero() {
					for _, d := range []int64{-1, 0, 1, 59, 60, 61} {
						secs[x.Unix()+d] = true
					}
				}
			}
		}
		for range 40 {
			ports = append(ports, uint16(40000+r.IntN(22000)))
		}
		for _, proto := range []netmode.Protocol{netmode.TCP, netmode.UDP} {
			for _, p := range ports {
				if len(want[portKey(uint8(proto), p)]) > 1 {
					handedOver++
				}
				for s := range secs {
					f := hostPortFlow(proto, p, s)
					got, _, _, _, _ := e.join(&f)
					if got != nil {
						owned++
					}
					if w := findOwner(want[portKey(uint8(proto), p)], s, e.cfg.slack); got != w {
						t.Fatalf("seed %d: %d/%d at %s: attributed to %s, per port %s", seed, proto, p,
							time.Unix(s, 0).UTC().Format(time.TimeOnly), taskName(got), taskName(w))
					}
					tk, ok := h.TaskByHostPort(ciRange, p, proto, time.Unix(s, 0))
					if ok != (got != nil) || ok && tk != got.info {
						// Attribution's late-record slack names a task up
						// to a minute past its stop, where history names none.
						late := got != nil && !ok && !got.info.Valid.End.IsZero() && s >= got.info.Valid.End.Unix() && s-got.info.Valid.End.Unix() <= 60
						if !late {
							t.Fatalf("seed %d: %d/%d at %s: attributed to %s, history says %v", seed, proto, p,
								time.Unix(s, 0).UTC().Format(time.TimeOnly), taskName(got), tk)
						}
					}
				}
			}
		}
	}
	if owned < 1000 || handedOver < 10 {
		t.Fatalf("%d probes owned, %d ports probed handed over: the histories test little", owned, handedOver)
	}
}

func taskName(st *taskState) string {
	if st == nil {
		return "none"
	}
	return st.info.ARN
}

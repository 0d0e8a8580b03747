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

// TestHostPortOpener: on a container instance's ENI, the port of the side
// tcp-flags name as the connection's opener (the source of a SYN without
// ACK, the destination of a SYN-ACK) is a client's, never a bridge task's
// host port, even when it collides with one: an egress SYN from the
// instance's port 32768 (or a MASQUERADEd container's, which keeps its
// source port) and the ingress SYN-ACK to it are the instance's own
// connections. The server side's port still counts, with any direction.
func TestHostPortOpener(t *testing.T) {
	const (
		fin, syn, rst, ack = 1, 2, 4, 16
		none               = -1 // tcp-flags absent
	)
	br1 := outcome{task: arnBr1, method: ByHostPort}
	br1In := outcome{task: arnBr1, in: true, method: ByHostPort}
	shared := outcome{reason: SharedENINoBinding}
	mk := func(eni, src, dst string, sp, dp uint16, dir uint8, flags int) flow {
		f := fl(eni, src, dst, sp, dp, 700, 5)
		f.dir = dir
		if flags >= 0 {
			f.hasFlags, f.tcpFlags = true, uint8(flags)
		}
		return f
	}
	const inst, peer, other = "10.0.2.20", "52.216.1.1", "10.0.5.6"
	for _, c := range []struct {
		name string
		f    flow
		want outcome
	}{
		// The instance opened the connection from port 32768.
		{"egress SYN from the host port", mk("eni-inst-b", inst, peer, 32768, 443, dirEgress, syn), shared},
		{"egress SYN|FIN from the host port", mk("eni-inst-b", inst, peer, 32768, 443, dirEgress, syn|fin), shared},
		{"egress SYN|RST from the host port", mk("eni-inst-b", inst, peer, 32768, 443, dirEgress, syn|rst), shared},
		{"ingress SYN-ACK to the host port", mk("eni-inst-b", peer, inst, 443, 32768, dirIngress, syn|ack), shared},
		{"ingress SYN-ACK|FIN to the host port", mk("eni-inst-b", peer, inst, 443, 32768, dirIngress, syn|ack|fin), shared},
		{"by address, egress SYN", mk("eni-inst-b", inst, peer, 32768, 443, dirUnknown, syn), shared},
		{"by address, ingress SYN-ACK", mk("eni-inst-b", peer, inst, 443, 32768, dirUnknown, syn|ack), shared},
		{"no interface, egress SYN", mk("", inst, peer, 32768, 443, dirUnknown, syn), shared},
		// A client connected to the bridge task's host port.
		{"ingress SYN to the host port", mk("eni-inst-b", peer, inst, 41000, 32768, dirIngress, syn), br1In},
		{"egress SYN-ACK from the host port", mk("eni-inst-b", inst, peer, 32768, 41000, dirEgress, syn|ack), br1},
		{"egress SYN-ACK|FIN from the host port", mk("eni-inst-b", inst, peer, 32768, 41000, dirEgress, syn|ack|fin), br1},
		{"ingress SYN|FIN to the host port", mk("eni-inst-b", peer, inst, 41000, 32768, dirIngress, syn|fin), br1In},
		{"no interface, ingress SYN", mk("", peer, inst, 41000, 32768, dirUnknown, syn), br1In},
		// Flags that name no opener leave the port to try.
		{"egress FIN", mk("eni-inst-b", inst, peer, 32768, 41000, dirEgress, fin), br1},
		{"egress 0", mk("eni-inst-b", inst, peer, 32768, 41000, dirEgress, 0), br1},
		{"egress ACK alone", mk("eni-inst-b", inst, peer, 32768, 41000, dirEgress, ack), br1},
		{"egress no flags", mk("eni-inst-b", inst, peer, 32768, 443, dirEgress, none), br1},
		{"ingress FIN|RST", mk("eni-inst-b", peer, inst, 41000, 32768, dirIngress, fin|rst), br1In},
		// Direction unknown (neither address the instance's): only the
		// opener's port is left out, the other side's is still tried.
		{"unknown, SYN from 32768", mk("eni-inst-b", other, peer, 32768, 443, dirUnknown, syn), shared},
		{"unknown, SYN to 32768", mk("eni-inst-b", peer, other, 41000, 32768, dirUnknown, syn), outcome{task: arnBr1, method: ByHostPort}},
		{"unknown, SYN-ACK from 32768", mk("eni-inst-b", other, peer, 32768, 41000, dirUnknown, syn|ack), outcome{task: arnBr1, method: ByHostPort}},
		{"unknown, SYN-ACK to 32768", mk("eni-inst-b", peer, other, 443, 32768, dirUnknown, syn|ack), shared},
		{"unknown, no flags from 32768", mk("eni-inst-b", other, peer, 32768, 443, dirUnknown, none), outcome{task: arnBr1, method: ByHostPort}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, _ := run1(t, c.f)
			if got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

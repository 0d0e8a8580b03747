package intervals

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/ownership"
	"github.com/ecsnet/ecsnet/netmode"
)

const rangeInst = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/aaaa"

// TestLargeHostPortRangeTable: a bridge task mapping 10,000 UDP ports (an
// RTP media server's hostPortRange, from DescribeTasks) is one host_port
// row of all of them, and the history rebuilt from the table owns every
// port as the describe-built one does: a table that kept such a range at
// its first port only lost the traffic on the others.
func TestLargeHostPortRangeTable(t *testing.T) {
	const arn = "arn:aws:ecs:us-east-1:111122223333:task/prod/rtp"
	doc := `{"containerInstances":[{"containerInstanceArn":"` + rangeInst + `","ec2InstanceId":"i-1","status":"ACTIVE","registeredAt":"2026-11-25T09:00:00Z"}]}
{"tasks":[{"taskArn":"` + arn + `","containerInstanceArn":"` + rangeInst + `","launchType":"EC2",
 "lastStatus":"RUNNING","version":2,"createdAt":"2026-11-25T10:00:00Z",
 "containers":[{"name":"media","networkBindings":[{"bindIP":"0.0.0.0","containerPortRange":"10000-19999","hostPortRange":"50000-59999","protocol":"udp"}]}]}]}`
	b := history.NewBuilder()
	b.SetPrimaryInterface("i-1", history.PrimaryInterface{ENI: "eni-prim", IPv4: netip.MustParseAddr("10.0.3.30")})
	if _, err := b.Load(strings.NewReader(doc), "d.json"); err != nil {
		t.Fatal(err)
	}
	h := b.Index()
	rows, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	var ports []string
	for _, r := range rows {
		if r.Kind == KindHostPort {
			ports = append(ports, fmt.Sprintf("%d:%d-%d", r.Protocol, r.PortFirst, r.PortLast))
		}
	}
	if !slices.Equal(ports, []string{"17:50000-59999"}) {
		t.Fatalf("host_port rows %v, want one of 17:50000-59999", ports)
	}
	back, err := Index(roundTrip(t, rows))
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC)
	for _, p := range []uint16{49999, 50000, 55000, 59999, 60000} {
		want, wok := h.TaskByHostPort(rangeInst, p, netmode.UDP, when)
		got, ok := back.TaskByHostPort(rangeInst, p, netmode.UDP, when)
		if wok != (p >= 50000 && p <= 59999) || ok != wok || ok && (got.ARN != want.ARN || want.ARN != arn) {
			t.Errorf("udp/%d: the table's history says %v %v, the describe-built one %v %v", p, got, ok, want, wok)
		}
	}
	// Attribution over either history puts a record to a port in the
	// middle of the range on the task.
	line := fmt.Sprintf("2 111122223333 eni-prim 198.51.100.7 10.0.3.30 40000 55000 17 10 1234 %d %d ACCEPT OK", when.Unix(), when.Unix()+30)
	for name, x := range map[string]*history.Index{"describe-built": h, "table-built": back} {
		a := attribution.New(x)
		if err := a.AddAll(linesRecords([]string{line})()); err != nil {
			t.Fatal(err)
		}
		if g := a.Result(attribution.ByTask).Groups; len(g) != 1 || g[0].Key != arn || g[0].Bytes() != 1234 {
			t.Errorf("%s history: udp/55000 attributed to %+v, want the RTP task", name, g)
		}
	}
}

// TestHostPortHandOffTable: two tasks whose ranges overlap in ports and in
// time, the later taking the shared ports at the earlier one's
// executionStoppedAt: the rows give every port the owners the per-port
// rule gives it, and the trip through the table keeps them.
func TestHostPortHandOffTable(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	in := history.Instance{ARN: rangeInst, EC2InstanceID: "i-1", ENI: "eni-prim", IPv4: netip.MustParseAddr("10.0.3.30"),
		Valid: history.Interval{Start: t0.Add(-time.Hour)}}
	task := func(id string, lo, hi uint16, start time.Time) history.Task {
		return history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/prod/" + id, ContainerInstanceARN: rangeInst,
			LaunchType: "EC2", NetworkMode: netmode.ModeBridge, Valid: history.Interval{Start: start},
			Bindings: []history.Binding{{Proto: netmode.UDP, HostPort: lo, HostPortLast: hi}}}
	}
	old := task("old", 20000, 29999, t0)
	old.Valid.End = t0.Add(30 * time.Minute)
	old.ExecutionStoppedAt = t0.Add(29*time.Minute + 30*time.Second)
	repl := task("new", 25000, 34999, t0.Add(29*time.Minute))
	h, rows := built(t, []history.Task{old, repl}, []history.Instance{in})
	sameRows(t, "host_port rows", hostPortRows(rows), perPortRows(h))
	if n := len(hostPortRows(rows)); n != 4 {
		t.Errorf("%d host_port rows, want 4 (old alone, old then new, new alone)", n)
	}
	handOff := old.ExecutionStoppedAt.Unix()
	for _, c := range []struct {
		port uint16
		s    int64
		want string
	}{
		{20000, handOff, "old"}, {24999, handOff + 10, "old"}, {25000, handOff - 1, "old"}, {27500, handOff, "new"},
		{29999, handOff, "new"}, {30000, handOff - 10, "new"}, {30000, handOff - 100, ""}, {34999, handOff, "new"}, {35000, handOff, ""},
	} {
		tk, ok := h.TaskByHostPort(rangeInst, c.port, netmode.UDP, time.Unix(c.s, 0))
		got := ""
		if ok {
			got = tk.ARN[strings.LastIndexByte(tk.ARN, '/')+1:]
		}
		if got != c.want {
			t.Errorf("udp/%d at %s: history says %q, want %q", c.port, time.Unix(c.s, 0).UTC().Format(time.TimeOnly), got, c.want)
		}
	}
	var lines []string
	for _, p := range []int{19999, 20000, 24999, 25000, 27500, 29999, 30000, 34999, 35000} {
		for s := handOff - 65; s <= handOff+65; s += 5 {
			lines = append(lines, fmt.Sprintf("2 111122223333 eni-prim 198.51.100.7 10.0.3.30 40000 %d 17 1 %d %d %d ACCEPT OK", p, 100+p, s, s+30))
		}
	}
	checkTrip(t, h, linesRecords(lines))
}

// TestHostPortRowsPerPort: on random ranges that overlap in ports and time
// (widths either side of the 4096 ports a range used to be cut at), the
// host_port rows are exactly those expanding every range port by port
// gives.
func TestHostPortRowsPerPort(t *testing.T) {
	widths := []int{1, 1, 2, 63, 300, 4096, 4097, 10000}
	handOffs := 0
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 31))
		t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
		var tasks []history.Task
		for i := range 10 {
			lo := 40000 + r.IntN(12000)
			w := widths[r.IntN(len(widths))]
			start := t0.Add(time.Duration(r.IntN(20))*time.Minute + time.Duration(r.IntN(3))*400*time.Millisecond)
			tk := history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:111122223333:task/prod/r%02d", i), ContainerInstanceARN: rangeInst,
				LaunchType: "EC2", NetworkMode: netmode.ModeBridge, Valid: history.Interval{Start: start},
				Bindings: []history.Binding{{Proto: netmode.UDP, HostPort: uint16(lo), HostPortLast: uint16(lo + w - 1)}}}
			if r.IntN(3) == 0 {
				tk.Bindings = append(tk.Bindings, history.Binding{Proto: netmode.UDP, HostPort: uint16(40000 + r.IntN(22000))})
			}
			if r.IntN(4) > 0 {
				tk.Valid.End = start.Add(time.Duration(5+r.IntN(20)) * time.Minute)
				if r.IntN(2) == 0 {
					tk.ExecutionStoppedAt = tk.Valid.End.Add(-time.Duration(r.IntN(240)) * time.Second)
				}
			}
			tasks = append(tasks, tk)
		}
		h, rows := built(t, tasks, []history.Instance{{ARN: rangeInst, ENI: "eni-prim", Valid: history.Interval{Start: t0.Add(-time.Hour)}}})
		sameRows(t, fmt.Sprint("seed ", seed), hostPortRows(rows), perPortRows(h))
		for _, r := range hostPortRows(rows) {
			if r.NextFirstSecond != nil {
				handOffs++
			}
		}
	}
	if handOffs < 10 {
		t.Fatalf("%d rows hand their ports over: the histories test little", handOffs)
	}
}

// hostPortRows is the host_port rows of rows, in file order.
func hostPortRows(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if r.Kind == KindHostPort {
			out = append(out, r)
		}
	}
	return out
}

// perPortRows is the host_port rows Build wrote by expanding every range
// port by port, one key per port, and merging consecutive ports of the
// same owners over the same seconds (without the 4096-port bound it
// had): the reference the runs must match.
func perPortRows(h *history.Index) []Row {
	instByARN := map[string]*history.Instance{}
	for _, in := range h.Instances() {
		instByARN[in.ARN] = in
	}
	spans := map[keyID][]ownership.Span[owner]{}
	for _, t := range h.Tasks() {
		if instByARN[t.ContainerInstanceARN] == nil || t.NetworkMode == netmode.ModeAWSVPC || t.ENI != "" {
			continue
		}
		o := &owner{task: t}
		for _, b := range t.Bindings {
			for p := int(b.HostPort); p <= int(max(b.HostPortLast, b.HostPort)); p++ {
				k := keyID{kind: KindHostPort, key: t.ContainerInstanceARN, proto: uint8(b.Proto), port: uint16(p)}
				spans[k] = append(spans[k], ownership.Span[owner]{Start: ownership.StartNanos(t.Valid.Start), End: ownership.EndNanos(t.Valid.End), Owner: o})
			}
		}
	}
	cut := func(o *owner) int64 {
		if o.task.ExecutionStoppedAt.IsZero() {
			return 0
		}
		return o.task.ExecutionStoppedAt.UnixNano()
	}
	order := func(a, b *owner) int { return strings.Compare(a.arn(), b.arn()) }
	var ks []keyID
	resolved := map[keyID][]ownership.Span[owner]{}
	for k, v := range spans {
		resolved[k] = ownership.Disjoint(v, cut, order)
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b keyID) int {
		return cmp.Or(strings.Compare(a.key, b.key), cmp.Compare(a.proto, b.proto), cmp.Compare(a.port, b.port))
	})
	var rows []Row
	rt := &rowPool{inst: instByARN}
	for i := 0; i < len(ks); {
		sig := signature(resolved[ks[i]])
		j := i + 1
		for j < len(ks) && ks[j].key == ks[i].key && ks[j].proto == ks[i].proto && ks[j].port == ks[j-1].port+1 && signature(resolved[ks[j]]) == sig {
			j++
		}
		rows = rt.spanRows(rows, ks[i], ks[j-1].port, resolved[ks[i]])
		i = j
	}
	slices.SortFunc(rows, compareRows)
	return rows
}

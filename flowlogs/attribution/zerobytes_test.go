package attribution

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestNoDataInterfacesExact: NODATA records carry no bytes, so an
// unattributed reason's interface summary weighs every interface 0. Once
// more interfaces than it keeps (16) had NODATA records, a new one took
// the place of one of weight 0 with MaxError 0 and that one's records,
// so TopInterfaces showed a record count, claimed exact, that the
// interface never had; and the summary's bound stayed 0, so Merge took
// every interface a part dropped for one it never saw.
func TestNoDataInterfacesExact(t *testing.T) {
	truth := map[string]uint64{}
	nodata := func(e *engine, eni string) {
		f := fl(eni, "", "", 0, 0, 0, 1)
		f.status, f.packets = statusNoData, 0
		e.add(&f)
	}
	e := newTestEngine()
	part := newTestEngine()
	for i := range 20 {
		eni := fmt.Sprintf("eni-idle%02d", i)
		for range 1 + i%3 {
			nodata(e, eni)
			truth[eni]++
			if i%2 == 0 {
				nodata(part, eni)
			}
		}
	}
	check := func(name string, r *Result, truth map[string]uint64) {
		t.Helper()
		if len(r.Unattributed) != 1 {
			t.Fatalf("%s: %d reasons", name, len(r.Unattributed))
		}
		for _, x := range r.Unattributed[0].TopInterfaces {
			if x.MaxError == 0 && x.Records != truth[x.ID] {
				t.Errorf("%s: interface %s: %d records with MaxError 0, true %d", name, x.ID, x.Records, truth[x.ID])
			}
			if x.Bytes < x.MaxError {
				t.Errorf("%s: interface %s: Bytes %d < MaxError %d", name, x.ID, x.Bytes, x.MaxError)
			}
		}
	}
	check("Result", e.result(ByTask), truth)
	// A part that dropped interfaces, merged with one that saw only some
	// of them: every figure claimed exact is.
	partTruth := map[string]uint64{}
	for id, n := range truth {
		partTruth[id] = n
		var i int
		fmt.Sscanf(id, "eni-idle%02d", &i)
		if i%2 == 0 {
			partTruth[id] += n
		}
	}
	m, err := Merge(e.partial(), part.partial())
	if err != nil {
		t.Fatal(err)
	}
	check("Merge", m.Result(ByTask), partTruth)
}

// TestZeroBytePeerExact: a peer's record of no bytes that went to
// the filter of a full peer summary left its cell at 0, so when the peer
// later came in it was shown exact (MaxError 0) with a record and its
// packets missing; and a port that took the place of one of no bytes
// inherited its records and packets with MaxError 0.
func TestZeroBytePeerExact(t *testing.T) {
	e := newTestEngine(WithTopK(1, 1))
	in := func(peer string, sp uint16, bytes, packets uint64) {
		f := fl("eni-web1", peer, "10.0.1.101", sp, 40000, bytes, 1)
		f.dir, f.packets = dirIngress, packets
		e.add(&f)
	}
	in("1.1.1.1", 443, 100, 1)
	in("2.2.2.2", 80, 0, 5) // not kept: to the filter
	in("2.2.2.2", 80, 200, 2)
	r := e.result(ByTask)
	g := groupOf(t, r, arnWeb1)
	for _, p := range g.TopPeers {
		if p.Prefix.Addr().String() == "2.2.2.2" && p.MaxError == 0 && (p.Records != 2 || p.Packets != 7) {
			t.Errorf("peer 2.2.2.2: %d records, %d packets with MaxError 0; true 2 and 7", p.Records, p.Packets)
		}
	}
	// Ports: 8080 of no bytes, then 9090 takes its place.
	e2 := newTestEngine(WithTopK(1, 1))
	for _, x := range []struct {
		port           uint16
		bytes, packets uint64
	}{{8080, 0, 3}, {8080, 0, 3}, {9090, 50, 1}} {
		f := fl("eni-web1", "1.1.1.1", "10.0.1.101", x.port, 40000, x.bytes, 1)
		f.dir, f.packets = dirIngress, x.packets
		e2.add(&f)
		// Each record's port reaches the summary (not only the cache).
		e2.flush()
		for _, st := range e2.activeTasks() {
			st.flushPorts()
		}
	}
	for _, p := range groupOf(t, e2.result(ByTask), arnWeb1).TopPorts {
		if p.Port == 9090 && p.MaxError == 0 && (p.Records != 1 || p.Packets != 1) {
			t.Errorf("port 9090: %d records, %d packets with MaxError 0; true 1 and 1", p.Records, p.Packets)
		}
	}
}

// propWorld is a random history of awsvpc tasks in several services,
// families, instances and clusters.
type propWorld struct {
	h     *history.Index
	tasks []history.Task
}

func newPropWorld(rng *rand.Rand, n int) *propWorld {
	w := &propWorld{}
	clusters := []string{"arn:aws:ecs:us-east-1:1:cluster/a", "arn:aws:ecs:us-east-1:1:cluster/b"}
	insts := []string{"arn:aws:ecs:us-east-1:1:container-instance/a/i1", "arn:aws:ecs:us-east-1:1:container-instance/a/i2", "arn:aws:ecs:us-east-1:1:container-instance/b/i3", ""}
	for i := range n {
		c := clusters[rng.IntN(len(clusters))]
		svc := []string{"service:web", "service:api", "family:batch", ""}[rng.IntN(4)]
		fam := []string{"web", "api", "batch"}[rng.IntN(3)]
		start := t0.Add(time.Duration(rng.IntN(30)-10) * time.Minute)
		var stop time.Time
		if rng.IntN(3) == 0 {
			stop = start.Add(time.Duration(30+rng.IntN(60)) * time.Minute)
		}
		w.tasks = append(w.tasks, history.Task{
			ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:1:task/x/t%03d", i), ClusterARN: c, Group: svc, Family: fam, Revision: 1,
			NetworkMode: netmode.ModeAWSVPC, ContainerInstanceARN: insts[rng.IntN(len(insts))],
			AvailabilityZone: []string{"us-east-1a", "us-east-1b"}[rng.IntN(2)],
			ENI:              fmt.Sprintf("eni-t%03d", i), IPv4: netip.AddrFrom4([4]byte{10, 0, byte(i / 250), byte(1 + i%250)}),
			Valid: history.Interval{Start: start, End: stop},
		})
	}
	w.h = mustIndex(w.tasks, nil)
	return w
}

// flows returns n random records over the world's tasks, with peers from
// a pool of npeers addresses (skewed), some on unknown interfaces.
func (w *propWorld) flows(rng *rand.Rand, n, npeers int, big bool) []flow {
	out := make([]flow, 0, n)
	for range n {
		ti := rng.IntN(len(w.tasks))
		eni := w.tasks[ti].ENI
		if rng.IntN(20) == 0 {
			eni = "eni-unknown" + fmt.Sprint(rng.IntN(30))
		}
		// Skewed peers: a few heavy, a long tail.
		pi := rng.IntN(npeers)
		if rng.IntN(2) == 0 {
			pi = rng.IntN(max(1, npeers/10))
		}
		peer := netip.AddrFrom4([4]byte{byte(20 + pi/65536), byte(pi / 256), byte(pi), 7})
		if rng.IntN(15) == 0 {
			peer = netip.AddrFrom4([4]byte{10, 9, 0, byte(1 + rng.IntN(40))})
		}
		own := w.tasks[ti].IPv4
		f := flow{eni: eni, proto: 6, hasPorts: true, action: uint8(rng.IntN(3)),
			srcPort: uint16(32768 + rng.IntN(1000)), dstPort: []uint16{443, 80, 5432, 6379, 8080, 9000, 9001, 9002}[rng.IntN(8)],
			bytes: uint64(rng.IntN(100000)), packets: uint64(rng.IntN(100)),
			start: t0.Add(time.Duration(rng.IntN(200*60)-600) * time.Second).Unix()}
		if rng.IntN(40) == 0 {
			f.bytes = 0 // a record of no bytes
		}
		if big && rng.IntN(50) == 0 {
			f.bytes = 1<<32 + uint64(rng.IntN(1<<20))
		}
		switch rng.IntN(3) {
		case 0:
			f.dir, f.src, f.dst = dirIngress, peer, own
		case 1:
			f.dir, f.src, f.dst = dirEgress, own, peer
		default:
			f.dir, f.src, f.dst = dirUnknown, peer, own
		}
		if rng.IntN(30) == 0 {
			f.status = statusNoData
		}
		if pb := peer.As4(); pb[0] != 10 && pi%10 == 3 && f.dir == dirEgress {
			f.dstService = "S3"
		}
		if pb := peer.As4(); pb[0] != 10 && pi%10 == 3 && f.dir != dirEgress {
			f.srcService = "S3"
		}
		out = append(out, f)
	}
	return out
}

func propEngine(h *history.Index, opts ...Option) *engine {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return newEngine(h, cfg)
}

// TestMergeProperty: random records over random tasks, split into
// random parts in random order: the merge of their partials gives one
// run's exact figures under every grouping, and its summaries' estimates
// bracket the truth.
func TestMergeProperty(t *testing.T) {
	rounds := 100
	if raceEnabled {
		rounds = 20 // every option case (round%4) with every peer case (round%5) still
	}
	for round := range rounds {
		rng := rand.New(rand.NewPCG(uint64(round), 4242))
		w := newPropWorld(rng, 5+rng.IntN(40))
		var opts []Option
		npeers := 5 + rng.IntN(300)
		switch round % 4 {
		case 1:
			opts = append(opts, WithTopK(1+rng.IntN(8), 1+rng.IntN(4)))
		case 2:
			opts = append(opts, WithStep(time.Duration(1+rng.IntN(600))*time.Second), WithTopK(3, 2), WithPeerPrefix(24, 64))
		case 3:
			opts = append(opts, WithTopK(MaxTopK, MaxTopK))
		}
		fs := w.flows(rng, 500+rng.IntN(4000), npeers, round%5 == 0)
		whole := propEngine(w.h, opts...)
		n := 1 + rng.IntN(7)
		parts := make([]*engine, n)
		for i := range parts {
			parts[i] = propEngine(w.h, opts...)
		}
		type key struct {
			task string
			k    string
		}
		for i := range fs {
			f := fs[i]
			whole.add(&f)
			g := fs[i]
			parts[rng.IntN(n)].add(&g)
		}
		ps := make([]*Partial, n)
		for i, e := range parts {
			ps[i] = e.partial()
			ps[i].Inputs = []Input{{Name: fmt.Sprint("obj", i)}}
		}
		rng.Shuffle(n, func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		merged, err := Merge(ps...)
		if err != nil {
			t.Fatal(err)
		}
		// A Merger, sum taken in between, equals Merge.
		var m Merger
		for _, p := range ps {
			if err := m.Add(p); err != nil {
				t.Fatal(err)
			}
			_ = m.Partial()
		}
		if !reflect.DeepEqual(m.Partial(), merged) {
			t.Fatalf("round %d: Merger differs from Merge", round)
		}
		// The exact truth, with summaries of all keys.
		truthE := propEngine(w.h, append(append([]Option{}, opts...), WithTopK(MaxTopK, MaxTopK))...)
		truthE.cfg.ifacesKept = MaxTopK
		truthE.un = [numReasons]unattributed{}
		for i := range truthE.un {
			truthE.un[i].ifaces = newTopK[string, struct{}](MaxTopK, hashString)
		}
		for i := range fs {
			f := fs[i]
			truthE.add(&f)
		}
		for _, g := range allGroupBys {
			want, got := whole.result(g), merged.Result(g)
			checkClasses(t, got)
			if gw, gg := exactParts(want), exactParts(got); !reflect.DeepEqual(gg, gw) {
				t.Fatalf("round %d by %v: exact figures differ: %s", round, g, firstDiff(gg, gw))
			}
			// Streams equal their Results: the Attributor's, the merge's.
			for name, x := range map[string]struct {
				r      *Result
				head   *Result
				groups func(func(*Group) bool)
			}{
				"engine": {want, whole.resultHead(g), whole.groups(g)},
				"merged": func() struct {
					r      *Result
					head   *Result
					groups func(func(*Group) bool)
				} {
					h, gs := merged.ResultStream(g)
					return struct {
						r      *Result
						head   *Result
						groups func(func(*Group) bool)
					}{got, h, gs}
				}(),
			} {
				var gs []Group
				for grp := range x.groups {
					gs = append(gs, withoutEmpty(grp.Clone()))
				}
				h := *x.head
				h.Groups = gs
				r := *x.r
				r.Groups = nil
				for _, grp := range x.r.Groups {
					r.Groups = append(r.Groups, withoutEmpty(grp))
				}
				if !reflect.DeepEqual(&h, &r) {
					t.Fatalf("round %d by %v %s: stream differs: %s", round, g, name, firstDiff(&h, &r))
				}
			}
			// PartialStream equals Partial.
			tr := truthE.result(g)
			truthPeers := map[key]Totals{}
			truthPorts := map[key]Totals{}
			truthIfs := map[key]Totals{}
			for _, u := range tr.Unattributed {
				for _, x := range u.TopInterfaces {
					truthIfs[key{u.Reason.String(), x.ID}] = Totals{x.Bytes, 0, x.Records}
				}
			}
			for _, gr := range tr.Groups {
				for _, p := range gr.TopPeers {
					if p.MaxError != 0 {
						t.Fatalf("truth not exact")
					}
					truthPeers[key{gr.Key, p.Prefix.String()}] = Totals{p.Bytes, p.Packets, p.Records}
				}
				for _, p := range gr.TopPorts {
					truthPorts[key{gr.Key, fmt.Sprint(p.Protocol, p.Port)}] = Totals{p.Bytes, p.Packets, p.Records}
				}
			}
			for name, r := range map[string]*Result{"whole": want, "merged": got} {
				for _, u := range r.Unattributed {
					for _, x := range u.TopInterfaces {
						tt := truthIfs[key{u.Reason.String(), x.ID}]
						if x.Bytes < tt.Bytes || x.Bytes-x.MaxError > tt.Bytes || x.MaxError > x.Bytes || x.MaxError == 0 && x.Records != tt.Records {
							t.Fatalf("round %d %s: reason %v interface %+v, true %+v", round, name, u.Reason, x, tt)
						}
					}
				}
				for _, gr := range r.Groups {
					for _, p := range gr.TopPeers {
						tt := truthPeers[key{gr.Key, p.Prefix.String()}]
						tb := tt.Bytes
						if p.MaxError == 0 && (tt != Totals{p.Bytes, p.Packets, p.Records}) {
							t.Fatalf("round %d by %v %s: group %s peer %v: %+v exact, true %+v", round, g, name, gr.Key, p.Prefix, p, tt)
						}
						if p.Bytes < tb || p.Bytes-p.MaxError > tb || p.MaxError > p.Bytes {
							t.Fatalf("round %d by %v %s: group %s peer %v: %d bytes, error %d, true %d", round, g, name, gr.Key, p.Prefix, p.Bytes, p.MaxError, tb)
						}
					}
					for _, p := range gr.TopPorts {
						tt := truthPorts[key{gr.Key, fmt.Sprint(p.Protocol, p.Port)}]
						tb := tt.Bytes
						if p.MaxError == 0 && (tt != Totals{p.Bytes, p.Packets, p.Records}) {
							t.Fatalf("round %d by %v %s: group %s port %v: exact, true %+v", round, g, name, gr.Key, p, tt)
						}
						if p.Bytes < tb || p.Bytes-p.MaxError > tb || p.MaxError > p.Bytes {
							t.Fatalf("round %d by %v %s: group %s port %v: %d bytes, error %d, true %d", round, g, name, gr.Key, p, p.Bytes, p.MaxError, tb)
						}
					}
				}
			}
			if round%4 == 3 || round%4 == 0 && npeers < 60 {
				// Summaries never full: the merge is exact, summaries too.
				gg, gw := *got, *want
				gg.Unattributed, gw.Unattributed = nil, nil
				if !reflect.DeepEqual(&gg, &gw) {
					t.Fatalf("round %d by %v: results differ though no summary dropped a key: %s", round, g, firstDiff(&gg, &gw))
				}
			}
		}
		for _, e := range parts[:1] {
			p := e.partial()
			head, tasks := e.partialStream()
			for tp := range tasks {
				x := *tp
				x.Peers, x.Ports, x.Series = slices.Clone(tp.Peers), slices.Clone(tp.Ports), slices.Clone(tp.Series)
				head.Tasks = append(head.Tasks, x)
			}
			if !reflect.DeepEqual(head, p) {
				t.Fatalf("round %d: PartialStream differs from Partial", round)
			}
		}
	}
}

// TestTopKProperty: a summary fed random weighted keys, records of
// no bytes among them, plain or filtered: every kept key's true bytes lie
// in [estimate-err, estimate], its packets and records are exact when err
// is 0, and a key not kept weighs at most the bound.
func TestTopKProperty(t *testing.T) {
	for round := range 400 {
		rng := rand.New(rand.NewPCG(uint64(round), 77))
		capacity := []int{1, 2, 3, 5, 16, 17, 40, 100, 300}[rng.IntN(9)]
		filtered := rng.IntN(2) == 0
		zeros := rng.IntN(3) == 0
		k := newTopK[int, struct{}](capacity, hashInt)
		nkeys := 1 + rng.IntN(4*capacity+50)
		type tr struct{ b, p, r uint64 }
		truth := map[int]tr{}
		var total uint64
		for range 3000 {
			key := rng.IntN(nkeys)
			if rng.IntN(3) == 0 {
				key = rng.IntN(max(1, nkeys/8))
			}
			w := uint64(1 + rng.IntN(1500))
			if zeros && rng.IntN(4) == 0 {
				w = 0
			}
			p := uint64(rng.IntN(5))
			x := truth[key]
			x.b += w
			x.p += p
			x.r++
			truth[key] = x
			total += w
			if filtered {
				k.addFiltered(key, hashInt(key), w, p)
			} else {
				k.add(key, w, p)
			}
		}
		kept := map[int]bool{}
		for _, e := range k.entries() {
			kept[e.key] = true
			x := truth[e.key]
			if e.bytes < x.b || e.bytes-e.err > x.b {
				t.Fatalf("round %d (cap %d filtered %v): key %d estimate %d err %d true %d", round, capacity, filtered, e.key, e.bytes, e.err, x.b)
			}
			if e.err == 0 && (e.packets != x.p || e.records != x.r) {
				t.Fatalf("round %d (cap %d filtered %v zeros %v): key %d exact (err 0) but packets %d records %d, true %d %d", round, capacity, filtered, zeros, e.key, e.packets, e.records, x.p, x.r)
			}
		}
		b := k.bound()
		for key, x := range truth {
			if !kept[key] && x.b > b {
				t.Fatalf("round %d: key %d not kept weighs %d > bound %d", round, key, x.b, b)
			}
			if !kept[key] && x.b > total/uint64(capacity) {
				t.Fatalf("round %d: heavy key %d dropped", round, key)
			}
		}
		for i := range k.hot {
			if j, _ := k.lookup(k.hot[i].key, hashInt(k.hot[i].key)); j != i {
				t.Fatalf("round %d: entry %d found at %d", round, i, j)
			}
		}
	}
}

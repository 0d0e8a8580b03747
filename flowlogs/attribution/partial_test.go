package attribution

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var allGroupBys = []GroupBy{ByTask, ByService, ByFamily, ByInstance, ByCluster}

// TestPartialResult: an Attributor's Partial groups into exactly its
// Result, whatever its options, summaries that overflowed included.
func TestPartialResult(t *testing.T) {
	for i, e := range engineVariants() {
		p := e.partial()
		for _, g := range allGroupBys {
			want := e.result(g)
			if got := p.Result(g); !reflect.DeepEqual(got, want) {
				t.Fatalf("options %d, by %v: Partial().Result differs from Result: %s", i, g, firstDiff(got, want))
			}
			// Streamed: the head, then the same groups.
			head, groups := p.ResultStream(g)
			for grp := range groups {
				head.Groups = append(head.Groups, grp.Clone())
			}
			for j := range head.Groups {
				head.Groups[j] = withoutEmpty(head.Groups[j])
			}
			for j := range want.Groups {
				want.Groups[j] = withoutEmpty(want.Groups[j])
			}
			if !reflect.DeepEqual(head, want) {
				t.Fatalf("options %d, by %v: Partial().ResultStream differs from Result: %s", i, g, firstDiff(head, want))
			}
		}
	}
}

// engineVariants returns engines fed 3000 random records each, one per
// set of options that shape the rollups differently: the defaults, tiny
// summaries and series (they overflow), and no peers.
func engineVariants() []*engine {
	var es []*engine
	for i, opts := range [][]Option{
		nil,
		{WithTopK(2, 1), WithMaxBuckets(8), WithStep(time.Minute), WithPeerPrefix(24, 64)},
		{WithoutPeers(), WithoutIPFallback()},
	} {
		es = append(es, randomEngine(uint64(i), 7, 3000, opts...))
	}
	return es
}

// TestMergeSplit: for random splits of one stream into parts (objects),
// merging the parts' partials in any order and grouping gives what one
// run over the whole stream gives, exactly, while the summaries hold
// every key.
func TestMergeSplit(t *testing.T) {
	for round := range 10 {
		rng := rand.New(rand.NewPCG(uint64(round), 99))
		next := randomFlows(uint64(round), 3)
		whole := newTestEngine()
		n := 1 + rng.IntN(6)
		parts := make([]*engine, n)
		for i := range parts {
			parts[i] = newTestEngine()
		}
		for range 4000 {
			f := next()
			whole.add(&f)
			g := f
			parts[rng.IntN(n)].add(&g)
		}
		ps := make([]*Partial, n)
		for i, e := range parts {
			ps[i] = e.partial()
		}
		rng.Shuffle(n, func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		// Associativity: fold some parts first.
		var merged *Partial
		var err error
		if n > 2 {
			left, err := Merge(ps[:n/2]...)
			if err != nil {
				t.Fatal(err)
			}
			right, err := Merge(ps[n/2:]...)
			if err != nil {
				t.Fatal(err)
			}
			merged, err = Merge(right, left)
			if err != nil {
				t.Fatal(err)
			}
		} else if merged, err = Merge(ps...); err != nil {
			t.Fatal(err)
		}
		for _, g := range allGroupBys {
			want, got := whole.result(g), merged.Result(g)
			checkClasses(t, got)
			if got, want := withoutClasses(got), withoutClasses(want); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d (%d parts), by %v: merged result differs: %s", round, n, g, firstDiff(got, want))
			}
		}
	}
}

// TestMergeBounds: once summaries drop keys, every exact figure still
// merges exactly, and every kept peer's estimate brackets its true
// weight: true ≤ Bytes ≤ true + MaxError.
func TestMergeBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	next := randomFlows(5, 6)
	exact := newTestEngine()
	whole := newTestEngine(WithTopK(3, 2))
	parts := []*engine{newTestEngine(WithTopK(3, 2)), newTestEngine(WithTopK(3, 2)), newTestEngine(WithTopK(3, 2))}
	for range 5000 {
		f := next()
		exact.add(&f)
		g, h := f, f
		whole.add(&g)
		parts[rng.IntN(len(parts))].add(&h)
	}
	merged, err := Merge(parts[0].partial(), parts[1].partial(), parts[2].partial())
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]map[string]uint64{} // task → peer → bytes
	for _, tp := range exact.partial().Tasks {
		truth[tp.Task.ARN] = map[string]uint64{}
		for _, p := range tp.Peers {
			truth[tp.Task.ARN][p.Prefix.String()] = p.Bytes
		}
	}
	dropped := false
	for _, tp := range merged.Tasks {
		if tp.PeersBound > 0 {
			dropped = true
		}
		for _, p := range tp.Peers {
			tr := truth[tp.Task.ARN][p.Prefix.String()]
			if p.Bytes < tr || p.Bytes-p.MaxError > tr {
				t.Errorf("%s peer %v: %d bytes ± %d, true %d", tp.Task.ID(), p.Prefix, p.Bytes, p.MaxError, tr)
			}
		}
		for peer, tr := range truth[tp.Task.ARN] {
			found := false
			for _, p := range tp.Peers {
				found = found || p.Prefix.String() == peer
			}
			if !found && tr > tp.PeersBound {
				t.Errorf("%s peer %s: not kept but weighs %d > bound %d", tp.Task.ID(), peer, tr, tp.PeersBound)
			}
		}
	}
	if !dropped {
		t.Fatal("no summary dropped a key: the test does not test bounds")
	}
	for _, g := range allGroupBys {
		want, got := whole.result(g), merged.Result(g)
		checkClasses(t, got)
		got, want = withoutClasses(exactParts(got)), withoutClasses(exactParts(want))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("by %v: exact figures differ: %s", g, firstDiff(got, want))
		}
	}
}

// withoutClasses is a Result without peer classes and services: a task classifies a
// peer once, from the first of its records its summary meets, and a
// part's first record can differ from the whole stream's when records of
// one peer disagree (as the random flows' do).
func withoutClasses(r *Result) *Result {
	c := *r
	c.Groups = nil
	for _, g := range r.Groups {
		g.ClassBytes, g.ClassBytesIn, g.ClassBytesOut = [numPeerClasses]uint64{}, [numPeerClasses]uint64{}, [numPeerClasses]uint64{}
		g.TopPeers = slices.Clone(g.TopPeers)
		for i := range g.TopPeers {
			g.TopPeers[i].Class, g.TopPeers[i].Service = 0, ""
		}
		c.Groups = append(c.Groups, g)
	}
	return &c
}

// checkClasses checks that every group's bytes, in and out are in its
// classes.
func checkClasses(t *testing.T, r *Result) {
	t.Helper()
	for _, g := range r.Groups {
		var sum, in, out uint64
		for c, b := range g.ClassBytes {
			sum += b
			in += g.ClassBytesIn[c]
			out += g.ClassBytesOut[c]
			if g.ClassBytesIn[c]+g.ClassBytesOut[c] > b {
				t.Fatalf("group %s class %v: in %d + out %d > %d", g.Key, PeerClass(c), g.ClassBytesIn[c], g.ClassBytesOut[c], b)
			}
		}
		if sum != g.Bytes() || in != g.BytesIn || out != g.BytesOut {
			t.Fatalf("group %s: classes sum to %d (in %d, out %d), not its %d bytes (in %d, out %d)", g.Key, sum, in, out, g.Bytes(), g.BytesIn, g.BytesOut)
		}
	}
}

// exactParts is a Result without its summaries.
func exactParts(r *Result) *Result {
	c := *r
	c.Groups = nil
	for _, g := range r.Groups {
		g.TopPeers, g.TopPorts = nil, nil
		c.Groups = append(c.Groups, g)
	}
	c.Unattributed = nil
	for _, u := range r.Unattributed {
		u.TopInterfaces = nil
		c.Unattributed = append(c.Unattributed, u)
	}
	return &c
}

func TestMergeErrors(t *testing.T) {
	a := newTestEngine().partial()
	b := newTestEngine(WithStep(time.Minute)).partial()
	if _, err := Merge(a, b); !errors.Is(err, ErrIncompatible) {
		t.Errorf("different steps: %v", err)
	}
	// Options that decide which task a record goes to, or its peer's
	// class: parts made with others would add up to no run's answer.
	// They once merged silently.
	topo := Topology{Subnets: []Subnet{{ID: "subnet-1", Prefix: netip.MustParsePrefix("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"},
		{ID: "subnet-2", Prefix: netip.MustParsePrefix("10.0.2.0/24"), AZ: "us-east-1b", VPC: "vpc-1"}},
		VPCs: []VPC{{ID: "vpc-1", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}}}
	for want, opts := range map[string][]Option{
		": no IP fallback, not the IP fallback":               {WithoutIPFallback()},
		": 2m0s late slack, not 1m0s":                         {WithLateSlack(2 * time.Minute)},
		": topology " + TopologyDigest(topo) + ", not none":   {WithTopology(topo)},
		": 1m0s buckets, not 5m0s; 2m0s late slack, not 1m0s": {WithStep(time.Minute), WithLateSlack(2 * time.Minute)},
	} {
		// The message names what differs, the part's value first.
		if _, err := Merge(a, newTestEngine(opts...).partial()); !errors.Is(err, ErrIncompatible) || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("want %q: %v", want, err)
		}
	}
	if d := a.Config.Differences(a.Config); len(d) != 0 {
		t.Errorf("a config differs from itself: %q", d)
	}
	// One topology however listed: one digest.
	swapped := Topology{Subnets: []Subnet{topo.Subnets[1], topo.Subnets[0]}, VPCs: topo.VPCs}
	if _, err := Merge(newTestEngine(WithTopology(topo)).partial(), newTestEngine(WithTopology(swapped)).partial()); err != nil {
		t.Errorf("one topology in another order: %v", err)
	}
	if d := TopologyDigest(topo); len(d) != 16 || TopologyDigest(Topology{}) != "" {
		t.Errorf("digests %q and %q", d, TopologyDigest(Topology{}))
	}
	if c := a.Config; c.NoIPFallback || c.LateSlack != time.Minute || c.Topology != "" || c.RuleVersion != RuleVersion || c.Validate() != nil {
		t.Errorf("default options recorded as %+v", c)
	}
	// Parts made by code of another RuleVersion attributed some records
	// elsewhere: refused like other options, named; parts all of one
	// other version still merge.
	next := newTestEngine().partial()
	next.Config.RuleVersion = RuleVersion + 1
	want := fmt.Sprintf(": rule version %d, not %d", RuleVersion+1, RuleVersion)
	if _, err := Merge(a, next); !errors.Is(err, ErrIncompatible) || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("want %q: %v", want, err)
	}
	if _, err := Merge(next, next); err != nil {
		t.Errorf("parts of one other rule version: %v", err)
	}
	none := *a
	none.Config.RuleVersion = 0
	if _, err := Merge(&none); err == nil {
		t.Error("rule version 0: no error")
	}
	if _, err := Merge(nil, nil); err == nil {
		t.Error("nothing to merge: no error")
	}
	bad := *a
	bad.Config.PeersKept = 0
	if _, err := Merge(&bad); err == nil {
		t.Error("peers kept 0: no error")
	}
	big := *a
	big.Total.Bytes = ^uint64(0)
	var oe *OverflowError
	if _, err := Merge(&big, &big); !errors.As(err, &oe) || oe.Field != "bytes" {
		t.Errorf("overflow: %v", err)
	}
	// Merging does not modify its parts.
	e := randomEngine(1, 1, 500)
	p := e.partial()
	before := e.partial()
	if _, err := Merge(p, p, p); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, before) {
		t.Error("Merge modified a part")
	}
}

// firstDiff names the first place where the printed forms of a and b
// differ (the history's tasks printed by value).
func firstDiff(a, b *Result) string {
	print := func(r *Result) []string {
		var sb strings.Builder
		for _, g := range r.Groups {
			fmt.Fprintf(&sb, "group %s ", g.Key)
			for _, t := range g.Tasks {
				fmt.Fprintf(&sb, "%+v ", *t)
			}
			for _, in := range g.Instances {
				fmt.Fprintf(&sb, "%+v ", *in)
			}
			g.Tasks, g.Instances = nil, nil
			fmt.Fprintf(&sb, "%+v\n", g)
		}
		c := *r
		c.Groups = nil
		fmt.Fprintf(&sb, "%+v", c)
		return strings.Fields(sb.String())
	}
	la, lb := print(a), print(b)
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("word %d: got %s, want %s (after: %s)", i, la[i], lb[i], strings.Join(la[max(0, i-12):i], " "))
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(la), len(lb))
}

// TestMerger: a Merger fed parts one at a time, its sum taken between
// them, gives the left fold of Merge, whose summaries drop keys (so the
// order of merging matters); it modifies no part, and the sum's tasks are
// in ARN order whatever order the parts' came in.
func TestMerger(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	next := randomFlows(7, 6)
	parts := make([]*engine, 5)
	for i := range parts {
		parts[i] = newTestEngine(WithTopK(3, 2))
	}
	for range 5000 {
		f := next()
		parts[rng.IntN(len(parts))].add(&f)
	}
	ps := make([]*Partial, len(parts))
	for i, e := range parts {
		ps[i] = e.partial()
	}
	// A part built by hand need not be in ARN order.
	slices.Reverse(ps[2].Tasks)
	before := make([]*Partial, len(ps))
	for i, p := range ps {
		before[i] = deepCopy(p)
	}

	var m Merger
	if m.Partial() != nil {
		t.Fatal("an empty Merger's sum is not nil")
	}
	var fold *Partial
	for i, p := range ps {
		if err := m.Add(p); err != nil {
			t.Fatal(err)
		}
		var err error
		if fold, err = Merge(fold, p); err != nil {
			t.Fatal(err)
		}
		got := m.Partial()
		if !reflect.DeepEqual(got, fold) {
			t.Fatalf("after %d parts the Merger's sum differs from Merge's", i+1)
		}
		if !slices.IsSortedFunc(got.Tasks, func(a, b TaskPart) int { return strings.Compare(a.Task.ARN, b.Task.ARN) }) {
			t.Fatalf("after %d parts the sum's tasks are not in ARN order", i+1)
		}
	}
	for i := range ps {
		if !reflect.DeepEqual(ps[i], before[i]) {
			t.Fatalf("part %d was modified", i+1)
		}
	}
	// An error leaves the sum as it was.
	sum := deepCopy(m.Partial())
	other := deepCopy(ps[0])
	other.Config.Step *= 2
	if err := m.Add(other); !errors.Is(err, ErrIncompatible) {
		t.Fatalf("incompatible part: %v", err)
	}
	big := deepCopy(ps[0])
	big.Total.Bytes = math.MaxUint64
	var oe *OverflowError
	if err := m.Add(big); !errors.As(err, &oe) {
		t.Fatalf("overflowing part: %v", err)
	}
	if !reflect.DeepEqual(m.Partial(), sum) {
		t.Fatal("a refused part changed the sum")
	}
}

// deepCopy copies p's own slices (Tasks and Instances are shared).
func deepCopy(p *Partial) *Partial {
	q := *p
	q.Tasks = slices.Clone(p.Tasks)
	for i := range q.Tasks {
		t := &q.Tasks[i]
		t.Peers, t.Ports, t.Series = slices.Clone(t.Peers), slices.Clone(t.Ports), slices.Clone(t.Series)
	}
	q.Unattributed = slices.Clone(p.Unattributed)
	for i := range q.Unattributed {
		q.Unattributed[i].TopInterfaces = slices.Clone(q.Unattributed[i].TopInterfaces)
	}
	return &q
}

// TestSummaryEqual: each summary's equal is its cmp's 0, for the keys
// that differ least (a prefix's bits, addresses that differ only in a
// zone, which a Prefix drops, an IPv4 address and its IPv4-mapped IPv6
// form): addByScan looks keys up by equal, addBySort by cmp, and both
// must find the same entries.
func TestSummaryEqual(t *testing.T) {
	var peers []Peer
	for _, a := range []string{"10.0.0.1", "10.0.0.2", "::ffff:10.0.0.1", "fe80::1", "fe80::1%eth0", "fe80::1%eth1", "::"} {
		addr := netip.MustParseAddr(a)
		for _, bits := range []int{0, 24, 32, 64, 128} {
			if bits <= addr.BitLen() {
				peers = append(peers, Peer{Prefix: netip.PrefixFrom(addr, bits)})
			}
		}
	}
	peers = append(peers, Peer{}) // a record that named no peer
	for i := range peers {
		for j := range peers {
			a, b := &peers[i], &peers[j]
			if eq, c := peerSummary.equal(a, b), peerSummary.cmp(a, b); eq != (c == 0) {
				t.Errorf("peers %v and %v: equal %v, cmp %d", a.Prefix, b.Prefix, eq, c)
			}
		}
	}
	ports := []Port{{Protocol: 6, Port: 443}, {Protocol: 17, Port: 443}, {Protocol: 6, Port: 80}, {}}
	for i := range ports {
		for j := range ports {
			a, b := &ports[i], &ports[j]
			if eq, c := portSummary.equal(a, b), portSummary.cmp(a, b); eq != (c == 0) {
				t.Errorf("ports %v and %v: equal %v, cmp %d", *a, *b, eq, c)
			}
		}
	}
	ifaces := []Interface{{ID: "eni-1"}, {ID: "eni-2"}, {}}
	for i := range ifaces {
		for j := range ifaces {
			a, b := &ifaces[i], &ifaces[j]
			if eq, c := interfaceSummary.equal(a, b), interfaceSummary.cmp(a, b); eq != (c == 0) {
				t.Errorf("interfaces %q and %q: equal %v, cmp %d", a.ID, b.ID, eq, c)
			}
		}
	}
}

// TestAddByScan: looking a few keys up in the sum gives what sorting both
// sides does (the same entries, counts, errors and classes), and
// mergeSummaries orders and cuts either one alike.
func TestAddByScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	peerCmp := peerSummary.cmp
	gen := func(n int) []Peer {
		ps := make([]Peer, 0, n)
		for _, k := range rng.Perm(60)[:n] {
			b := uint64(1 + rng.IntN(5)) // ties in bytes, broken by key
			ps = append(ps, Peer{Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(k)}), 32),
				Class: PeerClass(rng.IntN(int(numPeerClasses))), Bytes: b, Packets: b, Records: 1, MaxError: uint64(rng.IntN(2))})
		}
		return ps
	}
	for round := range 2000 {
		a, b := gen(rng.IntN(40)), gen(rng.IntN(fewKeys+1))
		ba, bb := uint64(rng.IntN(3)), uint64(rng.IntN(3))
		byKey := func(x []Peer) []Peer {
			x = slices.Clone(x)
			slices.SortFunc(x, func(p, q Peer) int { return peerCmp(&p, &q) })
			return x
		}
		scan := byKey(addByScan(slices.Clone(a), b, ba, bb, &peerSummary, new(summaryBufs[Peer])))
		sorted := byKey(addBySort(slices.Clone(a), b, ba, bb, &peerSummary, new(summaryBufs[Peer])))
		if !reflect.DeepEqual(scan, sorted) {
			t.Fatalf("round %d: by scan %v, by sort %v", round, scan, sorted)
		}
		k := 1 + rng.IntN(50)
		got, gotBound := mergeSummaries(slices.Clone(a), b, ba, bb, k, &peerSummary, nil)
		want := slices.Clone(sorted)
		slices.SortStableFunc(want, func(p, q Peer) int {
			if p.Bytes != q.Bytes {
				return cmp.Compare(q.Bytes, p.Bytes)
			}
			return peerCmp(&p, &q)
		})
		wantBound := ba + bb
		if len(want) > k {
			wantBound = max(wantBound, want[k].Bytes)
			want = want[:k]
		}
		if !reflect.DeepEqual(got, want) || gotBound != wantBound {
			t.Fatalf("round %d, k %d: merged %v (bound %d), want %v (bound %d)", round, k, got, gotBound, want, wantBound)
		}
	}
}

// TestRestoreLazily: a Partial's tasks get no summaries of their own,
// before their group is built or after: the group adds their parts' up
// while it is built, so taking the groups one at a time holds one
// group's.
func TestRestoreLazily(t *testing.T) {
	e := randomEngine(11, 11, 2000)
	p := e.partial()
	for _, g := range []GroupBy{ByTask, ByService} {
		_, tasks, cfg := p.resultHead(g)
		made := func() int {
			n := 0
			for _, st := range tasks {
				if st.peers.hot != nil || st.peers.slots != nil || st.ports != nil {
					n++
				}
			}
			return n
		}
		if len(tasks) < 3 {
			t.Fatalf("%d tasks: too few to tell", len(tasks))
		}
		if n := made(); n > 0 {
			t.Fatalf("by %v: %d of %d tasks have summaries before their group is built", g, n, len(tasks))
		}
		groups := 0
		for grp := range streamGroups(g, tasks, &cfg, restoredInstance) {
			groups++
			if n := made(); n > 0 {
				t.Fatalf("by %v, group %s: %d tasks keep summaries after their group is built", g, grp.Key, n)
			}
		}
		if groups == 0 {
			t.Fatalf("by %v: no groups", g)
		}
	}
}

// Every field of PartialConfig, changed, is a difference Differences
// names: a field added to the config but not to Differences would make
// Merge refuse with an empty reason.
func TestDifferencesNamesEveryField(t *testing.T) {
	base := newTestEngine().partial().Config
	v := reflect.ValueOf(&base).Elem()
	for i := range v.NumField() {
		c := base
		f := reflect.ValueOf(&c).Elem().Field(i)
		switch f.Kind() {
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Int, reflect.Int64:
			f.SetInt(f.Int() + 1)
		case reflect.String:
			f.SetString(f.String() + "0")
		default:
			t.Fatalf("field %s of kind %v: teach this test to change it", v.Type().Field(i).Name, f.Kind())
		}
		if d := c.Differences(base); len(d) != 1 {
			t.Errorf("%s changed: differences %q, want one", v.Type().Field(i).Name, d)
		}
	}
}

// Two partials that saw one task at one version, one after ECS told it to
// stop: the merge keeps the desired-STOPPED observation in either order,
// by the rule every reader of tasks keeps (ecsread.TaskState); it kept
// whichever came last.
func TestMergeKeepsNewerTaskState(t *testing.T) {
	p := randomEngine(1, 3, 200).partial()
	if len(p.Tasks) == 0 {
		t.Fatal("no tasks")
	}
	told := *p.Tasks[0].Task
	told.DesiredStatus = "STOPPED"
	q := *p
	q.Tasks = slices.Clone(p.Tasks)
	q.Tasks[0].Task = &told
	for _, order := range [][]*Partial{{p, &q}, {&q, p}} {
		m, err := Merge(order...)
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range m.Tasks {
			if tp.Task.ARN == told.ARN && tp.Task.DesiredStatus != "STOPPED" {
				t.Errorf("merged task %s: desired %q, want STOPPED", tp.Task.ARN, tp.Task.DesiredStatus)
			}
		}
	}
}

package attribution

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// TestInvariantRandom throws random flows at the fixture cluster — every
// mix of known and unknown interfaces and addresses, statuses, directions,
// ECS fields, ports and times around the tasks' lifetimes — and checks that
// attributed + unattributed = total under every grouping, with series and
// peer classes adding up to each group's bytes.
func TestInvariantRandom(t *testing.T) {
	next := randomFlows(11, 12)
	for round := range 20 {
		e := newTestEngine(WithTopK(4, 3), WithMaxBuckets(8), WithStep(60e9), WithPeerPrefix(24, 64))
		if round%2 == 1 {
			e = newTestEngine(WithoutIPFallback(), WithLateSlack(0))
		}
		for range 3000 {
			f := next()
			e.add(&f)
		}
		checkInvariant(t, e)
		r := e.result(ByTask)
		if r.Total.Records != 3000 || len(r.Unattributed) == 0 || len(r.Groups) == 0 {
			t.Fatalf("round %d: implausible result: %d records, %d reasons, %d groups", round, r.Total.Records, len(r.Unattributed), len(r.Groups))
		}
	}
}

// randomEngine is an engine of opts that has added n of randomFlows(seed1,
// seed2).
func randomEngine(seed1, seed2 uint64, n int, opts ...Option) *engine {
	e := newTestEngine(opts...)
	next := randomFlows(seed1, seed2)
	for range n {
		f := next()
		e.add(&f)
	}
	return e
}

// randomFlows returns a generator of random flows over the fixture
// cluster: every mix of known and unknown interfaces and addresses,
// statuses, directions, ECS fields, ports and times around the tasks'
// lifetimes.
func randomFlows(seed1, seed2 uint64) func() flow {
	rng := rand.New(rand.NewPCG(seed1, seed2))
	enis := []string{"", "eni-web1", "eni-web2", "eni-api1", "eni-api2", "eni-reuse", "eni-inst-a", "eni-inst-b", "eni-nat", "eni-zzz"}
	addrPool := []string{"", "10.0.1.101", "10.0.2.102", "10.0.1.111", "10.0.1.150", "10.0.1.151", "10.0.1.10", "10.0.2.20",
		"10.0.2.5", "52.216.1.1", "8.8.8.8", "2600:1f18::1", "::ffff:10.0.1.101"}
	arns := []string{"", "", "", arnWeb1, arnAPI2, "arn:aws:ecs:us-east-1:123456789012:task/demo/ghost"}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	addr := func() netip.Addr {
		if s := pick(addrPool); s != "" {
			return netip.MustParseAddr(s).Unmap()
		}
		return netip.Addr{}
	}
	return func() flow {
		f := flow{
			eni: pick(enis), src: addr(), dst: addr(), pktSrc: addr(), pktDst: addr(),
			srcPort: uint16(rng.IntN(3) * 16384), dstPort: []uint16{32768, 9100, 8080, 443, 0}[rng.IntN(5)],
			proto: []uint8{6, 17, 1}[rng.IntN(3)], hasPorts: rng.IntN(5) > 0,
			bytes: uint64(rng.IntN(100000)), packets: uint64(rng.IntN(100)),
			start:  at(rng.IntN(120) - 30).Unix(),
			action: uint8(rng.IntN(3)), status: uint8(rng.IntN(7) / 5), dir: uint8(rng.IntN(3)),
			trafficPath: uint8(rng.IntN(9)), tcpFlags: uint8(rng.IntN(32)), hasFlags: rng.IntN(2) == 0,
			ecsTaskARN: pick(arns),
		}
		if rng.IntN(10) == 0 {
			f.dstService = "S3"
		}
		return f
	}
}

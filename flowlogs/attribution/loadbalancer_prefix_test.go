package attribution

import "testing"

// TestLoadBalancerPrefixEntryAbsorbsOthers: with peers grouped by
// /24, an ALB node (10.0.2.5, us-east-1b) and task web2 (10.0.2.102,
// us-east-1b) share one peer entry. The node's records are classed one by
// one (applyPeer), but once the entry is tagged load_balancer by the
// node's first record, web2's cross-AZ traffic (billed $0.01/GB each way)
// is counted as load_balancer (priced free): the node's per-record
// classing must go both ways.
func TestLoadBalancerPrefixEntryAbsorbsOthers(t *testing.T) {
	for _, c := range []struct {
		name string
		fs   []flow
	}{
		{"node first", []flow{
			fl("eni-web1", "10.0.2.5", "10.0.1.101", 20000, 8080, 1000, 1),  // node → target: load balancer
			fl("eni-web1", "10.0.1.101", "10.0.2.102", 40000, 9000, 300, 1), // web2, cross-AZ
		}},
		{"task first", []flow{
			fl("eni-web1", "10.0.1.101", "10.0.2.102", 40000, 9000, 300, 1),
			fl("eni-web1", "10.0.2.5", "10.0.1.101", 20000, 8080, 1000, 1),
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(WithTopology(lbTopology()), WithPeerPrefix(24, 64))
			for _, f := range c.fs {
				e.add(&f)
			}
			checkInvariant(t, e)
			g := e.result(ByTask).Groups[0]
			if g.ClassBytes[PeerLoadBalancer] != 1000 || g.ClassBytes[PeerCrossAZ] != 300 || g.ClassBytesOut[PeerCrossAZ] != 300 {
				t.Errorf("class bytes %v (out %v): want 1000 load balancer, 300 cross-AZ out", g.ClassBytes, g.ClassBytesOut)
			}
		})
	}
}

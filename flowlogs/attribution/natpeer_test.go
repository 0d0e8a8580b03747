package attribution

import "testing"

// TestPublicPeerNotClassedByNextHopAZ: a public IPv4 peer (not in
// any VPC of the Topology) reached through a NAT gateway has v11
// next-hop-az-id = the NAT gateway's AZ, not the peer's. AWS bills
// transfer to a public IPv4 address at $0.01/GB each way even within
// one AZ, and internet egress at internet rates: "same AZ" (priced free)
// or "cross-AZ" is never the class of such a peer. With the format's
// pkt-dst-aws-service empty it is PeerInternet (see its doc comment).
func TestPublicPeerNotClassedByNextHopAZ(t *testing.T) {
	for _, c := range []struct {
		name    string
		nextHop string
	}{{"NAT gateway in the task's AZ", "use1-az1"}, {"NAT gateway in another AZ", "use1-az2"}} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine()
			f := fl("eni-web1", "10.0.1.101", "93.184.216.34", 40000, 443, 1000, 1)
			f.dir = dirEgress
			f.fmtFields = svcSrc | svcDst // the format has pkt-*-aws-service; empty: not AWS's
			f.azID, f.nextHopAZID = "use1-az1", c.nextHop
			g := classesOfOne(t, e, f)
			if g[PeerInternet] != 1000 {
				t.Errorf("class bytes %v: want 1000 internet (a public peer, its next hop a NAT gateway)", g)
			}
		})
	}
}

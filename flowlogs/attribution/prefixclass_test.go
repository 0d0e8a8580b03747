package attribution

import "testing"

// TestPeerPrefixClassBytes: Group.ClassBytes is documented to
// count each record in its own class ("which Group.ClassBytes counts
// exactly"), and pricing costs it. With peers grouped by CIDR
// (WithPeerPrefix), one kept entry holds addresses of different classes:
// a /16 holds the task's AZ's subnets and the other AZs'. Every record of
// the entry was counted in the class of its first record: cross-AZ bytes
// counted same-AZ, priced free.
func TestPeerPrefixClassBytes(t *testing.T) {
	e := newTestEngine(WithPeerPrefix(16, 64))
	same := fl("eni-web1", "10.0.1.101", "10.0.1.111", 40000, 9000, 16, 1) // api1, same AZ
	same.dir = dirEgress
	cross := fl("eni-web1", "10.0.1.101", "10.0.2.102", 40000, 8080, 1000, 1) // web2, cross-AZ
	cross.dir = dirEgress
	e.add(&same)
	e.add(&cross)
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	if g.ClassBytes[PeerSameAZ] != 16 || g.ClassBytes[PeerCrossAZ] != 1000 || g.ClassBytesOut[PeerCrossAZ] != 1000 {
		t.Errorf("class bytes %v (out %v): want 16 same-AZ, 1000 cross-AZ", g.ClassBytes, g.ClassBytesOut)
	}
}

package attribution

import "testing"

// A task behind a shared internal ALB that also calls services through
// it meets one node address in both roles: the node forwards to the task
// (the task is its target: PeerLoadBalancer, free) and the task calls the
// node (its client: cross-AZ, billed, when the node is in another AZ).
// Each record's bytes go to its own role's class, whatever record the
// peer summary met first and whether it kept the peer: the split must not
// depend on the records' order or on WithTopK.
func TestLoadBalancerNodeInBothRoles(t *testing.T) {
	const task, node = "10.0.1.101", "10.0.2.5"                // web1 in us-east-1a, ALB node in us-east-1b
	target := fl("eni-web1", node, task, 20000, 8080, 1000, 1) // node → task's container port
	client := fl("eni-web1", task, node, 41000, 443, 3000, 1)  // task calls the ALB
	other := fl("eni-web1", task, "10.0.2.102", 41001, 9000, 1e6, 1)
	for _, c := range []struct {
		name string
		opts []Option
		fs   []flow
	}{
		{"target first", nil, []flow{target, client}},
		{"client first", nil, []flow{client, target}},
		{"target first, then kept across many records", nil, []flow{target, client, client, target}},
		{"node not kept (WithTopK 1)", []Option{WithTopK(1, 4)}, []flow{other, target, client}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(append([]Option{WithTopology(lbTopology())}, c.opts...)...)
			var lb, cross uint64
			for _, f := range c.fs {
				e.add(&f)
				switch f.srcPort {
				case 20000:
					lb += f.bytes
				case 41000:
					cross += f.bytes
				}
			}
			checkInvariant(t, e)
			g := e.result(ByTask).Groups[0]
			if g.ClassBytes[PeerLoadBalancer] != lb || g.ClassBytesIn[PeerLoadBalancer] != lb {
				t.Errorf("load balancer bytes %d (in %d), want %d (the node's forwarding to its target): %v",
					g.ClassBytes[PeerLoadBalancer], g.ClassBytesIn[PeerLoadBalancer], lb, g.ClassBytes)
			}
			if g.ClassBytes[PeerCrossAZ] < cross || g.ClassBytesOut[PeerCrossAZ] < cross {
				t.Errorf("cross-AZ bytes %d (out %d), want at least %d (the task's calls to the node): %v",
					g.ClassBytes[PeerCrossAZ], g.ClassBytesOut[PeerCrossAZ], cross, g.ClassBytes)
			}
		})
	}
}

package attribution

import "testing"

// A task that calls an (internal) Application Load Balancer is the node's
// client, not its target: AWS bills client ↔ load balancer traffic across
// AZs ("When traffic between clients and Load Balancers, or between Load
// Balancers and their targets, crosses Availability Zone … boundaries,
// EC2 Data Transfer charges apply"; only node ↔ target is exempt), so the
// node in another AZ is cross-AZ and in the task's own AZ same-AZ, not the
// free PeerLoadBalancer. The node's forwarding to the task (the task is
// its target) stays PeerLoadBalancer, whatever ephemeral port the node
// picked.
func TestLoadBalancerClientIsNotTarget(t *testing.T) {
	const task = "10.0.1.101" // web1, us-east-1a
	for _, c := range []struct {
		name  string
		f     func() flow
		want  PeerClass
		flags uint8 // tcp-flags, 0: not in the format
	}{
		{"task calls the ALB node in another AZ (request)", func() flow { return fl("eni-web1", task, "10.0.2.5", 41000, 443, 1000, 1) }, PeerCrossAZ, 0},
		{"task calls the ALB node in another AZ (response)", func() flow { return fl("eni-web1", "10.0.2.5", task, 443, 41000, 1000, 1) }, PeerCrossAZ, 0},
		{"task calls the ALB node in its own AZ", func() flow { return fl("eni-web1", task, "10.0.1.5", 41000, 80, 1000, 1) }, PeerSameAZ, 0},
		{"task calls the Classic LB node, SYN", func() flow { return fl("eni-web1", task, "10.0.2.7", 41000, 8443, 1000, 1) }, PeerCrossAZ, 2},
		{"node forwards to the task from a low port", func() flow { return fl("eni-web1", "10.0.2.5", task, 3000, 8080, 1000, 1) }, PeerLoadBalancer, 0},
		{"node forwards to the task, SYN", func() flow { return fl("eni-web1", "10.0.2.5", task, 3000, 8080, 1000, 1) }, PeerLoadBalancer, 2},
		{"task answers the node, SYN-ACK", func() flow { return fl("eni-web1", task, "10.0.2.5", 8080, 50000, 1000, 1) }, PeerLoadBalancer, 0x12},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(WithTopology(lbTopology()))
			f := c.f()
			if c.flags != 0 {
				f.hasFlags, f.tcpFlags = true, c.flags
			}
			e.add(&f)
			checkInvariant(t, e)
			g := e.result(ByTask).Groups[0]
			if g.ClassBytes[c.want] != 1000 {
				t.Errorf("class bytes %v, want 1000 as %v", g.ClassBytes, c.want)
			}
		})
	}
}

// An address the history knows as a task's at the record's time is that
// task, never a load balancer node, even when neither side's AZ can be
// compared: here the local task is known only from the records' ecs-*
// fields (a Fargate task, no AZ), and its peer 10.0.1.150 was task x1's
// at minute 5 (it is an ALB node's in the later snapshot). The
// history's owner comes first (Topology.LoadBalancers says so), so the
// peer is not PeerLoadBalancer, priced free: without an AZ for the local
// task it stays unknown (unpriced).
func TestLoadBalancerNodeAddressKnownOwnerNoAZ(t *testing.T) {
	e := newTestEngine(WithTopology(lbTopology()))
	f := fl("eni-fargate9", "10.0.1.150", "10.0.1.77", 40000, 8080, 1000, 5)
	f.dir, f.ecsTaskARN = dirIngress, "arn:aws:ecs:us-east-1:123456789012:task/demo/fg9"
	e.add(&f)
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	if g.Key != f.ecsTaskARN {
		t.Fatalf("group %s", g.Key)
	}
	if g.ClassBytes[PeerLoadBalancer] != 0 {
		t.Errorf("class bytes %v: x1's address at minute 5 classed as a load balancer node", g.ClassBytes)
	}
}

// TestLoadBalancerTargetOnDynamicHostPort: a bridge task behind an ALB is
// registered on a dynamic host port, which is ephemeral (32768 here), and
// the node forwards from a port of its own, often lower: the port rule
// alone would take the node for the server and the task for its client.
// Attributed through the host port, the task is the one serving, and the
// node in another AZ is still PeerLoadBalancer.
func TestLoadBalancerTargetOnDynamicHostPort(t *testing.T) {
	e := newTestEngine(WithTopology(lbTopology()))
	for _, f := range []flow{
		fl("eni-inst-b", "10.0.1.5", "10.0.2.20", 20000, 32768, 1000, 5), // node in us-east-1a → host port
		fl("eni-inst-b", "10.0.2.20", "10.0.1.5", 32768, 20000, 1000, 5), // the task's answer
	} {
		e.add(&f)
	}
	checkInvariant(t, e)
	g := e.result(ByTask).Groups[0]
	if g.Key != arnBr1 || g.ClassBytes[PeerLoadBalancer] != 2000 {
		t.Errorf("%s: class bytes %v, want 2000 as load balancer", g.Key, g.ClassBytes)
	}
}

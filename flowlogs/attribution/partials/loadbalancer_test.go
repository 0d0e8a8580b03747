package partials_test

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// lbTopology makes 10.9.9.9, the one private peer of objects, an
// Application Load Balancer's node.
var lbTopology = attribution.Topology{
	Subnets: []attribution.Subnet{{ID: "subnet-x", Prefix: netip.MustParsePrefix("10.9.9.0/24"), AZ: "us-east-1b", VPC: "vpc-1"}},
	LoadBalancers: []attribution.LoadBalancerNode{{Addr: netip.MustParseAddr("10.9.9.9"), LoadBalancer: "app/web/1",
		ENI: "eni-alb", VPC: "vpc-1"}},
}

// Class rows of the class load_balancer are written by its name and read
// back; split, written, read and merged, the parts give the single run's
// report, its bytes with load balancers included.
func TestLoadBalancerClassRoundTrip(t *testing.T) {
	h := cluster(t)
	objs := objects(11, 3, 2000)
	run := func(texts []string) *attribution.Attributor {
		a := attribution.New(h, attribution.WithTopology(lbTopology))
		for _, txt := range texts {
			if err := a.AddAll(flowlogs.NewReader(strings.NewReader(txt), flowlogs.WithFields(attribution.Fields()...)).All()); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	whole := run(objs)
	p := whole.Partial()
	var lb uint64
	for _, tp := range p.Tasks {
		lb += tp.ClassBytes[attribution.PeerLoadBalancer]
	}
	if lb == 0 {
		t.Fatal("setup: no bytes with the load balancer")
	}
	rows, err := partials.Rows(p)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.Kind == partials.KindClass && r.PeerClass == "load_balancer" {
			n++
		}
		if r.Kind == partials.KindPeer && r.Peer == "10.9.9.9/32" && r.PeerClass != "load_balancer" {
			t.Errorf("peer row %+v", r)
		}
	}
	if n == 0 {
		t.Error("no class row of load_balancer")
	}
	q := roundTrip(t, p)
	if q.Config.Topology != attribution.TopologyDigest(lbTopology) {
		t.Errorf("topology %q read back", q.Config.Topology)
	}
	for i := range p.Tasks {
		if q.Tasks[i].ClassBytes != p.Tasks[i].ClassBytes || q.Tasks[i].ClassBytesIn != p.Tasks[i].ClassBytesIn || q.Tasks[i].ClassBytesOut != p.Tasks[i].ClassBytesOut {
			t.Errorf("task %s: classes %v read back as %v", p.Tasks[i].Task.ARN, p.Tasks[i].ClassBytes, q.Tasks[i].ClassBytes)
		}
	}
	var parts []*attribution.Partial
	for _, o := range objs {
		parts = append(parts, roundTrip(t, run([]string{o}).Partial()))
	}
	merged, err := attribution.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []attribution.GroupBy{attribution.ByTask, attribution.ByService} {
		if got, want := render(t, merged.Result(g)), render(t, whole.Result(g)); got != want {
			t.Errorf("by %v: merged report differs:\n%s\nwant\n%s", g, got, want)
		}
	}
	// Parts made without the nodes (the code before the class, or no
	// describe-network-interfaces) do not merge with these.
	if _, err := attribution.Merge(parts[0], roundTrip(t, attribute(t, h, objs[:1]).Partial())); !errors.Is(err, attribution.ErrIncompatible) {
		t.Errorf("parts with and without the nodes merged: %v", err)
	}
}

// A file written before the class existed, at rule version 2 (testdata:
// the embedded sample's partial, `go run ./examples/attribute -partial
// FILE` at the commit before it, 0b09123) still reads, without a class row of
// load_balancer, its ALB nodes' traffic in cross_az as it was classed
// then. (Its topology digest is the sample's without the load balancer
// nodes: examples/attribute checks that today's code computes the same.)
func TestReadFileBeforeLoadBalancerClass(t *testing.T) {
	const name = "testdata/sample-before-load-balancer.parquet"
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := partials.Read(bytes.NewReader(b), int64(len(b)), name)
	if err != nil {
		t.Fatalf("a file without the class: %v", err)
	}
	if p.Config.Topology != "fb665e5ef23a449b" || p.Config.RuleVersion != 2 || len(p.Tasks) != 6 {
		t.Fatalf("config %v, %d tasks", p.Config, len(p.Tasks))
	}
	var cross uint64
	for _, tp := range p.Tasks {
		if tp.ClassBytes[attribution.PeerLoadBalancer] != 0 {
			t.Errorf("task %s has load balancer bytes in a file written before the class", tp.Task.ARN)
		}
		cross += tp.ClassBytes[attribution.PeerCrossAZ]
	}
	r := p.Result(attribution.ByService)
	var lbPeers int
	for _, g := range r.Groups {
		for _, pe := range g.TopPeers {
			if a := pe.Prefix.Addr().String(); a == "10.0.1.5" || a == "10.0.2.5" {
				lbPeers++
				if pe.Class == attribution.PeerLoadBalancer {
					t.Errorf("group %s: peer %v read as %v", g.Key, pe.Prefix, pe.Class)
				}
			}
		}
	}
	if cross == 0 || lbPeers == 0 {
		t.Errorf("cross-AZ %d bytes, %d peers at the sample's ALB nodes: not the sample", cross, lbPeers)
	}
}

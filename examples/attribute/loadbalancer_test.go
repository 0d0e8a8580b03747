package main

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
)

// The sample's ALB nodes, one in each AZ.
var sampleALB = map[string]bool{"10.0.1.5/32": true, "10.0.2.5/32": true}

// pricedTasks runs the program with args and the built-in us-east-1
// prices, and returns the web tasks' groups.
func pricedWebTasks(t *testing.T, args ...string) []report.DocumentGroup {
	t.Helper()
	out, _ := runOut(t, append(args, "-prices", "us-east-1", "-format", "json", "-by", "task")...)
	var d report.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	var web []report.DocumentGroup
	for _, g := range d.Groups {
		if g.Tasks[0].Service == "web" {
			web = append(web, g)
		}
	}
	if len(web) != 2 {
		t.Fatalf("%d web tasks", len(web))
	}
	return web
}

// albBytes are the bytes g exchanged with the sample's ALB nodes (its top
// peers hold them exactly: MaxError 0), by the nodes' class.
func albBytes(t *testing.T, g report.DocumentGroup) map[string]uint64 {
	t.Helper()
	by := map[string]uint64{}
	for _, p := range g.TopPeers {
		if sampleALB[p.Prefix] {
			if p.MaxError != 0 {
				t.Fatalf("task %s: peer %s counted ±%d", g.Key, p.Prefix, p.MaxError)
			}
			by[p.Class] += p.Bytes
		}
	}
	return by
}

// crossAZCost is what the built-in table charges for a group's cross-AZ
// bytes: $0.01/GiB each way.
func crossAZCost(g report.DocumentGroup) float64 {
	return float64(g.ClassBytes["cross_az"]) / (1 << 30) * 0.01
}

// TestSampleALBNotCharged: the sample's web tasks sit behind an ALB whose
// nodes are in both AZs (cross-zone), and AWS does not bill the cross-AZ
// transfer between an ALB's nodes and its targets: with the ALB's
// interfaces (sample/network/describe-network-interfaces.json) the nodes
// are the class load_balancer, priced at zero, and the tasks' cross-AZ
// cost is their other cross-AZ traffic's only. Before the class, each web
// task was charged $0.01/GiB each way for its traffic with the node in
// the other AZ.
func TestSampleALBNotCharged(t *testing.T) {
	for _, g := range pricedWebTasks(t) {
		alb := albBytes(t, g)
		if alb["load_balancer"] == 0 || len(alb) != 1 {
			t.Errorf("task %s: ALB traffic by class %v, want all of it load_balancer", g.Key, alb)
		}
		if g.ClassBytes["load_balancer"] != alb["load_balancer"] {
			t.Errorf("task %s: load_balancer bytes %d, its ALB peers' %d", g.Key, g.ClassBytes["load_balancer"], alb["load_balancer"])
		}
		if cost, ok := g.Cost.ByClass["load_balancer"]; !ok || cost != 0 {
			t.Errorf("task %s: ALB traffic costs %v (priced: %v), want 0", g.Key, cost, ok)
		}
		if g.Cost.UnpricedByClass["load_balancer"].Bytes != 0 {
			t.Errorf("task %s: ALB traffic unpriced: %+v", g.Key, g.Cost.UnpricedByClass)
		}
		// What cross-AZ remains (calls to api in the other AZ) is far less
		// than the ALB's traffic was, and charged.
		if g.ClassBytes["cross_az"] == 0 || g.ClassBytes["cross_az"]*10 > alb["load_balancer"] ||
			math.Abs(g.Cost.ByClass["cross_az"]-crossAZCost(g)) > 1e-12 {
			t.Errorf("task %s: cross-AZ %d bytes cost %v; ALB %d bytes", g.Key, g.ClassBytes["cross_az"], g.Cost.ByClass["cross_az"], alb["load_balancer"])
		}
	}
}

// TestSampleNLBCharged: the same nodes as a Network Load Balancer's
// (description "ELB net/…", interface type network_load_balancer), whose
// cross-zone traffic AWS bills, are classed by AZ like any peer: the node
// in the other AZ is cross_az and charged; so is every node when the
// interfaces are not given (the class needs them), and then the
// topology's digest is the one partials had before the class, so they
// still merge.
func TestSampleNLBCharged(t *testing.T) {
	dir := writeSample(t)
	network := filepath.Join(dir, "sample", "network")
	enis := filepath.Join(network, "describe-network-interfaces.json")
	b, err := os.ReadFile(enis)
	if err != nil {
		t.Fatal(err)
	}
	nlb := strings.ReplaceAll(string(b), `"ELB app/demo-web/`, `"ELB net/demo-web/`)
	nlb = strings.ReplaceAll(nlb, `"InterfaceType": "interface"`, `"InterfaceType": "network_load_balancer"`)
	if nlb == string(b) || strings.Count(nlb, "network_load_balancer") != 2 {
		t.Fatal("the sample's interfaces changed")
	}
	if err := os.WriteFile(enis, []byte(nlb), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{"-tasks", sampleTasks(t, dir), "-flowlogs", filepath.Join(dir, "sample", "flowlogs")}
	withoutENIs := strings.Join([]string{filepath.Join(network, "describe-subnets.json"), filepath.Join(network, "describe-vpcs.json")}, ",")
	asNLB := pricedWebTasks(t, append(files, "-network", network)...)
	without := pricedWebTasks(t, append(files, "-network", withoutENIs)...)
	for i, g := range asNLB {
		alb := albBytes(t, g)
		if alb["load_balancer"] != 0 || alb["cross_az"] == 0 || alb["same_az"] == 0 || g.ClassBytes["load_balancer"] != 0 {
			t.Errorf("task %s: NLB node traffic by class %v, want its AZ's", g.Key, alb)
		}
		if g.ClassBytes["cross_az"] < alb["cross_az"] || math.Abs(g.Cost.ByClass["cross_az"]-crossAZCost(g)) > 1e-12 ||
			g.Cost.ByClass["cross_az"] < float64(alb["cross_az"])/(1<<30)*0.01 {
			t.Errorf("task %s: cross-AZ %d bytes cost %v, the node in the other AZ's %d bytes not all charged",
				g.Key, g.ClassBytes["cross_az"], g.Cost.ByClass["cross_az"], alb["cross_az"])
		}
		if w := without[i]; w.Key != g.Key || w.ClassBytes["cross_az"] != g.ClassBytes["cross_az"] || w.Cost.Total != g.Cost.Total {
			t.Errorf("task %s: without the interfaces %v, as an NLB's %v", g.Key, w.ClassBytes, g.ClassBytes)
		}
	}

	// The sample's topology without the interfaces has the digest the
	// partials of the code before the class recorded
	// (flowlogs/attribution/partials/testdata/sample-before-load-balancer.parquet).
	topo, err := readTopology(openFile, io.Discard, strings.Split(withoutENIs, ",")...)
	if err != nil {
		t.Fatal(err)
	}
	if d := attribution.TopologyDigest(topo); d != "fb665e5ef23a449b" {
		t.Errorf("the sample's subnets and VPCs digest to %s, were fb665e5ef23a449b", d)
	}
	if full, _ := sampleTopology(); attribution.TopologyDigest(full) == "fb665e5ef23a449b" || len(full.LoadBalancers) != 2 {
		t.Errorf("the sample's topology: %d load balancer nodes, digest %s", len(full.LoadBalancers), attribution.TopologyDigest(full))
	}
}

// A describe-network-interfaces file is told by its members: one of no
// load balancer (a task's interface only) is accepted and adds no node;
// an empty list is taken with a note, as ELB's interfaces are none in a
// region without load balancers (it was refused, so a script's saved
// output failed every run there); a document of none of the lists is
// still refused.
func TestNetworkInterfacesFile(t *testing.T) {
	task := `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "RequesterId": "578734482556", "InterfaceType": "interface",
  "Description": "arn:aws:ecs:us-east-1:123456789012:attachment/1b0e4c2a", "PrivateIpAddress": "10.0.1.101"}]}`
	topo, err := readTopology(openString(map[string]string{"enis.json": task}), io.Discard, "enis.json")
	if err != nil || len(topo.LoadBalancers) != 0 {
		t.Errorf("interfaces of no load balancer: %+v, %v", topo, err)
	}
	var note strings.Builder
	topo, err = readTopology(openString(map[string]string{"empty.json": `{"NetworkInterfaces": []}`}), &note, "empty.json")
	if err != nil || len(topo.LoadBalancers) != 0 || !strings.Contains(note.String(), "empty.json lists no network interfaces") {
		t.Errorf("an empty describe-network-interfaces: %+v, %v, note %q", topo, err, note.String())
	}
	_, err = readTopology(openString(map[string]string{"other.json": `{"SecurityGroups": []}`}), io.Discard, "other.json")
	if err == nil || !strings.Contains(err.Error(), "other.json: no Subnets, Vpcs or NetworkInterfaces member") {
		t.Errorf("another describe output: %v", err)
	}
}

package html

import (
	"bytes"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
)

// The page shows what JSON and CSV carry: the EC2 instance a task ran on
// (and of each container instance, grouped by instance), and each
// group's bytes by peer class, with their cost when priced.
func TestHTMLDimensions(t *testing.T) {
	const ci = "arn:aws:ecs:us-east-1:1:container-instance/c/0123456789abcdef"
	h, err := history.NewIndex([]history.Task{
		{ARN: "arn:aws:ecs:us-east-1:1:task/c/aaaa", Group: "service:web", NetworkMode: netmode.ModeAWSVPC,
			ContainerInstanceARN: ci, AvailabilityZone: "us-east-1a", ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.1.10")},
		{ARN: "arn:aws:ecs:us-east-1:1:task/c/bbbb", Group: "service:batch", NetworkMode: netmode.ModeAWSVPC,
			ENI: "eni-b", IPv4: netip.MustParseAddr("10.0.1.11")}, // Fargate: no instance
	}, []history.Instance{{ARN: ci, EC2InstanceID: "i-0123456789abcdef0", AvailabilityZone: "us-east-1a"}})
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(h)
	// The aws-service fields, empty, say the public peers are not AWS's:
	// internet.
	f, err := flowlogs.ParseFormat("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-src-aws-service pkt-dst-aws-service")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"2 1 eni-a 10.0.1.10 93.184.216.34 40000 443 6 10 5000 1795600800 1795600859 ACCEPT OK - -", // internet, out
		"2 1 eni-a 93.184.216.34 10.0.1.10 443 40000 6 10 7000 1795600800 1795600859 ACCEPT OK - -", // internet, in
		"2 1 eni-b 10.0.1.11 93.184.216.35 40000 443 6 10 900 1795600800 1795600859 ACCEPT OK - -",
	} {
		r, err := flowlogs.ParseLine(f, line)
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	prices, ok := pricing.BuiltIn("us-east-1")
	if !ok {
		t.Fatal("no built-in us-east-1 prices")
	}
	write := func(by attribution.GroupBy, p *pricing.Table) string {
		t.Helper()
		var buf bytes.Buffer
		if err := Write(&buf, a.Result(by), Options{Now: fixture.T0, Prices: p}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	table := func(page, id string) string {
		t.Helper()
		m := regexp.MustCompile(`(?s)<table id="` + id + `">.*?</table>`).FindString(page)
		if m == "" {
			t.Fatalf("no table %s", id)
		}
		return m
	}

	byTask := table(write(attribution.ByTask, nil), "groups")
	for _, want := range []string{"<th>EC2 instance</th>", `<td title="` + ci + `"><code>i-0123456789abcdef0</code></td>`, "<td></td>"} {
		if !strings.Contains(byTask, want) {
			t.Errorf("by task: table lacks %q:\n%s", want, byTask)
		}
	}
	byInstance := table(write(attribution.ByInstance, nil), "groups")
	if !strings.Contains(byInstance, "<code>i-0123456789abcdef0</code>") {
		t.Errorf("by instance: no EC2 instance ID:\n%s", byInstance)
	}

	classes := table(write(attribution.ByTask, nil), "classes")
	if !strings.Contains(classes, `<th class="n">internet</th>`) || strings.Contains(classes, "same AZ") {
		t.Errorf("class table has not just the classes with bytes:\n%s", classes)
	}
	if !strings.Contains(classes, `title="in 6.8 KiB, out 4.9 KiB">11.7 KiB</td>`) {
		t.Errorf("class table lacks the web task's internet bytes:\n%s", classes)
	}
	if strings.Contains(classes, `class="cost"`) {
		t.Errorf("unpriced page shows costs:\n%s", classes)
	}
	priced := table(write(attribution.ByTask, prices), "classes")
	if n := strings.Count(priced, `<span class="cost">`); n != 2 {
		t.Errorf("%d costs in the priced class table, want 2:\n%s", n, priced)
	}
}

// The "By peer class" table prices a class's bytes only as far as the
// table has rates for them: bytes in a direction it leaves unpriced (a
// nil rate) are not shown as costing 0.00 because the table lists the
// class. All of a class's bytes unpriced say "not priced", some of them
// "partly priced", with the cost of the rest.
func TestHTMLUnpricedDirectionNotShownAsCost(t *testing.T) {
	tb, err := pricing.Load(strings.NewReader(`{"region":"us-east-1","as_of":"2026-06-02","source":"own","currency":"USD",
		"bytes_per_gb":1073741824,"classes":{"internet":{"out_per_gb":0.09}}}`), "p.json")
	if err != nil {
		t.Fatal(err)
	}
	// The aws-service fields, empty, say the peer is not AWS's: internet.
	f, err := flowlogs.ParseFormat("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-src-aws-service pkt-dst-aws-service")
	if err != nil {
		t.Fatal(err)
	}
	classTable := func(lines ...string) string {
		t.Helper()
		a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", Group: "service:web", NetworkMode: netmode.ModeAWSVPC,
			ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")})
		for _, l := range lines {
			r, err := flowlogs.ParseLine(f, l)
			if err != nil {
				t.Fatal(err)
			}
			a.Add(r)
		}
		r := a.Result(attribution.ByTask)
		if r.Groups[0].ClassBytes[attribution.PeerInternet] == 0 {
			t.Fatalf("setup: no internet bytes: %v", r.Groups[0].ClassBytes)
		}
		var buf bytes.Buffer
		if err := Write(&buf, r, Options{Now: fixture.T0, Prices: tb}); err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`(?s)<table id="classes">.*?</table>`).FindString(buf.String())
	}
	// 1 GiB received from the internet: the table has no inbound rate.
	in := fmt.Sprintf("2 eni-a 198.51.100.7 10.0.0.9 443 40000 6 5 %d 1795600800 1795600859 ACCEPT OK - -", 1<<30)
	if classes := classTable(in); !strings.Contains(classes, `<span class="cost">not priced</span>`) || !strings.Contains(classes, "not priced 1.0 GiB") {
		t.Errorf("1 GiB the table cannot price is shown with a cost in the class table:\n%s", classes)
	}
	// And 1 GiB sent: priced, $0.09.
	out := fmt.Sprintf("2 eni-a 10.0.0.9 198.51.100.7 40000 443 6 5 %d 1795600800 1795600859 ACCEPT OK - -", 1<<30)
	if classes := classTable(in, out); !strings.Contains(classes, `<span class="cost">0.09, partly priced</span>`) {
		t.Errorf("1 GiB priced and 1 GiB not, not shown as partly priced:\n%s", classes)
	}
	if classes := classTable(out); !strings.Contains(classes, `<span class="cost">0.09</span>`) {
		t.Errorf("1 GiB sent to the internet:\n%s", classes)
	}
}

// An Application Load Balancer's node (attribution.PeerLoadBalancer) has
// its own column in the "By peer class" table, priced at zero by the
// built-in table where the same bytes across AZs would cost.
func TestHTMLLoadBalancerClass(t *testing.T) {
	h, err := history.NewIndex([]history.Task{{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", Group: "service:web", NetworkMode: netmode.ModeAWSVPC,
		AvailabilityZone: "us-east-1a", ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.1.9")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(h, attribution.WithTopology(attribution.Topology{
		Subnets:       []attribution.Subnet{{ID: "subnet-b", Prefix: netip.MustParsePrefix("10.0.2.0/24"), AZ: "us-east-1b", VPC: "vpc-1"}},
		LoadBalancers: []attribution.LoadBalancerNode{{Addr: netip.MustParseAddr("10.0.2.5"), LoadBalancer: "app/web/1", VPC: "vpc-1"}},
	}))
	r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, fmt.Sprintf("2 1 eni-a 10.0.2.5 10.0.1.9 41000 8080 6 5 %d 1795600800 1795600859 ACCEPT OK", 1<<30))
	if err != nil {
		t.Fatal(err)
	}
	a.Add(r)
	prices, _ := pricing.BuiltIn("us-east-1")
	var buf bytes.Buffer
	if err := Write(&buf, a.Result(attribution.ByTask), Options{Now: fixture.T0, Prices: prices}); err != nil {
		t.Fatal(err)
	}
	classes := regexp.MustCompile(`(?s)<table id="classes">.*?</table>`).FindString(buf.String())
	if !strings.Contains(classes, `<th class="n">load balancer</th>`) || strings.Contains(classes, "cross-AZ") ||
		!strings.Contains(classes, `1.0 GiB<br><span class="cost">0.00</span>`) {
		t.Errorf("class table:\n%s", classes)
	}
}

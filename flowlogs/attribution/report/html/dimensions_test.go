package html

import (
	"bytes"
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
	for _, line := range []string{
		"2 1 eni-a 10.0.1.10 93.184.216.34 40000 443 6 10 5000 1795600800 1795600859 ACCEPT OK", // internet, out
		"2 1 eni-a 93.184.216.34 10.0.1.10 443 40000 6 10 7000 1795600800 1795600859 ACCEPT OK", // internet, in
		"2 1 eni-b 10.0.1.11 93.184.216.35 40000 443 6 10 900 1795600800 1795600859 ACCEPT OK",
	} {
		r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, line)
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

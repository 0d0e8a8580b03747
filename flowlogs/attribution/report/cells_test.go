package report

import (
	"bytes"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestSeenOnWhenTheSummaryIsFull: with more unknown interfaces than the
// per-reason summary keeps (16), the table's SEEN ON column printed the summary's
// over-counts as exact sizes ("eni-u39 (3.0 KiB)" for an interface that
// carried 1039 bytes) and "+13 more" where 37 more interfaces carried
// unattributed traffic.
func TestSeenOnWhenTheSummaryIsFull(t *testing.T) {
	const unknown = 40 // each carries 1000+i bytes, one record
	res := fixture.UnknownInterfaces(t, unknown)
	var buf bytes.Buffer
	if err := WriteTable(&buf, res); err != nil {
		t.Fatal(err)
	}
	var line string
	for l := range strings.Lines(buf.String()) {
		if strings.HasPrefix(l, "unknown ENI") {
			line = strings.TrimSpace(l)
		}
	}
	if line == "" {
		t.Fatalf("no unknown-ENI row:\n%s", buf.String())
	}
	// No interface carried more than 1039 B: a size shown as exact must
	// not be larger.
	for _, m := range regexp.MustCompile(`eni-u\d+ \(([^)]*)\)`).FindAllStringSubmatch(line, -1) {
		if !strings.HasPrefix(m[1], "≤") && m[1] != "1.0 KiB" {
			t.Errorf("interface shown as carrying exactly %q; each carried at most 1039 B: %s", m[1], line)
		}
	}
	// A count of the others that ends the cell must be the true one.
	if m := regexp.MustCompile(`\+(\d+) more$`).FindStringSubmatch(line); m != nil {
		if n, _ := strconv.Atoi(m[1]); n != unknown-3 {
			t.Errorf("%q: %d more interfaces carried unattributed traffic", m[0], unknown-3)
		}
	}
}

// TestTaskNoteDatesAcrossDays: the per-task notes "stopped 12:00" and
// "started …" gave a time of day without the date, though the records span three days:
// the task below stopped on 2026-11-26, a day after the window opens.
func TestTaskNoteDatesAcrossDays(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/t1", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9"), Valid: history.Interval{Start: t0, End: t0.Add(26 * time.Hour)}})
	for _, s := range []time.Time{t0, t0.Add(25 * time.Hour), t0.Add(47 * time.Hour)} {
		r, err := flowlogs.ParseLine(flowlogs.DefaultFormat,
			fmt.Sprintf("2 1 eni-a 10.0.0.1 10.0.0.9 1 2 6 3 100 %d %d ACCEPT OK", s.Unix(), s.Unix()+59))
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, a.Result(attribution.ByTask)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "stopped 2026-11-26 12:00") {
		t.Errorf("the task stopped 2026-11-26 12:00 UTC; the table says:\n%s", buf.String())
	}
}

// TestTinyCostIsNotZero: a priced, non-zero cost under half a millionth
// was written to CSV as "0.000000", which the writer otherwise keeps for
// traffic priced at zero (same AZ): 10 KiB each way across AZs costs
// about $1.9e-7, not nothing; and the table showed "0.0000".
func TestTinyCostIsNotZero(t *testing.T) {
	const kib = 10 << 10
	g := attribution.Group{Key: "arn:aws:ecs:us-east-1:1:task/c/small", Tasks: []*history.Task{{ARN: "arn:aws:ecs:us-east-1:1:task/c/small", NetworkMode: netmode.ModeAWSVPC}}}
	c := attribution.PeerCrossAZ
	g.ClassBytes[c], g.ClassBytesIn[c], g.ClassBytesOut[c] = 2*kib, kib, kib
	g.BytesIn, g.BytesOut, g.Records = kib, kib, 2
	r := &attribution.Result{By: attribution.ByTask, Step: time.Minute, Groups: []attribution.Group{g},
		Total: attribution.Totals{Bytes: 2 * kib, Records: 2}}
	want := pricedTable().Cost(&g).Total
	if want <= 0 {
		t.Fatal("setup: no cost")
	}
	rows := csvRows(t, r, WithPrices(pricedTable()))
	for _, col := range []string{"cost", "cost_cross_az"} {
		cell := rows[1][slices.Index(rows[0], col)]
		if v, err := strconv.ParseFloat(cell, 64); err != nil || v == 0 {
			t.Errorf("%s = %q for a cost of %g", col, cell, want)
		}
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, r, WithPrices(pricedTable())); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), " 0.0000") {
		t.Errorf("table shows a cost of %g as 0.0000:\n%s", want, buf.String())
	}
}

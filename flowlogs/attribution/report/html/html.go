// Package html renders an attribution result as one self-contained HTML
// page: the tables and notes of the text report, and charts (SVG drawn by
// gonum.org/v1/plot, inlined: nothing to fetch when opened). It lives apart
// from package report so that writing a table, JSON or CSV does not link the
// plotting library.
package html

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
)

// Options tune Write.
type Options struct {
	// Title heads the page; default "ECS task traffic".
	Title string
	// Lines is how many groups get a line in the traffic-over-time chart
	// and a section of their own (default 8; the rest are in the tables).
	Lines int
	// Talkers is how many peers the top-talkers chart shows (default 12).
	Talkers int
	// Now stamps the page; default time.Now. Set it for reproducible output.
	Now time.Time
	// Prices, when set, add each group's cost and a note on the prices
	// (see report.WithPrices): the zero Table or a valid one, else Write
	// returns Validate's error.
	Prices *pricing.Table
}

//go:embed report.html.tmpl
var pageTemplate string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"bytes":  text.Bytes,
	"short":  text.ShortKey,
	"pct":    text.Percent,
	"family": text.FamilyRev,
	"svc":    text.ServiceName,
	"prefix": func(p netip.Prefix) string {
		if p.IsSingleIP() {
			return p.Addr().String()
		}
		return p.String()
	},
	"proto":   protoName,
	"ec2":     ec2InstanceID,
	"window":  text.Window,
	"groups":  groupCount,
	"more":    more,
	"task":    func(g attribution.Group) *history.Task { return text.FirstTask(&g) },
	"seenOn":  text.SeenOn,
	"several": several,
	// less is a−b, for the lower end of an estimate that over-counts
	// by at most b (a top peer's or port's MaxError is at most its Bytes).
	"less": func(a, b uint64) uint64 { return a - min(a, b) },
}).Parse(pageTemplate))

type pageData struct {
	Font      template.CSS // fontStack, the page's and the charts'
	Title     string
	Generated string
	R         *attribution.Result
	Notes     []string
	Charts    []chart
	Sections  []section
	Attr      attribution.Totals
	ByTask    bool
	// ByInstance: the groups are container instances, with an EC2 ID.
	ByInstance bool
	Unknown    bool // some bytes of unknown direction: a column for them
	// GroupColumns is how many columns the groups table has: its row
	// for a result without groups spans them.
	GroupColumns int
	// Costs are the groups' costs by key, when priced; Currency theirs.
	Costs    map[string]string
	Currency string
	// Classes are the peer classes some group has bytes with, and
	// ClassRows each group's bytes (and cost, when priced) in them.
	Classes   []attribution.PeerClass
	ClassRows []classRow
}

// classRow is a group's bytes by peer class, the classes of
// pageData.Classes in order.
type classRow struct {
	Label string
	Key   string
	Cells []classCell
}

type classCell struct {
	Bytes, In, Out uint64
	// Cost is "" when the page is not priced, "not priced" when none of
	// the bytes has a price, and says "partly priced" when some have
	// none (Unpriced of them).
	Cost     string
	Unpriced uint64
}

type chart struct {
	ID, Title, Caption string
	SVG                template.HTML
	Legend             []legendEntry
}

type section struct {
	G     attribution.Group
	Label string
	Chart chart
}

// Write writes one self-contained HTML page: summary, a chart of
// traffic over time per group, a chart of the top talkers (peers by bytes,
// across groups; in its place a caption saying there are none when peers
// were not tracked) and of in/out bytes per group (and of unknown
// direction, when there are such bytes), the tables of the table report
// with each task's EC2 instance, each group's bytes by peer class (and
// their cost, with Options.Prices), and a section per top group with
// its own in/out chart, top peers and top ports. Charts are SVG drawn with
// gonum.org/v1/plot and inlined, their text in the page's font family and
// their legends in HTML below them, never over the data; the page loads
// nothing from the network.
func Write(w io.Writer, r *attribution.Result, o Options) error {
	if o.Title == "" {
		o.Title = "ECS task traffic"
	}
	if o.Lines <= 0 {
		o.Lines = 8
	}
	if o.Talkers <= 0 {
		o.Talkers = 12
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if err := pricing.CheckUsable(o.Prices); err != nil {
		return fmt.Errorf("report/html: prices: %w", err)
	}
	// The charts put each point of a time series in its bucket of Step
	// whole seconds (attribution's steps are): a Result without one
	// cannot be drawn.
	if r.Step < time.Second && slices.ContainsFunc(r.Groups, func(g attribution.Group) bool { return len(g.Series) > 0 }) {
		return fmt.Errorf("report/html: the result has time series but a step of %v: want a whole number of seconds, 1s or more", r.Step)
	}
	d := pageData{Font: fontStack, Title: o.Title, Generated: o.Now.UTC().Format(time.RFC3339), R: r, Notes: report.Notes(r, report.WithPrices(o.Prices)),
		Attr: r.Attributed(), ByTask: r.By == attribution.ByTask, ByInstance: r.By == attribution.ByInstance, Unknown: r.Stats.DirectionUnknown > 0}
	if p := o.Prices; p != nil {
		d.Costs, d.Currency = map[string]string{}, p.Currency
		for i := range r.Groups {
			g := &r.Groups[i]
			c := p.Cost(g)
			d.Costs[g.Key] = text.Cost(c.Total, g.Bytes(), c.UnpricedBytes)
		}
	}
	d.GroupColumns = groupColumns(d)
	d.Classes, d.ClassRows = byClass(r, o.Prices)
	top := r.Groups[:min(o.Lines, len(r.Groups))]
	if len(top) > 0 {
		svg, legend, err := trafficChart(r, top)
		if err != nil {
			return err
		}
		// The lines add every byte of a bucket, those of unknown
		// direction too (charts.go), which the caption names when there
		// are any.
		what := "in + out"
		if d.Unknown {
			what = "in, out and of unknown direction"
		}
		d.Charts = append(d.Charts, chart{ID: "chart-traffic", Title: "Traffic over time by " + r.By.String(),
			Caption: fmt.Sprintf("Bytes %s per %s bucket, top %s by bytes.", what, text.ShortDuration(r.Step), groupCount(len(top), r.By)), SVG: svg, Legend: legend})
		// Without peers (attribution.WithoutPeers) the chart would be
		// empty axes: say why there is none instead.
		talkers := topTalkers(r, o.Talkers)
		if len(talkers) == 0 {
			d.Charts = append(d.Charts, chart{ID: "chart-talkers", Title: "Top talkers",
				Caption: "Top talkers: none to chart, no peers tracked (the attribution was made without them)."})
		} else {
			svg, err = talkersChart(talkers)
			if err != nil {
				return err
			}
			d.Charts = append(d.Charts, chart{ID: "chart-talkers", Title: "Top talkers",
				Caption: "Peers by bytes exchanged with attributed tasks (in + out), with their class: none for a peer seen in several " +
					"classes, or a prefix of several addresses, whose records count each in its own class (see by peer class). A peer's bytes are the sum of " +
					"the groups' top-peer estimates: they may over-count (by at most the sum of the groups' \"may over-count by\" figures for the peer), and a group that does not " +
					"have the peer among its top adds nothing.", SVG: svg})
		}
		charted := r.Groups[:min(2*o.Lines, len(r.Groups))]
		svg, legend, err = groupsChart(r, charted)
		if err != nil {
			return err
		}
		d.Charts = append(d.Charts, chart{ID: "chart-groups", Title: "In and out by " + r.By.String(),
			Caption: groupsCaption(r, charted), SVG: svg, Legend: legend})
	}
	for i, g := range top {
		svg, legend, err := groupChart(g, r.Step)
		if err != nil {
			return err
		}
		label := label(r.By, g)
		d.Sections = append(d.Sections, section{G: g, Label: label,
			Chart: chart{ID: fmt.Sprintf("chart-group-%d", i+1), Title: label, SVG: svg, Legend: legend}})
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, d); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// groupCount is n groups of kind by, for a sentence: "1 service",
// "3 families".
func groupCount(n int, by attribution.GroupBy) string {
	noun := by.String()
	if n != 1 {
		if s, ok := strings.CutSuffix(noun, "y"); ok {
			noun = s + "ie"
		}
		noun += "s"
	}
	return fmt.Sprintf("%d %s", n, noun)
}

// groupsCaption says what the in-and-out chart of the groups charted
// shows, and that it leaves the rest of r's groups out when it does:
// without a word the chart reads as every group.
func groupsCaption(r *attribution.Result, charted []attribution.Group) string {
	c := "Bytes received and sent"
	if anyUnknown(charted) {
		c += ", and of unknown direction (records without flow-direction where neither address was the task's)"
	}
	if len(charted) < len(r.Groups) {
		c += fmt.Sprintf("; top %d of %s by bytes, all of them in the table below", len(charted), groupCount(len(r.Groups), r.By))
	}
	return c + "."
}

// more is how many of n items a list showing the first shown leaves out,
// for its "+N more": the page shows the heaviest few of each list, the
// JSON report all of them.
func more(n, shown int) int { return max(n-shown, 0) }

// groupColumns counts the columns of the groups table as the template
// writes its head (keep them in step), for the row that spans them.
func groupColumns(d pageData) int {
	n := 6 // in, out, accepted, rejected, records, inferred
	switch {
	case d.ByTask:
		n += 5 // task, service, family, mode, EC2 instance
	case d.ByInstance:
		n += 3 // instance, EC2 instance, tasks
	default:
		n += 2 // the key, tasks
	}
	if d.Unknown {
		n++
	}
	if len(d.Costs) > 0 {
		n++
	}
	return n
}

// label names a group for people: task ID and service for tasks, the short
// key otherwise.
func label(by attribution.GroupBy, g attribution.Group) string {
	if by == attribution.ByTask && len(g.Tasks) > 0 {
		t := g.Tasks[0]
		s := text.ServiceName(t.Group)
		if s == "" {
			s = t.Family
		}
		id := t.ID()
		if len(id) > 8 {
			id = id[:8]
		}
		if s != "" {
			return s + " " + id
		}
		return id
	}
	return text.OrNone(text.ShortKey(by, g.Key))
}

// ec2InstanceID is the EC2 instance ID (i-…) of the container instance
// that g's first task ran on (the one it is keyed by, grouped by
// instance), "" on Fargate or when the history has no such instance.
func ec2InstanceID(by attribution.GroupBy, g attribution.Group) string {
	arn := g.Key
	if by != attribution.ByInstance {
		if len(g.Tasks) == 0 {
			return ""
		}
		arn = g.Tasks[0].ContainerInstanceARN
	}
	for _, in := range g.Instances {
		if in != nil && in.ARN == arn && arn != "" {
			return in.EC2InstanceID
		}
	}
	return ""
}

// byClass splits each group's bytes by the peer classes any group has
// bytes with, priced when p is set.
func byClass(r *attribution.Result, p *pricing.Table) ([]attribution.PeerClass, []classRow) {
	var classes []attribution.PeerClass
	for _, c := range attribution.PeerClasses() {
		for i := range r.Groups {
			if r.Groups[i].ClassBytes[c] > 0 {
				classes = append(classes, c)
				break
			}
		}
	}
	if len(classes) == 0 {
		return nil, nil
	}
	rows := make([]classRow, len(r.Groups))
	for i := range r.Groups {
		g := &r.Groups[i]
		rows[i] = classRow{Label: label(r.By, *g), Key: g.Key}
		var cost pricing.Cost
		if p != nil {
			cost = p.Cost(g)
		}
		for _, c := range classes {
			cell := classCell{Bytes: g.ClassBytes[c], In: g.ClassBytesIn[c], Out: g.ClassBytesOut[c]}
			if p != nil && cell.Bytes > 0 {
				// The class's cost covers its priced bytes only: a class
				// the table lists can still have bytes in a direction it
				// has no rate for.
				cell.Unpriced = cost.Unpriced[c].Sum()
				if pricing.Covered(cell.Bytes, cell.Unpriced) == pricing.PartlyPriced {
					cell.Cost = text.Money(cost.ByClass[c]) + ", partly priced"
				} else {
					cell.Cost = text.Cost(cost.ByClass[c], cell.Bytes, cell.Unpriced)
				}
			}
			rows[i].Cells = append(rows[i].Cells, cell)
		}
	}
	return classes, rows
}

type talker struct {
	Prefix  netip.Prefix
	Service string
	Class   attribution.PeerClass
	// Mixed: groups saw the peer in different classes (e.g. tasks in
	// two AZs), or it is a prefix of several addresses, whose class is
	// its first record's (several).
	Mixed bool
	Bytes uint64
}

// topTalkers merges the groups' top peers.
func topTalkers(r *attribution.Result, n int) []talker {
	m := map[netip.Prefix]*talker{}
	for _, g := range r.Groups {
		for _, p := range g.TopPeers {
			t := m[p.Prefix]
			if t == nil {
				t = &talker{Prefix: p.Prefix, Service: p.Service, Class: p.Class}
				m[p.Prefix] = t
			} else if t.Class != p.Class {
				t.Mixed = true
			}
			// A prefix of several addresses (WithPeerPrefix) has its first
			// record's class, and its bytes may be several classes',
			// which the by-class table counts each in its own.
			t.Mixed = t.Mixed || several(p.Prefix)
			t.Bytes = satAdd(t.Bytes, p.Bytes) // estimates of several groups can pass the total
		}
	}
	out := make([]talker, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b talker) int {
		if a.Bytes != b.Bytes {
			if a.Bytes > b.Bytes {
				return -1
			}
			return 1
		}
		return a.Prefix.Addr().Compare(b.Prefix.Addr())
	})
	return out[:min(n, len(out))]
}

// several reports whether a peer is a prefix of several addresses
// (attribution.WithPeerPrefix): its class (attribution.Peer.Class) is
// its first record's, and its records count each in its own class in
// Group.ClassBytes, so its class is not that of all its bytes.
func several(p netip.Prefix) bool { return p.IsValid() && !p.IsSingleIP() }

func protoName(p uint8) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1:
		return "icmp"
	case 58:
		return "icmpv6"
	}
	return fmt.Sprint(p)
}

func talkerLabel(t talker) string {
	s := t.Prefix.String()
	if t.Prefix.IsSingleIP() {
		s = t.Prefix.Addr().String()
	}
	if t.Service != "" {
		return s + " (" + t.Service + ")"
	}
	if t.Mixed {
		return s
	}
	return s + " (" + strings.ReplaceAll(t.Class.String(), " ", "\u00a0") + ")"
}

func satAdd(a, b uint64) uint64 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint64(0)
}

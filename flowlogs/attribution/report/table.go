package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
)

// WriteTable writes r as aligned text for a terminal: one row per group,
// then the unattributed remainder by reason with the interfaces that carried
// it, the total, and notes on how far the numbers can be trusted. Task
// IDs, keys and interface IDs come from input: control bytes in them (a
// terminal's escape sequences, tabs, newlines) are written as \xNN. A
// column of bytes of unknown direction is there only when some record's
// direction could not be told (attribution.Stats.DirectionUnknown).
func WriteTable(w io.Writer, r *attribution.Result, opts ...Option) error {
	o, err := prepare(opts)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	writeTable(&buf, r, o)
	// tabwriter pads empty last cells; drop trailing blanks.
	lines := strings.SplitAfter(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimSuffix(l, "\n"), " ")
		if strings.HasSuffix(l, "\n") {
			lines[i] += "\n"
		}
	}
	_, err = io.WriteString(w, strings.Join(lines, ""))
	return err
}

// writeTable writes the table into buf, which cannot fail: WriteTable
// writes the result once, and returns that write's error.
func writeTable(buf *bytes.Buffer, r *attribution.Result, o options) {
	if !r.First.IsZero() {
		// The bucket width is not said: the table has no time series.
		fmt.Fprintf(buf, "Traffic by %s, records starting %s\n\n", r.By, text.Window(r.First, r.Last, "2006-01-02 15:04:05"))
	}
	tw := tabwriter.NewWriter(buf, 2, 8, 2, ' ', 0)
	// The direction-unknown column is there only when some group has
	// such bytes (records without flow-direction).
	unknownHead, unknownCell := "", func(attribution.Group) string { return "" }
	if r.Stats.DirectionUnknown > 0 {
		unknownHead = "\tUNKNOWN DIR"
		unknownCell = func(g attribution.Group) string { return "\t" + text.Bytes(g.BytesUnknown) }
	}
	// The cost column is there when the report is priced; a group none
	// of whose bytes have a price costs what is not known, not 0.
	costHead, costCell := "", func(attribution.Group) string { return "" }
	if p := o.prices; p != nil {
		costHead = "\tCOST " + p.Currency
		costCell = func(g attribution.Group) string {
			c := p.Cost(&g)
			return "\t" + text.Cost(c.Total, g.Bytes(), c.UnpricedBytes)
		}
	}
	if r.By == attribution.ByTask {
		fmt.Fprintf(tw, "TASK\tSERVICE\tFAMILY\tMODE\tIN\tOUT%s\tREJECTED\tRECORDS%s\tNOTE\n", unknownHead, costHead)
		for _, g := range r.Groups {
			t := text.FirstTask(&g)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s%s\t%s\t%d%s\t%s\n", cell(t.ID()), cell(text.ServiceName(t.Group)),
				cell(text.FamilyRev(t)), text.ModeName(t.NetworkMode), text.Bytes(g.BytesIn), text.Bytes(g.BytesOut), unknownCell(g),
				text.Bytes(g.RejectedBytes), g.Records, costCell(g), taskNote(g, r.First, r.Last))
		}
	} else {
		fmt.Fprintf(tw, "%s\tTASKS\tIN\tOUT%s\tREJECTED\tRECORDS%s\tNOTE\n", strings.ToUpper(r.By.String()), unknownHead, costHead)
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s%s\t%s\t%d%s\t%s\n", cell(text.OrNone(text.ShortKey(r.By, g.Key))), len(g.Tasks),
				text.Bytes(g.BytesIn), text.Bytes(g.BytesOut), unknownCell(g), text.Bytes(g.RejectedBytes), g.Records, costCell(g), inferredNote(g))
		}
	}
	if len(r.Groups) == 0 {
		fmt.Fprintln(tw, "(no traffic attributed)")
	}
	tw.Flush()

	fmt.Fprintln(buf)
	tw = tabwriter.NewWriter(buf, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "UNATTRIBUTED\tBYTES\tPACKETS\tRECORDS\tSEEN ON")
	for _, u := range r.Unattributed {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", u.Reason, text.Bytes(u.Bytes), u.Packets, u.Records, interfaces(u, 3))
	}
	if len(r.Unattributed) == 0 {
		fmt.Fprintln(tw, "(none)\t\t\t\t")
	}
	a := r.Attributed()
	fmt.Fprintf(tw, "attributed\t%s\t%d\t%d\t\n", text.Bytes(a.Bytes), a.Packets, a.Records)
	fmt.Fprintf(tw, "total\t%s\t%d\t%d\t\n", text.Bytes(r.Total.Bytes), r.Total.Packets, r.Total.Records)
	tw.Flush()

	fmt.Fprintln(buf)
	for _, n := range Notes(r, WithPrices(o.prices)) {
		fmt.Fprintln(buf, n)
	}
}

// Notes are the sentences a reader needs to judge a result: the share
// attributed and inferred, where the bytes went by peer class, what they
// cost when priced, and every statistic that makes numbers approximate.
// The table and HTML reports print them.
func Notes(r *attribution.Result, opts ...Option) []string {
	o := collect(opts)
	var out []string
	a := r.Attributed()
	var inferred uint64
	var zero attribution.Group
	var class [len(zero.ClassBytes)]uint64
	for _, g := range r.Groups {
		inferred += g.InferredBytes
		for i, b := range g.ClassBytes {
			class[i] += b
		}
	}
	head := fmt.Sprintf("Attributed %s of %s (%s)", text.Bytes(a.Bytes), text.Bytes(r.Total.Bytes), text.Percent(a.Bytes, r.Total.Bytes))
	if inferred > 0 {
		head += fmt.Sprintf(", %s of them inferred from bridge host-port bindings", text.Bytes(inferred))
	}
	out = append(out, head+".")
	if a.Bytes > 0 {
		var parts []string
		for _, c := range attribution.PeerClasses() {
			if class[c] > 0 {
				parts = append(parts, fmt.Sprintf("%s %s", c, text.Bytes(class[c])))
			}
		}
		out = append(out, "Attributed bytes by peer: "+strings.Join(parts, ", ")+".")
	}
	if p := o.prices; p != nil {
		var total float64
		var all, unpriced uint64
		var unpricedClass [len(zero.ClassBytes)]uint64
		for i := range r.Groups {
			c := p.Cost(&r.Groups[i])
			total += c.Total
			all += r.Groups[i].Bytes()
			unpriced += c.UnpricedBytes
			for cl, u := range c.Unpriced {
				unpricedClass[cl] += u.Sum()
			}
		}
		// Which classes the unpriced bytes are with, so that a reader
		// knows which part of the traffic the total leaves out.
		var parts []string
		for _, c := range attribution.PeerClasses() {
			if unpricedClass[c] > 0 {
				parts = append(parts, fmt.Sprintf("%s %s", c, text.Bytes(unpricedClass[c])))
			}
		}
		with := ""
		if len(parts) > 0 {
			with = ": " + strings.Join(parts, ", ")
		}
		// The total as the cost column gives it: "0.00" for traffic none
		// of which has a price would read as free, and a total that
		// leaves unpriced bytes out is marked "+".
		switch {
		case p.IsZero():
			out = append(out, "Data transfer not priced: the price table is empty.")
		case pricing.Covered(all, unpriced) == pricing.NotPriced:
			out = append(out, fmt.Sprintf("Data transfer at %s prices as of %s: not priced, the table has no price for any of the %s attributed (classes or directions the table has no price for%s). Prices: %s.",
				p.Region, p.AsOf, text.Bytes(unpriced), with, p.Source))
		default:
			out = append(out, fmt.Sprintf("Data transfer at %s prices as of %s: %s %s in all; %s not priced (classes or directions the table has no price for%s; a cost marked + leaves them out). Prices: %s.",
				p.Region, p.AsOf, text.Cost(total, all, unpriced), p.Currency, text.Bytes(unpriced), with, p.Source))
		}
	}
	var via []string
	for m, t := range r.Stats.ByMethod {
		if t.Records > 0 {
			via = append(via, fmt.Sprintf("%s %d", attribution.Method(m), t.Records))
		}
	}
	if len(via) > 0 {
		out = append(out, "Records attributed by "+strings.Join(via, ", ")+".")
	}
	s := r.Stats
	if s.Overflow {
		out = append(out, "Counting stopped at a record that would have made the byte or packet total pass 2^64-1: the figures cover the records before it.")
	}
	if s.ECSFieldDisagreements > 0 {
		out = append(out, fmt.Sprintf("%d records named a different task in ecs-task-arn/ecs-task-id than the ENI/address join; the ECS field was used.", s.ECSFieldDisagreements))
	}
	if s.ECSFieldOnly > 0 {
		out = append(out, fmt.Sprintf("%d records went to tasks known only from their ecs-* fields (missing from the task history).", s.ECSFieldOnly))
	}
	if s.DirectionUnknown > 0 {
		out = append(out, fmt.Sprintf("%d records had no flow-direction and no task address; their bytes are counted apart as direction unknown.", s.DirectionUnknown))
	}
	if s.SeriesDropped > 0 {
		out = append(out, fmt.Sprintf("%d records were too far in time from their task's others for its time series; they are in every total.", s.SeriesDropped))
	}
	if s.SkipData > 0 {
		out = append(out, fmt.Sprintf("%d SKIPDATA records: AWS dropped flows in those intervals, so every total is a lower bound.", s.SkipData))
	}
	return out
}

// cell is a table cell of input text: escaped (text.Escape), "-" if empty.
func cell(s string) string { return text.OrDash(text.Escape(s)) }

// taskNote is a task's NOTE: inference, where it came from, and when it
// stopped or started, by time of day when the records lie in one UTC day
// (first to last) and the time is in it, else with the date too.
func taskNote(g attribution.Group, first, last time.Time) string {
	t := text.FirstTask(&g)
	day := func(x time.Time) string { return x.UTC().Format(time.DateOnly) }
	at := func(x time.Time) string {
		if day(first) == day(last) && day(x) == day(first) {
			return x.UTC().Format("15:04")
		}
		return x.UTC().Format("2006-01-02 15:04")
	}
	var n []string
	if g.InferredRecords > 0 {
		n = append(n, "inferred from host ports")
	}
	if g.ECSFieldOnlyTasks > 0 {
		n = append(n, "from ecs-* fields only")
	}
	if stop := t.Valid.End; !stop.IsZero() {
		n = append(n, "stopped "+at(stop))
	}
	if start := t.Valid.Start; !start.IsZero() && len(g.Series) > 0 && start.After(g.Series[0].Start) {
		n = append(n, "started "+at(start))
	}
	return strings.Join(n, "; ")
}

func inferredNote(g attribution.Group) string {
	if g.InferredBytes == 0 {
		return ""
	}
	return text.Percent(g.InferredBytes, g.Bytes()) + " inferred from host ports"
}

// interfaces is the SEEN ON cell of u, showing its first n interfaces
// (text.SeenOn).
func interfaces(u attribution.Unattributed, n int) string {
	c := text.SeenOn(u, n)
	var parts []string
	for _, x := range c.Shown {
		parts = append(parts, fmt.Sprintf("%s (%s)", text.Escape(x.ID), x.Size))
	}
	switch {
	case c.More > 0 && c.Untracked:
		parts = append(parts, fmt.Sprintf("+%d more and others not tracked", c.More))
	case c.More > 0:
		parts = append(parts, fmt.Sprintf("+%d more", c.More))
	case c.Untracked:
		parts = append(parts, "others not tracked")
	}
	return strings.Join(parts, ", ")
}

// Bytes formats n with binary prefixes: "512 B", "1.5 KiB", "3.2 GiB".
func Bytes(n uint64) string { return text.Bytes(n) }

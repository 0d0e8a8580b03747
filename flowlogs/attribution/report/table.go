package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/netmode"
)

// WriteTable writes r as aligned text for a terminal: one row per group,
// then the unattributed remainder by reason with the interfaces that carried
// it, the total, and notes on how far the numbers can be trusted.
func WriteTable(w io.Writer, r *attribution.Result) error {
	var buf bytes.Buffer
	writeTable(&buf, r)
	// tabwriter pads empty last cells; drop trailing blanks.
	lines := strings.SplitAfter(buf.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimSuffix(l, "\n"), " ")
		if strings.HasSuffix(l, "\n") {
			lines[i] += "\n"
		}
	}
	_, err := io.WriteString(w, strings.Join(lines, ""))
	return err
}

func writeTable(w io.Writer, r *attribution.Result) {
	ew := &errWriter{w: w}
	if !r.First.IsZero() {
		fmt.Fprintf(ew, "Traffic by %s, records starting %s to %s (%s buckets)\n\n", r.By,
			r.First.Format("2006-01-02 15:04:05"), r.Last.Format("2006-01-02 15:04:05 MST"), shortDuration(r.Step))
	}
	tw := tabwriter.NewWriter(ew, 2, 8, 2, ' ', 0)
	if r.By == attribution.ByTask {
		fmt.Fprintln(tw, "TASK\tSERVICE\tFAMILY\tMODE\tIN\tOUT\tREJECTED\tRECORDS\tNOTE")
		for _, g := range r.Groups {
			t := g.Tasks[0]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", orDash(t.ID()), orDash(serviceName(t.Group)),
				familyRev(t), modeName(t.NetworkMode), Bytes(g.BytesIn), Bytes(g.BytesOut), Bytes(g.RejectedBytes),
				g.Records, taskNote(g))
		}
	} else {
		fmt.Fprintf(tw, "%s\tTASKS\tIN\tOUT\tREJECTED\tRECORDS\tNOTE\n", strings.ToUpper(r.By.String()))
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%s\n", orNone(shortKey(r.By, g.Key)), len(g.Tasks),
				Bytes(g.BytesIn), Bytes(g.BytesOut), Bytes(g.RejectedBytes), g.Records, inferredNote(g))
		}
	}
	if len(r.Groups) == 0 {
		fmt.Fprintln(tw, "(no traffic attributed)")
	}
	tw.Flush()

	fmt.Fprintln(ew)
	tw = tabwriter.NewWriter(ew, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "UNATTRIBUTED\tBYTES\tPACKETS\tRECORDS\tSEEN ON")
	for _, u := range r.Unattributed {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", u.Reason, Bytes(u.Bytes), u.Packets, u.Records, interfaces(u.TopInterfaces, 3))
	}
	if len(r.Unattributed) == 0 {
		fmt.Fprintln(tw, "(none)\t\t\t\t")
	}
	a := r.Attributed()
	fmt.Fprintf(tw, "attributed\t%s\t%d\t%d\t\n", Bytes(a.Bytes), a.Packets, a.Records)
	fmt.Fprintf(tw, "total\t%s\t%d\t%d\t\n", Bytes(r.Total.Bytes), r.Total.Packets, r.Total.Records)
	tw.Flush()

	fmt.Fprintln(ew)
	for _, n := range Notes(r) {
		fmt.Fprintln(ew, n)
	}
}

// Notes are the sentences a reader needs to judge a result: the share
// attributed and inferred, where the bytes went by peer class, and every
// statistic that makes numbers approximate. The table and HTML reports
// print them.
func Notes(r *attribution.Result) []string {
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
	out = append(out, fmt.Sprintf("Attributed %s of %s bytes (%s), %s of them inferred from bridge host-port bindings.",
		Bytes(a.Bytes), Bytes(r.Total.Bytes), percent(a.Bytes, r.Total.Bytes), Bytes(inferred)))
	if a.Bytes > 0 {
		var parts []string
		for _, c := range attribution.PeerClasses() {
			if class[c] > 0 {
				parts = append(parts, fmt.Sprintf("%s %s", c, Bytes(class[c])))
			}
		}
		out = append(out, "Attributed bytes by peer: "+strings.Join(parts, ", ")+".")
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
	if s.ECSFieldDisagreements > 0 {
		out = append(out, fmt.Sprintf("%d records named a different task in ecs-task-arn/ecs-task-id than the ENI/address join; the ECS field was used.", s.ECSFieldDisagreements))
	}
	if s.ECSFieldOnly > 0 {
		out = append(out, fmt.Sprintf("%d records went to tasks known only from their ecs-* fields (missing from the task history).", s.ECSFieldOnly))
	}
	if s.DirectionGuessed > 0 {
		out = append(out, fmt.Sprintf("%d records had no flow-direction and no task address; their direction was guessed.", s.DirectionGuessed))
	}
	if s.SeriesDropped > 0 {
		out = append(out, fmt.Sprintf("%d records were too far in time from their task's others for its time series; they are in every total.", s.SeriesDropped))
	}
	if s.SkipData > 0 {
		out = append(out, fmt.Sprintf("%d SKIPDATA records: AWS dropped flows in those intervals, so every total is a lower bound.", s.SkipData))
	}
	return out
}

func taskNote(g attribution.Group) string {
	t := g.Tasks[0]
	var n []string
	if g.InferredRecords > 0 {
		n = append(n, "inferred from host ports")
	}
	if g.ECSFieldOnlyTasks > 0 {
		n = append(n, "from ecs-* fields only")
	}
	if stop := t.Valid.End; !stop.IsZero() {
		n = append(n, "stopped "+stop.UTC().Format("15:04"))
	}
	if start := t.Valid.Start; !start.IsZero() && len(g.Series) > 0 && start.After(g.Series[0].Start) {
		n = append(n, "started "+start.UTC().Format("15:04"))
	}
	return strings.Join(n, "; ")
}

func inferredNote(g attribution.Group) string {
	if g.InferredBytes == 0 {
		return ""
	}
	return percent(g.InferredBytes, g.Bytes()) + " inferred from host ports"
}

func interfaces(is []attribution.Interface, n int) string {
	var parts []string
	for i, x := range is {
		if i == n {
			parts = append(parts, fmt.Sprintf("+%d more", len(is)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", x.ID, Bytes(x.Bytes)))
	}
	return strings.Join(parts, ", ")
}

func serviceName(group string) string {
	if s, ok := strings.CutPrefix(group, "service:"); ok {
		return s
	}
	return ""
}

func familyRev(t *history.Task) string {
	if t.Family == "" {
		return "-"
	}
	if t.Revision > 0 {
		return t.Family + ":" + strconv.Itoa(int(t.Revision))
	}
	return t.Family
}

// shortKey drops the ARN prefix of container instance and cluster keys.
func shortKey(by attribution.GroupBy, key string) string {
	if by == attribution.ByInstance || by == attribution.ByCluster {
		if i := strings.LastIndexByte(key, '/'); i >= 0 {
			return key[i+1:]
		}
	}
	return key
}

// modeName is a task's network mode, "-" when the history does not know it.
func modeName(m netmode.Mode) string {
	if m == netmode.ModeUnknown {
		return "-"
	}
	return m.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func percent(a, b uint64) string {
	if b == 0 {
		return "0%"
	}
	return strconv.FormatFloat(100*float64(a)/float64(b), 'f', 1, 64) + "%"
}

// Bytes formats n with binary prefixes: "512 B", "1.5 KiB", "3.2 GiB".
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + string("KMGTPE"[exp]) + "iB"
}

func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	s = strings.TrimSuffix(s, "0m")
	return s
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

package report

import (
	"encoding/csv"
	"errors"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
)

var csvHeader = append([]string{"kind", "key", "bytes_in", "bytes_out", "packets_in", "packets_out",
	"bytes", "packets", "records", "accepted_bytes", "rejected_bytes",
	"bytes_unknown_direction", "packets_unknown_direction",
	"service", "family", "network_mode", "container_instance_arn", "ec2_instance_id", "tasks",
	"inferred_bytes", "inferred_records"}, append(classColumns("bytes_"), append(classColumns("cost_"), "cost", "unpriced_bytes")...)...)

// CSVHeader returns (a copy of) the header row WriteCSV writes. Each following row is one of
// kind "group" (key = the group key, as in the JSON document),
// "unattributed" (key = the reason; the in/out, accepted/rejected and
// unknown-direction columns are empty) or, last, "total" (key empty). A
// group's bytes are bytes_in + bytes_out + bytes_unknown_direction (records
// without flow-direction where neither address was the task's), likewise
// packets.
//
// Columns are only ever added at the end. After packets_unknown_direction
// come the group's dimensions, empty on other rows: its tasks' services,
// families (family:revision), network modes, container instance ARNs and
// EC2 instance IDs (distinct values joined by ";"), the number of tasks,
// the bytes and records attributed by inference (bridge host ports), and
// the bytes per peer (cost) class, one bytes_<class> column per ClassKey
// name; then, when the report is priced (WithPrices), the cost per class
// (cost_<class>), in all (cost) and the bytes the prices do not cover
// (unpriced_bytes), empty otherwise.
func CSVHeader() []string { return slices.Clone(csvHeader) }

// baseColumns is how many columns unattributed and total rows fill.
const baseColumns = 13

func classColumns(prefix string) []string {
	var out []string
	for _, c := range attribution.PeerClasses() {
		out = append(out, prefix+c.Key())
	}
	return out
}

// WriteCSV writes r as CSV (RFC 4180, as encoding/csv writes it). A key
// that begins with =, +, -, @, a tab or a carriage return gets a single
// quote in front, as OWASP advises against CSV injection: spreadsheets
// would run such a cell as a formula. Keys come from task data and flow
// logs, which are input; the quote shows and is not part of the key.
func WriteCSV(w io.Writer, r *attribution.Result, opts ...Option) error {
	return writeCSV(w, r, func(yield func(*attribution.Group) bool) {
		for i := range r.Groups {
			if !yield(&r.Groups[i]) {
				return
			}
		}
	}, collect(opts))
}

// WriteCSVStream writes, as WriteCSV does, the Result r with the groups
// groups yields in place of r.Groups (which must be empty), reading each
// group only while it is yielded: with Attributor.ResultStream, a report
// of many tasks is written without holding every group at once. Rows are
// written in the order the groups come; a Result's are heaviest first, as
// are ResultStream's.
func WriteCSVStream(w io.Writer, r *attribution.Result, groups iter.Seq[*attribution.Group], opts ...Option) error {
	if len(r.Groups) > 0 {
		return errors.New("report: WriteCSVStream: the Result has groups of its own; give them to WriteCSV")
	}
	return writeCSV(w, r, groups, collect(opts))
}

func writeCSV(w io.Writer, r *attribution.Result, groups iter.Seq[*attribution.Group], o options) error {
	cw := csv.NewWriter(w)
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	empty := make([]string, len(csvHeader)-baseColumns)
	for g := range groups {
		row := []string{"group", cellCSV(g.Key), u(g.BytesIn), u(g.BytesOut), u(g.PacketsIn), u(g.PacketsOut),
			u(g.Bytes()), u(g.Packets()), u(g.Records), u(g.AcceptedBytes), u(g.RejectedBytes),
			u(g.BytesUnknown), u(g.PacketsUnknown)}
		ec2IDs := map[string]string{}
		for _, in := range g.Instances {
			ec2IDs[in.ARN] = in.EC2InstanceID
		}
		dims := func(f func(t *history.Task) string) string {
			var vs []string
			for _, t := range g.Tasks {
				if v := f(t); v != "" && !slices.Contains(vs, v) {
					vs = append(vs, v)
				}
			}
			return cellCSV(strings.Join(vs, ";"))
		}
		row = append(row,
			dims(func(t *history.Task) string { return text.ServiceName(t.Group) }),
			dims(func(t *history.Task) string { return strings.TrimPrefix(text.FamilyRev(t), "-") }),
			dims(func(t *history.Task) string { return modeName(t.NetworkMode) }),
			dims(func(t *history.Task) string { return t.ContainerInstanceARN }),
			dims(func(t *history.Task) string { return ec2IDs[t.ContainerInstanceARN] }),
			strconv.Itoa(len(g.Tasks)), u(g.InferredBytes), u(g.InferredRecords))
		for _, b := range g.ClassBytes {
			row = append(row, u(b))
		}
		if o.prices != nil {
			c := o.prices.Cost(g)
			for _, v := range c.ByClass {
				row = append(row, money(v))
			}
			row = append(row, money(c.Total), u(c.UnpricedBytes))
		} else {
			row = append(row, make([]string, len(pricing.Cost{}.ByClass)+2)...)
		}
		if err := cw.Write(row); err != nil {
			return err // the writer failed: read no more groups
		}
	}
	for _, x := range r.Unattributed {
		cw.Write(append([]string{"unattributed", cellCSV(x.Reason.String()), "", "", "", "", u(x.Bytes), u(x.Packets), u(x.Records), "", "", "", ""}, empty...))
	}
	cw.Write(append([]string{"total", "", "", "", "", "", u(r.Total.Bytes), u(r.Total.Packets), u(r.Total.Records), "", "", "", ""}, empty...))
	cw.Flush()
	return cw.Error()
}

// money writes a cost with enough digits for a fraction of a cent.
func money(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// cellCSV defuses a cell a spreadsheet would read as a formula (see WriteCSV).
func cellCSV(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

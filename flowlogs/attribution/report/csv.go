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

// firstClasses are the peer classes of the header's first version, in its
// order: their bytes_ and cost_ columns come before cost and
// unpriced_bytes. A class added since (PeerPublic, PeerLoadBalancer) has
// its two columns after unpriced_bytes, in laterClasses (in PeerClasses'
// order, which is the order they were added in), so that columns are only
// ever added at the end.
var firstClasses, laterClasses = splitClasses("unknown", "same_az", "cross_az", "other_vpc", "on_premises", "internet", "aws_service")

func splitClasses(first ...string) (f, later []attribution.PeerClass) {
	for _, k := range first {
		c, ok := attribution.ParsePeerClass(k)
		if !ok {
			panic("report: peer class " + k + " is gone: its CSV columns must stay")
		}
		f = append(f, c)
	}
	for _, c := range attribution.PeerClasses() {
		if !slices.Contains(f, c) {
			later = append(later, c)
		}
	}
	return f, later
}

var csvHeader = func() []string {
	h := []string{"kind", "key", "bytes_in", "bytes_out", "packets_in", "packets_out",
		"bytes", "packets", "records", "accepted_bytes", "rejected_bytes",
		"bytes_unknown_direction", "packets_unknown_direction",
		"service", "family", "network_mode", "container_instance_arn", "ec2_instance_id", "tasks",
		"inferred_bytes", "inferred_records"}
	for _, c := range firstClasses {
		h = append(h, "bytes_"+c.Key())
	}
	for _, c := range firstClasses {
		h = append(h, "cost_"+c.Key())
	}
	h = append(h, "cost", "unpriced_bytes")
	for _, c := range laterClasses {
		h = append(h, "bytes_"+c.Key(), "cost_"+c.Key())
	}
	return append(h, "currency")
}()

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
// (unpriced_bytes), empty otherwise. Classes added later (public, then
// load_balancer) have their bytes_<class> and cost_<class> columns after
// unpriced_bytes, in that order. Last, currency is the currency of the
// group's cost columns (pricing.Table.Currency, as the table's and the
// HTML page's cost heading and the JSON document's prices.currency name
// it) when the report is priced, empty otherwise.
//
// A cost is never written for bytes the prices do not cover: cost_<class>
// is empty for a class whose bytes are all unpriced (a class the table
// has no rate for, or bytes only in a direction it has none for), and
// cost is empty for a group whose bytes are all unpriced, so that a
// spreadsheet does not read "free" where the answer is "not known". A
// class with no bytes costs 0. A class partly priced (priced one way but
// with bytes the other way too, or with bytes of unknown direction and
// unequal rates) writes the cost of its priced bytes, as cost does for a
// group with some bytes unpriced: a lower bound, short of the cost of
// unpriced_bytes (the JSON document splits them by class and direction).
func CSVHeader() []string { return slices.Clone(csvHeader) }

// baseColumns is how many columns unattributed and total rows fill.
const baseColumns = 13

// WriteCSV writes r as CSV (RFC 4180, as encoding/csv writes it). A text
// cell (the key, and the service, family, network mode, container
// instance and EC2 instance columns) that begins with =, +, -, @, a tab
// or a carriage return gets a single quote in front, as OWASP advises
// against CSV injection: spreadsheets would run such a cell as a formula.
// They come from task data and flow logs, which are input; the quote
// shows and is not part of the value (the JSON document has the values
// as they are). Numbers are plain decimals, never in exponent form:
// counts exact up to 2^64-1 (a spreadsheet keeps 15 significant digits),
// costs with six decimals, more for a cost six would write as zero.
func WriteCSV(w io.Writer, r *attribution.Result, opts ...Option) error {
	o, err := prepare(opts)
	if err != nil {
		return err
	}
	return writeCSV(w, r, func(yield func(*attribution.Group) bool) {
		for i := range r.Groups {
			if !yield(&r.Groups[i]) {
				return
			}
		}
	}, o)
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
	o, err := prepare(opts)
	if err != nil {
		return err
	}
	return writeCSV(w, r, groups, o)
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
			// Distinct values in task order; a large group's through a
			// set (a cluster's 100,000 tasks over 5,000 instances took
			// seconds to scan).
			var vs []string
			var seen map[string]bool
			if len(g.Tasks) > manyValues {
				seen = map[string]bool{}
			}
			for _, t := range g.Tasks {
				switch v := f(t); {
				case v == "":
				case seen != nil:
					if !seen[v] {
						seen[v] = true
						vs = append(vs, v)
					}
				case !slices.Contains(vs, v):
					vs = append(vs, v)
				}
			}
			return cellCSV(strings.Join(vs, ";"))
		}
		row = append(row,
			dims(func(t *history.Task) string { return text.ServiceName(t.Group) }),
			dims(func(t *history.Task) string {
				// FamilyRev's "-" for no family is the table's placeholder:
				// here no family is no value, and a family may itself begin
				// with a hyphen (cellCSV quotes it).
				if t.Family == "" {
					return ""
				}
				return text.FamilyRev(t)
			}),
			dims(func(t *history.Task) string { return modeName(t.NetworkMode) }),
			dims(func(t *history.Task) string { return t.ContainerInstanceARN }),
			dims(func(t *history.Task) string { return ec2IDs[t.ContainerInstanceARN] }),
			strconv.Itoa(len(g.Tasks)), u(g.InferredBytes), u(g.InferredRecords))
		for _, cl := range firstClasses {
			row = append(row, u(g.ClassBytes[cl]))
		}
		var c *pricing.Cost
		cost := func(cl attribution.PeerClass) string {
			if c == nil {
				return ""
			}
			return costCell(c.ByClass[cl], g.ClassBytes[cl], c.Unpriced[cl].Sum())
		}
		if o.prices != nil {
			cc := o.prices.Cost(g)
			c = &cc
		}
		for _, cl := range firstClasses {
			row = append(row, cost(cl))
		}
		if c != nil {
			row = append(row, costCell(c.Total, g.Bytes(), c.UnpricedBytes), u(c.UnpricedBytes))
		} else {
			row = append(row, "", "")
		}
		for _, cl := range laterClasses {
			row = append(row, u(g.ClassBytes[cl]), cost(cl))
		}
		currency := ""
		if o.prices != nil {
			currency = cellCSV(o.prices.Currency)
		}
		row = append(row, currency)
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

// manyValues is the most tasks of a group whose distinct values of a CSV
// cell (dims) are found by a scan of those found so far.
const manyValues = 16

// money writes a cost with enough digits for a fraction of a cent: six
// decimals, or as many as it takes for a cost that six would round to
// 0.000000, which is what traffic priced at zero writes.
func money(v float64) string {
	if s := strconv.FormatFloat(v, 'f', 6, 64); v == 0 || s != "0.000000" {
		return s
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// costCell is the cost v of bytes of which unpriced have no price: empty
// when none of them has one (see CSVHeader), money(v) otherwise.
func costCell(v float64, bytes, unpriced uint64) string {
	if pricing.Covered(bytes, unpriced) == pricing.NotPriced {
		return ""
	}
	return money(v)
}

// cellCSV defuses a cell a spreadsheet would read as a formula (see WriteCSV).
func cellCSV(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

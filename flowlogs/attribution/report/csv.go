package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// CSVHeader is the header row WriteCSV writes. Each following row is one of
// kind "group" (key = the group key, as in the JSON document),
// "unattributed" (key = the reason; the in/out, accepted/rejected and
// unknown-direction columns are empty) or, last, "total" (key empty). A
// group's bytes are bytes_in + bytes_out + bytes_unknown_direction (records
// without flow-direction where neither address was the task's), likewise
// packets.
var CSVHeader = []string{"kind", "key", "bytes_in", "bytes_out", "packets_in", "packets_out",
	"bytes", "packets", "records", "accepted_bytes", "rejected_bytes",
	"bytes_unknown_direction", "packets_unknown_direction"}

// WriteCSV writes r as CSV (RFC 4180, as encoding/csv writes it). A key
// that begins with =, +, -, @, a tab or a carriage return gets a single
// quote in front, as OWASP advises against CSV injection: spreadsheets
// would run such a cell as a formula. Keys come from task data and flow
// logs, which are input; the quote shows and is not part of the key.
func WriteCSV(w io.Writer, r *attribution.Result) error {
	cw := csv.NewWriter(w)
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, g := range r.Groups {
		cw.Write([]string{"group", cellCSV(g.Key), u(g.BytesIn), u(g.BytesOut), u(g.PacketsIn), u(g.PacketsOut),
			u(g.Bytes()), u(g.Packets()), u(g.Records), u(g.AcceptedBytes), u(g.RejectedBytes),
			u(g.BytesUnknown), u(g.PacketsUnknown)})
	}
	for _, x := range r.Unattributed {
		cw.Write([]string{"unattributed", cellCSV(x.Reason.String()), "", "", "", "", u(x.Bytes), u(x.Packets), u(x.Records), "", "", "", ""})
	}
	cw.Write([]string{"total", "", "", "", "", "", u(r.Total.Bytes), u(r.Total.Packets), u(r.Total.Records), "", "", "", ""})
	cw.Flush()
	return cw.Error()
}

// cellCSV defuses a cell a spreadsheet would read as a formula (see WriteCSV).
func cellCSV(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

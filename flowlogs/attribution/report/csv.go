package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// CSVHeader is the header row WriteCSV writes. Each following row is one of
// kind "group" (key = the group key, as in the JSON document),
// "unattributed" (key = the reason; the in/out and accepted/rejected
// columns are empty) or, last, "total" (key empty).
var CSVHeader = []string{"kind", "key", "bytes_in", "bytes_out", "packets_in", "packets_out",
	"bytes", "packets", "records", "accepted_bytes", "rejected_bytes"}

// WriteCSV writes r as CSV (RFC 4180, as encoding/csv writes it).
func WriteCSV(w io.Writer, r *attribution.Result) error {
	cw := csv.NewWriter(w)
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, g := range r.Groups {
		cw.Write([]string{"group", g.Key, u(g.BytesIn), u(g.BytesOut), u(g.PacketsIn), u(g.PacketsOut),
			u(g.Bytes()), u(g.Packets()), u(g.Records), u(g.AcceptedBytes), u(g.RejectedBytes)})
	}
	for _, x := range r.Unattributed {
		cw.Write([]string{"unattributed", x.Reason.String(), "", "", "", "", u(x.Bytes), u(x.Packets), u(x.Records), "", ""})
	}
	cw.Write([]string{"total", "", "", "", "", "", u(r.Total.Bytes), u(r.Total.Packets), u(r.Total.Records), "", ""})
	cw.Flush()
	return cw.Error()
}

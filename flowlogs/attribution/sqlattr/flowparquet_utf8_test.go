package sqlattr

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestFlowLogWriterUTF8: the flow-log parser takes any bytes in a
// field, and FlowLogWriter copied them into the file's STRING columns,
// which Parquet defines as UTF-8: DuckDB then refused the whole file
// ("Invalid string encoding found in Parquet file") while attribution
// counted the record, so attribute -export wrote a duckdb.sql that could
// not run. A value that is not UTF-8 does not fit its column's type: the
// record and field are named when it is written, as for a number that
// does not parse.
func TestFlowLogWriterUTF8(t *testing.T) {
	const head = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-service-name"
	for _, v := range []string{"web\xff", "\xc3", "ok-\u00e9\x01"} {
		rd := flowlogs.NewReader(strings.NewReader(head + "\n2 111122223333 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 100 1700000000 1700000060 ACCEPT OK " + v + "\n"))
		var b bytes.Buffer
		fw := NewFlowLogWriter(&b)
		var err error
		n := 0
		for rec, rerr := range rd.All() {
			if rerr != nil {
				t.Fatal(rerr)
			}
			n++
			err = fw.Write(rec)
		}
		rd.Close()
		valid := v == "ok-\u00e9\x01"
		switch {
		case n != 1:
			t.Fatalf("%q: %d records", v, n)
		case valid && err != nil:
			t.Errorf("%q: %v", v, err)
		case !valid && (err == nil || !strings.Contains(err.Error(), "record 1: field ecs-service-name")):
			t.Errorf("%q: Write = %v, want an error naming record 1 and ecs-service-name", v, err)
		}
	}
}

package partials_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// TestWriteRefusesNonUTF8: the flow-log parser takes any bytes in
// a field, and a record's ecs-* fields, interface-id and
// pkt-*-aws-service reach a partial's STRING columns as they are. Parquet
// defines STRING as UTF-8, and DuckDB refuses the whole file ("Invalid
// string encoding found in Parquet file") when a column the reduce query
// reads holds other bytes: sqlattr.Reduce failed on a file that
// attribution.Merge adds up. As sqlattr.FlowLogWriter does, Write refuses
// a value that is not UTF-8, naming its column; UTF-8 text (and the file
// of a record without such bytes) is written as before.
func TestWriteRefusesNonUTF8(t *testing.T) {
	const head = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-dst-aws-service ecs-task-arn ecs-service-name\n"
	for _, c := range []struct {
		line, column string // column "": written
	}{
		{"2 eni-1 10.0.0.1 52.1.1.1 1 443 6 1 100 1795600800 1795600859 ACCEPT OK S3 arn:aws:ecs:us-east-1:1:task/c/ab\xffcd web", "task_arn"},
		{"2 eni-1 10.0.0.1 52.1.1.1 1 443 6 1 100 1795600800 1795600859 ACCEPT OK S3 arn:aws:ecs:us-east-1:1:task/c/abcd w\xc3", "service_group"},
		{"2 eni-1 10.0.0.1 52.1.1.1 1 443 6 1 100 1795600800 1795600859 ACCEPT OK S\xfe3 arn:aws:ecs:us-east-1:1:task/c/abcd web", "peer_service"},
		{"2 eni-\xff 10.0.0.1 10.0.0.2 1 2 6 1 100 1795600800 1795600859 ACCEPT OK - - -", "interface_id"},
		{"2 eni-1 10.0.0.1 52.1.1.1 1 443 6 1 100 1795600800 1795600859 ACCEPT OK S3 arn:aws:ecs:us-east-1:1:task/c/caf\u00e9 w\u00e9b", ""},
	} {
		h, err := history.NewIndex(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		a := attribution.New(h)
		rd := flowlogs.NewReader(strings.NewReader(head + c.line + "\n"))
		for r, err := range rd.All() {
			if err != nil {
				t.Fatal(err)
			}
			a.Add(r)
		}
		rd.Close()
		var b bytes.Buffer
		err = partials.Write(&b, a.Partial())
		switch {
		case c.column == "" && err != nil:
			t.Errorf("%q: %v", c.line, err)
		case c.column != "" && (err == nil || !strings.Contains(err.Error(), "column "+c.column) || !strings.Contains(err.Error(), "not UTF-8")):
			t.Errorf("%q: Write = %v, want an error naming column %s, not UTF-8", c.line, err, c.column)
		}
	}
}

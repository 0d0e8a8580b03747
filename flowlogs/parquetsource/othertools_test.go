package parquetsource

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// toolRow is how other tools write flow logs to Parquet (issue 15): Spark
// or pandas after reading the text logs as strings keep every field a
// string; Athena's CTAS and DuckDB write version as a bigint (INT64). Every
// value is then parsed as the text reader parses it.
type toolRow struct {
	Version          *int64  `parquet:"version,optional"`
	AccountID        *string `parquet:"account_id,optional"`
	InterfaceID      *string `parquet:"interface_id,optional,dict"`
	SrcAddr          *string `parquet:"srcaddr,optional"`
	DstAddr          *string `parquet:"dstaddr,optional"`
	SrcPort          *string `parquet:"srcport,optional"`
	DstPort          *string `parquet:"dstport,optional,dict"`
	Protocol         *string `parquet:"protocol,optional"`
	Packets          *string `parquet:"packets,optional"`
	Bytes            *string `parquet:"bytes,optional"`
	Start            *string `parquet:"start,optional"`
	End              *string `parquet:"end,optional"`
	Action           *string `parquet:"action,optional"`
	LogStatus        *string `parquet:"log_status,optional"`
	VPCID            *string `parquet:"vpc_id,optional"`
	SubnetID         *string `parquet:"subnet_id,optional"`
	InstanceID       *string `parquet:"instance_id,optional"`
	TCPFlags         *string `parquet:"tcp_flags,optional"`
	Type             *string `parquet:"type,optional"`
	PktSrcAddr       *string `parquet:"pkt_srcaddr,optional"`
	PktDstAddr       *string `parquet:"pkt_dstaddr,optional"`
	Region           *string `parquet:"region,optional"`
	AZID             *string `parquet:"az_id,optional"`
	SublocationType  *string `parquet:"sublocation_type,optional"`
	SublocationID    *string `parquet:"sublocation_id,optional"`
	PktSrcAWSService *string `parquet:"pkt_src_aws_service,optional"`
	PktDstAWSService *string `parquet:"pkt_dst_aws_service,optional"`
	FlowDirection    *string `parquet:"flow_direction,optional"`
	TrafficPath      *string `parquet:"traffic_path,optional"`
}

// toolRowFromLine fills a toolRow from a v5 text line. A "-" is written
// as null, as the literal "-" (tools that kept the text) or as "" by
// turns.
func toolRowFromLine(t testing.TB, line string, i int) toolRow {
	t.Helper()
	var r toolRow
	v := reflect.ValueOf(&r).Elem()
	toks := strings.Fields(line)
	if len(toks) != v.NumField() {
		t.Fatalf("%d tokens for %d columns", len(toks), v.NumField())
	}
	for j, tok := range toks {
		f := v.Field(j)
		p := reflect.New(f.Type().Elem())
		if p.Elem().Kind() == reflect.Int64 {
			if tok == "-" {
				continue
			}
			n, err := strconv.ParseInt(tok, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			p.Elem().SetInt(n)
			f.Set(p)
			continue
		}
		if tok == "-" {
			switch (i + j) % 3 {
			case 0:
				continue
			case 1:
				tok = ""
			}
		}
		p.Elem().SetString(tok)
		f.Set(p)
	}
	return r
}

func TestOtherToolsLayouts(t *testing.T) {
	lines, _ := randomV5(t, 1200, 5)
	lines = append(lines, v5Lines...)
	var rows []toolRow
	for i, l := range lines {
		rows = append(rows, toolRowFromLine(t, l, i))
	}
	text := strings.Join(lines, "\n") + "\n"
	for name, data := range map[string][]byte{
		"v2":       parquettest.Write(t, rows, parquet.PageBufferSize(900), parquet.MaxRowsPerRowGroup(500)),
		"v1 gzip":  parquettest.Write(t, rows, parquet.DataPageVersion(1), parquet.Compression(&parquet.Gzip)),
		"one page": parquettest.Write(t, rows),
	} {
		for _, opts := range [][]flowlogs.Option{nil, {flowlogs.WithFields(flowlogs.FieldBytes, flowlogs.FieldStart, flowlogs.FieldDstPort, flowlogs.FieldVersion)}} {
			got := readAll(t, mustReader(t, data, opts...))
			want := readAll(t, flowlogs.NewReader(strings.NewReader(text), append(opts, flowlogs.WithFormat(mustFormat(t, v5Header)))...))
			if len(got) != len(want) {
				t.Fatalf("%s: %d records, want %d", name, len(got), len(want))
			}
			for i := range got {
				sameRecord(t, name+" record "+strconv.Itoa(i+1), got[i], want[i])
			}
		}
	}
	// A string that is no number is an error naming the row and field.
	bad := rows[:3:3]
	x := "4x"
	bad = append(bad, toolRow{Bytes: &x, LogStatus: bad[0].LogStatus})
	r := mustReader(t, parquettest.Write(t, bad))
	n := 0
	for r.Scan() {
		n++
	}
	if err := r.Err(); n != 3 || err == nil || !strings.Contains(err.Error(), `4: field bytes: "4x": invalid value`) {
		t.Errorf("%d records, then %v", n, err)
	}
}

func mustFormat(t testing.TB, header string) *flowlogs.Format {
	t.Helper()
	f, err := flowlogs.ParseHeader(header)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Parquet rows go through the text parser, times included: a start of 0
// or an end before start is a range error naming the row and the field.
func TestImplausibleTimesInParquet(t *testing.T) {
	type row struct {
		InterfaceID string `parquet:"interface_id"`
		Start       int64  `parquet:"start"`
		End         int64  `parquet:"end"`
		LogStatus   string `parquet:"log_status"`
	}
	for _, tc := range []struct {
		bad   row
		field string
	}{
		{row{"eni-x", 0, 99999999999, "NODATA"}, "start"},
		{row{"eni-x", 1700000060, 1700000000, "NODATA"}, "end"},
	} {
		good := row{"eni-1", 1700000000, 1700000060, "OK"}
		data := parquettest.Write(t, []row{good, good, tc.bad, good})
		for _, opts := range [][]flowlogs.Option{nil, {flowlogs.WithLenient(1)}} {
			r := mustReader(t, data, opts...)
			n := 0
			for r.Scan() {
				n++
			}
			err := r.Err()
			if len(opts) > 0 {
				if len(r.Malformed()) != 1 || n != 3 {
					t.Fatalf("lenient: %d records, %v", n, r.Malformed())
				}
				err = r.Malformed()[0]
			}
			var pe *flowlogs.ParseError
			if !errors.As(err, &pe) || pe.Line != 3 || pe.Field != tc.field || !errors.Is(err, flowlogs.ErrRange) {
				t.Errorf("%+v: %d records, then %v", tc.bad, n, err)
			}
		}
	}
}

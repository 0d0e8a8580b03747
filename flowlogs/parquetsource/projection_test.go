package parquetsource

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// dictRow is awsRow with every column dictionary-encoded, as writers that
// favour small files (Arrow, parquet-mr) store ENI IDs, accounts, actions.
type dictRow struct {
	Version          *int32  `parquet:"version,optional,dict"`
	AccountID        *string `parquet:"account_id,optional,dict"`
	InterfaceID      *string `parquet:"interface_id,optional,dict"`
	SrcAddr          *string `parquet:"srcaddr,optional,dict"`
	DstAddr          *string `parquet:"dstaddr,optional,dict"`
	SrcPort          *int32  `parquet:"srcport,optional,dict"`
	DstPort          *int32  `parquet:"dstport,optional,dict"`
	Protocol         *int32  `parquet:"protocol,optional,dict"`
	Packets          *int64  `parquet:"packets,optional,dict"`
	Bytes            *int64  `parquet:"bytes,optional,dict"`
	Start            *int64  `parquet:"start,optional,dict"`
	End              *int64  `parquet:"end,optional,dict"`
	Action           *string `parquet:"action,optional,dict"`
	LogStatus        *string `parquet:"log_status,optional,dict"`
	VPCID            *string `parquet:"vpc_id,optional,dict"`
	SubnetID         *string `parquet:"subnet_id,optional,dict"`
	InstanceID       *string `parquet:"instance_id,optional,dict"`
	TCPFlags         *int32  `parquet:"tcp_flags,optional,dict"`
	Type             *string `parquet:"type,optional,dict"`
	PktSrcAddr       *string `parquet:"pkt_srcaddr,optional,dict"`
	PktDstAddr       *string `parquet:"pkt_dstaddr,optional,dict"`
	Region           *string `parquet:"region,optional,dict"`
	AZID             *string `parquet:"az_id,optional,dict"`
	SublocationType  *string `parquet:"sublocation_type,optional,dict"`
	SublocationID    *string `parquet:"sublocation_id,optional,dict"`
	PktSrcAWSService *string `parquet:"pkt_src_aws_service,optional,dict"`
	PktDstAWSService *string `parquet:"pkt_dst_aws_service,optional,dict"`
	FlowDirection    *string `parquet:"flow_direction,optional,dict"`
	TrafficPath      *int32  `parquet:"traffic_path,optional,dict"`
}

func toDict(rows []awsRow) []dictRow {
	out := make([]dictRow, len(rows))
	for i := range rows {
		src, dst := reflect.ValueOf(&rows[i]).Elem(), reflect.ValueOf(&out[i]).Elem()
		for j := 0; j < src.NumField(); j++ {
			dst.Field(j).Set(src.Field(j))
		}
	}
	return out
}

// projectionFiles are the same random records written in the layouts
// the reader must handle: plain and dictionary-encoded values, data pages
// v1 and v2, several codecs, small pages and row groups.
var projectionFiles = sync.OnceValues(func() ([]string, map[string][]byte) {
	lines, rows := randomV5(&testing.T{}, 1500, 7)
	small := []parquet.WriterOption{parquet.PageBufferSize(700), parquet.MaxRowsPerRowGroup(900)}
	return lines, map[string][]byte{
		"plain v2 snappy": parquettest.Must(rows, append(small, parquet.Compression(&parquet.Snappy))...),
		"dict v2 gzip":    parquettest.Must(toDict(rows), append(small, parquet.Compression(&parquet.Gzip))...),
		"dict v1 zstd":    parquettest.Must(toDict(rows), append(small, parquet.DataPageVersion(1), parquet.Compression(&parquet.Zstd))...),
		"plain v1":        parquettest.Must(rows, append(small, parquet.DataPageVersion(1))...),
	}
})

// TestProjection checks that a read with WithFields (and filters) gives,
// for the selected fields, exactly the full read's values, and the same
// records as text read with the same options.
func TestProjection(t *testing.T) {
	lines, files := projectionFiles()
	text := v5Header + "\n" + strings.Join(lines, "\n") + "\n"
	fulls := map[string][]*flowlogs.Record{}
	for name, data := range files {
		fulls[name] = readAll(t, mustReader(t, data))
	}
	for _, tc := range []struct {
		name string
		opts []flowlogs.Option
	}{
		{"3 fields", []flowlogs.Option{flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldPackets)}},
		{"fields and filter", []flowlogs.Option{flowlogs.WithFields(flowlogs.FieldSrcAddr, flowlogs.FieldTrafficPath),
			flowlogs.WithFilter(flowlogs.Filter{Protocols: []uint8{6}, Action: flowlogs.ActionAccept})}},
		{"field not in the file", []flowlogs.Option{flowlogs.WithFields(flowlogs.FieldECSTaskID)}},
		{"every field", []flowlogs.Option{flowlogs.WithFields(flowlogs.DefaultFormat.Fields()...), flowlogs.WithLenient(3)}},
	} {
		sel := flowlogs.Selection(tc.opts...)
		want := readAll(t, flowlogs.NewReader(strings.NewReader(text), tc.opts...))
		for name, data := range files {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				full := fulls[name]
				r := mustReader(t, data, tc.opts...)
				got := readAll(t, r)
				if len(got) != len(want) {
					t.Fatalf("%d records, want %d", len(got), len(want))
				}
				for i := range got {
					// The same tokens give the same typed fields: compare
					// those of every record, and every field of some.
					for _, f := range fieldsOf(sel) {
						g, gok := got[i].RawField(f)
						w, wok := want[i].RawField(f)
						if string(g) != string(w) || gok != wok {
							t.Fatalf("record %d %s: %q %v, text %q %v", i+1, f, g, gok, w, wok)
						}
					}
					if got[i].Present != want[i].Present {
						t.Fatalf("record %d: present %v, text %v", i+1, got[i].Present, want[i].Present)
					}
					if i%10 == 0 {
						sameRecord(t, fmt.Sprintf("record %d", i+1), got[i], want[i])
					}
					if t.Failed() {
						t.FailNow()
					}
				}
				// Without a filter the records are the full read's rows:
				// compare the selected fields' raw values too.
				if len(got) == len(full) {
					for i := range got {
						for _, f := range fieldsOf(sel) {
							g, gok := got[i].RawField(f)
							w, wok := full[i].RawField(f)
							if string(g) != string(w) || gok != wok {
								t.Fatalf("record %d %s: %q %v, full read %q %v", i+1, f, g, gok, w, wok)
							}
						}
						if got[i].Present != intersect(full[i].Present, sel) {
							t.Fatalf("record %d: present %v, full read %v", i+1, got[i].Present, full[i].Present)
						}
					}
				}
				for _, fld := range r.Format().Fields() {
					if !sel.Has(fld) && tc.name != "field not in the file" {
						t.Fatalf("format %q holds %s, not selected", r.Format().Header(), fld)
					}
				}
				st := r.Stats()
				if st.Records != int64(len(lines)) || st.NoData == 0 || st.SkipData == 0 {
					t.Fatalf("stats %+v", st)
				}
			})
		}
	}
}

func fieldsOf(s flowlogs.FieldSet) []flowlogs.Field {
	var fs []flowlogs.Field
	for f := flowlogs.Field(1); f < 128; f++ {
		if s.Has(f) {
			fs = append(fs, f)
		}
	}
	return fs
}

func intersect(a, b flowlogs.FieldSet) flowlogs.FieldSet {
	return flowlogs.FieldSet{a[0] & b[0], a[1] & b[1]}
}

func mustReader(t *testing.T, data []byte, opts ...flowlogs.Option) *flowlogs.Reader {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), int64(len(data)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFullReadDictionaryAndV1 checks the full read of every layout against
// the text lines.
func TestFullReadDictionaryAndV1(t *testing.T) {
	lines, files := projectionFiles()
	textFormat, _ := flowlogs.ParseHeader(v5Header)
	for name, data := range files {
		got := readAll(t, mustReader(t, data))
		if len(got) != len(lines) {
			t.Fatalf("%s: %d records, want %d", name, len(got), len(lines))
		}
		for i, l := range lines {
			want, err := flowlogs.ParseLine(textFormat, l)
			if err != nil {
				t.Fatal(err)
			}
			sameRecord(t, fmt.Sprintf("%s row %d", name, i+1), got[i], want)
			if t.Failed() {
				t.FailNow()
			}
		}
	}
}

// rangeReader records the byte ranges read.
type rangeReader struct {
	r      *bytes.Reader
	mu     sync.Mutex
	ranges [][2]int64
}

func (rr *rangeReader) ReadAt(p []byte, off int64) (int, error) {
	rr.mu.Lock()
	rr.ranges = append(rr.ranges, [2]int64{off, off + int64(len(p))})
	rr.mu.Unlock()
	return rr.r.ReadAt(p, off)
}

// TestProjectionReadsOnlySelectedColumns checks that the pages of columns
// not selected are never read (so never decompressed), unknown columns
// included, and that without WithFields every column is.
func TestProjectionReadsOnlySelectedColumns(t *testing.T) {
	svc := "web"
	var rows []ecsRow
	for i := range 2000 {
		rows = append(rows, ecsRow{"123456789012", int64(i), "prod", &svc, "0123", 1715000060, fmt.Sprintf("eni-%d", i%7), "OK", 6, 1715000000, 7, "v1"})
	}
	data := parquettest.Write(t, rows, parquet.PageBufferSize(1024))
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	chunks := map[string][2]int64{} // column name → byte range
	for _, c := range f.f.Metadata().RowGroups[0].Columns {
		start, end := parquetguard.ChunkRange(&c.MetaData)
		chunks[c.MetaData.PathInSchema[0]] = [2]int64{start, end}
	}
	read := func(opts ...flowlogs.Option) (touched map[string]bool, recs []*flowlogs.Record) {
		rr := &rangeReader{r: bytes.NewReader(data)}
		r, err := NewReader(rr, int64(len(data)), opts...)
		if err != nil {
			t.Fatal(err)
		}
		recs = readAll(t, r)
		touched = map[string]bool{}
		for name, c := range chunks {
			for _, g := range rr.ranges {
				if g[0] < c[1] && c[0] < g[1] {
					touched[name] = true
				}
			}
		}
		return touched, recs
	}

	touched, recs := read(flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes))
	if len(recs) != len(rows) || recs[9].Bytes != 9 || recs[9].InterfaceID != "eni-2" || recs[9].Has(flowlogs.FieldAccountID) {
		t.Fatalf("%d records, record 10: %v", len(recs), recs[9])
	}
	if _, ok := recs[0].Value("x_future_field"); ok {
		t.Error("unknown column read with WithFields")
	}
	want := map[string]bool{"interface-id": true, "bytes": true, "log-status": true}
	if !reflect.DeepEqual(touched, want) {
		t.Errorf("column chunks read: %v, want %v", touched, want)
	}

	touched, recs = read()
	if len(touched) != len(chunks) {
		t.Errorf("without WithFields, column chunks read: %v", touched)
	}
	if v, ok := recs[0].Value("x_future_field"); !ok || v != "v1" || recs[0].ECSServiceName != "web" {
		t.Errorf("without WithFields: %v", recs[0])
	}
}

// TestProjectionErrors: a bad value in a column that is read stops a
// strict read at its row; one in a column that is not read goes unseen,
// as in a text read with WithFields.
func TestProjectionErrors(t *testing.T) {
	var rows []awsRow
	for _, l := range v5Lines {
		rows = append(rows, rowFromLine(t, l))
	}
	bad := "not-an-address"
	rows[4].SrcAddr = &bad
	data := parquettest.Write(t, toDict(rows))

	r := mustReader(t, data, flowlogs.WithSource("x.parquet"), flowlogs.WithFields(flowlogs.FieldSrcAddr))
	n := 0
	for r.Scan() {
		n++
	}
	var pe *flowlogs.ParseError
	if !errors.As(r.Err(), &pe) || pe.Line != 5 || pe.Field != "srcaddr" || n != 4 {
		t.Fatalf("after %d records: %v", n, r.Err())
	}
	got := readAll(t, mustReader(t, data, flowlogs.WithFields(flowlogs.FieldBytes)))
	if len(got) != len(rows) || got[4].Bytes != 8855 {
		t.Fatalf("%d records: %v", len(got), got)
	}
}

// TestNoColumnSelected: when none of the selected fields is a column, the
// records are still counted, with no field present.
func TestNoColumnSelected(t *testing.T) {
	type row struct {
		Version int32  `parquet:"version"`
		Future  string `parquet:"future"`
	}
	data := parquettest.Write(t, []row{{5, "a"}, {5, "b"}, {5, "c"}})
	r := mustReader(t, data, flowlogs.WithFields(flowlogs.FieldBytes))
	got := readAll(t, r)
	if len(got) != 3 || !got[0].Present.IsEmpty() || r.Stats().Records != 3 {
		t.Fatalf("%d records: %v, stats %+v", len(got), got, r.Stats())
	}
}

// TestBadValueMidFile: the rows before a value that cannot be rendered (a
// string with a space), in any column and layout, are all read, then the
// error names the row and column.
func TestBadValueMidFile(t *testing.T) {
	_, rows := randomV5(t, 2000, 3)
	bad := "a b"
	rows[1233].SubnetID = &bad
	rows[1500].AccountID = &bad
	for name, data := range map[string][]byte{
		"plain": parquettest.Write(t, rows, parquet.PageBufferSize(700), parquet.MaxRowsPerRowGroup(900)),
		"dict":  parquettest.Write(t, toDict(rows), parquet.PageBufferSize(700), parquet.MaxRowsPerRowGroup(900)),
	} {
		for _, opts := range [][]flowlogs.Option{nil, {flowlogs.WithFields(flowlogs.FieldSubnetID)}, {flowlogs.WithLenient(5)}} {
			r := mustReader(t, data, opts...)
			n := 0
			for r.Scan() {
				n++
			}
			if err := r.Err(); n != 1233 || err == nil || !strings.Contains(err.Error(), `row 1234 column "subnet_id": value "a b" contains white space`) {
				t.Errorf("%s %d options: %d records, then %v", name, len(opts), n, err)
			}
		}
		r := mustReader(t, data, flowlogs.WithFields(flowlogs.FieldBytes))
		n := 0
		for r.Scan() {
			n++
		}
		if n != len(rows) || r.Err() != nil {
			t.Errorf("%s, bad columns not read: %d records, %v", name, n, r.Err())
		}
	}
}

// TestNoAllocationPerRecord checks that reading twice the records costs
// only the allocations of the extra pages (parquet-go's, a few per page;
// see textReader), whether every column is read or three.
func TestNoAllocationPerRecord(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers at random")
	}
	file := func(n int) ([]byte, int) {
		_, rows := randomV5(t, n, 11)
		data := parquettest.Write(t, toDict(rows), parquet.PageBufferSize(8<<10))
		f, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		g, pages := parquetguard.NewPageGuard(bytes.NewReader(data)), 0
		for i, rg := range f.f.Metadata().RowGroups {
			for j := range rg.Columns {
				n, err := g.Check(&rg.Columns[j].MetaData, parquetguard.ColumnOf(f.f, i, j))
				if err != nil {
					t.Fatal(err)
				}
				pages += n
			}
		}
		return data, pages
	}
	small, smallPages := file(4000)
	large, largePages := file(8000)
	for _, opts := range [][]flowlogs.Option{nil, {flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldPackets)}} {
		allocs := func(data []byte) float64 {
			return testing.AllocsPerRun(3, func() {
				r := mustReader(t, data, opts...)
				for r.Scan() {
				}
				if r.Err() != nil {
					t.Fatal(r.Err())
				}
			})
		}
		a, b := allocs(small), allocs(large)
		msg := fmt.Sprintf("%d options: %.0f allocations for 4,000 records in %d pages, %.0f for 8,000 in %d",
			len(opts), a, smallPages, b, largePages)
		// About seven per page were measured (parquet-go v0.32.0).
		if b-a > float64(12*(largePages-smallPages)) {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

// TestOtherPhysicalTypes: columns of types AWS does not write (double,
// float, boolean, fixed-length byte arrays), required or with nulls, plain
// or dictionary-encoded, are read through parquet.Value, whole or
// projected.
func TestOtherPhysicalTypes(t *testing.T) {
	type row struct {
		Bytes     *float64 `parquet:"bytes,optional"`
		Packets   float32  `parquet:"packets,dict"`
		Flag      *bool    `parquet:"flag,optional"`
		Ratio     *float64 `parquet:"ratio,optional,dict"`
		Tag       [4]byte  `parquet:"tag"`
		LogStatus string   `parquet:"log_status"`
	}
	f64 := func(v float64) *float64 { return &v }
	yes := true
	var rows []row
	for i := range 600 {
		r := row{Packets: float32(i % 7), Tag: [4]byte{'t', 'a', 'g', byte('0' + i%10)}, LogStatus: "OK"}
		if i%3 != 0 {
			r.Bytes, r.Flag, r.Ratio = f64(float64(i)*1000), &yes, f64(float64(i%5)+0.5)
		}
		rows = append(rows, r)
	}
	data := parquettest.Write(t, rows, parquet.PageBufferSize(256))
	line := func(i int) string {
		if i%3 == 0 {
			return fmt.Sprintf("- %d - - tag%d OK", i%7, i%10)
		}
		return fmt.Sprintf("%d %d true %g tag%d OK", i*1000, i%7, float64(i%5)+0.5, i%10)
	}
	got := readAll(t, mustReader(t, data))
	proj := readAll(t, mustReader(t, data, flowlogs.WithFields(flowlogs.FieldBytes)))
	if len(got) != len(rows) || len(proj) != len(rows) {
		t.Fatalf("%d and %d records", len(got), len(proj))
	}
	for i := range rows {
		if got[i].String() != line(i) {
			t.Fatalf("record %d: %q, want %q", i+1, got[i].String(), line(i))
		}
		if proj[i].Bytes != got[i].Bytes || proj[i].Has(flowlogs.FieldBytes) != (i%3 != 0) || proj[i].Has(flowlogs.FieldPackets) {
			t.Fatalf("projected record %d: %v", i+1, proj[i])
		}
	}
}

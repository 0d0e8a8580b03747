package parquetsource

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// writeSchema writes rows (column name → value, nil for null) as a Parquet
// file of schema s.
func writeSchema(t *testing.T, s *parquet.Schema, rows []map[string]any) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewWriter(&b, s)
	for _, m := range rows {
		row := make(parquet.Row, len(s.Fields()))
		for i, fld := range s.Fields() {
			v, def := parquet.Value{}, 0
			if x, ok := m[fld.Name()]; ok && x != nil {
				v, def = parquet.ValueOf(x), 1
			}
			if !fld.Optional() {
				def = 0
			}
			row[i] = v.Level(0, def, i)
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readBoth reads data through the typed path and through Text's path.
func readBoth(t *testing.T, data []byte) (typed, text []*flowlogs.Record, typedErr, textErr error) {
	t.Helper()
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	read := func(r *flowlogs.Reader) (recs []*flowlogs.Record, err error) {
		for r.Scan() {
			recs = append(recs, r.Record().Clone())
		}
		return recs, r.Err()
	}
	typed, typedErr = read(f.NewReader())
	text, textErr = read(f.newTextFlowReader())
	return
}

// TestDecimalColumns: DECIMAL is a scaled integer (value = unscaled
// × 10^-scale), and BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY decimals hold the
// unscaled value as big-endian two's complement bytes (parquet-format
// LogicalTypes.md). A DECIMAL(18,2) bytes column holding 123.45 must not
// read as 12345, and a BYTE_ARRAY decimal 12345 (bytes 0x30 0x39, "09" as
// text) must not read as 9.
func TestDecimalColumns(t *testing.T) {
	s := parquet.NewSchema("t", parquet.Group{
		"bytes":      parquet.Optional(parquet.Decimal(2, 18, parquet.Int64Type)),
		"packets":    parquet.Decimal(0, 20, parquet.ByteArrayType),
		"srcport":    parquet.Decimal(0, 20, parquet.FixedLenByteArrayType(9)),
		"log_status": parquet.String(),
	})
	be := func(n int, v ...byte) []byte { return append(make([]byte, n-len(v)), v...) }
	data := writeSchema(t, s, []map[string]any{
		{"bytes": int64(12300), "packets": []byte{0x30, 0x39}, "srcport": be(9, 0x01, 0xbb), "log_status": "OK"},
		{"bytes": nil, "packets": []byte{0x31}, "srcport": be(9, 0x35), "log_status": "OK"},
		{"bytes": int64(12345), "packets": []byte{0x01}, "srcport": be(9, 0x01), "log_status": "OK"},
	})
	typed, text, typedErr, textErr := readBoth(t, data)
	for name, got := range map[string][]*flowlogs.Record{"typed": typed, "text": text} {
		if len(got) != 2 {
			t.Fatalf("%s: %d records, want 2 before the error", name, len(got))
		}
		if r := got[0]; r.Bytes != 123 || r.Packets != 12345 || r.SrcPort != 443 {
			t.Errorf("%s: record 1: bytes %d packets %d srcport %d, want 123 12345 443", name, r.Bytes, r.Packets, r.SrcPort)
		}
		if r := got[1]; r.Has(flowlogs.FieldBytes) || r.Packets != 49 || r.SrcPort != 53 {
			t.Errorf("%s: record 2: %v, want no bytes, packets 49, srcport 53", name, r)
		}
	}
	for name, err := range map[string]error{"typed": typedErr, "text": textErr} {
		var pe *flowlogs.ParseError
		if !errors.As(err, &pe) || pe.Line != 3 || pe.Field != "bytes" {
			t.Errorf("%s: error %v, want row 3's bytes (123.45) refused", name, err)
		}
	}
}

// TestTimestampColumns: start and end written as TIMESTAMP (pyarrow
// and Spark write microseconds, pandas nanoseconds, some milliseconds)
// hold the time in the column's unit: they are the same Unix seconds.
func TestTimestampColumns(t *testing.T) {
	const start, end = 1764086400, 1764086460
	type millis struct {
		Start     time.Time `parquet:"start,timestamp(millisecond)"`
		End       time.Time `parquet:"end,timestamp(millisecond)"`
		LogStatus string    `parquet:"log_status"`
	}
	type micros struct {
		Start     time.Time `parquet:"start,timestamp(microsecond)"`
		End       time.Time `parquet:"end,timestamp(microsecond)"`
		LogStatus string    `parquet:"log_status"`
	}
	type nanos struct {
		Start     *time.Time `parquet:"start,optional,timestamp(nanosecond)"`
		End       time.Time  `parquet:"end,timestamp(nanosecond),dict"`
		LogStatus string     `parquet:"log_status"`
	}
	s, e := time.Unix(start, 0), time.Unix(end, 0)
	for name, data := range map[string][]byte{
		"millis": parquettest.Write(t, []millis{{s, e, "OK"}, {s, e, "OK"}}),
		"micros": parquettest.Write(t, []micros{{s, e, "OK"}, {s, e, "OK"}}),
		"nanos":  parquettest.Write(t, []nanos{{&s, e, "OK"}, {&s, e, "OK"}}),
	} {
		typed, text, typedErr, textErr := readBoth(t, data)
		if typedErr != nil || textErr != nil {
			t.Errorf("%s: %v; text %v", name, typedErr, textErr)
			continue
		}
		for path, got := range map[string][]*flowlogs.Record{"typed": typed, "text": text} {
			if len(got) != 2 || got[1].Start != start || got[1].End != end {
				t.Errorf("%s %s: %v", name, path, got)
			}
		}
	}
}

// TestUint64Column: an INT64 annotated INT(64, unsigned) holds the
// bits of a uint64; 2^63 is out of range for bytes, not the "invalid"
// negative -9223372036854775808.
func TestUint64Column(t *testing.T) {
	type row struct {
		Bytes     uint64 `parquet:"bytes"`
		LogStatus string `parquet:"log_status"`
	}
	data := parquettest.Write(t, []row{{5, "OK"}, {math.MaxInt64 + 1, "OK"}})
	typed, text, typedErr, textErr := readBoth(t, data)
	for name, err := range map[string]error{"typed": typedErr, "text": textErr} {
		if len(typed) != 1 || len(text) != 1 {
			t.Fatalf("%d and %d records", len(typed), len(text))
		}
		var pe *flowlogs.ParseError
		if !errors.As(err, &pe) || pe.Line != 2 || !errors.Is(err, flowlogs.ErrRange) || !bytes.Contains([]byte(err.Error()), []byte("9223372036854775808")) || bytes.Contains([]byte(err.Error()), []byte("-9223372036854775808")) {
			t.Errorf("%s: %v, want a range error on 9223372036854775808", name, err)
		}
	}
}

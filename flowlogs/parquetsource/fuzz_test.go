package parquetsource

import (
	"bytes"
	"compress/gzip"
	"errors"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// FuzzNewReader reads each input whole and projected. Properties: a
// corrupt file is an error, never a panic; a read that ends without error
// returned every row of the file as a record; the projected read returns
// the same values as the full read for the fields it selects (every row
// when the full read succeeded, the rows before its error otherwise); the
// typed path (NewReader) and the text path (Text's lines parsed back) read
// the same records, statistics and errors (see compareReads).
//
// The seeds are small files (one to three rows) in the layouts the reader
// handles: AWS's schema plain and dictionary-encoded, data pages v1 and v2,
// each codec, the ECS columns, other tools' layouts (numbers as strings,
// version INT64), physical types AWS does not write, and a file
// gzip-compressed whole. Small seeds keep each execution and each
// minimisation short, so that the fuzzer explores instead of minimising.
func FuzzNewReader(f *testing.F) {
	var rows []awsRow
	for _, l := range v5Lines[2:5] {
		rows = append(rows, rowFromLine(f, l))
	}
	f.Add(parquettest.Write(f, rows[:1]))
	f.Add(parquettest.Write(f, rows, parquet.Compression(&parquet.Snappy)))
	f.Add(parquettest.Write(f, toDict(rows), parquet.DataPageVersion(1), parquet.Compression(&parquet.Gzip)))
	f.Add(parquettest.Write(f, rows, parquet.Compression(&parquet.Gzip)))
	f.Add(parquettest.Write(f, toDict(rows[:2]), parquet.Compression(&parquet.Zstd)))
	f.Add(parquettest.Write(f, []ecsRow{{AccountID: "1", Bytes: 5, InterfaceID: "eni-1", LogStatus: "OK", Start: 1700000000, End: 1700000060}}))
	f.Add(parquettest.Write(f, []toolRow{toolRowFromLine(f, v5Lines[0], 0), toolRowFromLine(f, v5Lines[2], 1)}))
	type other struct {
		Bytes     *float64 `parquet:"bytes,optional"`
		Flag      bool     `parquet:"flag"`
		Tag       [2]byte  `parquet:"tag"`
		LogStatus string   `parquet:"log_status,dict"`
	}
	b := 4.0
	f.Add(parquettest.Write(f, []other{{&b, true, [2]byte{'a', 'b'}, "OK"}, {nil, false, [2]byte{'c', 'd'}, "NODATA"}}))
	// Annotated columns: decimals (scaled, byte arrays), timestamps,
	// unsigned 64-bit integers.
	type annotated struct {
		Bytes     int64     `parquet:"bytes,decimal(2:18)"`
		Packets   [9]byte   `parquet:"packets,decimal(0:20)"`
		Start     time.Time `parquet:"start,timestamp(microsecond)"`
		End       time.Time `parquet:"end,timestamp(nanosecond),dict"`
		SrcPort   uint64    `parquet:"srcport"`
		LogStatus string    `parquet:"log_status"`
	}
	ts := time.Unix(1700000000, 0)
	f.Add(parquettest.Write(f, []annotated{{12300, [9]byte{8: 5}, ts, ts, 443, "OK"}, {-5, [9]byte{0: 0x80}, ts, ts, 1 << 63, "OK"}}))
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(parquettest.Write(f, rows[:1]))
	zw.Close()
	f.Add(z.Bytes())
	f.Add([]byte("PAR1PAR1"))
	proj := []flowlogs.Option{flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes)}
	// Pages read ahead on a goroutine for these small files too, but with
	// WithSyncDecompression.
	defer func(n int64) { prefetchMinRows = n }(prefetchMinRows)
	prefetchMinRows = 0
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		full, fullErr := fuzzRead(t, r)
		file, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return // gzip-compressed whole: read above
		}
		if fullErr == nil && int64(len(full)) != file.NumRows() {
			t.Fatalf("%d records of %d rows, and no error", len(full), file.NumRows())
		}
		part, partErr := fuzzRead(t, file.NewReader(proj...))
		if fullErr == nil && (partErr != nil || len(part) != len(full)) {
			t.Fatalf("projected read: %d records, %v; full read: %d records", len(part), partErr, len(full))
		}
		for i := range min(len(full), len(part)) {
			if full[i] != part[i] {
				t.Fatalf("record %d: projected %+v, full %+v", i+1, part[i], full[i])
			}
		}
		// The typed path reads what the text path reads, but for what
		// only text does: take a row for a header, drop a byte-order mark.
		for _, opts := range [][]flowlogs.Option{nil, proj, {flowlogs.WithLenient(2), flowlogs.WithSyncDecompression()}} {
			if _, _, diff := compareReads(data, opts...); diff != nil && !errors.Is(diff, errTextArtifact) {
				t.Fatalf("%d options: %v", len(opts), diff)
			}
		}
	})
}

// fuzzValues is what FuzzNewReader compares of a record.
type fuzzValues struct {
	interfaceID      string
	bytes            int64
	status           flowlogs.LogStatus
	hasENI, hasBytes bool
}

func fuzzRead(t *testing.T, r *flowlogs.Reader) ([]fuzzValues, error) {
	var out []fuzzValues
	for r.Scan() {
		rec := r.Record()
		out = append(out, fuzzValues{rec.InterfaceID, rec.Bytes, rec.LogStatus, rec.Has(flowlogs.FieldInterfaceID), rec.Has(flowlogs.FieldBytes)})
	}
	if st := r.Stats(); int64(len(out)) != st.Returned || st.Records != st.Returned {
		t.Fatalf("%d records scanned, stats %+v", len(out), st)
	}
	return out, r.Err()
}

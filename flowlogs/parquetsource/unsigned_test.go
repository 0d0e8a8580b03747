package parquetsource

import (
	"bytes"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// TestUnsignedInt32Columns: a tool that types bytes and packets as
// unsigned 32-bit integers (pyarrow's uint32, DuckDB's UINTEGER, a Go
// uint32 field) writes them as INT32 annotated INT(32, unsigned), the
// value's bits in an int32. 3,000,000,000 bytes (3 GB in one record: 40
// Mbit/s over a 10-minute interval) then reads as the negative int32 of
// those bits, which the parser refuses; ports as uint16 are INT32
// annotated INT(16, unsigned) and are fine.
func TestUnsignedInt32Columns(t *testing.T) {
	type row struct {
		SrcPort   uint16 `parquet:"srcport"`
		Packets   uint32 `parquet:"packets"`
		Bytes     uint32 `parquet:"bytes,dict"`
		Start     int64  `parquet:"start"`
		End       int64  `parquet:"end"`
		LogStatus string `parquet:"log_status"`
	}
	rows := []row{
		{SrcPort: 443, Packets: 10, Bytes: 1000, Start: 1764086400, End: 1764086460, LogStatus: "OK"},
		{SrcPort: 65535, Packets: 2_500_000, Bytes: 3_000_000_000, Start: 1764086400, End: 1764086460, LogStatus: "OK"},
	}
	data := parquettest.Write(t, rows)
	for _, opts := range [][]flowlogs.Option{nil, {flowlogs.WithFields(flowlogs.FieldBytes)}} {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)), opts...)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for r.Scan() {
			got = append(got, r.Record().Bytes)
		}
		if err := r.Err(); err != nil {
			t.Fatalf("opts %v: %v", opts, err)
		}
		if len(got) != 2 || got[0] != 1000 || got[1] != 3_000_000_000 {
			t.Fatalf("opts %v: bytes %v, want [1000 3000000000]", opts, got)
		}
	}
	// The rendered text (File.Text) says the same.
	f, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	text.ReadFrom(f.Text())
	if want := "65535 2500000 3000000000 1764086400 1764086460 OK\n"; !bytes.HasSuffix(text.Bytes(), []byte(want)) {
		t.Fatalf("Text: %q, want it to end with %q", text.String(), want)
	}
}

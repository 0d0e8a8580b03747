package parquetsource

import (
	"bytes"
	"io"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// TestDecimalNoAllocationPerRecord: the package documents that
// nothing is allocated per record (text.go: "nothing per row"); DECIMAL
// columns, now rendered at their scale, must keep that promise on both
// paths, for integer decimals (INT32/INT64 with a scale) and for byte-array
// ones of up to eight bytes. Reading twice the rows may cost only the extra
// pages' allocations (parquet-go's, a few per page).
func TestDecimalNoAllocationPerRecord(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers at random")
	}
	type row struct {
		Bytes     int64   `parquet:"bytes,decimal(2:18)"`
		Packets   int32   `parquet:"packets,decimal(1:9)"`
		SrcPort   [4]byte `parquet:"srcport,decimal(0:9)"`
		DstPort   [6]byte `parquet:"dstport,decimal(3:14)"`
		LogStatus string  `parquet:"log_status"`
	}
	file := func(n int) []byte {
		rows := make([]row, n)
		for i := range rows {
			rows[i] = row{Bytes: int64(i%1000) * 100, Packets: int32(i%50) * 10, SrcPort: [4]byte{0, 0, byte(i >> 8), byte(i)},
				DstPort: [6]byte{0, 0, 0, 0x13, 0x88, 0}, LogStatus: "OK"} // 0x138800 = 1280000, 1280 at scale 3
		}
		return parquettest.Write(t, rows, parquet.PageBufferSize(8<<10))
	}
	small, large := file(4000), file(8000)
	// The values are what they say.
	if r := mustReader(t, small); !r.Scan() || r.Record().DstPort != 1280 {
		t.Fatalf("first record %+v (err %v): want dstport 1280", r.Record(), r.Err())
	}
	pages := func(data []byte) int {
		f, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, rg := range f.f.Metadata().RowGroups {
			for _, c := range rg.Columns {
				n += int(c.MetaData.NumValues)/200 + 2 // an upper bound of the pages of 8 KiB
			}
		}
		return n
	}
	typed := func(data []byte) float64 {
		return testing.AllocsPerRun(3, func() {
			r := mustReader(t, data)
			for r.Scan() {
			}
			if r.Err() != nil {
				t.Fatal(r.Err())
			}
		})
	}
	text := func(data []byte) float64 {
		return testing.AllocsPerRun(3, func() {
			f, err := Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, f.Text()); err != nil {
				t.Fatal(err)
			}
		})
	}
	for name, allocs := range map[string]func([]byte) float64{"typed": typed, "text": text} {
		a, b := allocs(small), allocs(large)
		if extra := pages(large) - pages(small); b-a > float64(12*extra) {
			t.Errorf("%s: %.0f allocations for 4,000 records, %.0f for 8,000: %.1f per extra record", name, a, b, (b-a)/4000)
		} else {
			t.Logf("%s: %.0f allocations for 4,000 records, %.0f for 8,000", name, a, b)
		}
	}
}

// TestDecimalValues: appendDecimal renders byte-array decimals of
// any width (sign-extended or not), and integer ones, as their exact value,
// the same as a big.Int reading of the two's complement bytes.
func TestDecimalValues(t *testing.T) {
	ref := func(s []byte, scale int) string {
		var u big.Int
		u.SetBytes(s)
		if s[0]&0x80 != 0 {
			u.Sub(&u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(s))))
		}
		r := new(big.Rat).SetFrac(&u, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil))
		if r.IsInt() {
			return r.Num().String()
		}
		return r.FloatString(scale)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		s := make([]byte, 1+rng.IntN(20))
		for i := range s {
			s[i] = byte(rng.IntN(256))
		}
		switch rng.IntN(3) { // sign extension, as fixed-length arrays carry it
		case 0:
			for i := 0; i < len(s)-1-rng.IntN(8) && i < len(s); i++ {
				s[i] = 0
			}
		case 1:
			for i := 0; i < len(s)-1-rng.IntN(8) && i < len(s); i++ {
				s[i] = 0xff
			}
		}
		scale := rng.IntN(6)
		got, err := appendDecimal(nil, parquet.ValueOf(s), int32(scale))
		if want := ref(s, scale); err != nil || string(got) != want {
			t.Fatalf("% x scale %d: %q, %v; want %q", s, scale, got, err, want)
		}
	}
	for _, c := range []struct {
		v     parquet.Value
		scale int32
		want  string
	}{
		{parquet.Int64Value(math.MinInt64), 0, "-9223372036854775808"},
		{parquet.Int64Value(math.MinInt64), 2, "-92233720368547758.08"},
		{parquet.Int64Value(-5), 3, "-0.005"},
		{parquet.Int32Value(12300), 2, "123"},
		{parquet.Int32Value(0), 4, "0"},
	} {
		if got, err := appendDecimal(nil, c.v, c.scale); err != nil || string(got) != c.want {
			t.Errorf("%v scale %d: %q, %v; want %q", c.v, c.scale, got, err, c.want)
		}
	}
}

package intervals

import (
	"bytes"
	"testing"
)

// FuzzReadParquet: any bytes give rows or an error, never a panic; rows
// read give a history or an error.
func FuzzReadParquet(f *testing.F) {
	h := sampleHistory(f)
	rows, err := Build(h)
	if err != nil {
		f.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteParquet(&b, rows); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Add(b.Bytes()[:b.Len()-10])
	var one bytes.Buffer
	if err := WriteParquet(&one, rows[:3]); err != nil {
		f.Fatal(err)
	}
	f.Add(one.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadParquet(bytes.NewReader(data), int64(len(data)), "fuzz.parquet")
		if err != nil {
			return
		}
		_, _ = Index(rows)
	})
}

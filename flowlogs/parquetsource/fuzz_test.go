package parquetsource

import (
	"bytes"
	"testing"
)

// FuzzNewReader checks that no input makes the reader panic: a corrupt
// Parquet file is an error.
func FuzzNewReader(f *testing.F) {
	var rows []awsRow
	for _, l := range v5Lines[:3] {
		rows = append(rows, rowFromLine(f, l))
	}
	f.Add(writeParquet(f, rows))
	f.Add(writeParquet(f, []ecsRow{{AccountID: "1", LogStatus: "OK"}}))
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for r.Scan() {
		}
	})
}

package parquetsource

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// FuzzNewReader checks that no input makes the reader panic: a corrupt
// Parquet file is an error. Each input is read whole and projected.
func FuzzNewReader(f *testing.F) {
	var rows []awsRow
	for _, l := range v5Lines[:3] {
		rows = append(rows, rowFromLine(f, l))
	}
	f.Add(writeParquet(f, rows))
	f.Add(writeParquet(f, toDict(rows), parquet.DataPageVersion(1)))
	f.Add(writeParquet(f, []ecsRow{{AccountID: "1", LogStatus: "OK"}}))
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range [][]flowlogs.Option{nil, {flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes)}} {
			r, err := NewReader(bytes.NewReader(data), int64(len(data)), opts...)
			if err != nil {
				return
			}
			for r.Scan() {
			}
		}
	})
}

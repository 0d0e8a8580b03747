package parquetsource

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// TestClaimedValues: a page whose dictionary-index run claims more values
// than the page holds (parquet-go would size a buffer for them, up to 2³¹
// a run) is an error when the reader comes to it, with pages read ahead
// (where either goroutine may read the page) and without.
func TestClaimedValues(t *testing.T) {
	type row struct {
		Action      string  `parquet:"action,dict"`
		InterfaceID *string `parquet:"interface_id,optional"`
	}
	rows := make([]row, 200)
	for i := range rows {
		// Two values: indexes 1 bit wide, 200 in one bit-packed run of
		// 25 groups (header 0x33) after the width byte.
		rows[i].Action = []string{"ACCEPT", "REJECT"}[i%2]
		eni := fmt.Sprintf("eni-%d", i)
		rows[i].InterfaceID = &eni
	}
	data := parquettest.Write(t, rows, parquet.Compression(&parquet.Uncompressed))
	run := []byte{0x01, 0x33}
	i := bytes.Index(data, run)
	if i < 0 || bytes.Contains(data[i+1:], run) {
		t.Fatal("the run header is not in the file once")
	}
	bad := bytes.Clone(data)
	bad[i+1] = 0x7f // 63 groups: 504 indexes
	defer func(n int64) { prefetchMinRows = n }(prefetchMinRows)
	prefetchMinRows = 0
	for _, opts := range [][]flowlogs.Option{nil, {flowlogs.WithSyncDecompression()}} {
		for name, file := range map[string][]byte{"as written": data, "raised": bad} {
			r, err := NewReader(bytes.NewReader(file), int64(len(file)), opts...)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for r.Scan() {
				n++
			}
			err = r.Err()
			if name == "as written" {
				if err != nil || n != 200 {
					t.Errorf("%d options, %s: %d records, %v", len(opts), name, n, err)
				}
				continue
			}
			if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.Contains(err.Error(), "dictionary indexes claim 504 or more values in a page of 200") {
				t.Errorf("%d options, %s: %v", len(opts), name, err)
			}
		}
	}
}

package parquetsource

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// What is read into memory whole (an object without random access, a
// gzip-compressed file's Parquet bytes) is bounded: past MaxInMemory it is
// an error naming the bound, not a process out of memory.
func TestInMemoryBound(t *testing.T) {
	defer func(m int64) { maxInMemory = m }(maxInMemory)
	maxInMemory = 64

	body := bytes.Repeat([]byte("x"), 100)
	o := source.Object{Name: "AWSLogs/x.log.parquet", Size: -1}
	_, err := Decode(context.Background(), o, io.MultiReader(bytes.NewReader(body)))
	if err == nil || !strings.Contains(err.Error(), "x.log.parquet") || !strings.Contains(err.Error(), "more than 64 bytes") {
		t.Errorf("Decode of 100 bytes, size unknown: %v, want an error naming the object and the bound", err)
	}
	o.Size = 100
	_, err = Decode(context.Background(), o, io.MultiReader(bytes.NewReader(body)))
	if err == nil || !strings.Contains(err.Error(), "more than 64 bytes") {
		t.Errorf("Decode of an object listed at 100 bytes: %v, want an error naming the bound", err)
	}

	// A gzip bomb: 40 bytes that decompress to 1 MiB.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	_, err = NewReader(bytes.NewReader(gz.Bytes()), int64(gz.Len()))
	if err == nil || !strings.Contains(err.Error(), "more than 64 bytes") {
		t.Errorf("NewReader of a gzip file of 1 MiB: %v, want an error naming the bound", err)
	}
}

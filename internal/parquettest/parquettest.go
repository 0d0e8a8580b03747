// Package parquettest writes the Parquet files the Parquet readers' tests
// read: rows of a Go type, with parquet-go's writer options.
package parquettest

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// Write returns rows written as a Parquet file with opts, failing t on an
// error.
func Write[T any](t testing.TB, rows []T, opts ...parquet.WriterOption) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[T](&b, opts...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

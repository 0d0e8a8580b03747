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
	data, err := write(rows, opts)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Must is Write for fixtures made once for a whole package (sync.OnceValue),
// outside any test: it panics on an error.
func Must[T any](rows []T, opts ...parquet.WriterOption) []byte {
	data, err := write(rows, opts)
	if err != nil {
		panic(err)
	}
	return data
}

func write[T any](rows []T, opts []parquet.WriterOption) ([]byte, error) {
	var b bytes.Buffer
	w := parquet.NewGenericWriter[T](&b, opts...)
	if _, err := w.Write(rows); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

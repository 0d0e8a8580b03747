package parquetsource_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// A few columns of AWS's Parquet flow-log schema, written here to have a
// file to read; AWS's files have one column per field of the format.
type row struct {
	Version     int32   `parquet:"version"`
	InterfaceID string  `parquet:"interface_id"`
	SrcAddr     *string `parquet:"srcaddr,optional"`
	Bytes       *int64  `parquet:"bytes,optional"`
	Action      *string `parquet:"action,optional"`
	LogStatus   string  `parquet:"log_status"`
}

func ExampleNewReader() {
	addr, n, accept := "10.0.0.1", int64(4249), "ACCEPT"
	var file bytes.Buffer
	w := parquet.NewGenericWriter[row](&file)
	w.Write([]row{
		{2, "eni-0a", &addr, &n, &accept, "OK"},
		{2, "eni-0b", nil, nil, nil, "NODATA"}, // nulls are "-": absent
	})
	w.Close()

	r, err := parquetsource.NewReader(bytes.NewReader(file.Bytes()), int64(file.Len()),
		flowlogs.WithSource("x.log.parquet"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Format().Header())
	for r.Scan() {
		rec := r.Record()
		fmt.Println(rec.InterfaceID, rec.SrcAddr, rec.Bytes, rec.Has(flowlogs.FieldBytes), rec.LogStatus)
	}
	if err := r.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// version interface-id srcaddr bytes action log-status
	// eni-0a 10.0.0.1 4249 true OK
	// eni-0b invalid IP 0 false NODATA
}

// With WithFields only the columns of those fields (and log-status) are
// read: a Parquet file's other columns are not even decompressed, and the
// Reader's format lists only them, log-status first.
func ExampleFile_NewReader() {
	addr, n, accept := "10.0.0.1", int64(4249), "ACCEPT"
	var file bytes.Buffer
	w := parquet.NewGenericWriter[row](&file, parquet.Compression(&parquet.Gzip))
	w.Write([]row{
		{2, "eni-0a", &addr, &n, &accept, "OK"},
		{2, "eni-0b", nil, nil, nil, "NODATA"},
	})
	w.Close()

	f, err := parquetsource.Open(bytes.NewReader(file.Bytes()), int64(file.Len()))
	if err != nil {
		log.Fatal(err)
	}
	r := f.NewReader(flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes))
	fmt.Println(f.Format().Header())
	fmt.Println(r.Format().Header())
	for r.Scan() {
		rec := r.Record()
		fmt.Println(rec.InterfaceID, rec.Bytes, rec.LogStatus, rec.Has(flowlogs.FieldSrcAddr))
	}
	// Output:
	// version interface-id srcaddr bytes action log-status
	// log-status interface-id bytes
	// eni-0a 4249 OK false
	// eni-0b 0 NODATA false
}

// A directory of flow logs delivered as Parquet (FileFormat parquet) reads
// like one of text logs: WithDecoder hands each .parquet object to Decode,
// and the other objects stay with the text parser.
func ExampleWithDecoder() {
	dir, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(dir)
	addr, n, accept := "10.0.0.1", int64(4249), "ACCEPT"
	var file bytes.Buffer
	w := parquet.NewGenericWriter[row](&file, parquet.Compression(&parquet.Gzip))
	w.Write([]row{{2, "eni-0a", &addr, &n, &accept, "OK"}})
	w.Close()
	pq := filepath.Join(dir, "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.parquet")
	os.WriteFile(pq, file.Bytes(), 0o644)

	for rec, err := range source.Records(context.Background(), &source.Dir{Root: dir}, parquetsource.WithDecoder()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.InterfaceID, rec.Action, rec.Bytes)
	}
	// Output: eni-0a ACCEPT 4249
}

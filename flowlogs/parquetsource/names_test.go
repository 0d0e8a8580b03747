package parquetsource

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquettest"
)

// TestInsightsCamelCaseColumns: the package doc promises that camelCase
// column names are accepted, and LookupField names "the camelCase of
// CloudWatch Logs Insights". Insights calls the default format's start and
// end fields startTime and endTime (CWL_AnalyzeLogData-discoverable-fields;
// reference flowlogs.md §9), so a table exported with Insights' names must
// give records their start and end, not read them as unknown columns and
// return records without times and no error.
// A table exported from CloudWatch Logs Insights names its columns in
// camelCase, start and end as startTime and endTime: they are read as
// start and end, not kept as unknown columns.
func TestInsightsCamelCaseColumns(t *testing.T) {
	type insightsRow struct {
		Version     int32  `parquet:"version"`
		AccountID   string `parquet:"accountId"`
		InterfaceID string `parquet:"interfaceId"`
		SrcAddr     string `parquet:"srcAddr"`
		Start       int64  `parquet:"startTime"`
		End         int64  `parquet:"endTime"`
		LogStatus   string `parquet:"logStatus"`
	}
	data := parquettest.Write(t, []insightsRow{{2, "123456789012", "eni-1", "10.0.0.1", 1700000000, 1700000060, "OK"}})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Scan() {
		t.Fatal(r.Err())
	}
	rec := r.Record()
	if !rec.Present.Has(flowlogs.FieldStart) || !rec.Present.Has(flowlogs.FieldEnd) || rec.Start != 1700000000 {
		t.Errorf("format %q: record %q has no start/end (Start %v)", r.Format().Header(), rec.String(), rec.Start)
	}
}

// A file that cannot be opened is named in the error, as the Reader's
// own errors name it, when WithSource gives a name.
func TestNewReaderOpenErrorNamesSource(t *testing.T) {
	data := []byte("PAR1 not a parquet file PAR1")
	_, err := NewReader(bytes.NewReader(data), int64(len(data)), flowlogs.WithSource("k.parquet"))
	if err == nil || !strings.HasPrefix(err.Error(), "k.parquet: ") {
		t.Errorf("error %v, want one naming k.parquet", err)
	}
	if _, err := NewReader(bytes.NewReader(data), int64(len(data))); err == nil || strings.Contains(err.Error(), ": :") {
		t.Errorf("without a name: %v", err)
	}
}

// An Athena table with AWS's start and end beside timestamps of its own
// named start_time and end_time reads: they are columns of their own, not
// Logs Insights' startTime and endTime.
func TestStartTimeColumnBesideStart(t *testing.T) {
	type row struct {
		Version     int32     `parquet:"version"`
		InterfaceID string    `parquet:"interface_id"`
		Bytes       int64     `parquet:"bytes"`
		Start       int64     `parquet:"start"`
		End         int64     `parquet:"end"`
		StartTime   time.Time `parquet:"start_time,timestamp(millisecond)"`
		EndTime     time.Time `parquet:"end_time,timestamp(millisecond)"`
	}
	data := parquettest.Write(t, []row{{2, "eni-1", 100, 1700000000, 1700000060, time.Unix(1700000000, 0), time.Unix(1700000060, 0)}})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Scan() || r.Record().Start != 1700000000 {
		t.Fatalf("%v %v", r.Err(), r.Record().Start)
	}
}

// Athena and Glue lower-case column names, so a copy of a Logs Insights
// export has starttime and endtime: they are start and end too, as its
// interfaceid is interface-id.
func TestInsightsNamesLowerCased(t *testing.T) {
	type row struct {
		Version     int32  `parquet:"version"`
		InterfaceID string `parquet:"interfaceid"`
		Start       int64  `parquet:"starttime"`
		End         int64  `parquet:"endtime"`
		LogStatus   string `parquet:"logstatus"`
	}
	data := parquettest.Write(t, []row{{2, "eni-1", 1700000000, 1700000060, "OK"}})
	r, err := NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Scan() {
		t.Fatal(r.Err())
	}
	if rec := r.Record(); rec.InterfaceID != "eni-1" || rec.Start != 1700000000 || rec.End != 1700000060 {
		t.Fatalf("record %q: start %d end %d", rec.String(), rec.Start, rec.End)
	}
}

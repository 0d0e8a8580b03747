package intervals

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// TestSchemaVersionColumnWritten: every row of a Parquet file and
// of the CSV carries SchemaVersion in a schema_version column, the
// column SQL engines can read (they see no key/value metadata), also for
// rows given without it.
func TestSchemaVersionColumnWritten(t *testing.T) {
	rows, err := Build(sampleHistory(t))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(Columns(), "schema_version") {
		t.Fatalf("Columns() = %v, no schema_version", Columns())
	}
	// Rows made by hand, without a version, are written with it.
	bare := slices.Clone(rows)
	for i := range bare {
		bare[i].SchemaVersion = 0
	}
	for _, in := range [][]Row{rows, bare} {
		var buf bytes.Buffer
		if err := WriteParquet(&buf, in); err != nil {
			t.Fatal(err)
		}
		f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		col, ok := f.Schema().Lookup("schema_version")
		if !ok || col.Node.Optional() || col.Node.Type().Kind() != parquet.Int32 {
			t.Fatalf("schema_version column: %v, %v", ok, col.Node)
		}
		type versionOnly struct {
			V int32 `parquet:"schema_version"`
		}
		generic, err := parquet.Read[versionOnly](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if len(generic) != len(in) {
			t.Fatalf("%d rows, want %d", len(generic), len(in))
		}
		for i, r := range generic {
			if r.V != SchemaVersion {
				t.Fatalf("row %d: schema_version %d, want %d", i+1, r.V, SchemaVersion)
			}
		}
		back, err := ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "history.parquet")
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range back {
			if r.SchemaVersion != SchemaVersion {
				t.Fatalf("row %d read back with SchemaVersion %d", i+1, r.SchemaVersion)
			}
		}

		var c bytes.Buffer
		if err := WriteCSV(&c, in); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&c).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		head := recs[0]
		if head[0] != "schema_v"+strconv.Itoa(SchemaVersion)+":kind" || head[len(head)-1] != "schema_version" || len(head) != len(Columns()) {
			t.Fatalf("CSV header %v", head)
		}
		for i, rec := range recs[1:] {
			if rec[len(rec)-1] != strconv.Itoa(SchemaVersion) {
				t.Fatalf("CSV row %d: schema_version %q", i+1, rec[len(rec)-1])
			}
		}
	}
	// A row that says another version is not written as this one.
	other := slices.Clone(rows)
	other[1].SchemaVersion = SchemaVersion + 1
	if err := WriteParquet(&bytes.Buffer{}, other); err == nil || !strings.Contains(err.Error(), "schema version "+strconv.Itoa(SchemaVersion+1)) {
		t.Errorf("WriteParquet of a row of version %d: %v", SchemaVersion+1, err)
	}
	if err := WriteCSV(&bytes.Buffer{}, other); err == nil {
		t.Errorf("WriteCSV of a row of version %d: no error", SchemaVersion+1)
	}
}

// v1Row is Row as WriteParquet wrote it before the schema_version column:
// every other column, the version in the metadata only.
type v1Row struct {
	Kind                 string     `parquet:"kind"`
	Key                  string     `parquet:"key"`
	Protocol             int32      `parquet:"protocol"`
	PortFirst            int32      `parquet:"port_first"`
	PortLast             int32      `parquet:"port_last"`
	FirstSecond          *int64     `parquet:"first_second,optional"`
	LastSecond           *int64     `parquet:"last_second,optional"`
	NextFirstSecond      *int64     `parquet:"next_first_second,optional"`
	LateBaseSecond       *int64     `parquet:"late_base_second,optional"`
	Start                *time.Time `parquet:"start,optional,timestamp(microsecond)"`
	End                  *time.Time `parquet:"end,optional,timestamp(microsecond)"`
	Owner                string     `parquet:"owner"`
	TaskARN              string     `parquet:"task_arn"`
	TaskID               string     `parquet:"task_id"`
	ClusterARN           string     `parquet:"cluster_arn"`
	Cluster              string     `parquet:"cluster"`
	ServiceGroup         string     `parquet:"service_group"`
	Family               string     `parquet:"family"`
	TaskDefinition       string     `parquet:"task_definition"`
	LaunchType           string     `parquet:"launch_type"`
	NetworkMode          string     `parquet:"network_mode"`
	ContainerInstanceARN string     `parquet:"container_instance_arn"`
	EC2InstanceID        string     `parquet:"ec2_instance_id"`
	AZ                   string     `parquet:"az"`
	SubnetID             string     `parquet:"subnet_id"`
	ENI                  string     `parquet:"eni"`
	IPv4                 string     `parquet:"ipv4"`
	IPv6                 string     `parquet:"ipv6"`
}

// writeV1 writes rows as a file of before the schema_version column.
func writeV1(t *testing.T, rows []Row) []byte {
	t.Helper()
	old := make([]v1Row, len(rows))
	for i := range rows {
		src, dst := reflect.ValueOf(rows[i]), reflect.ValueOf(&old[i]).Elem()
		for j := range dst.NumField() {
			dst.Field(j).Set(src.FieldByName(dst.Type().Field(j).Name).Convert(dst.Field(j).Type()))
		}
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[v1Row](&buf, parquet.KeyValueMetadata(MetadataKey, "1"))
	if _, err := w.Write(old); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadsFileWithoutVersionColumn: a file written before the
// schema_version column (version 1 by its metadata, every column of Row
// but that one) reads as version 1, its rows as written; one whose column
// says another version than its metadata is refused, naming the column.
func TestReadsFileWithoutVersionColumn(t *testing.T) {
	rows, err := Build(sampleHistory(t))
	if err != nil {
		t.Fatal(err)
	}
	b := writeV1(t, rows)
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Schema().Lookup("schema_version"); ok {
		t.Fatal("the old file has a schema_version column")
	}
	got, err := ReadParquet(bytes.NewReader(b), int64(len(b)), "old.parquet")
	if err != nil {
		t.Fatalf("a file without schema_version: %v", err)
	}
	sameRows(t, "old file", got, rows)
	for i, r := range got {
		if r.SchemaVersion != SchemaVersion {
			t.Fatalf("row %d: SchemaVersion %d, want %d", i+1, r.SchemaVersion, SchemaVersion)
		}
	}
	if _, err := Index(got); err != nil {
		t.Fatalf("Index of an old file's rows: %v", err)
	}

	// The column and the metadata disagree: refused.
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[Row](&buf, parquet.KeyValueMetadata(MetadataKey, "1"))
	bad := slices.Clone(rows)
	for i := range bad {
		bad[i].SchemaVersion = SchemaVersion
	}
	bad[2].SchemaVersion = SchemaVersion + 1
	if _, err := w.Write(bad); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = ReadParquet(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "mixed.parquet")
	var e *Error
	if !errors.As(err, &e) || e.Column != "schema_version" || e.Row != 3 || !strings.Contains(err.Error(), strconv.Itoa(SchemaVersion+1)) {
		t.Errorf("a row of version %d in a version %d file: %v", SchemaVersion+1, SchemaVersion, err)
	}
}

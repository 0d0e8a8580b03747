package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestPruneKeepsLateDeliveredFiles: AWS publishes a record to S3
// "in about 10 minutes" after its aggregation interval ends, best effort
// and possibly later (flow-log-records.html, "Aggregation interval"), and
// a file holds the records of the 5 minutes before it is published
// (flow-logs-s3-path.html). A record that starts just before Until, in a
// 10-minute capture window, is therefore in a file stamped about 20
// minutes after Until (with 1-minute aggregation, about 11): pruning must
// keep that file, and the record is read.
func TestPruneKeepsLateDeliveredFiles(t *testing.T) {
	since, until := utc(2026, 11, 25, 16, 0), utc(2026, 11, 25, 17, 0)
	at := func(h, m int) Key {
		return Key{Account: "123456789012", Region: "us-east-1", Time: utc(2026, 11, 25, h, m)}
	}
	window := Prune{Since: since, Until: until}
	oneMinute := window
	oneMinute.MaxAggregationInterval = time.Minute
	for _, c := range []struct {
		name string
		p    Prune
		k    Key
	}{
		{"10-minute window, delivered 10 min after it closed", window, at(17, 20)},
		{"10-minute window, delivered a little late", window, at(17, 30)},
		{"1-minute window, delivered 10 min after it closed", oneMinute, at(17, 10)},
		{"1-minute window, delivered a little late", oneMinute, at(17, 20)},
	} {
		if !c.p.Keep(c.k) {
			t.Errorf("%s: file stamped %s pruned", c.name, c.k.Time.Format(fileTimeLayout))
		}
	}

	// End to end: a Dir with the late file, in its hour partition.
	root := t.TempDir()
	stamp := utc(2026, 11, 25, 17, 20)
	key := hiveHourDir("123456789012", "us-east-1", stamp) + "/" + fileName("123456789012", "us-east-1", stamp, "late0001")
	start := until.Add(-time.Second)
	body := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
		fmt.Sprintf("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1024 443 6 3 777 %d %d ACCEPT OK\n", start.Unix(), start.Add(11*time.Minute).Unix())
	writeFile(t, filepath.Join(root, filepath.FromSlash(key)), []byte(body))
	var got []int64
	for rec, err := range Records(context.Background(), &Dir{Root: root, Prune: window},
		WithReaderOptions(flowlogs.WithFilter(flowlogs.Filter{Since: since, Until: until}))) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, int64(rec.Bytes))
	}
	if len(got) != 1 || got[0] != 777 {
		t.Fatalf("records read: %v; want the one starting at %s", got, start)
	}
}

// TestMapCanceledIsTheContextsError: Map's doc says a failed object
// is returned wrapped in an *ObjectError naming it, and ctx's end "as it
// is" (as Records does). A read stopped by the caller's cancel named the
// object that happened to be in flight, as though it had failed.
func TestMapCanceledIsTheContextsError(t *testing.T) {
	root := t.TempDir()
	makeTree(t, root)
	for _, each := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		fn := func(o Object, r *flowlogs.Reader) error {
			for r.Scan() {
			}
			if n++; n == 3 {
				cancel()
			}
			return nil
		}
		var err error
		if each {
			err = Each(ctx, &Dir{Root: root}, fn, WithConcurrency(1))
		} else {
			_, err = Map(ctx, &Dir{Root: root}, func(o Object, r *flowlogs.Reader) (int, error) { return 0, fn(o, r) }, WithConcurrency(1))
		}
		cancel()
		var oe *ObjectError
		if err != context.Canceled || errors.As(err, &oe) {
			t.Errorf("each=%v: canceled read returned %v (an ObjectError: %v); want context.Canceled as it is", each, err, errors.As(err, &oe))
		}
	}
}

// TestDirBelowAFolderNamedAWSLogs: a part of the delivery layout
// copied into a folder under one named AWSLogs (aws s3 cp --recursive
// s3://bucket/AWSLogs/<account>/vpcflowlogs/<region>/2026/11/
// ~/AWSLogs/nov/) is "a folder of delivered files" (Dir's doc). The
// sub-folder 25/ below it is not another service's logs, it is not the
// layout at all (no account where the layout has one), yet KeepDir dropped
// it, so its files were silently not read, with no pruning asked for.
func TestDirBelowAFolderNamedAWSLogs(t *testing.T) {
	root := filepath.Join(t.TempDir(), "AWSLogs", "nov")
	for _, rel := range []string{name1620, filepath.Join("25", name1620), filepath.Join("25", "16", name1620)} {
		writeFile(t, filepath.Join(root, rel), []byte("version\n"))
	}
	objs, err := (&Dir{Root: root}).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 3 {
		t.Errorf("listed %d objects of 3: %v", len(objs), objs)
	}
	var p Prune
	for dir, want := range map[string]bool{
		"AWSLogs/nov/25":                                              true,
		"AWSLogs/o-a1b2c3d4e5/backup":                                 true,
		"AWSLogs/123456789012/CloudTrail":                             false, // another service's logs
		"AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail":                false,
		"home/AWSLogs/prod-flow-logs/AWSLogs/123456789012/CloudTrail": false, // a bucket's copy below a folder named AWSLogs
		"AWSLogs/aws-account-id=1234/aws-service=vpcflowlogs":         false, // Hive, not an account
	} {
		if got := p.KeepDir(dir); got != want {
			t.Errorf("KeepDir(%q) = %v, want %v", dir, got, want)
		}
	}
}

// TestFilesGivenTwice: a file named twice, by one path or two that clean
// to one, was listed and read twice, its records counted twice.
func TestFilesGivenTwice(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.log")
	if err := os.WriteFile(name, []byte("version account-id\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, fl := range []Files{{name, name}, {name, filepath.Join(dir, ".", "x", "..", "a.log")}} {
		_, err := fl.List(context.Background())
		var oe *ObjectError
		if !errors.As(err, &oe) || oe.Name != fl[1] || !strings.Contains(err.Error(), "given twice (first as "+name+")") {
			t.Errorf("%q: %v", fl, err)
		}
	}
}

// TestEmptyGzipFile: an empty file named .gz (a copy cut short) read as
// text holding no records, with no error: a delivery is never empty.
func TestEmptyGzipFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1000Z_4c1e82d3.log.gz")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var err error
	for _, e := range Records(context.Background(), Files{name}) {
		if e != nil {
			err = e
		}
	}
	var oe *ObjectError
	if !errors.As(err, &oe) || oe.Name != name || !strings.Contains(err.Error(), "empty (0 bytes), though named .gz") {
		t.Errorf("got %v", err)
	}
}

// panicking is a Source of one object whose reads panic.
type panicking struct{}

func (panicking) List(context.Context) ([]Object, error) {
	return []Object{{Name: "boom.log", Size: 10}}, nil
}
func (panicking) Open(context.Context, Object) (io.ReadCloser, error) {
	return io.NopCloser(panicReader{}), nil
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("a decoder's bug") }

// TestReadPanicRaisedInTheCaller: a panic reading an object happened in
// a goroutine of Records, which ended the program whatever the caller
// recovered; it is raised again where the records are ranged over.
func TestReadPanicRaisedInTheCaller(t *testing.T) {
	defer func() {
		rp, ok := recover().(*ReadPanic)
		if !ok || rp.Name != "boom.log" || rp.Value != "a decoder's bug" || len(rp.Stack) == 0 {
			t.Errorf("recovered %#v, want a *ReadPanic of boom.log", rp)
		}
	}()
	for range Records(context.Background(), panicking{}, WithReaderOptions(flowlogs.WithSyncDecompression())) {
	}
	t.Error("no panic")
}

// TestMapPanicRaisedInTheCaller: Map's reading goroutines (its errgroup)
// ended the program on a panic, where Records raises it in the caller.
func TestMapPanicRaisedInTheCaller(t *testing.T) {
	defer func() {
		rp, ok := recover().(*ReadPanic)
		if !ok || rp.Name != "boom.log" || rp.Value != "a decoder's bug" {
			t.Errorf("recovered %#v, want a *ReadPanic of boom.log", rp)
		}
	}()
	Each(context.Background(), panicking{}, func(o Object, r *flowlogs.Reader) error {
		for r.Scan() {
		}
		return nil
	}, WithReaderOptions(flowlogs.WithSyncDecompression()))
	t.Error("no panic")
}

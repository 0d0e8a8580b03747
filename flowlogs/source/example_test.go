package source_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

func ExampleParseKey() {
	k, err := source.ParseKey("AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/" +
		"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.gz")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(k.Account, k.Region, k.FlowLogID, k.Time, k.Partition.Format("2006-01-02"), k.Parquet)
	// Output: 123456789012 us-east-1 fl-0abc 2026-11-25 16:20:00 +0000 UTC 2026-11-25 false
}

func ExamplePrune() {
	p := source.Prune{
		Accounts: []string{"123456789012"},
		Since:    time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC),
		Until:    time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC),
	}
	for _, dir := range []string{
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/24",
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25",
		"AWSLogs/210987654321/vpcflowlogs/us-east-1/2026/11/25",
	} {
		fmt.Println(dir, p.KeepDir(dir))
	}
	for _, stamp := range []string{"20261125T1550Z", "20261125T1555Z", "20261125T1720Z", "20261125T1816Z", "20261125T1820Z"} {
		k, _ := source.ParseKey("123456789012_vpcflowlogs_us-east-1_fl-0abc_" + stamp + "_ab12cd34.log.gz")
		fmt.Println(stamp, p.Keep(k))
	}
	// Output:
	// AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/24 false
	// AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25 true
	// AWSLogs/210987654321/vpcflowlogs/us-east-1/2026/11/25 false
	// 20261125T1550Z false
	// 20261125T1555Z true
	// 20261125T1720Z true
	// 20261125T1816Z true
	// 20261125T1820Z false
}

// A local copy of a flow-log bucket, read in parallel: bytes per interface
// summed per file in fn, then combined in key order.
func ExampleMap() {
	root, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(root)
	header := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
	for i, stamp := range []string{"1620", "1625"} {
		dir := filepath.Join(root, "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25")
		os.MkdirAll(dir, 0o755)
		name := "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T" + stamp + "Z_ab12cd34.log"
		body := header + fmt.Sprintf("2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 %d 1795969200 1795969260 ACCEPT OK\n", 1000*(i+1)) +
			"2 123456789012 eni-0b 10.0.0.3 10.0.0.4 22 49153 6 1 60 1795969200 1795969260 REJECT OK\n"
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}

	src := &source.Dir{Root: root, Prune: source.Prune{Accounts: []string{"123456789012"}}}
	perFile, err := source.Map(context.Background(), src,
		func(o source.Object, r *flowlogs.Reader) (map[string]int64, error) {
			m := map[string]int64{}
			for r.Scan() {
				m[r.Record().InterfaceID] += r.Record().Bytes
			}
			return m, nil
		},
		source.WithReaderOptions(flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionAccept})))
	if err != nil {
		log.Fatal(err)
	}
	total := map[string]int64{}
	for _, m := range perFile { // in key order: deterministic
		for eni, b := range m {
			total[eni] += b
		}
	}
	fmt.Println(len(perFile), "files;", "eni-0a:", total["eni-0a"], "eni-0b:", total["eni-0b"])
	// Output: 2 files; eni-0a: 3000 eni-0b: 0
}

// Records streams every record in a deterministic order: objects in key
// order, records in file order, while several objects are read ahead.
func ExampleRecords() {
	dir, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(dir)
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	os.WriteFile(a, []byte("2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 100 1795969200 1795969260 ACCEPT OK\n"), 0o644)
	os.WriteFile(b, []byte("2 123456789012 eni-0b 10.0.0.3 10.0.0.4 22 49153 6 1 60 1795969200 1795969260 REJECT OK\n"), 0o644)
	for rec, err := range source.Records(context.Background(), source.Files{a, b}, source.WithConcurrency(2)) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rec.InterfaceID, rec.Action, rec.Bytes)
	}
	// Output:
	// eni-0a ACCEPT 100
	// eni-0b REJECT 60
}

// Each runs a function per object in parallel; collect with care (here an
// atomic counter), or use Map for results in key order.
func ExampleEach() {
	dir, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(dir)
	var files source.Files
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, fmt.Sprintf("%d.log", i))
		os.WriteFile(p, []byte("2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 100 1795969200 1795969260 ACCEPT OK\n"+
			"2 123456789012 eni-0a - - - - - - - 1795969200 1795969260 - NODATA\n"), 0o644)
		files = append(files, p)
	}
	var records, nodata atomic.Int64
	err := source.Each(context.Background(), files, func(o source.Object, r *flowlogs.Reader) error {
		for r.Scan() {
			records.Add(1)
		}
		nodata.Add(r.Stats().NoData)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(records.Load(), "records,", nodata.Load(), "NODATA")
	// Output: 6 records, 3 NODATA
}

// Dir lists a local copy of a flow-log bucket (aws s3 sync) in key order,
// pruned as it walks. Only delivery names are objects: a download still in
// progress (….log.gz plus eight hex digits, until the AWS CLI renames it),
// a manifest and anything hidden (.git, a sync tool's temporaries) are
// left out.
func ExampleDir() {
	root, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(root)
	day := "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25"
	name := func(stamp string) string {
		return "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T" + stamp + "Z_ab12cd34.log.gz"
	}
	for _, rel := range []string{
		day + "/" + name("1625"),
		day + "/" + name("1620"),
		day + "/" + name("1630") + ".A1b2C3d4", // being downloaded
		day + "/manifest.json",
		day + "/.sync-tmp/" + name("1635"),
		".git/" + day + "/" + name("1640"),
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26/" + name("0005"), // another day: pruned
	} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, nil, 0o644)
	}

	src := &source.Dir{Root: root, Prune: source.Prune{
		Since: time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC),
		Until: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC),
	}}
	objs, err := src.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range objs {
		rel, _ := filepath.Rel(root, o.Name)
		fmt.Println(filepath.ToSlash(rel), o.Key.Time.Format("15:04"))
	}
	// Output:
	// AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.gz 16:20
	// AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1625Z_ab12cd34.log.gz 16:25
}

// Files is a Source over files named by hand, read in the order given,
// never pruned. A file named as VPC Flow Logs names its deliveries still
// carries its Key (account, region, time), which Map's function can use.
func ExampleFiles() {
	dir, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(dir)
	const line = "2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 100 1795969200 1795969260 ACCEPT OK\n"
	files := source.Files{
		filepath.Join(dir, "export.log"),
		filepath.Join(dir, "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log"),
	}
	for _, f := range files {
		os.WriteFile(f, []byte(line+line), 0o644)
	}

	counts, err := source.Map(context.Background(), files,
		func(o source.Object, r *flowlogs.Reader) (string, error) {
			n := 0
			for r.Scan() {
				n++
			}
			about := "no delivery name"
			if o.Key.Account != "" {
				about = "account " + o.Key.Account + ", " + o.Key.Time.Format("2006-01-02 15:04")
			}
			return fmt.Sprintf("%s: %d records, %s", filepath.Base(o.Name), n, about), r.Err()
		})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range counts { // in the order given
		fmt.Println(c)
	}
	// Output:
	// export.log: 2 records, no delivery name
	// 123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log: 2 records, account 123456789012, 2026-11-25 16:20
}

// WithObjectDone reports each object once its read has ended, with what
// the read found: for a progress count or per-file problems. It runs on
// the reading goroutines, so what it updates must be safe for concurrent
// use.
func ExampleWithObjectDone() {
	dir, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(dir)
	const line = "2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 100 1795969200 1795969260 ACCEPT OK\n"
	var files source.Files
	for i, body := range []string{line, line + "not a flow-log record\n"} {
		p := filepath.Join(dir, fmt.Sprintf("%d.log", i))
		os.WriteFile(p, []byte(body), 0o644)
		files = append(files, p)
	}

	var (
		mu        sync.Mutex
		done      int
		malformed = map[string]int64{}
	)
	records := 0
	for _, err := range source.Records(context.Background(), files,
		source.WithReaderOptions(flowlogs.WithLenient(10)),
		source.WithObjectDone(func(d source.ObjectDone) {
			mu.Lock()
			defer mu.Unlock()
			done++
			malformed[filepath.Base(d.Object.Name)] = d.Stats.Malformed
		})) {
		if err != nil {
			log.Fatal(err)
		}
		records++
	}
	fmt.Printf("%d of %d files done, %d records; malformed lines skipped: 0.log %d, 1.log %d\n",
		done, len(files), records, malformed["0.log"], malformed["1.log"])
	// Output: 2 of 2 files done, 2 records; malformed lines skipped: 0.log 0, 1.log 1
}

// Listed reads a listing already made, narrowed here to the objects of one
// flow log, each opened through the source that listed it. s3source's
// ArchivedError holds the objects that can still be read for the same use.
func ExampleListed() {
	dir, _ := os.MkdirTemp("", "flowlogs")
	defer os.RemoveAll(dir)
	const line = "2 123456789012 eni-0a 10.0.0.1 10.0.0.2 443 49152 6 10 100 1795969200 1795969260 ACCEPT OK\n"
	var files source.Files
	for _, fl := range []string{"fl-0abc", "fl-0def"} {
		f := filepath.Join(dir, "123456789012_vpcflowlogs_us-east-1_"+fl+"_20261125T1620Z_ab12cd34.log")
		os.WriteFile(f, []byte(line), 0o644)
		files = append(files, f)
	}

	objs, err := files.List(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	var one []source.Object
	for _, o := range objs {
		if o.Key.FlowLogID == "fl-0def" {
			one = append(one, o)
		}
	}
	counts, err := source.Map(context.Background(), source.Listed{Source: files, Objects: one},
		func(o source.Object, r *flowlogs.Reader) (string, error) {
			n := 0
			for r.Scan() {
				n++
			}
			return fmt.Sprintf("%s: %d records", o.Key.FlowLogID, n), r.Err()
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(counts)
	// Output: [fl-0def: 1 records]
}

package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// fileName is the delivery name of a text file stamped t.
func fileName(acct, region string, t time.Time, hash string) string {
	return fmt.Sprintf("%s_vpcflowlogs_%s_fl-0abc_%s_%s.log.gz", acct, region, t.Format(fileTimeLayout), hash)
}

func dayDir(acct, region string, t time.Time) string {
	return fmt.Sprintf("AWSLogs/%s/vpcflowlogs/%s/%s", acct, region, t.Format("2006/01/02"))
}

func hiveHourDir(acct, region string, t time.Time) string {
	return fmt.Sprintf("AWSLogs/aws-account-id=%s/aws-service=vpcflowlogs/aws-region=%s/year=%s/month=%s/day=%s/hour=%s",
		acct, region, t.Format("2006"), t.Format("01"), t.Format("02"), t.Format("15"))
}

// genFile writes a v2 text file whose records have unique byte counts
// (ids), ending in [t, t+5m), each lasting up to 11 minutes.
type genFile struct {
	key string
	ids []int64
	raw []byte // file contents (gzip unless plain)
	end []int64
	beg []int64
}

func makeFile(key string, t time.Time, n int, nextID *int64, rng *rand.Rand, plain bool) genFile {
	var b bytes.Buffer
	b.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n")
	g := genFile{key: key}
	for i := 0; i < n; i++ {
		*nextID++
		end := t.Unix() + rng.Int64N(300)
		start := end - rng.Int64N(661)
		fmt.Fprintf(&b, "2 123456789012 eni-%08x 10.0.%d.%d 10.1.0.1 %d 443 6 3 %d %d %d ACCEPT OK\n",
			*nextID%7, i%250, 1+i%200, 1024+i, *nextID, start, end)
		g.ids = append(g.ids, *nextID)
		g.beg, g.end = append(g.beg, start), append(g.end, end)
	}
	if plain {
		g.raw = b.Bytes()
		return g
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(b.Bytes())
	zw.Close()
	g.raw = z.Bytes()
	return g
}

// makeTree writes a tree of flow-log files under dir: two accounts, two
// regions, plain daily and Hive hourly layouts, every 5 minutes over
// 3 hours around midnight, plus files that are not flow logs.
func makeTree(t testing.TB, dir string) []genFile {
	rng := rand.New(rand.NewPCG(1, 2))
	var id int64
	var files []genFile
	t0 := time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC)
	for _, acct := range []string{"111111111111", "222222222222"} {
		for _, region := range []string{"us-east-1", "eu-west-1"} {
			for s := t0; s.Before(t0.Add(3 * time.Hour)); s = s.Add(5 * time.Minute) {
				d := dayDir(acct, region, s)
				if acct == "222222222222" {
					d = hiveHourDir(acct, region, s)
				}
				key := d + "/" + fileName(acct, region, s, fmt.Sprintf("%08x", id))
				// Records end within 5 minutes after the stamp (current
				// docs) or, for some files, before it (2018 docs).
				recT := s
				if rng.IntN(2) == 0 {
					recT = s.Add(-5 * time.Minute)
				}
				files = append(files, makeFile(key, recT, 1+rng.IntN(20), &id, rng, s.Minute() == 10))
			}
		}
	}
	for _, f := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f.key)), f.raw)
	}
	writeFile(t, filepath.Join(dir, "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/25/111111111111_CloudTrail_us-east-1_20261125T0000Z_x.json.gz"), []byte("{}"))
	writeFile(t, filepath.Join(dir, "AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/11/25/manifest.json"), []byte("{}"))
	sort.Slice(files, func(i, j int) bool { return files[i].key < files[j].key })
	return files
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func relNames(root string, objs []Object) []string {
	var out []string
	for _, o := range objs {
		rel, _ := filepath.Rel(root, o.Name)
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

func TestDirList(t *testing.T) {
	root := t.TempDir()
	files := makeTree(t, root)
	ctx := context.Background()

	want := func(keep func(Key) bool) []string {
		var out []string
		for _, f := range files {
			k, err := ParseKey(f.key)
			if err != nil {
				t.Fatal(err)
			}
			if keep(k) {
				out = append(out, f.key)
			}
		}
		return out
	}
	since, until := time.Date(2026, 11, 24, 23, 50, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 10, 0, 0, time.UTC)
	tests := []struct {
		name  string
		prune Prune
		keep  func(Key) bool
	}{
		{"everything", Prune{}, func(Key) bool { return true }},
		{"one account", Prune{Accounts: []string{"222222222222"}}, func(k Key) bool { return k.Account == "222222222222" }},
		{"one region", Prune{Regions: []string{"eu-west-1"}}, func(k Key) bool { return k.Region == "eu-west-1" }},
		{"window across midnight", Prune{Since: since, Until: until}, func(k Key) bool {
			return !k.Time.Before(since.Add(-5*time.Minute)) && !k.Time.After(until.Add(76*time.Minute))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Dir{Root: root, Prune: tt.prune}
			objs, err := d.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, w := relNames(root, objs), want(tt.keep)
			if !reflect.DeepEqual(got, w) {
				t.Fatalf("got %d objects %q\nwant %d %q", len(got), got, len(w), w)
			}
			for _, o := range objs {
				if o.Size <= 0 || o.Key.Account == "" {
					t.Fatalf("object %+v lacks size or key", o)
				}
			}
		})
	}

	// A Root inside the layout still prunes by date, from the whole path.
	inner := filepath.Join(root, "AWSLogs", "111111111111", "vpcflowlogs", "us-east-1")
	d0 := &Dir{Root: inner, Prune: Prune{Since: since, Until: until}}
	objs0, err := d0.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var w0 []string
	for _, n := range want(tests[3].keep) {
		if strings.HasPrefix(n, "AWSLogs/111111111111/vpcflowlogs/us-east-1/") {
			w0 = append(w0, n)
		}
	}
	if got := relNames(root, objs0); !reflect.DeepEqual(got, w0) || len(w0) == 0 {
		t.Fatalf("inner root: %q, want %q", got, w0)
	}
	if objs0[0].Key.Account != "111111111111" || objs0[0].Key.Partition.IsZero() {
		t.Fatalf("inner root: key %+v", objs0[0].Key)
	}

	// Match selects other files; the CloudTrail folder is still pruned.
	d := &Dir{Root: root, Match: func(rel string) bool { return filepath.Ext(rel) == ".json" }}
	objs, err := d.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := relNames(root, objs); !reflect.DeepEqual(got, []string{"AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/11/25/manifest.json"}) {
		t.Fatalf("Match: %q", got)
	}
	if _, err := (&Dir{Root: filepath.Join(root, "missing")}).List(ctx); err == nil {
		t.Fatal("no error for a missing root")
	}
}

// idsByObject reads the byte counts (record ids) of every object with Map.
func idsByObject(t *testing.T, src Source, opts ...Option) [][]int64 {
	t.Helper()
	got, err := Map(context.Background(), src, func(o Object, r *flowlogs.Reader) ([]int64, error) {
		var ids []int64
		for r.Scan() {
			ids = append(ids, r.Record().Bytes)
		}
		return ids, nil
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMapDeterministicAndExact(t *testing.T) {
	root := t.TempDir()
	files := makeTree(t, root)
	var want [][]int64
	for _, f := range files {
		want = append(want, f.ids)
	}
	src := &Dir{Root: root}
	for _, p := range []int{1, 2, 7} {
		if got := idsByObject(t, src, WithConcurrency(p)); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parallel(%d): results differ from the files' records in key order", p)
		}
	}
}

func TestRecordsOrdered(t *testing.T) {
	root := t.TempDir()
	files := makeTree(t, root)
	var want []int64
	for _, f := range files {
		want = append(want, f.ids...)
	}
	for _, p := range []int{1, 3, 16} {
		var got []int64
		for rec, err := range Records(context.Background(), &Dir{Root: root}, WithConcurrency(p)) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, rec.Bytes)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Parallel(%d): %d records, want %d in key and file order", p, len(got), len(want))
		}
	}
	// Breaking early stops the readers.
	n := 0
	for _, err := range Records(context.Background(), &Dir{Root: root}, WithConcurrency(4)) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 300 {
			break
		}
	}
}

// TestPruneLosesNothing checks the pruning rule end to end: for many
// windows, pruned reading plus the per-record filter yields exactly the
// records that filtering everything yields.
func TestPruneLosesNothing(t *testing.T) {
	root := t.TempDir()
	files := makeTree(t, root)
	t0 := time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 12; i++ {
		since := t0.Add(time.Duration(rng.IntN(4*3600)) * time.Second)
		until := since.Add(time.Duration(1+rng.IntN(3600)) * time.Second)
		f := flowlogs.Filter{Since: since, Until: until}
		var want []int64
		for _, gf := range files {
			for j, id := range gf.ids {
				if gf.end[j] >= since.Unix() && gf.beg[j] < until.Unix() {
					want = append(want, id)
				}
			}
		}
		var got []int64
		src := &Dir{Root: root, Prune: Prune{Since: since, Until: until}}
		for _, ids := range idsByObject(t, src, WithReaderOptions(flowlogs.WithFilter(f))) {
			got = append(got, ids...)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("window [%v, %v): pruned read gave %d records, want %d", since, until, len(got), len(want))
		}
	}
}

func TestReadErrorNamesObject(t *testing.T) {
	root := t.TempDir()
	files := makeTree(t, root)
	bad := files[len(files)/2]
	path := filepath.Join(root, filepath.FromSlash(bad.key))
	writeFile(t, path, []byte("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"+
		"2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 3 notanumber 1 2 ACCEPT OK\n"))
	ctx := context.Background()
	check := func(err error) {
		t.Helper()
		var oe *ObjectError
		var pe *flowlogs.ParseError
		if !errors.As(err, &oe) || oe.Name != path || !errors.As(err, &pe) || pe.Line != 2 || pe.Field != "bytes" {
			t.Fatalf("want an ObjectError for %s with a ParseError at line 2, got %v", path, err)
		}
	}
	res, err := Map(ctx, &Dir{Root: root}, func(o Object, r *flowlogs.Reader) (int, error) {
		n := 0
		for r.Scan() {
			n++
		}
		return n, nil
	}, WithConcurrency(3))
	if res != nil {
		t.Fatal("partial results returned with an error")
	}
	check(err)

	var seen int
	var last error
	for _, err := range Records(ctx, &Dir{Root: root}, WithConcurrency(3)) {
		if err != nil {
			last = err
			break
		}
		seen++
	}
	check(last)
	want := 0
	for _, f := range files[:len(files)/2] {
		want += len(f.ids)
	}
	if seen != want {
		t.Fatalf("Records yielded %d records before the bad object, want %d", seen, want)
	}

	// Lenient reading skips the line and goes on.
	got, err := Map(ctx, &Dir{Root: root}, func(o Object, r *flowlogs.Reader) (int64, error) {
		for r.Scan() {
		}
		return r.Stats().Malformed, nil
	}, WithReaderOptions(flowlogs.WithLenient(1)))
	if err != nil || got[len(files)/2] != 1 {
		t.Fatalf("lenient: %v, %v", got, err)
	}
}

func TestFilesAndParquetWithoutDecoder(t *testing.T) {
	root := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 6))
	var id int64
	a := makeFile("a", time.Unix(1_800_000_000, 0), 3, &id, rng, true)
	b := makeFile("b", time.Unix(1_800_000_300, 0), 2, &id, rng, false)
	pa, pb := filepath.Join(root, "z.log"), filepath.Join(root, "a.log.gz")
	writeFile(t, pa, a.raw)
	writeFile(t, pb, b.raw)
	got := idsByObject(t, Files{pa, pb}) // the order given, not sorted
	if !reflect.DeepEqual(got, [][]int64{a.ids, b.ids}) {
		t.Fatalf("Files: %v", got)
	}
	ctx := context.Background()
	if _, err := (Files{filepath.Join(root, "nope")}).List(ctx); err == nil {
		t.Fatal("missing file: no error")
	}
	pq := filepath.Join(root, "x.parquet")
	writeFile(t, pq, []byte("PAR1"))
	err := Each(ctx, Files{pq}, func(Object, *flowlogs.Reader) error { return nil })
	var oe *ObjectError
	if !errors.Is(err, ErrNoDecoder) || !errors.As(err, &oe) || oe.Name != pq {
		t.Fatalf("want ErrNoDecoder for %s, got %v", pq, err)
	}
}

func TestCanceled(t *testing.T) {
	root := t.TempDir()
	makeTree(t, root)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range Records(ctx, &Dir{Root: root}, WithConcurrency(2)) {
		if err != nil {
			last = err
			break
		}
		if n++; n == 50 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Fatalf("Records after cancel: %v", last)
	}
	_, err := Map(ctx, &Dir{Root: root}, func(Object, *flowlogs.Reader) (int, error) { return 0, nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Map with a canceled context: %v", err)
	}
	for _, err := range Records(ctx, Files{filepath.Join(root, "nope")}) {
		if err == nil {
			t.Fatal("no error")
		}
	}
}

func TestDirSymlinkRoot(t *testing.T) {
	root := t.TempDir()
	files := makeTree(t, filepath.Join(root, "real"))
	link := filepath.Join(root, "link")
	if err := os.Symlink(filepath.Join(root, "real"), link); err != nil {
		t.Skip("no symlinks:", err)
	}
	objs, err := (&Dir{Root: link}).List(context.Background())
	if err != nil || len(objs) != len(files) {
		t.Fatalf("%d objects, want %d: %v", len(objs), len(files), err)
	}
	// A file that is a link to a file is that file (a tree assembled
	// from links); a link to a directory is no object.
	linked := filepath.Join(root, "linked")
	for _, f := range files[:2] {
		p := filepath.Join(linked, filepath.FromSlash(f.key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(root, "real", filepath.FromSlash(f.key)), p); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(root, filepath.Join(linked, "loop")); err != nil {
		t.Fatal(err)
	}
	if got, err := (&Dir{Root: linked}).List(context.Background()); err != nil || len(got) != 2 || got[0].Size <= 0 {
		t.Fatalf("a tree of linked files: %+v, %v", got, err)
	}
	// Named under the Root given, not the link's target: the names are
	// what errors and reports show.
	for _, o := range objs {
		if !strings.HasPrefix(o.Name, link+string(filepath.Separator)) {
			t.Errorf("object %s not named under %s", o.Name, link)
		}
		if _, err := (&Dir{Root: link}).Open(context.Background(), o); err != nil {
			t.Error(err)
		}
	}
}

func TestObjectErrorNamesOnce(t *testing.T) {
	for _, e := range []*ObjectError{
		{Name: "a/b.log", Err: &flowlogs.ParseError{Name: "a/b.log", Line: 3, Field: "bytes", Value: "x", Err: flowlogs.ErrSyntax}},
		{Name: "a/b.log", Err: fmt.Errorf("flowlogs: a/b.log: input truncated after 2 records (3 lines): %w", io.ErrUnexpectedEOF)},
		{Name: "a/b.log", Err: os.ErrNotExist},
	} {
		if msg := e.Error(); strings.Count(msg, "a/b.log") != 1 {
			t.Errorf("%q names the object %d times", msg, strings.Count(msg, "a/b.log"))
		}
	}
}

// TestOnObject: every object read is reported once, with its own counts,
// the format it was read in and, in lenient mode, its own skipped lines.
func TestOnObject(t *testing.T) {
	root := t.TempDir()
	good := "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK\n"
	const custom = "interface-id start end bytes"
	files := map[string]string{
		"a.log": good + good,
		"b.log": good + "2 bad line\n" + good + "junk\n",
		"c.log": custom + "\neni-1 1700000000 1700000060 40\n",
	}
	var paths Files
	for n, body := range files {
		p := filepath.Join(root, n)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	type seen struct {
		records, malformed int64
		kept               int
		format             string
	}
	got := map[string]seen{}
	var mu = make(chan struct{}, 1)
	n := 0
	for _, err := range Records(context.Background(), paths, WithReaderOptions(flowlogs.WithLenient(1)),
		WithObjectDone(func(d ObjectDone) {
			mu <- struct{}{}
			defer func() { <-mu }()
			if d.Err != nil {
				t.Errorf("%s: %v", d.Object.Name, d.Err)
			}
			got[filepath.Base(d.Object.Name)] = seen{d.Stats.Records, d.Stats.Malformed, len(d.Malformed), d.Format.Header()}
		})) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	def := flowlogs.DefaultFormat.Header()
	want := map[string]seen{"a.log": {2, 0, 0, def}, "b.log": {2, 2, 1, def}, "c.log": {1, 0, 0, custom}}
	if n != 5 || !reflect.DeepEqual(got, want) {
		t.Errorf("%d records, per object %v, want 5 and %v", n, got, want)
	}

	// An object that cannot be opened is reported with its error, and
	// neither counts nor a format.
	var done []ObjectDone
	for _, err := range Records(context.Background(), unopenable{}, WithObjectDone(func(d ObjectDone) { done = append(done, d) })) {
		if err == nil {
			t.Fatal("a record from an object that cannot be opened")
		}
	}
	if len(done) != 1 || done[0].Object.Name != "denied.log" || !errors.Is(done[0].Err, fs.ErrPermission) || done[0].Format != nil || done[0].Stats != (flowlogs.Stats{}) {
		t.Errorf("object that cannot be opened reported as %+v, want its error alone", done)
	}
}

// unopenable lists one object, which it cannot open.
type unopenable struct{}

func (unopenable) List(context.Context) ([]Object, error) {
	return []Object{{Name: "denied.log", Size: -1}}, nil
}

func (unopenable) Open(context.Context, Object) (io.ReadCloser, error) {
	return nil, fs.ErrPermission
}

package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// sampleObjectFiles are the sample's flow-log objects, in name (= time) order.
func sampleObjectFiles(t *testing.T) []string {
	t.Helper()
	objs, err := filepath.Glob("sample/flowlogs/AWSLogs/*/vpcflowlogs/*/*/*/*/*.log.gz")
	if err != nil || len(objs) < 12 {
		t.Fatalf("sample objects %v, %v", objs, err)
	}
	return objs
}

// gunzipFile returns the decompressed bytes of a sample object.
func gunzipFile(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// TestOverlapSamePathOtherBytes: a local file that is not delivery-named
// is named by its bytes, not its path, so the partials of two slices read
// from one path (a worker that downloads each slice to the same scratch
// file, machines of a fan-out with the same layout) add up. Named by path,
// they were refused together.
func TestOverlapSamePathOtherBytes(t *testing.T) {
	objs := sampleObjectFiles(t)
	scratch := t.TempDir()
	out := t.TempDir()
	var parts []string
	for i, o := range objs[:2] {
		// The slice, downloaded to the worker's one scratch path.
		slice := writeFile(t, scratch, "slice.log", string(gunzipFile(t, o)))
		p := filepath.Join(out, "part-"+string(rune('a'+i))+".parquet")
		runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", slice, "-partial", p)...)
		parts = append(parts, p)
	}
	want, _ := runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", objs[0]+","+objs[1], "-format", "json", "-by", "service")...)
	code, got, stderr := runCode(t, append([]string{"-merge", "-format", "json", "-by", "service"}, parts...)...)
	if code != 0 || got != want {
		t.Errorf("two slices read from one scratch path: exit %d, stderr %q; want exit 0 and the run over both slices", code, stderr)
	}
}

// TestOverlapPartialsNamedAfterTheirObject: the copy check by delivery
// name is for flow-log files, not for partials named after their object:
// two back-to-back windows of one object add up. It once refused them as
// "copies of one flow-log delivery".
func TestOverlapPartialsNamedAfterTheirObject(t *testing.T) {
	objs := sampleObjectFiles(t)
	obj := objs[1] // 20261125T1005Z: records start 10:04:03 to 10:09:05
	delivery := strings.TrimSuffix(filepath.Base(obj), ".log.gz")
	dir := t.TempDir()
	early := filepath.Join(dir, delivery+".early.parquet")
	late := filepath.Join(dir, delivery+".late.parquet")
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", obj, "-partial", early, "-until", "2026-11-25T10:06:00Z")...)
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", obj, "-partial", late, "-since", "2026-11-25T10:06:00Z")...)
	want, _ := runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", obj, "-format", "json", "-by", "service")...)
	code, got, stderr := runCode(t, "-merge", early, late, "-format", "json", "-by", "service")
	if code != 0 || got != want {
		t.Errorf("two windows of one object, partials named after it: exit %d, stderr %q; want exit 0 and the whole object's report", code, stderr)
	}
}

// TestOverlapOneFileByTwoNames: the partials of one file that is not
// delivery-named, read as a copy elsewhere or through a linked directory
// (a mount point), are refused together, as a normal run given both names
// refuses them. Named by path, they added up: every record twice, exit 0.
func TestOverlapOneFileByTwoNames(t *testing.T) {
	objs := sampleObjectFiles(t)
	body := gunzipFile(t, objs[0])
	root := t.TempDir()
	orig := writeFile(t, filepath.Join(root, "real"), "slice.log", string(body))
	copied := writeFile(t, filepath.Join(root, "backup"), "slice.log", string(body))
	if err := os.Symlink(filepath.Join(root, "real"), filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(root, "link", "slice.log")
	partial := func(name, flowlogs string) string {
		p := filepath.Join(root, name+".parquet")
		runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", flowlogs, "-partial", p)...)
		return p
	}
	a := partial("orig", orig)
	for _, c := range []struct{ name, other string }{
		{"a copy in another directory", partial("copy", copied)},
		{"the file through a linked directory", partial("link", linked)},
	} {
		code, out, stderr := runCode(t, "-merge", a, c.other, "-format", "json")
		if code != 1 {
			t.Errorf("%s: exit %d, stderr %q, %d bytes out; want a refusal: the records are counted twice", c.name, code, stderr, len(out))
		}
	}
}

// TestOverlapWindowsOfAFileWithoutStart: the window places a record
// without a start at its end, as attribution does, so two back-to-back
// windows of a file in a format with an end and no start hold each record
// once, and add up to the file. The filter kept such a record in every
// window it did not end before, and the two windows' partials added up to
// 315 records where the file holds 173.
func TestOverlapWindowsOfAFileWithoutStart(t *testing.T) {
	objs := sampleObjectFiles(t)
	obj := objs[1] // records start 10:04:03 to 10:09:05
	lines := strings.Split(strings.TrimSpace(string(gunzipFile(t, obj))), "\n")
	var b strings.Builder
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 12 {
			t.Fatalf("line %q", l)
		}
		b.WriteString(strings.Join(append(f[:10:10], f[11:]...), " ") + "\n") // drop the 11th field, start
	}
	if !strings.HasPrefix(b.String(), "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes end action") {
		t.Fatalf("header %q", b.String()[:120])
	}
	dir := t.TempDir()
	noStart := writeFile(t, dir, "nostart.log", b.String())
	addsUpBackToBack(t, dir, noStart)
}

// TestOverlapObjectWithNoRecordInTheWindow: an object read of which no
// record was kept (listed because pruning keeps one file of slack before
// -since) is not named, so its own partial (the README's `-flowlogs OBJECT
// -partial`, or the Lambda's) and a partial of the next stretch of the
// bucket add up. Named, they were refused though they share no record.
func TestOverlapObjectWithNoRecordInTheWindow(t *testing.T) {
	objs := sampleObjectFiles(t)
	obj := objs[9] // 20261125T1045Z: records start 10:44:02 to 10:49:05
	if !strings.Contains(obj, "T1045Z") {
		t.Fatalf("object %s", obj)
	}
	dir := t.TempDir()
	one, next := filepath.Join(dir, "one.parquet"), filepath.Join(dir, "next.parquet")
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", obj, "-partial", one)...)
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", "sample/flowlogs", "-since", "2026-11-25T10:50:00Z", "-partial", next)...)
	// The second partial kept none of the object's records.
	code, _, stderr := runCode(t, append(append([]string{}, sampleInputs...), "-flowlogs", obj, "-since", "2026-11-25T10:50:00Z")...)
	if code != 1 || !strings.Contains(stderr, "lies in -since/-until") {
		t.Fatalf("the object after 10:50: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCode(t, "-merge", one, next, "-format", "json")
	if code != 0 {
		t.Errorf("two partials that share no record: exit %d, stderr %q", code, stderr)
	}
}

// TestOverlapLogGroupMergeBesideItsPart: a log group's partials name
// their streams, so a merge of them beside one of its parts is refused;
// it once added up, counted twice, exit 0.
func TestOverlapLogGroupMergeBesideItsPart(t *testing.T) {
	startFakes(t)
	dir := t.TempDir()
	early, late, all := filepath.Join(dir, "early.parquet"), filepath.Join(dir, "late.parquet"), filepath.Join(t.TempDir(), "all.parquet")
	live := []string{"-cluster", "demo", "-log-group", sampleLogGroup, "-all-streams"}
	runOut(t, append(append([]string{}, live...), "-since", "2026-11-25T10:00:00Z", "-until", "2026-11-25T10:30:00Z", "-partial", early)...)
	runOut(t, append(append([]string{}, live...), "-since", "2026-11-25T10:30:00Z", "-until", "2026-11-25T11:30:00Z", "-partial", late)...)
	runOut(t, "-merge", "-partial", all, early, late)
	code, out, stderr := runCode(t, "-merge", all, early, "-format", "json")
	if code != 1 || out != "" || !strings.Contains(stderr, "-merge "+early+": holds records that "+all+" holds too") {
		t.Errorf("a merge of log-group partials beside one of its parts: exit %d, %d bytes out, stderr %q", code, len(out), stderr)
	}
}

// TestOverlapPartialWithoutInputs: a partial that names no inputs (made by
// code that does not name them) cannot be checked: -merge adds it up, and
// says so.
func TestOverlapPartialWithoutInputs(t *testing.T) {
	parts := samplePartials(t, t.TempDir())
	p, err := partials.ReadFile(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	p.Inputs = nil
	bare := filepath.Join(t.TempDir(), "bare.parquet")
	if err := cli.WriteFile(bare, func(w io.Writer) error { return partials.Write(w, p) }); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCode(t, "-merge", bare, parts[0], "-format", "csv")
	if code != 0 || out == "" || !strings.Contains(stderr, "attribute: note: 1 of the partials name no inputs ("+bare+"): -merge cannot tell whether another partial holds their records too") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// mergedRecords runs -merge -format json over parts and returns its exit
// status, total records and stderr.
func mergedRecords(t *testing.T, parts ...string) (int, uint64, string) {
	t.Helper()
	code, out, stderr := runCode(t, append([]string{"-merge", "-format", "json"}, parts...)...)
	if code != 0 {
		return code, 0, stderr
	}
	var got struct{ Total struct{ Records uint64 } }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	return code, got.Total.Records, stderr
}

// TestOverlapWindowsOfARecordWithoutStart: a format with start does not
// make every record carry one: a line whose start is "-" is placed by its
// end (flowlogs.Filter.ByStart, as attribution places it), so it is in
// one of two back-to-back windows only. It was kept by every window it did
// not end before, and the two windows' partials added it up twice.
func TestOverlapWindowsOfARecordWithoutStart(t *testing.T) {
	objs := sampleObjectFiles(t)
	obj := objs[1] // records start 10:04:03 to 10:09:05
	lines := strings.Split(strings.TrimSpace(string(gunzipFile(t, obj))), "\n")
	last := strings.Fields(lines[len(lines)-1])
	if end, _ := strconv.ParseInt(last[11], 10, 64); time.Unix(end, 0).UTC().Before(time.Date(2026, 11, 25, 10, 6, 0, 0, time.UTC)) {
		t.Fatalf("last line ends %s", time.Unix(end, 0).UTC())
	}
	last[10] = "-" // the start (10:09:01); the end, 10:09:59, stays
	lines[len(lines)-1] = strings.Join(last, " ")
	dir := t.TempDir()
	// A decompressed copy of the delivery, named as such (any name does).
	file := writeFile(t, dir, strings.TrimSuffix(filepath.Base(obj), ".gz"), strings.Join(lines, "\n")+"\n")
	addsUpBackToBack(t, dir, file)
}

// TestOverlapWindowsOfAFileWithTwoFormats: a header line may change a
// file's format mid-file, and a first section without start is placed by
// its end: two back-to-back windows of the file hold each record once.
// Such records were kept by every window, while the file was named by its
// last section's format, with the window: 55 records counted twice.
func TestOverlapWindowsOfAFileWithTwoFormats(t *testing.T) {
	objs := sampleObjectFiles(t)
	obj := objs[1] // records start 10:04:03 to 10:09:05
	lines := strings.Split(strings.TrimSpace(string(gunzipFile(t, obj))), "\n")
	var b strings.Builder
	// The first half without the start field, under its own header.
	half := len(lines) / 2
	for i, l := range lines[:half] {
		f := strings.Fields(l)
		b.WriteString(strings.Join(append(f[:10:10], f[11:]...), " ") + "\n")
		if i == 0 && !strings.HasPrefix(l, "version ") {
			t.Fatalf("no header: %q", l)
		}
	}
	// The second half as delivered, under the delivery's header.
	b.WriteString(lines[0] + "\n")
	for _, l := range lines[half:] {
		b.WriteString(l + "\n")
	}
	dir := t.TempDir()
	file := writeFile(t, dir, "twoformats.log", b.String())
	addsUpBackToBack(t, dir, file)
}

// TestOverlapUnnamedPartInsideMerges: a merged partial of a partial that
// names no inputs and a named one names none either (attribution.Merger),
// so a merge of two such merges, each holding the unnamed partial's
// records, is noted as unchecked. The merges named the named parts' inputs
// only, and added up with neither a refusal nor the note.
func TestOverlapUnnamedPartInsideMerges(t *testing.T) {
	parts := samplePartials(t, t.TempDir())
	p, err := partials.ReadFile(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	p.Inputs = nil
	dir := t.TempDir()
	bare := filepath.Join(dir, "bare.parquet")
	if err := cli.WriteFile(bare, func(w io.Writer) error { return partials.Write(w, p) }); err != nil {
		t.Fatal(err)
	}
	m1, m2 := filepath.Join(dir, "m1.parquet"), filepath.Join(dir, "m2.parquet")
	runOut(t, "-merge", "-partial", m1, bare, parts[1])
	runOut(t, "-merge", "-partial", m2, bare, parts[2])
	code, got, stderr := mergedRecords(t, m1, m2)
	if code == 0 && !strings.Contains(stderr, "name no inputs") {
		t.Errorf("two merges that both hold %s's %d records: exit 0, %d records, stderr %q; want a refusal or the note",
			bare, p.Total.Records, got, stderr)
	}
}

// TestOverlapOneFileByTwoNamesByInputs is TestOverlapOneFileByTwoNames
// with partials whose bytes differ (the copy's made with a -since before
// every record, which keeps the same records), so that the inputs refuse
// them, not -merge's check of partial files with the same bytes, which
// refuses those of TestOverlapOneFileByTwoNames first.
func TestOverlapOneFileByTwoNamesByInputs(t *testing.T) {
	objs := sampleObjectFiles(t)
	body := gunzipFile(t, objs[0])
	root := t.TempDir()
	orig := writeFile(t, filepath.Join(root, "real"), "slice.log", string(body))
	copied := writeFile(t, filepath.Join(root, "backup"), "slice.log", string(body))
	a, b := filepath.Join(root, "orig.parquet"), filepath.Join(root, "copy.parquet")
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", orig, "-partial", a)...)
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", copied, "-partial", b, "-since", "2026-11-25T00:00:00Z")...)
	code, _, stderr := runCode(t, "-merge", a, b, "-format", "json")
	if code != 1 || !strings.Contains(stderr, "-merge "+b+": holds records that "+a+" holds too") {
		t.Errorf("a copy of a file in another directory: exit %d, stderr %q; want the inputs' refusal", code, stderr)
	}
}

// addsUpBackToBack writes the partials of file's records before and from
// 10:06 into dir and checks that -merge adds them up to the whole file's
// records, each once.
func addsUpBackToBack(t *testing.T, dir, file string) {
	t.Helper()
	early, late := filepath.Join(dir, "early.parquet"), filepath.Join(dir, "late.parquet")
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", file, "-partial", early, "-until", "2026-11-25T10:06:00Z")...)
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", file, "-partial", late, "-since", "2026-11-25T10:06:00Z")...)
	whole := jsonTotal(t, append(append([]string{}, sampleInputs...), "-flowlogs", file)...)
	if code, got, stderr := mergedRecords(t, early, late); code != 0 || got != whole.Total.Records {
		pe, _ := partials.ReadFile(early)
		pl, _ := partials.ReadFile(late)
		t.Errorf("two back-to-back windows of %s: exit %d, %d records, the file holds %d (inputs %v and %v; stderr %q)",
			file, code, got, whole.Total.Records, pe.Inputs, pl.Inputs, stderr)
	}
}

// TestOverlapExportBesideItsObjects: the flowlogs.parquet of -export
// holds the records of the objects the run read, and says so in its
// footer. Its partial names them, so -merge refuses it beside one of
// theirs, and a run given it with one of them refuses the pair. Both
// counted the gathered records twice with exit 0: the file was an input
// of its own. With an object it does not gather, it adds up.
func TestOverlapExportBesideItsObjects(t *testing.T) {
	objs := sampleObjectFiles(t)
	dir := t.TempDir()
	exp := filepath.Join(dir, "export")
	runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", objs[0]+","+objs[1], "-export", exp, "-format", "json")...)
	gathered := filepath.Join(exp, "flowlogs.parquet")
	partial := func(name, flowlogs string) string {
		p := filepath.Join(dir, name+".parquet")
		runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", flowlogs, "-partial", p)...)
		return p
	}
	pe, p0, p2 := partial("export", gathered), partial("obj0", objs[0]), partial("obj2", objs[2])
	delivery := strings.TrimSuffix(filepath.Base(objs[0]), ".log.gz")
	code, out, stderr := runCode(t, "-merge", pe, p0, "-format", "json")
	if code != 1 || !strings.Contains(stderr, delivery) {
		t.Errorf("-merge of the export's partial and an object's it gathers: exit %d, stderr %q, %d bytes out; want a refusal naming %s", code, stderr, len(out), delivery)
	}
	code, out, stderr = runCode(t, append(append([]string{}, sampleInputs...), "-flowlogs", gathered+","+objs[0], "-format", "json")...)
	if code != 1 || !strings.Contains(stderr, "both hold records of "+delivery) {
		t.Errorf("a run over the export and an object it gathers: exit %d, stderr %q, %d bytes out; want a refusal naming %s", code, stderr, len(out), delivery)
	}
	records := func(js string) int64 {
		var doc struct {
			Total struct{ Records int64 } `json:"total"`
		}
		if err := json.Unmarshal([]byte(js), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Total.Records
	}
	want, _ := runOut(t, append(append([]string{}, sampleInputs...), "-flowlogs", objs[0]+","+objs[1]+","+objs[2], "-format", "json")...)
	got, _ := runOut(t, "-merge", pe, p2, "-format", "json")
	if records(got) != records(want) || records(want) == 0 {
		t.Errorf("the export's partial and an object's it does not gather: %d records, want %d", records(got), records(want))
	}
}

// TestOverlapWindowEndsAtRecordsOnItsStart: a run without -until whose
// records of an input all start at -since itself (a log stream read
// again by a cron job's next run) names the window [since, since+1s), not
// one without end that the next run's partial of the stream would
// overlap.
func TestOverlapWindowEndsAtRecordsOnItsStart(t *testing.T) {
	since := time.Date(2026, 11, 25, 10, 6, 0, 0, time.UTC)
	var rd reading
	rd.noteInput(attribution.Input{Name: "stream", Since: since}, false)
	got := rd.partialInputs(since)
	want := []attribution.Input{{Name: "stream", Since: since, Until: since.Add(time.Second)}}
	if !slices.Equal(got, want) {
		t.Errorf("inputs %v, want %v", got, want)
	}
}

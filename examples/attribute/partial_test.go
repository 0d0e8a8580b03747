package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sampleInputs are the flags that read the embedded sample from disk, as
// a user's files would be.
var sampleInputs = []string{"-tasks", "sample/tasks",
	"-network", "sample/network/describe-subnets.json,sample/network/describe-vpcs.json"}

// samplePartials writes one partial per flow-log object of the sample
// into dir and returns their paths.
func samplePartials(t *testing.T, dir string, extra ...string) []string {
	t.Helper()
	var objs []string
	err := filepath.WalkDir("sample/flowlogs", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			objs = append(objs, p)
		}
		return err
	})
	if err != nil || len(objs) < 2 {
		t.Fatalf("sample objects: %v, %v", objs, err)
	}
	slices.Sort(objs)
	var out []string
	for i, o := range objs {
		p := filepath.Join(dir, "part-"+strconv.Itoa(i)+".parquet")
		args := append(append(append([]string{}, sampleInputs...), "-flowlogs", o, "-partial", p), extra...)
		stdout, stderr := runOut(t, args...)
		if stdout != "" || !strings.Contains(stderr, "wrote "+p) {
			t.Fatalf("-partial: stdout %q, stderr %q", stdout, stderr)
		}
		out = append(out, p)
	}
	return out
}

// TestMergeEqualsSample: the sample split into one partial per flow-log
// object, merged, renders byte for byte what one run over the sample
// does, in every format and grouping, from files, a directory, flags after
// the files, a merge of merges, and S3.
func TestMergeEqualsSample(t *testing.T) {
	dir := t.TempDir()
	parts := samplePartials(t, dir)
	for _, by := range []string{"task", "service", "family", "instance", "cluster"} {
		for _, format := range []string{"json", "csv", "table"} {
			want, _ := runOut(t, "-by", by, "-format", format)
			got, _ := runOut(t, append([]string{"-merge", "-by", by, "-format", format}, parts...)...)
			if got != want {
				t.Fatalf("-merge -by %s -format %s:\n%s\nwant:\n%s", by, format, got, want)
			}
		}
	}
	want, _ := runOut(t, "-format", "json", "-by", "service")

	// A directory, and flags after the files.
	if got, _ := runOut(t, "-merge", dir, "-format", "json", "-by", "service"); got != want {
		t.Errorf("-merge DIR -format json -by service differs")
	}
	// A merge of merges (a reduce in two levels), in another order.
	half := len(parts) / 2
	a, b := filepath.Join(t.TempDir(), "a.parquet"), filepath.Join(t.TempDir(), "b.parquet")
	runOut(t, append([]string{"-merge", "-partial", a}, parts[half:]...)...)
	runOut(t, append([]string{"-merge", "-partial", b}, parts[:half]...)...)
	if got, _ := runOut(t, "-merge", a, b, "-format", "json", "-by", "service"); got != want {
		t.Errorf("merge of merges differs:\n%s\nwant\n%s", got, want)
	}
	// -html renders the merged result too.
	page := filepath.Join(t.TempDir(), "r.html")
	if _, stderr := runOut(t, "-merge", dir, "-html", page); !strings.Contains(stderr, "wrote "+page) {
		t.Errorf("-html: %s", stderr)
	}
	// From S3, where the workers write them.
	objects := map[string][]byte{}
	for i, p := range parts {
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		objects["partials/cluster=demo/date=2026-11-25/hour="+strconv.Itoa(10+i%2)+"/"+filepath.Base(p)] = body
	}
	objects["partials/_SUCCESS"] = []byte("not a partial")
	fakeS3(t, objects)
	if got, _ := runOut(t, "-merge", "s3://flow-logs/partials/", "-format", "json", "-by", "service"); got != want {
		t.Errorf("-merge s3:// differs:\n%s", got)
	}
}

// TestMergeMistakes: every misuse says what is wrong and exits 1.
func TestMergeMistakes(t *testing.T) {
	dir := t.TempDir()
	parts := samplePartials(t, dir)
	other := samplePartials(t, t.TempDir(), "-step", "1m")
	empty := t.TempDir()
	junk := writeFile(t, t.TempDir(), "junk.parquet", "PAR1 not really")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-merge"}, "-merge needs the partial files"},
		{[]string{"-merge", "-tasks", "sample/tasks", parts[0]}, "-tasks does not apply to -merge"},
		{[]string{"-merge", "-step", "1m", parts[0]}, "-step does not apply to -merge"},
		{[]string{"-merge", empty}, "no .parquet files in it"},
		{[]string{"-merge", filepath.Join(empty, "nope.parquet")}, "no such file"},
		{[]string{"-merge", junk}, "junk.parquet"},
		{[]string{"-merge", parts[0], other[0]}, "made with other options than the partials before it"},
		{[]string{"-partial", "x.parquet", "-format", "json"}, "-format applies to a report"},
		{[]string{parts[0]}, "unexpected argument"},
	} {
		code, stdout, stderr := runCode(t, c.args...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, c.want) || strings.Count(stderr, "attribute: ") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 1 and %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

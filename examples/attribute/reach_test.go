package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// sampleLines returns each sample flow-log file (by path under
// sample/flowlogs) as its text lines, header included.
func sampleLines(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := fs.WalkDir(sample, "sample/flowlogs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sample.ReadFile(p)
		if err != nil {
			return err
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return err
		}
		text, err := io.ReadAll(zr)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, "sample/flowlogs/")] = strings.Split(strings.TrimSpace(string(text)), "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// toParquet converts a sample file's lines to a Parquet file in AWS's
// layout, with the library's own writer (sqlattr.FlowLogWriter).
func toParquet(t *testing.T, lines []string) []byte {
	t.Helper()
	var b bytes.Buffer
	fw := sqlattr.NewFlowLogWriter(&b)
	r := flowlogs.NewReader(strings.NewReader(strings.Join(lines, "\n") + "\n"))
	n := 0
	for rec, err := range r.All() {
		if err == nil {
			err = fw.Write(rec)
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if n != len(lines)-1 {
		t.Fatalf("%d records from %d lines after the header", n, len(lines)-1)
	}
	return b.Bytes()
}

// parquetName is a delivery name's Parquet form.
func parquetName(key string) string { return strings.TrimSuffix(key, ".log.gz") + ".log.parquet" }

// fakeS3 serves objects through the real SDK client for s3:// paths,
// allowing only the policy's S3 actions: -iam-policy covers s3:// too.
func fakeS3(t *testing.T, objects map[string][]byte) {
	t.Helper()
	var allowed []string
	for _, m := range regexp.MustCompile(`"(s3:[A-Za-z]+)"`).FindAllStringSubmatch(iamPolicy, -1) {
		allowed = append(allowed, m[1])
	}
	fakeS3Allowing(t, objects, allowed...)
}

// TestEverySourceMatchesSample reads the sample's flow logs as a local
// Parquet tree, as text objects in S3, and as Parquet objects in S3: each
// answer equals the embedded run's, also over a window that prunes.
func TestEverySourceMatchesSample(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	network := filepath.Join(dir, "sample", "network")
	netFlag := network + "/describe-subnets.json," + network + "/describe-vpcs.json," + network + "/describe-network-interfaces.json"
	lines := sampleLines(t)
	pq := filepath.Join(t.TempDir(), "parquet")
	objects := map[string][]byte{}
	for key, l := range lines {
		p := toParquet(t, l)
		objects["prod/"+parquetName(key)] = p
		gz, err := sample.ReadFile("sample/flowlogs/" + key)
		if err != nil {
			t.Fatal(err)
		}
		objects["text/"+key] = gz
		writeFile(t, pq, filepath.FromSlash(parquetName(key)), string(p))
	}
	fakeS3(t, objects)
	for _, win := range [][]string{nil, {"-since", "2026-11-25T10:20:00Z", "-until", "2026-11-25T10:40:00Z"}} {
		args := append([]string{"-format", "csv", "-by", "service"}, win...)
		want, _ := runOut(t, args...)
		for _, flowlogs := range []string{pq, "s3://flow-logs/text/", "s3://flow-logs/prod/AWSLogs/"} {
			got, stderr := runOut(t, append(args, "-tasks", tasks, "-network", netFlag, "-flowlogs", flowlogs)...)
			if got != want {
				t.Errorf("-flowlogs %s %v:\n%s\nwant\n%s\nstderr %s", flowlogs, win, got, want, stderr)
			}
		}
	}
	code, _, stderr := runCode(t, "-tasks", tasks, "-flowlogs", "s3://flow-logs/nothing/")
	if code != 1 || !strings.Contains(stderr, "no flow-log files in s3://flow-logs/nothing/") {
		t.Errorf("empty prefix: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCode(t, "-tasks", tasks, "-flowlogs", "s3:///x"); code != 1 || !strings.Contains(stderr, "want s3://bucket/prefix") {
		t.Errorf("no bucket: exit %d, %s", code, stderr)
	}
	// Prefixes that overlap would count the objects under both twice.
	code, _, stderr = runCode(t, "-tasks", tasks, "-flowlogs", "s3://flow-logs/text/,s3://flow-logs/text/AWSLogs/123456789012/")
	if first := "s3://flow-logs/text/" + slices.Sorted(maps.Keys(lines))[0]; code != 1 || !strings.Contains(stderr, first+" (in s3://flow-logs/text/) and "+first+" (in s3://flow-logs/text/AWSLogs/123456789012/) are the same object") {
		t.Errorf("overlapping prefixes: exit %d, %s", code, stderr)
	}
	// So would a prefix and a local copy of its objects: the copy is found
	// by its MD5, the objects' ETag, or under its delivery name.
	local, renamed := t.TempDir(), t.TempDir()
	for i, key := range slices.Sorted(maps.Keys(lines)) {
		writeFile(t, local, filepath.FromSlash(key), string(objects["text/"+key]))
		writeFile(t, renamed, fmt.Sprint(i, ".log.gz"), string(objects["text/"+key]))
	}
	code, _, stderr = runCode(t, "-tasks", tasks, "-flowlogs", "s3://flow-logs/text/,"+local)
	if code != 1 || !strings.Contains(stderr, "are copies of one flow-log delivery") {
		t.Errorf("a prefix and a local copy: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCode(t, "-tasks", tasks, "-flowlogs", "s3://flow-logs/text/,"+renamed)
	if code != 1 || !strings.Contains(stderr, "hold the same bytes, a copy") {
		t.Errorf("a prefix and a local copy under other names: exit %d, %s", code, stderr)
	}
}

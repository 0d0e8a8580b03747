package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestTopologyReadWithinBound: readTopology read each -topology
// file whole with io.ReadAll before ec2topology.Read's 1 GiB bound
// applied, so a file past it was held whole (and copied again by Read)
// before being refused: some 3 GiB for a file of 1 GiB and a byte. It is
// refused naming the file and the bound, without being read.
func TestTopologyReadWithinBound(t *testing.T) {
	// The bound lowered to 1 MiB, so that a file over it is small: read
	// past it, it shows as much allocated.
	defer func(m int64) { maxTopologyBytes = m }(maxTopologyBytes)
	const bound = 1 << 20
	maxTopologyBytes = bound
	path := filepath.Join(t.TempDir(), "subnets.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 * bound); err != nil { // sparse: no room taken
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = readTopology(openFile, io.Discard, path)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > bound/2 {
		t.Errorf("%d bytes allocated to refuse a file of %d: it was read past the bound", n, 4*bound)
	}
	if want := fmt.Sprintf("%s: larger than %d bytes", path, bound); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}

// countingReader hands out bytes without end, counting them.
type countingReader struct{ n int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	c.n += int64(len(p))
	return len(p), nil
}

func (c *countingReader) Close() error { return nil }

// TestTopologyStreamWithinBound: a topology that is no regular
// file (a pipe) is read no further than the bound and a little buffer.
func TestTopologyStreamWithinBound(t *testing.T) {
	defer func(v int64) { maxTopologyBytes = v }(maxTopologyBytes)
	maxTopologyBytes = 1 << 20
	r := &countingReader{}
	_, err := readTopology(func(string) (io.ReadCloser, error) { return r, nil }, io.Discard, "pipe")
	if err == nil || !strings.Contains(err.Error(), "pipe: larger than 1048576 bytes") {
		t.Errorf("got %v", err)
	}
	if r.n > 2<<20 {
		t.Errorf("%d bytes read for a bound of 1 MiB", r.n)
	}
}

// TestFlowLogIDsInNotes: the note on records of several flow logs
// named each flow-log ID as the S3 keys listed from the bucket wrote it;
// a key may hold any character, and a control sequence in its flow-log
// ID reached the terminal raw: here C1 CSI (U+009B, "clear screen") and a
// right-to-left override (the fake S3's XML carries no C0 byte).
func TestFlowLogIDsInNotes(t *testing.T) {
	dir := writeSample(t)
	keys, objects := sampleS3Objects(t)
	first := "text/" + keys[0]
	objects[strings.Replace(first, "fl-0123456789abcdef0", "fl-\u009b2J\u202e", 1)] = objects[first]
	delete(objects, first)
	fakeS3(t, objects)
	_, _, stderr := runCode(t, "-format", "csv", "-by", "service", "-tasks", sampleTasks(t, dir), "-flowlogs", "s3://flow-logs/text/")
	if !strings.Contains(stderr, "flow logs") {
		t.Fatalf("no note on several flow logs:\n%s", stderr)
	}
	if strings.ContainsAny(stderr, "\u009b\u202e") {
		t.Errorf("control characters of an S3 key reach the terminal raw:\n%q", stderr)
	}
}

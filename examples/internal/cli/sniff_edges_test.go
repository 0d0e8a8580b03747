package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSniffFIFO: Sniff on a named pipe with no writer (a FIFO, or
// a process substitution's /dev/fd/N read to its end by the program
// before the error path sniffs it) returns at once, of no kind: opening
// one for reading waits for a writer that never comes.
func TestSniffFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	// mkfifo(1), not syscall.Mkfifo: the file builds on every system.
	if err := exec.Command("mkfifo", p).Run(); err != nil {
		t.Skip("no FIFO here:", err)
	}
	done := make(chan Kind, 1)
	go func() { done <- Sniff(p) }()
	select {
	case k := <-done:
		if k.ID != "" {
			t.Errorf("Sniff(FIFO) = %+v, want no kind", k)
		}
	case <-time.After(3 * time.Second):
		// Unblock the open so the goroutine ends.
		if f, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
		t.Fatal("Sniff blocked on a FIFO with no writer")
	}
}

// FuzzSniff: whatever a file holds, Sniff returns (no panic), and a kind
// it names has words for the messages.
func FuzzSniff(f *testing.F) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 5000 6 1 40 1795600800 1795600860 ACCEPT OK\n"))
	zw.Close()
	footer := []byte("ecsnet.partials.v1 srcaddr")
	pq := append([]byte("PAR1"), footer...)
	pq = binary.LittleEndian.AppendUint32(pq, uint32(len(footer)))
	pq = append(pq, "PAR1"...)
	for _, seed := range [][]byte{
		nil,
		[]byte("\xef\xbb\xbf{\"logGroup\":\"g\",\"startMillis\":1}"),
		[]byte(`{"detail-type":"ECS Task State Change","detail":{}}` + "\n"),
		[]byte(`{"format":"ecsnet/eni-snapshot/v1","tasks":[`),
		[]byte(`[{"instance_type":"m6i.large"}]`),
		[]byte("instance_type\tmax_enis\n"),
		[]byte("version account-id interface-id srcaddr dstaddr\n"),
		gz.Bytes(),
		gz.Bytes()[:10],
		pq,
		[]byte("PAR1\xff\xff\xff\x7fPAR1"),
		[]byte("\x00\x01\x02"),
	} {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "in")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		k := Sniff(p)
		if k.ID != "" && k.What == "" {
			t.Errorf("Sniff(%q) = %+v: a kind without words", data, k)
		}
	})
}

// TestMisfiledOfAnotherFile: a program reading several files
// (attribute -tasks A,B; -network A,B) passes Misfiled the error of the
// whole read, which may be of another file, or of several, one a line:
// the note then names the file it is about, not "it", which would read
// as the file of the line before it.
func TestMisfiledOfAnotherFile(t *testing.T) {
	dir := t.TempDir()
	subnets := filepath.Join(dir, "subnets.json")
	if err := os.WriteFile(subnets, []byte(`{"Subnets": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		err  string
		want string
	}{
		// Joined: one line a file, the note after the last.
		{subnets + ": holds no tasks\nA.jsonl:2: input ends inside a JSON value", "(" + subnets + " is describe-subnets output: give it to attribute -network)"},
		// One line, of another file.
		{"A.jsonl:2: input ends inside a JSON value", "(" + subnets + " is describe-subnets output: give it to attribute -network)"},
		// One line, of this file: "it" is the file the line names.
		{subnets + ": holds no tasks", "(it is describe-subnets output: give it to attribute -network)"},
	} {
		got := Misfiled(subnets, errors.New(c.err), "task data", KindHistoryJSONL)
		if got == nil || !strings.HasSuffix(got.Error(), c.want) {
			t.Errorf("Misfiled(%q) = %v, want it to end %q", c.err, got, c.want)
		}
	}
}

// TestSniffObjectOverLines: an ECS event pretty-printed (jq .,
// which history.Builder.Load reads as one JSON value) and describe-
// instances output are told by their keys over several lines: branches
// of sniffObject no other test reached.
func TestSniffObjectOverLines(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ body, want string }{
		{"{\n  \"version\": \"0\",\n  \"detail-type\": \"ECS Task State Change\",\n  \"detail\": {}\n}\n", KindHistoryJSONL},
		{"{\n  \"Reservations\": []\n}\n", KindEC2Instances},
	} {
		p := filepath.Join(dir, "in.json")
		if err := os.WriteFile(p, []byte(c.body), 0o600); err != nil {
			t.Fatal(err)
		}
		if k := Sniff(p); k.ID != c.want {
			t.Errorf("Sniff(%q) = %+v, want %s", c.body, k, c.want)
		}
	}
}

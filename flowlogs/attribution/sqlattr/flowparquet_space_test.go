package sqlattr

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
)

// TestFlowLogWriterWhiteSpace: the text parser splits fields at
// spaces only, so a tab, carriage return or newline inside a field (a
// log event's message may hold any) is part of its value; FlowLogWriter
// wrote it, and parquetsource refuses it when reading the file back
// ("contains white space"): attribute -export wrote a file attribute
// could not read. Each file written reads back, or Write names the
// record and field.
func TestFlowLogWriterWhiteSpace(t *testing.T) {
	f, err := flowlogs.ParseHeader("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-service-name")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"web\tx", "web\rx", "web\nx", "web-x"} {
		rec, err := flowlogs.ParseLine(f, "2 111122223333 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 100 1700000000 1700000060 ACCEPT OK "+v)
		if err != nil {
			t.Fatalf("%q: the parser refused it: %v", v, err)
		}
		var b bytes.Buffer
		fw := NewFlowLogWriter(&b)
		werr := fw.Write(rec)
		if cerr := fw.Close(); cerr != nil {
			t.Fatal(cerr)
		}
		if werr != nil {
			if !strings.Contains(werr.Error(), "record 1: field ecs-service-name") || v == "web-x" {
				t.Errorf("%q: Write = %v, want an error naming record 1 and ecs-service-name", v, werr)
			}
			continue
		}
		rd, err := parquetsource.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		n := 0
		for _, rerr := range rd.All() {
			if rerr != nil {
				t.Errorf("%q: written, and read back: %v", v, rerr)
				break
			}
			n++
		}
		rd.Close()
		if n != 1 && !t.Failed() {
			t.Errorf("%q: %d records read back", v, n)
		}
	}
}

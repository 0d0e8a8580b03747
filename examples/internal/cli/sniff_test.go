package cli

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

// TestSniff: each kind told from its first bytes, gzip looked into, and
// text of no known kind left unknown (its program's own error stands).
func TestSniff(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 5000 6 1 40 1795600800 1795600860 ACCEPT OK\n"))
	zw.Close()
	for _, c := range []struct{ body, want string }{
		{"version account-id interface-id srcaddr dstaddr\n", KindFlowLogText},
		{gz.String(), KindFlowLogText},
		{"\xef\xbb\xbf{\"detail-type\":\"ECS Task State Change\",\"detail\":{}}\n{}\n", KindHistoryJSONL},
		{`{"failures": [], "tasks": []}`, KindDescribeTasks},
		{`{"format": "ecsnet/eni-snapshot/v1"}`, KindSnapshot},
		{`{"Subnets": []}`, KindNetwork},
		{`[{"instance_type": "c5.large", "max_enis": 3}]`, KindLimits},
		{"instance_type\tmax_enis\nc5.large\t3\n", KindLimits},
		{`{"logGroup": "g", "startMillis": 1, "endMillis": 2}`, KindCursor},
		{"PAR1\x00\x00\x00\x00PAR1", KindParquet},
		{"\x7fELF\x02\x01\x00\x00", KindBinary},
		{"hello world\n", ""},
		{"a,b\n1,2\n", ""},
		{`{"containerDefinitions": [], "family": "x"}`, KindTaskDefinition},
		{`{"someone": "else"}`, ""},
		{"", ""},
	} {
		f := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(f, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := Sniff(f).ID; got != c.want {
			t.Errorf("Sniff(%q) = %q, want %q", c.body, got, c.want)
		}
	}
	if got := Sniff(t.TempDir()).ID; got != "" {
		t.Errorf("a directory: %q", got)
	}
}

package sqlattr

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
)

// TestFlowLogInputs: the objects a file's records were gathered from go
// into its footer and come back, bounds and all; a file without them has
// none; what CheckInputs refuses is refused on both sides.
func TestFlowLogInputs(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 7, h, 0, 0, 0, time.UTC) }
	ins := []attribution.Input{
		{Name: "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261207T0000Z_a1b2c3d4"},
		{Name: "logs:g/eni-1-all", Since: at(1), Until: at(2)},
		{Name: "sha256:00ff", Until: at(3)},
	}
	write := func(ins []attribution.Input) (*parquetsource.File, error) {
		var b bytes.Buffer
		fw := NewFlowLogWriter(&b)
		rd := flowlogs.NewReader(strings.NewReader("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
			"2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1796605200 1796605260 ACCEPT OK\n"))
		if !rd.Scan() {
			t.Fatal(rd.Err())
		}
		if err := fw.Write(rd.Record()); err != nil {
			t.Fatal(err)
		}
		if ins != nil {
			if err := fw.SetInputs(ins); err != nil {
				return nil, err
			}
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
		return parquetsource.Open(bytes.NewReader(b.Bytes()), int64(b.Len()))
	}
	f, err := write(ins)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := f.Metadata(InputsKey)
	if !ok {
		t.Fatalf("no %s in the footer", InputsKey)
	}
	got, err := ParseInputs(v)
	if err != nil || !reflect.DeepEqual(got, ins) {
		t.Errorf("read back %v (%v), want %v", got, err, ins)
	}
	if f, err := write(nil); err != nil {
		t.Fatal(err)
	} else if v, ok := f.Metadata(InputsKey); ok {
		t.Errorf("a file given no inputs names %q", v)
	}
	if _, err := write([]attribution.Input{ins[1], ins[0]}); err == nil || !strings.Contains(err.Error(), "out of order") {
		t.Errorf("inputs out of order written: %v", err)
	}
	for _, bad := range []string{`{`, `[{"name":"a","since":"yesterday"}]`, `[{"name":"a"},{"name":"a"}]`, `[{"name":""}]`} {
		if _, err := ParseInputs(bad); err == nil || !strings.Contains(err.Error(), InputsKey) {
			t.Errorf("ParseInputs(%s) = %v, want an error naming %s", bad, err, InputsKey)
		}
	}
}

// TestParseInputsErrorsSayWhere: a bad bound is named by its input's
// index and field, in the package's words, not time.Parse's ("cannot
// parse \" 00:00\" as \"T\""); a syntax error by its line and column.
func TestParseInputsErrorsSayWhere(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[{"name":"a"},{"name":"b","until":"2026-12-07 00:00"}]`,
			`sqlattr: metadata ecsnet.inputs: [1] ("b"): until "2026-12-07 00:00" is not an RFC 3339 time (2006-01-02T15:04:05Z)`},
		{"[{\"name\":\"a\"},\n {\"name\": 7}]", "sqlattr: metadata ecsnet.inputs: line 2, column 11: "},
	} {
		if _, err := ParseInputs(c.in); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseInputs(%s) = %v\nwant %s", c.in, err, c.want)
		}
	}
}

// FuzzParseInputs: a footer's inputs, whatever a file holds there, parse
// to inputs attribution.CheckInputs passes, or to an error naming the key;
// never a panic.
func FuzzParseInputs(f *testing.F) {
	for _, s := range []string{`[{"name":"a"}]`, `[{"name":"a","since":"2026-12-07T01:00:00Z","until":"2026-12-07T02:00:00Z"}]`, `[{"name":"a","since":"0001-01-01T00:00:00Z"}]`, `[]`, `{`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ins, err := ParseInputs(v)
		if err != nil {
			if !strings.Contains(err.Error(), InputsKey) {
				t.Errorf("%q: %v does not name %s", v, err, InputsKey)
			}
			return
		}
		if err := attribution.CheckInputs(ins); err != nil {
			t.Errorf("%q parsed to inputs CheckInputs refuses: %v", v, err)
		}
	})
}

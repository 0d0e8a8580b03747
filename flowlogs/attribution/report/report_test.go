package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/netip"
	"os/exec"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
)

var arnA = fixture.ARNA

func result(t testing.TB, by attribution.GroupBy) *attribution.Result { return fixture.Result(t, by) }

func TestJSONShape(t *testing.T) {
	r := result(t, attribution.ByTask)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	// The first shape's keys stay; fields are only ever added.
	keys := func(m map[string]any, want string) string {
		var ks []string
		for k := range m {
			if strings.Contains(","+want+",", ","+k+",") {
				ks = append(ks, k)
			}
		}
		return strings.Join(sorted(ks), ",")
	}
	if got := keys(raw, "groups,total,unattributed"); got != "groups,total,unattributed" {
		t.Fatalf("top-level keys %s", got)
	}
	g0 := raw["groups"].([]any)[0].(map[string]any)
	if got := keys(g0, "accepted_bytes,bytes_in,bytes_out,key,packets_in,packets_out,records,rejected_bytes"); got != "accepted_bytes,bytes_in,bytes_out,key,packets_in,packets_out,records,rejected_bytes" {
		t.Fatalf("group keys %s", got)
	}
	if g0["key"] != arnA {
		t.Fatalf("key %v, want the task ARN", g0["key"])
	}
	u0 := raw["unattributed"].([]any)[0].(map[string]any)
	if got := keys(u0, "bytes,packets,reason,records"); got != "bytes,packets,reason,records" {
		t.Fatalf("unattributed keys %s", got)
	}
	if got := keys(raw["total"].(map[string]any), "bytes,packets,records"); got != "bytes,packets,records" {
		t.Fatalf("total keys %s", got)
	}
	var d Document
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	var sum DocumentTotal
	for _, g := range d.Groups {
		sum.Bytes += g.BytesIn + g.BytesOut
		sum.Packets += g.PacketsIn + g.PacketsOut
		sum.Records += g.Records
	}
	for _, u := range d.Unattributed {
		sum.Bytes += u.Bytes
		sum.Packets += u.Packets
		sum.Records += u.Records
	}
	if sum != d.Total {
		t.Fatalf("groups + unattributed = %+v, total %+v", sum, d.Total)
	}
	reasons := map[string]uint64{}
	for _, u := range d.Unattributed {
		reasons[u.Reason] = u.Records
	}
	if reasons["NODATA"] != 1 || reasons["unknown ENI"] != 40 || reasons["shared instance ENI, no port binding"] != 40 {
		t.Fatalf("reasons %v", reasons)
	}
}

func TestJSONEmpty(t *testing.T) {
	a := attribution.New(nil)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, a.Result(attribution.ByService)); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"groups\": [],\n  \"unattributed\": [],\n  \"total\": {\n    \"bytes\": 0,\n    \"packets\": 0,\n    \"records\": 0\n  },\n" +
		"  \"by\": \"service\",\n  \"step_seconds\": 300,\n  \"incomplete\": false\n}\n"
	if buf.String() != want {
		t.Fatalf("got %q", buf.String())
	}
}

func TestCSV(t *testing.T) {
	r := result(t, attribution.ByService)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(CSVHeader(), ",") {
		t.Fatalf("header %v", rows[0])
	}
	last := rows[len(rows)-1]
	if last[0] != "total" || last[6] != fmt.Sprint(r.Total.Bytes) || last[8] != fmt.Sprint(r.Total.Records) {
		t.Fatalf("total row %v", last)
	}
	if rows[1][0] != "group" || rows[1][1] != "service:web" {
		t.Fatalf("first group %v", rows[1])
	}
}

// TestWriteStream: the CSV report and the JSON document written group by
// group from Attributor.ResultStream are WriteCSV's and WriteJSON's byte
// for byte, priced or not, in every grouping, with hostile names (HTML
// escaped alike) and with no group at all; a Result that has groups of
// its own is refused.
func TestWriteStream(t *testing.T) {
	prices, ok := pricing.BuiltIn("us-east-1")
	if !ok {
		t.Fatal("no built-in us-east-1 prices")
	}
	type (
		whole  func(io.Writer, *attribution.Result, ...Option) error
		stream func(io.Writer, *attribution.Result, iter.Seq[*attribution.Group], ...Option) error
	)
	for _, f := range []struct {
		name   string
		whole  whole
		stream stream
	}{{"csv", WriteCSV, WriteCSVStream}, {"json", WriteJSON, WriteJSONStream}} {
		for name, a := range map[string]*attribution.Attributor{"fixture": fixture.Attributor(t), "hostile": hostileAttributor(t), "empty": attribution.New(nil)} {
			for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster} {
				for _, opts := range [][]Option{nil, {WithPrices(prices)}} {
					var want, got bytes.Buffer
					if err := f.whole(&want, a.Result(by), opts...); err != nil {
						t.Fatal(err)
					}
					head, groups := a.ResultStream(by)
					if err := f.stream(&got, head, groups, opts...); err != nil {
						t.Fatal(err)
					}
					if got.String() != want.String() {
						t.Errorf("%s, %s by %v, %d options: streamed\n%s\nwant\n%s", f.name, name, by, len(opts), got.String(), want.String())
					}
				}
			}
		}
		if err := f.stream(io.Discard, result(t, attribution.ByTask), nil); err == nil {
			t.Errorf("%s: the stream writer took a Result with groups", f.name)
		}
	}
}

func TestTable(t *testing.T) {
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster} {
		r := result(t, by)
		var buf bytes.Buffer
		if err := WriteTable(&buf, r); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, want := range []string{"UNATTRIBUTED", "unknown ENI", "eni-0nat", "NODATA", "total", "inferred from bridge host-port bindings"} {
			if !strings.Contains(out, want) {
				t.Errorf("by %v: table lacks %q:\n%s", by, want, out)
			}
		}
		if by == attribution.ByTask && (!strings.Contains(out, "aaaaaaaa11112222333344445555aaaa") || !strings.Contains(out, "stopped 10:30")) {
			t.Errorf("task table:\n%s", out)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 30: "5.0 GiB", 1 << 62: "4.0 EiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"table", "json", "csv", "html", "JSON"} {
		f, err := ParseFormat(s)
		if err != nil || !strings.EqualFold(f.String(), s) {
			t.Errorf("%s: %v %v", s, f, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
	// HTML is report/html's: Write says where to find it.
	if err := Write(io.Discard, HTML, result(t, attribution.ByTask)); err == nil || !strings.Contains(err.Error(), "html.Write") {
		t.Errorf("Write(HTML): %v", err)
	}
}

func sorted(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// TestNoPlottingLibrary: a program that writes a table, JSON or CSV does
// not link gonum; only report/html does (issue 13).
func TestNoPlottingLibrary(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "gonum.org/") {
		t.Fatalf("package report depends on gonum:\n%s", out)
	}
}

// An overflowed result says so in the table's notes and in the JSON
// document, which otherwise keeps its shape.
func TestOverflowShown(t *testing.T) {
	a := fixture.New(t)
	for range 20 {
		r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, "2 1 eni-x 10.0.0.1 10.0.0.2 1 2 6 1 999999999999999999 1795600800 1795600859 ACCEPT OK")
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	if a.Err() == nil {
		t.Fatal("no overflow")
	}
	r := a.Result(attribution.ByTask)
	var table, js bytes.Buffer
	if err := WriteTable(&table, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "pass 2^64-1") || !strings.Contains(js.String(), `"overflow": true`) {
		t.Fatalf("overflow not shown:\n%s\n%s", table.String(), js.String())
	}
}

// hostile is a result with hostile names (a service that is a formula, a
// task ID and an interface ID with terminal escapes) and bytes of unknown
// direction (no flow-direction, neither address the task's).
func hostile(t *testing.T, by attribution.GroupBy) *attribution.Result {
	t.Helper()
	return hostileAttributor(t).Result(by)
}

// hostileAttributor is hostile's: names with control characters, a
// spreadsheet formula, and HTML.
func hostileAttributor(t *testing.T) *attribution.Attributor {
	t.Helper()
	a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/\x1b[31mevil<b>&",
		Group: "=HYPERLINK(\"http://x\")", Family: "-f", NetworkMode: netmode.ModeAWSVPC, ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")})
	for _, l := range []string{
		"2 1 eni-a 10.0.0.1 10.0.0.9 1 2 6 3 100 1795600800 1795600859 ACCEPT OK",
		"2 1 eni-a 10.0.0.1 10.0.0.2 1 2 6 4 200 1795600800 1795600859 ACCEPT OK",
		"2 1 eni-\x1b[2J 10.0.0.1 10.0.0.2 1 2 6 4 300 1795600800 1795600859 ACCEPT OK",
	} {
		r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, l)
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	return a
}

func TestUnknownDirectionShown(t *testing.T) {
	r := hostile(t, attribution.ByTask)
	if g := r.Groups[0]; g.BytesIn != 100 || g.BytesUnknown != 200 || g.PacketsUnknown != 4 || r.Stats.DirectionUnknown != 1 {
		t.Fatalf("%+v", g.Counters)
	}
	var table, js, cs bytes.Buffer
	if err := WriteTable(&table, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "UNKNOWN DIR") || !strings.Contains(table.String(), "200 B") {
		t.Errorf("table:\n%s", table.String())
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var d Document
	if err := json.Unmarshal(js.Bytes(), &d); err != nil || d.Groups[0].BytesUnknown != 200 || d.Groups[0].PacketsUnknown != 4 ||
		!strings.Contains(js.String(), `"bytes_unknown_direction": 200`) {
		t.Errorf("json %v:\n%s", err, js.String())
	}
	if err := WriteCSV(&cs, r); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][6] != "300" || rows[1][11] != "200" || rows[1][12] != "4" {
		t.Errorf("csv group row %v", rows[1])
	}
}

// CSV cells that a spreadsheet would run as formulas get a quote in front
// (OWASP CSV injection); the table escapes terminal control bytes.
func TestHostileNames(t *testing.T) {
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily} {
		r := hostile(t, by)
		var table, cs bytes.Buffer
		if err := WriteTable(&table, r); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(table.String(), "\x1b\x00\r") {
			t.Errorf("by %v: raw control bytes in the table:\n%q", by, table.String())
		}
		if by == attribution.ByTask && (!strings.Contains(table.String(), `\x1b[31mevil`) || !strings.Contains(table.String(), `eni-\x1b[2J`)) {
			t.Errorf("escaped names missing:\n%s", table.String())
		}
		if err := WriteCSV(&cs, r); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&cs).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			if k := row[1]; k != "" && strings.ContainsRune("=+-@\t\r", rune(k[0])) {
				t.Errorf("by %v: formula-like key %q", by, k)
			}
		}
		if by == attribution.ByService && rows[1][1] != `'=HYPERLINK("http://x")` {
			t.Errorf("key %q", rows[1][1])
		}
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// The stream writers stop reading groups once the writer has failed, and
// return its error.
func TestWriteStreamStopsOnWriteError(t *testing.T) {
	const n = 300
	var tasks []history.Task
	for i := range n {
		tasks = append(tasks, history.Task{ARN: fmt.Sprintf("arn:aws:ecs:us-east-1:1:task/c/%032d", i), NetworkMode: netmode.ModeAWSVPC,
			ENI: fmt.Sprintf("eni-%d", i), IPv4: netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})})
	}
	a := fixture.New(t, tasks...)
	for i := range n {
		r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, fmt.Sprintf("2 1 eni-%d 10.0.%d.%d 10.1.0.1 1 2 6 3 100 1795600800 1795600859 ACCEPT OK", i, i>>8, i&255))
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	for name, stream := range map[string]func(io.Writer, *attribution.Result, iter.Seq[*attribution.Group], ...Option) error{
		"csv": WriteCSVStream, "json": WriteJSONStream} {
		head, groups := a.ResultStream(attribution.ByTask)
		read := 0
		counted := func(yield func(*attribution.Group) bool) {
			for g := range groups {
				read++
				if !yield(g) {
					return
				}
			}
		}
		if err := stream(failingWriter{}, head, counted); err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("%s: error %v, want the writer's", name, err)
		}
		if read >= n {
			t.Errorf("%s: read all %d groups after the writer failed", name, read)
		}
	}
}

// WriteStream writes the formats that Streams, and refuses the others.
func TestWriteStreamFormats(t *testing.T) {
	a := fixture.Attributor(t)
	for _, f := range []Format{Table, JSON, CSV, HTML} {
		head, groups := a.ResultStream(attribution.ByService)
		var got, want bytes.Buffer
		err := WriteStream(&got, f, head, groups)
		if !f.Streams() {
			if err == nil || !strings.Contains(err.Error(), "needs every group") {
				t.Errorf("%v: error %v, want a refusal", f, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		if err := Write(&want, f, a.Result(attribution.ByService)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%v: WriteStream differs from Write", f)
		}
	}
}

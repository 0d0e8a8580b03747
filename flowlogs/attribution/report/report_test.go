package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"math"
	"net/netip"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

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
	rows := csvRows(t, r)
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

// Bytes chose its unit before rounding to one decimal: 1 MiB − 1 byte
// printed "1024.0 KiB". The rounding carries into the next unit, from
// 1023.95 of a unit up; EiB, the last, has none to carry into.
func TestBytesRoundingCarriesIntoNextUnit(t *testing.T) {
	for n, want := range map[uint64]string{
		1<<20 - 1:      "1.0 MiB",
		1048524:        "1023.9 KiB", // 1023.949 KiB
		1048525:        "1.0 MiB",    // 1023.950 KiB
		1<<30 - 1:      "1.0 GiB",
		1<<60 - 1:      "1.0 EiB",
		math.MaxUint64: "16.0 EiB",
	} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// The table's header printed Last in its zone, named, and First in its
// own, unnamed: both are in UTC, the zone named once.
func TestTableTimesInUTC(t *testing.T) {
	r := result(t, attribution.ByService)
	const layout = "2006-01-02 15:04:05"
	want := "Traffic by service, records starting " + r.First.UTC().Format(layout) + " to " + r.Last.UTC().Format(layout) + " UTC\n"
	cest := time.FixedZone("CEST", 2*3600)
	r.First, r.Last = r.First.In(cest), r.Last.In(cest)
	var buf bytes.Buffer
	if err := WriteTable(&buf, r); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := strings.Cut(buf.String(), "\n"); got+"\n" != want {
		t.Errorf("header %q, want %q", got, want)
	}
}

// The first note said "Attributed 417.6 KiB of 461.4 KiB bytes": the
// unit twice.
func TestNotesNameTheUnitOnce(t *testing.T) {
	for _, n := range Notes(result(t, attribution.ByTask)) {
		if strings.Contains(n, "B bytes") {
			t.Errorf("note %q names the unit twice", n)
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

// CSV writes cost_<class> = 0.000000 only for bytes priced at zero, never
// for a class the price table has no price for (aws_service in the
// built-in table): a spreadsheet would read "AWS service traffic cost
// nothing". Such a class's cost is empty, as JSON leaves it out of
// by_class and HTML writes "not priced".
func TestCSVUnpricedClassIsNotZero(t *testing.T) {
	prices, _ := pricing.BuiltIn("us-east-1")
	r := result(t, attribution.ByTask) // eni-0a sends 700 B a minute to S3 (pkt-dst-aws-service S3)
	rows := csvRows(t, r, WithPrices(prices))
	bytesCol := slices.Index(rows[0], "bytes_aws_service")
	costCol := slices.Index(rows[0], "cost_aws_service")
	seen := false
	for _, row := range rows[1:] {
		if row[0] != "group" || row[bytesCol] == "0" {
			continue
		}
		seen = true
		if row[costCol] != "" {
			t.Errorf("group %s: %s bytes with AWS services, an unpriced class, written as cost_aws_service=%q",
				row[1], row[bytesCol], row[costCol])
		}
	}
	if !seen {
		t.Fatal("setup: no group has AWS service bytes")
	}
}

// pricedTable prices cross-AZ at $0.01/GiB each way, same AZ at 0 each
// way, internet egress at $0.09/GiB and internet ingress not at all; AWS
// services, and every other class, are unpriced.
func pricedTable() *pricing.Table {
	rate := func(v float64) *float64 { return &v }
	return &pricing.Table{Region: "us-east-1", AsOf: "2026-06-02", Source: "test", Currency: "USD", BytesPerGB: 1 << 30,
		Classes: map[string]pricing.Rate{
			ClassKey(attribution.PeerSameAZ):   {In: rate(0), Out: rate(0)},
			ClassKey(attribution.PeerCrossAZ):  {In: rate(0.01), Out: rate(0.01)},
			ClassKey(attribution.PeerInternet): {Out: rate(0.09)},
		}}
}

// pricedResult has a group with bytes of every kind pricedTable meets:
// free (same AZ in), priced (cross-AZ in, out and of unknown direction),
// partly priced (internet: out priced, in and unknown direction not) and
// not priced (AWS services); and a group whose bytes are all unpriced.
func pricedResult() *attribution.Result {
	const gib = 1 << 30
	task := func(id string) *history.Task {
		return &history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/" + id, NetworkMode: netmode.ModeAWSVPC}
	}
	var g, s3 attribution.Group
	g.Key, g.Tasks, g.Records = "arn:aws:ecs:us-east-1:1:task/c/mixed", []*history.Task{task("mixed")}, 6
	set := func(g *attribution.Group, c attribution.PeerClass, in, out, unknown uint64) {
		g.ClassBytes[c], g.ClassBytesIn[c], g.ClassBytesOut[c] = in+out+unknown, in, out
		g.BytesIn += in
		g.BytesOut += out
		g.BytesUnknown += unknown
	}
	set(&g, attribution.PeerSameAZ, 2*gib, 0, 0)
	set(&g, attribution.PeerCrossAZ, 1*gib, 1*gib, 1*gib)
	set(&g, attribution.PeerInternet, 2*gib, 1*gib, 1*gib)
	set(&g, attribution.PeerAWSService, 0, 3*gib, 0)
	s3.Key, s3.Tasks, s3.Records = "arn:aws:ecs:us-east-1:1:task/c/s3", []*history.Task{task("s3")}, 1
	set(&s3, attribution.PeerAWSService, 0, 5*gib, 0)
	r := &attribution.Result{By: attribution.ByTask, Step: time.Minute, Groups: []attribution.Group{g, s3}}
	for _, g := range r.Groups {
		r.Total.Bytes += g.Bytes()
		r.Total.Records += g.Records
	}
	return r
}

// CSV: a class with bytes and no price has an empty cost, one priced at
// zero 0, one partly priced the cost of its priced bytes; a group whose
// bytes are all unpriced has an empty cost too.
func TestCSVCostCells(t *testing.T) {
	rows := csvRows(t, pricedResult(), WithPrices(pricedTable()))
	cell := func(row int, col string) string {
		i := slices.Index(rows[0], col)
		if i < 0 {
			t.Fatalf("no column %s", col)
		}
		return rows[row][i]
	}
	for col, want := range map[string]string{
		"cost_unknown": "0.000000", // no bytes
		"cost_same_az": "0.000000", "cost_cross_az": "0.030000",
		"cost_internet": "0.090000", "cost_aws_service": "",
		"cost": "0.120000", "unpriced_bytes": fmt.Sprint(uint64(6) << 30),
	} {
		if got := cell(1, col); got != want {
			t.Errorf("mixed group: %s %q, want %q", col, got, want)
		}
	}
	for col, want := range map[string]string{"cost_aws_service": "", "cost": "", "unpriced_bytes": fmt.Sprint(uint64(5) << 30)} {
		if got := cell(2, col); got != want {
			t.Errorf("AWS-service group: %s %q, want %q", col, got, want)
		}
	}
}

// JSON says per class which bytes are unpriced, by direction: by_class
// has the classes with priced bytes (free ones too), unpriced_by_class
// those with unpriced bytes; the document's cost adds the groups' up.
func TestJSONUnpricedByClass(t *testing.T) {
	r := pricedResult()
	if err := validateJSON(t, compileSchema(t), r, WithPrices(pricedTable())); err != nil {
		t.Errorf("schema: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r, WithPrices(pricedTable())); err != nil {
		t.Fatal(err)
	}
	var d Document
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	const gib = 1 << 30
	c := d.Groups[0].Cost
	near := func(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
	if len(c.ByClass) != 3 || c.ByClass["same_az"] != 0 || !near(c.ByClass["cross_az"], 0.03) || !near(c.ByClass["internet"], 0.09) {
		t.Errorf("by_class %v, want same_az 0 (free), cross_az 0.03, internet 0.09", c.ByClass)
	}
	want := map[string]DocumentUnpriced{
		"internet":    {Bytes: 3 * gib, In: 2 * gib, Unknown: 1 * gib},
		"aws_service": {Bytes: 3 * gib, Out: 3 * gib},
	}
	if !maps.Equal(c.UnpricedByClass, want) || c.UnpricedBytes != 6*gib {
		t.Errorf("unpriced %d by class %+v, want %+v", c.UnpricedBytes, c.UnpricedByClass, want)
	}
	if s3 := d.Groups[1].Cost; len(s3.ByClass) != 0 || s3.UnpricedByClass["aws_service"].Out != 5*gib {
		t.Errorf("AWS-service group: %+v", s3)
	}
	want["aws_service"] = DocumentUnpriced{Bytes: 8 * gib, Out: 8 * gib}
	if !maps.Equal(d.Cost.UnpricedByClass, want) || d.Cost.UnpricedBytes != 11*gib || len(d.Cost.ByClass) != 3 {
		t.Errorf("document cost %+v", d.Cost)
	}
	if !strings.Contains(buf.String(), `"same_az": 0`) {
		t.Errorf("a class priced at zero is left out of by_class:\n%s", buf.String())
	}

	// The text table does not show 0.00 for a group it cannot price, and
	// its notes name the classes the unpriced bytes are with.
	buf.Reset()
	if err := WriteTable(&buf, r, WithPrices(pricedTable())); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"not priced\n", "11.0 GiB not priced", "internet 3.0 GiB, AWS service 8.0 GiB"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, buf.String())
		}
	}
}

// CSV's family column is family:revision as JSON has it, empty for no
// family: a family whose name begins with a hyphen (ECS family names are
// letters, digits, hyphens and underscores) keeps it, quoted against
// spreadsheet formulas, rather than read as FamilyRev's "-" placeholder.
func TestCSVFamilyLeadingHyphen(t *testing.T) {
	for family, want := range map[string]string{"-web": "'-web:1", "web": "web:1", "": ""} {
		a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/win", Group: "service:win", Family: family, Revision: 1,
			NetworkMode: netmode.ModeAWSVPC, ENI: "eni-w", IPv4: netip.MustParseAddr("10.0.0.9")})
		addLines(t, a, flowlogs.DefaultFormat, "2 1 eni-w 10.0.0.1 10.0.0.9 1 2 6 3 100 1795600800 1795600859 ACCEPT OK")
		rows := csvRows(t, a.Result(attribution.ByTask))
		if got := rows[1][slices.Index(rows[0], "family")]; got != want {
			t.Errorf("family %q, revision 1 written as %q, want %q", family, got, want)
		}
	}
}

// TestCSVColumnsOnlyAdded: the header of the first version is a prefix of
// today's, so that a reader by position keeps working: a peer class added
// since (public, load_balancer) has its columns at the end.
func TestCSVColumnsOnlyAdded(t *testing.T) {
	first := strings.Split("kind,key,bytes_in,bytes_out,packets_in,packets_out,bytes,packets,records,accepted_bytes,rejected_bytes,"+
		"bytes_unknown_direction,packets_unknown_direction,service,family,network_mode,container_instance_arn,ec2_instance_id,tasks,"+
		"inferred_bytes,inferred_records,bytes_unknown,bytes_same_az,bytes_cross_az,bytes_other_vpc,bytes_on_premises,bytes_internet,"+
		"bytes_aws_service,cost_unknown,cost_same_az,cost_cross_az,cost_other_vpc,cost_on_premises,cost_internet,cost_aws_service,cost,"+
		"unpriced_bytes", ",")
	h := CSVHeader()
	if len(h) < len(first) || !slices.Equal(h[:len(first)], first) {
		t.Fatalf("header %v\ndoes not begin with the first version's %v", h, first)
	}
	for _, c := range attribution.PeerClasses() {
		if !slices.Contains(h, "bytes_"+c.Key()) || !slices.Contains(h, "cost_"+c.Key()) {
			t.Errorf("class %s has no columns", c.Key())
		}
	}
}

// TestPublicPeerPricedOnlyWhenKnown: 1 GiB sent to a public address costs
// internet egress only when the format's pkt-dst-aws-service says the
// address is not AWS's; in a format without it (the default one, or v5
// with traffic-path 2, an internet gateway or a gateway endpoint) it may
// be S3 in the region, which is free, and it is unpriced, not $0.09.
func TestPublicPeerPricedOnlyWhenKnown(t *testing.T) {
	prices, _ := pricing.BuiltIn("us-east-1")
	const gib = 1 << 30
	format := func(s string) *flowlogs.Format {
		f, err := flowlogs.ParseFormat(s)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	v5 := format("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path")
	withService := format("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction pkt-dst-aws-service")
	for _, c := range []struct {
		name     string
		f        *flowlogs.Format
		line     string
		class    attribution.PeerClass
		cost     float64
		unpriced uint64
	}{
		{"default format", flowlogs.DefaultFormat, "2 1 eni-w 10.0.0.9 52.216.8.1 41000 443 6 5 %d 1795600800 1795600859 ACCEPT OK",
			attribution.PeerPublic, 0, gib},
		{"traffic-path 2", v5, "5 eni-w 10.0.0.9 52.216.8.1 41000 443 6 5 %d 1795600800 1795600859 ACCEPT OK egress 2",
			attribution.PeerPublic, 0, gib},
		{"pkt-dst-aws-service S3", withService, "5 eni-w 10.0.0.9 52.216.8.1 41000 443 6 5 %d 1795600800 1795600859 ACCEPT OK egress S3",
			attribution.PeerAWSService, 0, gib},
		{"pkt-dst-aws-service empty", withService, "5 eni-w 10.0.0.9 198.51.100.7 41000 443 6 5 %d 1795600800 1795600859 ACCEPT OK egress -",
			attribution.PeerInternet, 0.09, 0},
	} {
		a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/w", Group: "service:w", Family: "w", Revision: 1,
			NetworkMode: netmode.ModeAWSVPC, ENI: "eni-w", IPv4: netip.MustParseAddr("10.0.0.9")})
		addLines(t, a, c.f, fmt.Sprintf(c.line, gib))
		g := &a.Result(attribution.ByTask).Groups[0]
		cost := prices.Cost(g)
		if g.ClassBytes[c.class] != gib || math.Abs(cost.Total-c.cost) > 1e-9 || cost.UnpricedBytes != c.unpriced {
			t.Errorf("%s: class bytes %v, cost %v, unpriced %d; want 1 GiB %v, cost %v, unpriced %d",
				c.name, g.ClassBytes, cost.Total, cost.UnpricedBytes, c.class, c.cost, c.unpriced)
		}
	}
}

// TestPartlyPricedGroupCost: a group of 1 GiB same-AZ (free) and 100 GiB
// public (unpriced by the built-in table) costs "0.00+" in the table, a
// lower bound, not a free "0.00". (Found by a second read.)
func TestPartlyPricedGroupCost(t *testing.T) {
	const gib = 1 << 30
	prices, _ := pricing.BuiltIn("us-east-1")
	var g attribution.Group
	g.Key = "arn:aws:ecs:us-east-1:1:task/c/x"
	g.Tasks = []*history.Task{{ARN: g.Key, NetworkMode: netmode.ModeAWSVPC}}
	g.Records = 2
	g.ClassBytes[attribution.PeerSameAZ], g.ClassBytesIn[attribution.PeerSameAZ] = gib, gib
	g.ClassBytes[attribution.PeerPublic], g.ClassBytesOut[attribution.PeerPublic] = 100*gib, 100*gib
	g.BytesIn, g.BytesOut = gib, 100*gib
	r := &attribution.Result{By: attribution.ByTask, Step: time.Minute, Groups: []attribution.Group{g}}
	r.Total.Bytes, r.Total.Records = g.Bytes(), 2
	var buf bytes.Buffer
	if err := WriteTable(&buf, r, WithPrices(prices)); err != nil {
		t.Fatal(err)
	}
	if row := strings.Split(buf.String(), "\n")[1]; !strings.HasSuffix(strings.TrimSpace(row), " 0.00+") {
		t.Errorf("the cost of a group with 100 of 101 GiB unpriced is not shown as a lower bound:\n%s", buf.String())
	}
}

// TestLoadBalancerClassKeys: traffic with an Application Load Balancer's
// node in another AZ is the class load_balancer in every format (CSV's
// bytes_load_balancer and cost_load_balancer after the earlier classes'
// columns, JSON's class_bytes and a peer's class, the schema's keys, the
// table's notes), priced at zero by the built-in table; a Network Load
// Balancer's node there is cross_az, and charged.
func TestLoadBalancerClassKeys(t *testing.T) {
	prices, _ := pricing.BuiltIn("us-east-1")
	const gib uint64 = 1 << 30
	h, err := history.NewIndex([]history.Task{{ARN: "arn:aws:ecs:us-east-1:1:task/c/w", Group: "service:w", Family: "w", Revision: 1,
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-w", IPv4: netip.MustParseAddr("10.0.1.9"), AvailabilityZone: "us-east-1a"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(h, attribution.WithTopology(attribution.Topology{
		Subnets: []attribution.Subnet{
			{ID: "subnet-a", Prefix: netip.MustParsePrefix("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"},
			{ID: "subnet-b", Prefix: netip.MustParsePrefix("10.0.2.0/24"), AZ: "us-east-1b", VPC: "vpc-1"}},
		LoadBalancers: []attribution.LoadBalancerNode{{Addr: netip.MustParseAddr("10.0.2.5"), LoadBalancer: "app/web/1", ENI: "eni-alb", VPC: "vpc-1"}},
	}))
	v5, err := flowlogs.ParseFormat("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction")
	if err != nil {
		t.Fatal(err)
	}
	addLines(t, a, v5,
		fmt.Sprintf("5 eni-w 10.0.2.5 10.0.1.9 41000 8080 6 5 %d 1795600800 1795600859 ACCEPT OK ingress", gib),  // ALB node → task
		fmt.Sprintf("5 eni-w 10.0.1.9 10.0.2.5 8080 41000 6 5 %d 1795600800 1795600859 ACCEPT OK egress", 3*gib), // task → ALB node
		fmt.Sprintf("5 eni-w 10.0.2.8 10.0.1.9 42000 8080 6 5 %d 1795600800 1795600859 ACCEPT OK ingress", gib),  // NLB node → task
	)
	r := a.Result(attribution.ByTask)

	rows := csvRows(t, r, WithPrices(prices))
	h0 := rows[0]
	if i := slices.Index(h0, "bytes_load_balancer"); i < 0 || h0[i+1] != "cost_load_balancer" || i < slices.Index(h0, "cost_public") {
		t.Fatalf("CSV header %v: want bytes_load_balancer, cost_load_balancer after public's columns", h0)
	}
	for col, want := range map[string]string{"bytes_load_balancer": fmt.Sprint(4 * gib), "cost_load_balancer": "0.000000",
		"bytes_cross_az": fmt.Sprint(gib), "cost_cross_az": "0.010000", "cost": "0.010000", "unpriced_bytes": "0"} {
		if got := rows[1][slices.Index(h0, col)]; got != want {
			t.Errorf("CSV %s %q, want %q", col, got, want)
		}
	}

	if err := validateJSON(t, compileSchema(t), r, WithPrices(prices)); err != nil {
		t.Errorf("schema: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r, WithPrices(prices)); err != nil {
		t.Fatal(err)
	}
	var d Document
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	g := d.Groups[0]
	if g.ClassBytes["load_balancer"] != 4*gib || g.ClassBytesIn["load_balancer"] != gib || g.ClassBytesOut["load_balancer"] != 3*gib ||
		g.ClassBytes["cross_az"] != gib {
		t.Errorf("class_bytes %v, in %v, out %v", g.ClassBytes, g.ClassBytesIn, g.ClassBytesOut)
	}
	if v, ok := g.Cost.ByClass["load_balancer"]; !ok || v != 0 || math.Abs(g.Cost.Total-0.01) > 1e-12 {
		t.Errorf("cost %+v: load_balancer priced at zero, cross_az 0.01", g.Cost)
	}
	classes := map[string]string{}
	for _, p := range g.TopPeers {
		classes[p.Prefix] = p.Class
	}
	if classes["10.0.2.5/32"] != "load_balancer" || classes["10.0.2.8/32"] != "cross_az" {
		t.Errorf("peer classes %v", classes)
	}

	buf.Reset()
	if err := WriteTable(&buf, r, WithPrices(prices)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "load balancer 4.0 GiB") {
		t.Errorf("table notes lack the class:\n%s", buf.String())
	}
}

// csvRows writes r as CSV with opts and reads it back with encoding/csv.
func csvRows(t *testing.T, r *attribution.Result, opts ...Option) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r, opts...); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

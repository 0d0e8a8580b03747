package report

import (
	"bytes"
	"encoding/json"
	"math"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
)

// compileSchema compiles DocumentSchema, checking it against its
// meta-schema on the way.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(DocumentSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("document.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("document.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validateJSON writes r as JSON and checks it against s.
func validateJSON(t *testing.T, s *jsonschema.Schema, r *attribution.Result, opts ...Option) error {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r, opts...); err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

// TestSchemaDescribesOutput checks real documents, every grouping, with
// and without peers, priced or not, a Windows task's and the empty one,
// against document.schema.json, which allows no field it does not list: a
// new field needs its description.
func TestSchemaDescribesOutput(t *testing.T) {
	s := compileSchema(t)
	builtIn, ok := pricing.BuiltIn("us-east-1")
	if !ok {
		t.Fatal("no built-in us-east-1 prices")
	}
	check := func(what string, r *attribution.Result, opts ...Option) {
		t.Helper()
		if err := validateJSON(t, s, r, opts...); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster} {
		check(by.String(), result(t, by))
		check(by.String()+", priced", result(t, by), WithPrices(builtIn))
		check(by.String()+", priced by the zero Table", result(t, by), WithPrices(&pricing.Table{}))
	}
	check("empty", attribution.New(nil).Result(attribution.ByTask))
	check("empty, priced", attribution.New(nil).Result(attribution.ByTask), WithPrices(builtIn))
	check("Windows task", windowsResult(t))
	h, err := history.NewIndex([]history.Task{{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	noPeers := attribution.New(h, attribution.WithoutPeers())
	addLines(t, noPeers, flowlogs.DefaultFormat, "2 1 eni-a 10.0.0.1 10.0.0.9 1 2 6 3 100 1795600800 1795600859 ACCEPT OK")
	check("without peers", noPeers.Result(attribution.ByTask), WithPrices(builtIn))

	// The schema rejects what it does not describe.
	var d map[string]any
	var buf bytes.Buffer
	WriteJSON(&buf, result(t, attribution.ByTask))
	json.Unmarshal(buf.Bytes(), &d)
	d["groups"].([]any)[0].(map[string]any)["undocumented"] = 1
	if err := s.Validate(d); err == nil {
		t.Error("an undocumented field passed the schema")
	}
}

// windowsResult is a Windows task's traffic: its task definition omits
// networkMode, so it has netmode.ModeDefault (eni/history's taskDefMode),
// which the document writes as "default".
func windowsResult(t *testing.T) *attribution.Result {
	t.Helper()
	a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/win", Group: "service:win", Family: "win", Revision: 1,
		NetworkMode: netmode.ModeDefault, ENI: "eni-w", IPv4: netip.MustParseAddr("10.0.0.9")})
	addLines(t, a, flowlogs.DefaultFormat, "2 1 eni-w 10.0.0.1 10.0.0.9 1 2 6 3 100 1795600800 1795600859 ACCEPT OK")
	return a.Result(attribution.ByTask)
}

// addLines parses each line in format f and adds it to a.
func addLines(t *testing.T, a *attribution.Attributor, f *flowlogs.Format, lines ...string) {
	t.Helper()
	for _, l := range lines {
		r, err := flowlogs.ParseLine(f, l)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		a.Add(r)
	}
}

// A Windows task whose task definition omits networkMode is in mode
// "default": the schema allows it, and every other mode netmode has.
func TestSchemaWindowsDefaultMode(t *testing.T) {
	r := windowsResult(t)
	if err := validateJSON(t, compileSchema(t), r); err != nil {
		t.Errorf("a Windows (default network mode) task's document fails document.schema.json:\n%v", err)
	}
	var d Document
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &d); err != nil || d.Groups[0].Tasks[0].NetworkMode != "default" {
		t.Fatalf("%v: %s", err, buf.String())
	}
	want := []string{""}
	for _, m := range netmode.Modes() {
		want = append(want, modeName(m))
	}
	if got := schemaEnum(t, "task", "network_mode"); !sameSet(got, want) {
		t.Errorf("the schema's network modes %q, netmode's %q", got, want)
	}
}

// The schema's class keys are attribution's, in its order: a class added
// there needs its key in document.schema.json ($defs.classKey).
func TestSchemaClassKeys(t *testing.T) {
	var want []string
	for _, c := range attribution.PeerClasses() {
		want = append(want, ClassKey(c))
	}
	if got := schemaEnum(t, "classKey"); !slices.Equal(got, want) {
		t.Errorf("document.schema.json's classKey enum is %q, attribution.PeerClasses' keys %q", got, want)
	}
}

// schemaEnum is the enum of the schema's $defs.def, or of its property
// prop when given.
func schemaEnum(t *testing.T, def string, prop ...string) []string {
	t.Helper()
	var s struct {
		Defs map[string]struct {
			Enum       []any `json:"enum"`
			Properties map[string]struct {
				Enum []any `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(DocumentSchema(), &s); err != nil {
		t.Fatal(err)
	}
	d, ok := s.Defs[def]
	if !ok {
		t.Fatalf("no $defs.%s", def)
	}
	enum := d.Enum
	if len(prop) > 0 {
		enum = d.Properties[prop[0]].Enum
	}
	var out []string
	for _, v := range enum {
		out = append(out, v.(string))
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// "The zero Table prices nothing" (pricing.Table), and WithPrices takes
// it: its document names the unit costs are computed in (2^30 bytes), as
// the schema's enum of units requires, and has every byte unpriced.
func TestZeroTableSchema(t *testing.T) {
	r := result(t, attribution.ByService)
	if err := validateJSON(t, compileSchema(t), r, WithPrices(&pricing.Table{})); err != nil {
		t.Errorf("priced with the zero Table: %v", err)
	}
	d := NewDocument(r, WithPrices(&pricing.Table{}))
	var all uint64
	for _, g := range r.Groups {
		all += g.Bytes()
	}
	if d.Prices.BytesPerGB != 1<<30 || d.Cost.Total != 0 || d.Cost.UnpricedBytes != all || len(d.Cost.ByClass) != 0 {
		t.Errorf("zero Table: prices %+v, cost %+v; want unit 2^30, %d bytes unpriced", d.Prices, d.Cost, all)
	}
}

// A Table the writers cannot use (here a NaN rate, which encoding/json
// cannot encode) is refused by every writer with Validate's error, which
// names the class, before anything is written.
func TestInvalidPricesRefused(t *testing.T) {
	nan := math.NaN()
	bad := &pricing.Table{Region: "us-east-1", Currency: "USD", BytesPerGB: 1 << 30,
		Classes: map[string]pricing.Rate{ClassKey(attribution.PeerCrossAZ): {In: &nan, Out: &nan}}}
	want := bad.Validate()
	if want == nil {
		t.Fatal("a NaN rate is valid")
	}
	a := fixture.Attributor(t)
	for name, write := range map[string]func(w *bytes.Buffer) error{
		"json": func(w *bytes.Buffer) error { return WriteJSON(w, a.Result(attribution.ByTask), WithPrices(bad)) },
		"csv":  func(w *bytes.Buffer) error { return WriteCSV(w, a.Result(attribution.ByTask), WithPrices(bad)) },
		"table": func(w *bytes.Buffer) error {
			return WriteTable(w, a.Result(attribution.ByTask), WithPrices(bad))
		},
		"json stream": func(w *bytes.Buffer) error {
			head, groups := a.ResultStream(attribution.ByTask)
			return WriteJSONStream(w, head, groups, WithPrices(bad))
		},
		"csv stream": func(w *bytes.Buffer) error {
			head, groups := a.ResultStream(attribution.ByTask)
			return WriteCSVStream(w, head, groups, WithPrices(bad))
		},
	} {
		var buf bytes.Buffer
		err := write(&buf)
		if err == nil || !strings.Contains(err.Error(), want.Error()) || !strings.Contains(err.Error(), `"cross_az"`) {
			t.Errorf("%s: error %v, want Validate's %q", name, err, want)
		}
		if buf.Len() > 0 {
			t.Errorf("%s: wrote %d bytes before refusing the prices", name, buf.Len())
		}
	}
}

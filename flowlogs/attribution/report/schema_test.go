package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
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

// TestSchemaDescribesOutput checks real documents, every grouping, with
// and without peers, and the empty one, against document.schema.json, which
// allows no field it does not list: a new field needs its description.
func TestSchemaDescribesOutput(t *testing.T) {
	s := compileSchema(t)
	check := func(what string, r *attribution.Result) {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, r); err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(v); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily, attribution.ByInstance, attribution.ByCluster} {
		check(by.String(), result(t, by))
	}
	check("empty", attribution.New(nil).Result(attribution.ByTask))

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

package sqlattr

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// InputsKey is the key of the Parquet key-value metadata under which
// FlowLogWriter records the flow-log objects its records were read from
// (SetInputs). A file that gathers other objects' records holds them:
// a partial made of it must name those objects, not the file, or Merge
// takes it beside their own partials and counts each record twice
// (examples/attribute does so with the flowlogs.parquet of its -export).
const InputsKey = "ecsnet.inputs"

// inputJSON is an attribution.Input under InputsKey: bounds in RFC 3339,
// left out when there is none.
type inputJSON struct {
	Name  string `json:"name"`
	Since string `json:"since,omitempty"`
	Until string `json:"until,omitempty"`
}

// SetInputs records ins, which attribution.CheckInputs must pass, as the
// objects the file's records were read from. Call it before Close.
func (fw *FlowLogWriter) SetInputs(ins []attribution.Input) error {
	if err := attribution.CheckInputs(ins); err != nil {
		return fmt.Errorf("sqlattr: %w", err)
	}
	js := make([]inputJSON, len(ins))
	bound := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	for i, in := range ins {
		js[i] = inputJSON{Name: in.Name, Since: bound(in.Since), Until: bound(in.Until)}
	}
	b, err := json.Marshal(js)
	if err != nil {
		return fmt.Errorf("sqlattr: %w", err)
	}
	fw.w.SetKeyValueMetadata(InputsKey, string(b))
	return nil
}

// ParseInputs parses the value SetInputs records under InputsKey
// (parquetsource.File.Metadata reads it), refusing what
// attribution.CheckInputs refuses.
func ParseInputs(v string) ([]attribution.Input, error) {
	var js []inputJSON
	if err := json.Unmarshal([]byte(v), &js); err != nil {
		return nil, fmt.Errorf("sqlattr: metadata %s: %w", InputsKey, awswire.Place([]byte(v), err))
	}
	ins := make([]attribution.Input, len(js))
	for i, j := range js {
		ins[i].Name = j.Name
		for _, b := range []struct {
			field, s string
			to       *time.Time
		}{{"since", j.Since, &ins[i].Since}, {"until", j.Until, &ins[i].Until}} {
			if b.s == "" {
				continue
			}
			t, err := time.Parse(time.RFC3339, b.s)
			if err != nil {
				return nil, fmt.Errorf("sqlattr: metadata %s: [%d] (%q): %s %q is not an RFC 3339 time (2006-01-02T15:04:05Z)", InputsKey, i, j.Name, b.field, b.s)
			}
			*b.to = t.UTC()
		}
	}
	if err := attribution.CheckInputs(ins); err != nil {
		return nil, fmt.Errorf("sqlattr: metadata %s: %w", InputsKey, err)
	}
	return ins, nil
}

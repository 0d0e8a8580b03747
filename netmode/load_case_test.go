package netmode

import (
	"errors"
	"testing"
)

// TestLoadCaseVariantKeys: Load's decoder matches member names
// case-insensitively (as for CloudFormation's PascalCase "NetworkMode"),
// but the wrapper check and the position lookup matched them exactly. So an
// unknown mode under "NetworkMode" was a LoadError with no line or column
// (doc.go: errors name "the file, line, column and member path"), and a
// describe output wrapped as "TaskDefinition" loaded as an empty task
// definition with no error.
func TestLoadCaseVariantKeys(t *testing.T) {
	for _, c := range []struct {
		in        string
		line, col int
		path      string
	}{
		{"{\n  \"NetworkMode\": \"awsvpcc\"\n}", 2, 18, "networkMode"},
		{"{\"TaskDefinition\": {\n \"networkMode\": \"hots\"}}", 2, 17, "taskDefinition.networkMode"},
		{"{\"taskDefinition\": {\n \"networkmode\": \"hots\"}}", 2, 17, "taskDefinition.networkMode"},
	} {
		td, err := Load([]byte(c.in), "f.json")
		var le *LoadError
		if !errors.As(err, &le) {
			t.Errorf("%q: got td=%v, err=%v; want a LoadError", c.in, td != nil, err)
			continue
		}
		if le.Line != c.line || le.Column != c.col || le.Path != c.path {
			t.Errorf("%q: %v: at %d:%d %s, want %d:%d %s", c.in, err, le.Line, le.Column, le.Path, c.line, c.col, c.path)
		}
	}
	// The wrapped form still loads its content.
	td, err := Load([]byte(`{"TaskDefinition": {"family": "web", "networkMode": "host"}}`), "f.json")
	if err != nil || td == nil || td.Family == nil || *td.Family != "web" {
		t.Errorf("wrapped as TaskDefinition: td=%+v err=%v", td, err)
	}
}

// TestLoadErrorZeroValue: LoadError is exported and documented
// field by field; its zero value (or one without Err) panicked in Error.
func TestLoadErrorZeroValue(t *testing.T) {
	for _, e := range []*LoadError{{}, {Name: "f.json", Line: 3, Column: 1}} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%#v.Error() panicked: %v", e, r)
				}
			}()
			_ = e.Error()
		}()
	}
}

// TestPositionPrefersExactKeys: where a key is given exactly and
// folded, the decoder takes the exact one, and so does position, level by
// level from the top.
func TestPositionPrefersExactKeys(t *testing.T) {
	data := []byte("{\"TaskDefinition\": {\"networkMode\": 1},\n \"taskDefinition\": {\"NetworkMode\": 2,\n \"networkMode\": 3}}")
	if line, col := position(data, "taskDefinition.networkMode"); line != 3 || col != 17 {
		t.Errorf("at %d:%d, want 3:17", line, col)
	}
	if line, col := position(data, "taskDefinition.nope"); line != 0 || col != 0 {
		t.Errorf("a missing member at %d:%d", line, col)
	}
}

package awswire

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// placeDoc is what the tests decode: a promoted field, a map, a slice and
// a nested object.
type placeDoc struct {
	placeInner
	Bytes  uint64            `json:"bytes_per_gb"`
	Rates  map[string]string `json:"rates"`
	Notes  []string          `json:"notes"`
	Nested *struct {
		Count int `json:"count"`
	} `json:"nested"`
}

type placeInner struct {
	Name string `json:"name"`
}

// TestPlace: encoding/json's errors, placed at the value or key they are
// about, in Unmarshal's words and without Go's names.
func TestPlace(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"{\"name\": \"a\",\n \"bytes_per_gb\": \"x\"}", "line 2, column 18: bytes_per_gb: want an integer, got string"},
		{"{\n \"name\": 5}", "line 2, column 10: name: want a string, got number"},
		{"{\"rates\": {\"a\": \"b\",}}", "line 1, column 21: invalid character '}' looking for beginning of object key string"},
		{"{\"name\": \"a\",\n \"clases\": {}}", "line 2, column 2: unknown field \"clases\""},
		{"{\"name\": \"a\",\n", "line 1, column 14: the JSON stops unfinished"},
	} {
		var d placeDoc
		dec := json.NewDecoder(strings.NewReader(c.in))
		dec.DisallowUnknownFields()
		err := Place([]byte(c.in), dec.Decode(&d))
		var we *Error
		if !errors.As(err, &we) || err.Error() != c.want {
			t.Errorf("%q: %v, want *Error %q", c.in, err, c.want)
		}
	}
	other := errors.New("other")
	if err := Place(nil, other); err != other {
		t.Errorf("another error came back as %v", err)
	}
}

// FuzzPlace: whatever the document, placing encoding/json's error of
// decoding it, by offset or by walking the type, does not panic, and
// names a line and column inside the document.
func FuzzPlace(f *testing.F) {
	for _, s := range []string{`{"name": "a", "bytes_per_gb": "x"}`, `{"rates": {"a": 1}}`, `{"nested": {"notes": 1}, "notes": []}`, `[`, "\ufeff{}", `{"name": "\"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d placeDoc
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		err := dec.Decode(&d)
		if err == nil {
			return
		}
		for _, placed := range []error{Place(data, err), PlaceFor(data, err, &d)} {
			var we *Error
			if errors.As(placed, &we) && (we.Line < 1 || we.Column < 1 || we.Offset < 0 || we.Offset > int64(len(data))) {
				t.Errorf("%q: placed at %+v, outside the document", data, we)
			}
		}
	})
}

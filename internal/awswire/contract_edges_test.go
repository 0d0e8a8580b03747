package awswire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestPlaceLastByte: Place says where a syntax error is; a wrong
// byte that is the input's last is no document that "stops unfinished",
// and is placed at itself, not past the end.
func TestPlaceLastByte(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[1,]`, "line 1, column 4: invalid character ']' looking for beginning of value"},
		{`{"name":"a"}x`, "line 1, column 13: invalid character 'x' after top-level value"},
		{`{"a":tru}`, "line 1, column 9: invalid character '}' in literal true (expecting 'e')"},
		{`{"a":true`, "line 1, column 10: the JSON stops unfinished"},
	} {
		var v any
		err := Place([]byte(c.in), json.Unmarshal([]byte(c.in), &v))
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

// TestPlaceNil: "other errors come back as they are": a decoding
// that succeeded (a Decoder reads one value of "{}x") has no error to
// place, and placing it must not panic.
func TestPlaceNil(t *testing.T) {
	var d placeDoc
	data := []byte(`{"name":"a"} x`)
	if err := Place(data, nil); err != nil {
		t.Errorf("Place(nil) = %v", err)
	}
	if err := PlaceFor(data, nil, &d); err != nil {
		t.Errorf("PlaceFor(nil) = %v", err)
	}
}

// TestUnmarshalMalformedPlace: Error's Line and Column are those of
// the offending byte of malformed JSON too, wherever it is: inside a
// value, after other lines.
func TestUnmarshalMalformedPlace(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"taskArn": tru}`, "line 1, column 16: "},
		{"{\n  \"taskArn\": \"a\",\n  \"cpu\": \"1\" x\n}", "line 3, column 14: "},
		{"{\r\n  \"taskArn\": \"a\",\r\n  \"group\": \"\x01\"\r\n}", "line 3, column 13: "},
		{"\ufeff{\"taskArn\": nul }", "line 1, column 19: "},
		{`{"taskArn" "a"}`, "line 1, column 12: "},
	} {
		var v types.Task
		err := Unmarshal([]byte(c.in), &v)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || !strings.Contains(err.Error(), "malformed JSON") {
			t.Errorf("%q: %v, want %q…", c.in, err, c.want)
		}
	}
}

// TestWalkTrailingData: Walk "returns the first error ... of
// reading data as JSON", and ElementStart finds nothing in "data that is
// not JSON": a document followed by more is not one.
func TestWalkTrailingData(t *testing.T) {
	for _, c := range []struct {
		in  string
		off int64
	}{{`{"a":[1,2]}}`, 11}, {`{"a":[1,2]} x`, 12}, {"{\"a\":[1,2]}\r\n{}", 13}} {
		err := Walk([]byte(c.in), func([]string, int64, int64) error { return nil })
		var we *Error
		if !errors.As(err, &we) || we.Offset != c.off {
			t.Errorf("Walk(%q) = %v, want an *Error at offset %d", c.in, err, c.off)
		}
		if _, ok := ElementStart([]byte(c.in), "a", 1); ok {
			t.Errorf("ElementStart(%q) found an element", c.in)
		}
	}
	if err := Walk([]byte("{\"a\":[1,2]}\r\n"), func([]string, int64, int64) error { return nil }); err != nil {
		t.Errorf("trailing space: %v", err)
	}
}

// Package jsontest edits JSON documents for the tests of their readers.
package jsontest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Member is the member AddMembers adds: a name no AWS API uses, whose value
// holds every JSON kind, so a reader that ignores unknown members must skip
// nested arrays, objects, numbers, strings, booleans and null.
const Member = "zzFutureMember"

// AddMembers returns data, one JSON value or a stream of them (JSON
// lines), with the member Member added to every object at every depth, as
// AWS adds members when an API grows; values are written one per line,
// numbers as they were. It fails t when data is not JSON.
func AddMembers(t testing.TB, data []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for dec.More() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("jsontest: %v", err)
		}
		b, err := json.Marshal(add(v))
		if err != nil {
			t.Fatalf("jsontest: %v", err)
		}
		out.Write(b)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func add(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = add(e)
		}
		x[Member] = map[string]any{"a": []any{json.Number("1.5"), "x", nil, true, map[string]any{"b": false}}}
	case []any:
		for i := range x {
			x[i] = add(x[i])
		}
	}
	return v
}

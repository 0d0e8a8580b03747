package eni

import (
	"strings"
	"testing"
)

// TestLimitsJSONErrors: a JSON limits file's errors must say what
// was expected in the user's words, and which object is wrong when
// several share a line (jq -c output): "line 1" alone names none.
func TestLimitsJSONErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{``, `eni: l.json:1: the file is empty (want a JSON array of objects`},
		{`{"instance_type":"x9.large","max_enis":4}`, `eni: l.json:1: want a JSON array of objects, got an object`},
		{`[{"instance_type":"a.large","max_enis":4},7]`, `eni: l.json:1: array element [1]: want an object, got a number`},
		{`[{"instance_type":"a.large","max_enis":4,"notes":["x"]}]`, `eni: l.json:1: column notes: want a number, string or boolean, got an array`},
		{`[{"instance_type":"a.large","max_enis":4},{"instance_type":"b.large","max_enis":4},{"instance_type":"c.large","max_enis":4.5}]`,
			`eni: l.json:1: column max_enis: "4.5" is not an integer (array element [2])`},
		{`[{"instance_type":"a.large","max_enis":4},{"instance_type":"b.large","max_enis":4},{"instance_type":"a.large","max_enis":8}]`,
			`eni: l.json:1: column instance_type: "a.large" repeats array element [0] (array element [2])`},
		// Alone on its line, an object is named by the line, as before.
		{"[\n{\"instance_type\":\"a.large\",\"max_enis\":4},\n{\"instance_type\":\"c.large\",\"max_enis\":4.5}]",
			`eni: l.json:3: column max_enis: "4.5" is not an integer`},
	} {
		_, err := ParseLimitsJSON(strings.NewReader(c.in), "l.json")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s:\ngot  %v\nwant %s…", c.in, err, c.want)
		}
	}
}

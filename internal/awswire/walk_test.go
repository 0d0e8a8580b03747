package awswire

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestWalk(t *testing.T) {
	data := []byte("{\"a\": {\"b\" :1, \"c\":[ 2 ,\n {\"d\": null}]},\n \"e\": [], \"a\": \"x\\\"y\"}")
	var got []string
	err := Walk(data, func(path []string, key, value int64) error {
		got = append(got, fmt.Sprintf("%s %q %q", strings.Join(path, "."), data[key], data[value]))
		return nil
	})
	want := []string{
		`a '"' '{'`, `a.b '"' '1'`, `a.c '"' '['`, `a.c.0 '2' '2'`, `a.c.1 '{' '{'`, `a.c.1.d '"' 'n'`,
		`e '"' '['`, `a '"' '"'`,
	}
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}

	got = got[:0]
	err = Walk(data, func(path []string, _, _ int64) error {
		got = append(got, strings.Join(path, "."))
		if len(path) == 2 {
			return SkipValue
		}
		return nil
	})
	if want := "a|a.b|a.c|e|a"; err != nil || strings.Join(got, "|") != want {
		t.Errorf("skipping: got %q, %v; want %q", got, err, want)
	}

	stop := errors.New("stop")
	n := 0
	if err := Walk(data, func([]string, int64, int64) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("stopped: %v after %d calls", err, n)
	}
	if err := Walk([]byte(`{"a": [1,}`), func([]string, int64, int64) error { return nil }); err == nil {
		t.Error("a syntax error walked without error")
	}
}

func TestElementStart(t *testing.T) {
	data := []byte("{\"subnets\": [1, {\"a\": 2}],\n \"Subnets\": [3,\n  {\"b\": 4}], \"Vpcs\": {\"1\": 5}, \"x\": null}")
	for _, c := range []struct {
		key  string
		i    int
		want string // the element's first bytes, "" for none
	}{
		{"Subnets", 1, `{"b"`}, // the last of duplicate keys, matched without case
		{"subnets", 0, "3"},
		{"Subnets", 2, ""},
		{"Vpcs", 1, ""}, // an object is no list
		{"x", 0, ""},
		{"nope", 0, ""},
	} {
		at, ok := ElementStart(data, c.key, c.i)
		if got := ""; ok {
			got = string(data[at : at+int64(len(c.want))])
			if got != c.want || c.want == "" {
				t.Errorf("%s[%d] at %d (%q), want %q", c.key, c.i, at, got, c.want)
			}
		} else if c.want != "" {
			t.Errorf("%s[%d] not found, want %q", c.key, c.i, c.want)
		}
	}
}

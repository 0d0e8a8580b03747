package cli

import "testing"

// TestKeyword: every program's keyword flag reads its value in any case,
// as -format always has: "-by Service" and "-strategy FILTER" were
// refused beside "-format JSON" taken.
func TestKeyword(t *testing.T) {
	for _, c := range []struct {
		flag, v string
		names   []string
		want    string
		err     string
	}{
		{"by", "Service", []string{"task", "service"}, "service", ""},
		{"strategy", "FILTER", []string{"auto", "filter", "get"}, "filter", ""},
		{"mode", "awsvpc", []string{"bridge", "awsvpc"}, "awsvpc", ""},
		{"by", "services", []string{"task", "service"}, "", `-by "services": want task or service`},
	} {
		got, err := Keyword(c.flag, c.v, c.names...)
		if got != c.want || (err == nil) != (c.err == "") || err != nil && err.Error() != c.err {
			t.Errorf("Keyword(%q, %q, %q) = %q, %v; want %q, %q", c.flag, c.v, c.names, got, err, c.want, c.err)
		}
	}
}

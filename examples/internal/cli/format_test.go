package cli

import "testing"

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		v     string
		names []string
		want  string
		err   string
	}{
		{"json", []string{"table", "json"}, "json", ""},
		{"JSON", []string{"table", "json"}, "json", ""},
		{"Table", []string{"table", "json", "csv"}, "table", ""},
		{"xml", []string{"table", "json"}, "", `-format "xml": want table or json`},
		{"xml", []string{"table", "json", "csv"}, "", `-format "xml": want table, json or csv`},
		{" json", []string{"table", "json"}, "", `-format " json": want table or json`},
	} {
		got, err := Format(c.v, c.names...)
		if got != c.want || (err == nil) != (c.err == "") || err != nil && err.Error() != c.err {
			t.Errorf("Format(%q, %q) = %q, %v; want %q, %q", c.v, c.names, got, err, c.want, c.err)
		}
	}
}

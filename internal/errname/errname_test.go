package errname

import "testing"

func TestNames(t *testing.T) {
	for _, c := range []struct {
		msg, name string
		want      bool
	}{
		{"open a.log: no such file or directory", "a.log", true},
		{"flowlogs: a.log:3: field bytes", "a.log", true},
		{"s3source: s3://logs/AWSLogs/x.gz (listed with ETag e): cut", "AWSLogs/x.gz", true},
		{`reading "data": EOF`, "data", true},
		{"no data for eni-1", "data", false},
		{"metadata: bad", "data", false},
		{"data", "data", true},
		{"anything", "", true},
	} {
		if got := Names(c.msg, c.name); got != c.want {
			t.Errorf("Names(%q, %q) = %v, want %v", c.msg, c.name, got, c.want)
		}
	}
}

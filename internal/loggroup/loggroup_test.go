package loggroup

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct{ in, name, arn string }{
		{"vpc-flow", "vpc-flow", ""},
		{"/aws/vpc/flow", "/aws/vpc/flow", ""},
		{"arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow", "vpc-flow", "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow"},
		{"arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow:*", "vpc-flow", "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow"},
	} {
		if name, arn, err := Parse(c.in); err != nil || name != c.name || arn != c.arn {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %q", c.in, name, arn, err, c.name, c.arn)
		}
	}
	for _, in := range []string{"", "arn:aws:s3:::bucket", "arn:aws:logs:us-east-1:123456789012:log-group:", "arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:s"} {
		if _, _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q): no error", in)
		}
	}
}

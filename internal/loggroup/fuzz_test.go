package loggroup

import (
	"strings"
	"testing"
)

// FuzzParse: a -log-group value, a name or an ARN, gives the name and ARN
// that Parse reads back the same, or an error with a message.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"vpc-flow", "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow:*",
		"arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow", "arn:aws:s3:::b", "arn:aws:logs:r:a:log-group:", "", "arn:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, arn, err := Parse(s)
		if err != nil {
			if name != "" || arn != "" || err.Error() == "" {
				t.Fatalf("Parse(%q) = %q, %q, %v", s, name, arn, err)
			}
			return
		}
		if name == "" || strings.HasPrefix(name, "arn:") && arn == "" {
			t.Fatalf("Parse(%q) = %q, %q", s, name, arn)
		}
		if arn == "" {
			return
		}
		n2, a2, err := Parse(arn)
		if err != nil || n2 != name || a2 != arn {
			t.Fatalf("Parse(%q) = %q, %q; of the ARN: %q, %q, %v", s, name, arn, n2, a2, err)
		}
		if n3, a3, err := Parse(arn + ":*"); err != nil || n3 != name || a3 != arn {
			t.Fatalf("Parse(%q:*) = %q, %q, %v", arn, n3, a3, err)
		}
	})
}

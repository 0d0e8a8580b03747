package awsredact

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"x-amz-security-token:TOKEN+/=\nx-amz-target:X", "x-amz-security-token:[redacted]\nx-amz-target:X"},
		{"https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Security-Token=TOK%2B&X-Amz-Signature=abc123&x=1",
			"https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]&x=1"},
		{"Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20261201/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=deadbeef",
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20261201/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=[redacted]"},
		{"The request signature we calculated does not match the signature you provided.", "The request signature we calculated does not match the signature you provided."},
		{"content-type;host;x-amz-date;x-amz-security-token;x-amz-target", "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
		if strings.Contains(String(c.in), "TOKEN") {
			t.Errorf("token left in %q", String(c.in))
		}
	}
}

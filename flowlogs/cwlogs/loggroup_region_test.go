package cwlogs

import (
	"context"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLogGroupARNOfAnotherRegion: a log group ARN names its
// Region, and the SDK client says its own (Options().Region).
// CloudWatch Logs reads a group only in its own Region, so a read of an
// eu-west-1 group's ARN through a us-east-1 client can only fail (or,
// against the fake, which ignores the ARN's Region, read the us-east-1
// group of the same name). It must be refused before any call, saying
// which Region to use.
func TestLogGroupARNOfAnotherRegion(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	l.Put("vpc-flow", "eni-0123456789abcdef0", fakeaws.LogEvent{Timestamp: 1_700_000_000_000,
		Message: "2 123456789012 eni-0123456789abcdef0 10.0.0.1 10.0.0.2 443 49152 6 10 840 1700000000 1700000060 ACCEPT OK"})
	const other = "arn:aws:logs:eu-west-1:123456789012:log-group:vpc-flow"
	n := 0
	var err error
	for _, e := range New(c, other).Events(context.Background()) {
		if e != nil {
			err = e
			break
		}
		n++
	}
	if n != 0 || err == nil {
		t.Fatalf("read of %s with a us-east-1 client: %d events, error %v; want none, and an error", other, n, err)
	}
	for _, want := range []string{"eu-west-1", "us-east-1", "AWS_REGION=eu-west-1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q; want it to say %q", err, want)
		}
	}
	if calls := l.Calls(); len(calls) != 0 {
		t.Errorf("calls made before the Region was checked: %v", calls)
	}
	// The client's own Region's ARN reads.
	n = 0
	for _, e := range New(c, "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow:*").Events(context.Background()) {
		if e != nil {
			t.Fatal(e)
		}
		n++
	}
	if n != 1 {
		t.Errorf("read of the us-east-1 ARN: %d events; want 1", n)
	}
}

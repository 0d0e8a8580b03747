package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestProgressLineCoversLonger: the progress line overwrites
// itself, and one shorter than the line before it (the bytes going from
// "1009.8 KiB" to "1.1 MiB") must leave nothing of that one on the
// screen; cwlogs drew its own line, without covering the longer one, so
// the last line read "... 0s s" (cli.Progress covers it).
func TestProgressLineCoversLonger(t *testing.T) {
	l := fakeaws.NewLogs(fakeaws.LogsOptions{})
	t.Cleanup(l.Close)
	eni := "eni-00000000000000001"
	pad := "vpc-" + strings.Repeat("a", 1900) // a long record: pages of about 1 MB, the cap
	for i := 0; i < 600; i++ {
		start := t0.Unix() + int64(i%60)
		l.Put("vpc-flow", eni, fakeaws.LogEvent{Timestamp: start * 1000, Message: fmt.Sprintf(
			"2 123456789012 %s 10.0.0.1 10.0.1.1 40000 443 6 1 100 %d %d ACCEPT OK %s", eni, start, start+60, pad)})
	}
	e := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{})
	t.Cleanup(e.Close)
	c := clients(func(context.Context) (cwlogs.API, ec2format.API, error) {
		return cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = l.BaseEndpoint() }),
			ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = e.BaseEndpoint() }), nil
	})
	defer cli.AsTerminal()()
	format := "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${vpc-id}"
	code, out, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow", "-strategy", "get", "-log-format", format}, window...)...)
	if code != 0 || !strings.Contains(out, eni) {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	last := stderr[strings.LastIndex(stderr, "\r")+1:]
	final := strings.TrimRight(strings.TrimSuffix(last, "\n"), " ")
	if !strings.Contains(final, "events 600  1.1 MiB") {
		t.Fatalf("last progress line %q; want the read's 600 events and their 1.1 MiB", final)
	}
	// A line drawn over a longer one covers it with spaces: each is at
	// least as wide as the one before it.
	draws := strings.Split(strings.TrimSuffix(stderr, "\n"), "\r")[1:]
	for i := 1; i < len(draws); i++ {
		if a, b := utf8.RuneCountInString(draws[i-1]), utf8.RuneCountInString(draws[i]); b < a {
			t.Errorf("%q (%d characters) drawn over %q (%d): the end of the longer one stays on the screen", draws[i], b, draws[i-1], a)
		}
	}
}

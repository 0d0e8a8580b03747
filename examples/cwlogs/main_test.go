package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

var t0 = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func fakes(t *testing.T) (clients, *fakeaws.Logs) {
	l := fakeaws.NewLogs(fakeaws.LogsOptions{PageEvents: 3, EmptyPageEvery: 3})
	t.Cleanup(l.Close)
	for s := 0; s < 3; s++ {
		eni := fmt.Sprintf("eni-0%016d", s)
		for i := 0; i < 10; i++ {
			start := t0.Unix() + int64(i*60)
			l.Put("vpc-flow", eni, fakeaws.LogEvent{Timestamp: start * 1000, Message: fmt.Sprintf(
				"2 123456789012 %s 10.0.0.%d 10.0.1.1 40000 443 6 %d %d %d %d ACCEPT OK", eni, s, s+1, 100*(s+1), start, start+60)})
		}
	}
	e := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", LogFormat: flowlogs.DefaultFormat.String()})
	t.Cleanup(e.Close)
	return func(context.Context) (cwlogs.API, ec2format.API, error) {
		return cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = l.BaseEndpoint() }),
			ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = e.BaseEndpoint() }), nil
	}, l
}

var window = []string{"-start", "2026-11-20T11:00:00Z", "-end", "2026-11-20T13:00:00Z"}

func TestTotalsPerENI(t *testing.T) {
	c, _ := fakes(t)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), append([]string{"-group", "vpc-flow"}, window...), &out, &errOut, c); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.Contains(lines[1], "eni-00000000000000002") || strings.Join(strings.Fields(lines[1])[1:], " ") != "10 3000 30 0 0" {
		t.Fatalf("output:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "flow log fl-1") || !strings.Contains(errOut.String(), "streams 3/3  events 30") {
		t.Fatalf("stderr:\n%s", errOut.String())
	}
}

func TestCursorFileResumes(t *testing.T) {
	c, l := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	// -since: the second run keeps the saved window although the clock moved.
	args := []string{"-group", "vpc-flow", "-records", "-format", flowlogs.DefaultFormat.String(), "-cursor", file, "-strategy", "get",
		"-since", time.Since(t0.Add(-time.Hour)).Round(time.Second).String()}
	// The role loses GetLogEvents: the read stops with an error and saves
	// its position.
	l.Allow("logs:DescribeLogStreams")
	var out1, out2, errOut bytes.Buffer
	if err := run(context.Background(), args, &out1, &errOut, c); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("cursor not saved: %v\n%s", err, errOut.String())
	}
	l.Allow()
	if err := run(context.Background(), args, &out2, &errOut, c); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out1.String()+out2.String(), "\n"); n != 30 {
		t.Fatalf("%d records over both runs", n)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("cursor file left after a finished read")
	}
}

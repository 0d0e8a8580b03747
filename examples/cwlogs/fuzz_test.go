package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// FuzzCursorFile: a -cursor file, whatever it holds, with the flags that
// read text (-log-group, -since, -until, -log-format), resumes a read or
// is refused with a message; never a panic.
func FuzzCursorFile(f *testing.F) {
	l := fakeaws.NewLogs(fakeaws.LogsOptions{PageEvents: 3})
	f.Cleanup(l.Close)
	for s := 0; s < 2; s++ {
		eni := fmt.Sprintf("eni-0%016d", s)
		for i := 0; i < 3; i++ {
			start := t0.Unix() + int64(i*60)
			l.Put("vpc-flow", eni, fakeaws.LogEvent{Timestamp: start * 1000, Message: fmt.Sprintf(
				"2 123456789012 %s 10.0.0.%d 10.0.1.1 40000 443 6 1 100 %d %d ACCEPT OK", eni, s, start, start+60)})
		}
	}
	e := fakeaws.NewFlowLogsEC2(fakeaws.FlowLogsEC2Options{},
		fakeaws.FlowLog{ID: "fl-1", ResourceID: "vpc-1", LogGroupName: "vpc-flow", LogFormat: flowlogs.DefaultFormat.String()})
	f.Cleanup(e.Close)
	c := func(context.Context) (cwlogs.API, ec2format.API, error) {
		return cloudwatchlogs.NewFromConfig(fakeaws.Config(), func(o *cloudwatchlogs.Options) { o.BaseEndpoint = l.BaseEndpoint() }),
			ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = e.BaseEndpoint() }), nil
	}
	def := flowlogs.DefaultFormat.String()
	for _, s := range []struct{ cursor, group, since, until, format string }{
		{`{"logGroup":"vpc-flow","startMillis":1795172400000,"endMillis":1795179600000,"strategy":"GetLogEvents","streams":{"eni-00000000000000001":{"ts":99999999999999}},"counted":{}}`,
			"vpc-flow", "2026-11-20T11:00:00Z", "2026-11-20T13:00:00Z", def},
		{`{"version":2,"logGroup":"vpc-flow","startMillis":1795172400000,"endMillis":1795179600000,"counted":{"enis":{"eni-00000000000000000":{"records":1,"bytes":100}}}}`,
			"vpc-flow", "2026-11-20T11:00:00Z", "2026-11-20T13:00:00Z", ""},
		{`{"version":3}`, "vpc-flow", "2h", "", ""},
		{"\xef\xbb\xbf{\"logGroup\":\"vpc-flow\",\"startMillis\":1,\"endMillis\":2}", "arn:aws:logs:us-east-1:1:log-group:vpc-flow:*", "3d", "1d", "${version} ${interface-id}"},
		{"", "vpc-flow", "2026-11-20", "", def},
	} {
		f.Add([]byte(s.cursor), s.group, s.since, s.until, s.format)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, cursor []byte, group, since, until, format string) {
		file := filepath.Join(dir, "cursor.json")
		os.Remove(file)
		if len(cursor) > 0 {
			if err := os.WriteFile(file, cursor, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		args := []string{"-log-group", group, "-since", since, "-cursor", file, "-strategy", "get", "-q"}
		if until != "" {
			args = append(args, "-until", until)
		}
		if format != "" {
			args = append(args, "-log-format", format)
		}
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, &out, &errOut, c)
		if err != nil && err.Error() == "" {
			t.Fatalf("run(%q): an error with no message", args)
		}
	})
}

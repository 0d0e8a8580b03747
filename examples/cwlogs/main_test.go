package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
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

var window = []string{"-since", "2026-11-20T11:00:00Z", "-until", "2026-11-20T13:00:00Z"}

func TestTotalsPerENI(t *testing.T) {
	c, _ := fakes(t)
	var out, errOut bytes.Buffer
	// Progress is drawn on a terminal only: pretend stderr is one.
	terminal := cli.Terminal
	cli.Terminal = func(io.Writer) bool { return true }
	defer func() { cli.Terminal = terminal }()
	if err := run(context.Background(), append([]string{"-log-group", "vpc-flow"}, window...), &out, &errOut, c); err != nil {
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
	args := []string{"-log-group", "vpc-flow", "-records", "-log-format", flowlogs.DefaultFormat.String(), "-cursor", file, "-strategy", "get",
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

// TestENIRepeated: -eni accumulates, repeated or comma-separated, as
// attribute's list flags do.
func TestENIRepeated(t *testing.T) {
	c, _ := fakes(t)
	args := append([]string{"-log-group", "vpc-flow", "-q", "-log-format", flowlogs.DefaultFormat.String(),
		"-eni", "eni-00000000000000000", "-eni", "eni-00000000000000001"}, window...)
	code, out, stderr := runCode(t, c, args...)
	if code != 0 || !strings.Contains(out, "eni-00000000000000000") || !strings.Contains(out, "eni-00000000000000001") ||
		strings.Contains(out, "eni-00000000000000002") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestIAMPolicy: -iam-policy prints the policy the library documents.
func TestIAMPolicy(t *testing.T) {
	c, _ := fakes(t)
	if code, out, stderr := runCode(t, c, "-iam-policy"); code != 0 || out != cwlogs.IAMPolicy() || stderr != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

func runCode(t *testing.T, c clients, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Code("cwlogs", run(context.Background(), args, &out, &errOut, c), &errOut)
	return code, out.String(), errOut.String()
}

func TestJSONAndNoSilentZeros(t *testing.T) {
	c, l := fakes(t)
	code, out, stderr := runCode(t, c, append([]string{"-log-group", "vpc-flow", "-format", "json", "-q"}, window...)...)
	var doc struct {
		LogGroup string `json:"logGroup"`
		Since    string `json:"since"`
		ENIs     []struct {
			ENI   string `json:"eni"`
			Bytes int64  `json:"bytes"`
		} `json:"enis"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || doc.LogGroup != "vpc-flow" || doc.Since != "2026-11-20T11:00:00Z" ||
		len(doc.ENIs) != 3 || doc.ENIs[0].Bytes != 3000 || stderr != "" {
		t.Fatalf("exit %d, %v\n%s\nstderr %q", code, err, out, stderr)
	}
	l.Put("vpc-flow", "eni-bad", fakeaws.LogEvent{Timestamp: t0.UnixMilli(), Message: "2 123 garbage"})
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-log-group", "vpc-flow", "-since", "2026-11-21", "-until", "2026-11-22"}, 1, "log group vpc-flow: no streams with events in 2026-11-21 00:00:00 to 2026-11-22 00:00:00 UTC"},
		{append([]string{"-log-group", "vpc-flow", "-eni", "eni-none"}, window...), 1, "no streams matching -eni or -prefix"},
		{[]string{"-log-group", "vpc-flow", "-since", "last week"}, 1, `-since "last week": want RFC 3339`},
		{[]string{"-log-group", "vpc-flow", "-until", "2026-11-20T12:30:00Z", "-eni", "eni-00000000000000000", "-q"}, 0, ""},
		{[]string{"-log-group", "vpc-flow", "-records", "-top", "3"}, 1, "-top applies to the totals"},
		{[]string{"-log-group", "vpc-flow", "-records", "-format", "json"}, 1, "-format applies to the totals"},
		{[]string{"-log-group", "vpc-flow", "-format", "json", "-top", "3"}, 1, "-top applies to the table"},
		{[]string{"-log-group", "vpc-flow", "-format", "csv"}, 1, `-format "csv"`},
		{[]string{"-log-group", "vpc-flow", "-eni", "a", "-prefix", "b"}, 1, "not both"},
		{[]string{"-since", "1h"}, 1, "-log-group is required"},
		{append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String()}, window...), 1, "eni-bad"},
		{append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-lenient"}, window...), 0, "-lenient: skipped 1 malformed events in vpc-flow; first: "},
		{[]string{"-h"}, 0, "Usage: cwlogs -log-group NAME"},
		{[]string{"-group", "x"}, 2, "flag provided but not defined: -group"},
		{[]string{"-log-group", "vpc-flow", "-eni", ",,"}, 1, "empty value for -eni: "},
		{[]string{"-log-group", "vpc-flow", "-eni", "eni-a", "-eni", ""}, 1, "empty value for -eni: "},
		{[]string{"-log-group", "", "-log-format", ""}, 1, "empty value for -log-format, -log-group: "},
		{[]string{"-iam-policy", "-q"}, 1, "-iam-policy prints the policy and exits: give it alone"},
	} {
		code, _, stderr := runCode(t, c, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "cwlogs: cwlogs") {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// TestCursorOfAnotherRead: a -cursor file saved by a read over another
// window is refused with a message that says what to do.
func TestCursorOfAnotherRead(t *testing.T) {
	c, l := fakes(t)
	file := filepath.Join(t.TempDir(), "cursor.json")
	args := []string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-cursor", file, "-strategy", "get"}
	l.Allow("logs:DescribeLogStreams")
	if code, _, stderr := runCode(t, c, append(args, window...)...); code != 1 || !strings.Contains(stderr, "position saved in "+file) {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	l.Allow()
	saved, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCode(t, c, append(args, "-since", "2026-11-20T11:30:00Z", "-until", "2026-11-20T13:00:00Z")...)
	if code != 1 || !strings.Contains(stderr, "-cursor "+file+" was saved by another read") || strings.Contains(stderr, "position saved") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	// The other read's position is still there for it.
	if b, err := os.ReadFile(file); err != nil || !bytes.Equal(b, saved) {
		t.Errorf("the other read's cursor was overwritten (%v): %s", err, b)
	}
}

// TestCursorFileNotOurs: a -cursor file that holds no position is refused
// and left as it was.
func TestCursorFileNotOurs(t *testing.T) {
	c, _ := fakes(t)
	dir := t.TempDir()
	args := append([]string{"-log-group", "vpc-flow", "-log-format", flowlogs.DefaultFormat.String(), "-strategy", "get"}, window...)
	for _, in := range []string{"null", "{}", `{"streams":{}}`, `{"logGroup":"vpc-flow"}`, `{"logGroup":"vpc-flow","startMillis":5,"endMillis":5}`} {
		file := filepath.Join(dir, "cursor.json")
		if err := os.WriteFile(file, []byte(in), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCode(t, c, append(args, "-cursor", file)...)
		if code != 1 || !strings.Contains(stderr, "-cursor "+file+" holds no read position") {
			t.Errorf("%s: exit %d: %s", in, code, stderr)
		}
		if b, err := os.ReadFile(file); err != nil || string(b) != in {
			t.Errorf("%s: the file was changed (%v): %s", in, err, b)
		}
	}
}

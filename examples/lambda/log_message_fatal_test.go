package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestSQSWarningNamesMessage: main.go's doc says "an SQS
// message's lines have its messageId". The warning of an object replaced
// after its event (and the note of untimed records) was logged with the
// package logger, not the message's, so it had no messageId: in
// CloudWatch Logs Insights it could not be tied to its message.
func TestSQSWarningNamesMessage(t *testing.T) {
	e := newEnv(t)
	logged := lambdaLog(t, map[string]string{"AWS_LAMBDA_LOG_FORMAT": "JSON"})
	gone := e.objs[1]
	batch := map[string][]byte{
		"stale": s3EventJSON(s3Record(logBucket, gone.key, "0000000000000000000000000000dead", 1)),
	}
	if _, err := e.w.handle(invocation("req-r"), sqsEventJSON(batch)); err != nil {
		t.Fatal(err)
	}
	found := false
	for l := range strings.Lines(logged.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, l)
		}
		if msg, _ := m["message"].(string); !strings.Contains(msg, "replaced after this event") || m["outcome"] != nil {
			continue
		}
		found = true
		if m["messageId"] != "stale" || m["requestId"] != "req-r" {
			t.Errorf("the replaced-object warning lacks its message's or request's ID: %s", l)
		}
	}
	if !found {
		t.Fatalf("no replaced-object warning:\n%s", logged)
	}
}

// TestInitFailureAtFatal: a worker that cannot start (its
// environment incomplete) exits, and its log line is all that says why:
// Lambda shows "Runtime exited with error: exit status 1" and nothing
// more. It was logged at ERROR, so a function whose application log level
// is FATAL (AWS_LAMBDA_LOG_LEVEL=FATAL, which the worker's logger honours)
// exited without a word; log.Fatal, before, always wrote it. It is a
// fatal error: logged at FATAL, it is seen at every level.
func TestInitFailureAtFatal(t *testing.T) {
	if os.Getenv("ECSNET_LAMBDA_TEST_MAIN") == "1" {
		os.Args = os.Args[:1]
		main()
		return
	}
	for _, level := range []string{"FATAL", "ERROR", ""} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestInitFailureAtFatal$")
		cmd.Env = append(os.Environ(), "ECSNET_LAMBDA_TEST_MAIN=1", "CLUSTER=", "HISTORY_BUCKET=", "HISTORY_KEY=", "OUTPUT_BUCKET=",
			"AWS_LAMBDA_LOG_FORMAT=JSON", "AWS_LAMBDA_LOG_LEVEL="+level)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("level %q: the worker started without its environment:\n%s", level, out)
		}
		var m map[string]any
		line, _, _ := strings.Cut(string(out), "\n")
		if json.Unmarshal([]byte(line), &m) != nil || m["level"] != "FATAL" ||
			!strings.Contains(fmt.Sprint(m["message"]), "environment variables not set: CLUSTER") {
			t.Errorf("AWS_LAMBDA_LOG_LEVEL=%s: a failed start logged %q; want one JSON line at FATAL naming what is missing", level, out)
		}
	}
}

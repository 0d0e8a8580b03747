package history

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEventTimeOutsideJSONYears: an EventBridge event's "time"
// bounds a STOPPED task's end when it has no stop times, and is taken in
// UTC; one whose offset puts it in the year 10000 (or -1) in UTC made an
// end encoding/json cannot write, the same failure far from the input
// that awswire now refuses for describe-tasks times.
func TestEventTimeOutsideJSONYears(t *testing.T) {
	for _, tm := range []string{`"9999-12-31T23:00:00-05:00"`, `"0000-01-01T00:30:00+01:00"`} {
		in := `{"detail-type":"ECS Task State Change","time":` + tm + `,"detail":{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/1","lastStatus":"STOPPED","createdAt":"2026-11-25T10:00:00Z"}}` + "\n"
		b := NewBuilder()
		_, err := b.Load(strings.NewReader(in), "ev.jsonl")
		if err == nil || !strings.Contains(err.Error(), "ev.jsonl:1: time:") {
			t.Errorf("time %s: Load: %v, want an error at the event's time", tm, err)
		}
		for _, task := range b.Index().Tasks() {
			if _, err := json.Marshal(task); err != nil {
				t.Errorf("time %s: task taken, and encoding/json cannot write it: %v", tm, err)
			}
		}
	}
}

// TestSnapshotFormatQuotedShort: a snapshot's format is user data,
// quoted short in the error like every other value (awswire.Quote).
func TestSnapshotFormatQuotedShort(t *testing.T) {
	huge := "ecsnet/eni-snapshot/" + strings.Repeat("v", 2<<20)
	_, err := NewBuilder().Load(strings.NewReader(`{"format":"`+huge+`","cluster":"prod"}`), "snap.json")
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "snap.json") {
		t.Errorf("error of %d bytes: %.200v", len(errString(err)), err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

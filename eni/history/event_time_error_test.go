package history

import (
	"strings"
	"testing"
)

// An event's bad time is quoted in the error: short, as awswire quotes
// values, whatever its size (a 2 MiB string or number).
func TestBadEventTimeQuotedShort(t *testing.T) {
	huge := strings.Repeat("9", 2<<20)
	for _, tm := range []string{`"` + huge + `"`, huge} {
		in := `{"detail-type":"ECS Task State Change","time":` + tm + `,"detail":{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/1"}}` + "\n"
		d := NewDecoder(strings.NewReader(in))
		d.Name = "ev.jsonl"
		_, err := d.Next()
		if err == nil {
			t.Fatal("no error for a bad time")
		}
		if msg := err.Error(); len(msg) > 300 || !strings.Contains(msg, "ev.jsonl:1: time:") {
			t.Errorf("error of %d bytes: %.200s", len(msg), msg)
		}
		if rec, err := d.Next(); err != nil || rec.Task == nil {
			t.Errorf("the event itself: %v, %v", rec, err)
		}
	}
}

package history

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// A describe-tasks time past the year 9999 (epoch milliseconds go up to
// the year 33658) is a placed *ParseError where it is read; taken, it
// made the task's start one encoding/json cannot write, and the JSON
// report of a run far from the input failed.
func TestTimeOutsideJSONYears(t *testing.T) {
	doc := "{\"tasks\": [{\n" +
		`"taskArn": "arn:aws:ecs:us-east-1:123456789012:task/prod/t1", "lastStatus": "RUNNING",` + "\n" +
		`"startedAt": 500000000000000}]}`
	b := NewBuilder()
	_, err := b.Load(strings.NewReader(doc), "tasks.json")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(err.Error(), "years 0 to 9999") {
		t.Errorf("Load: %v, want a *ParseError at line 3 naming the years", err)
	}
	for _, task := range b.Index().Tasks() {
		if _, err := json.Marshal(task); err != nil {
			t.Errorf("task %s taken, and encoding/json cannot write it: %v", task.ARN, err)
		}
	}
}

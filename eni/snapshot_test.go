package eni

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Errors inside a Describe output name the line and column in the file,
// not in the member's own text (which starts at its line 1).
func TestReadSnapshotErrorPositionInFile(t *testing.T) {
	file := `{
  "cluster": "x",
  "describeTasks": [
    {"tasks": [{"taskArn": "a"}]},
    {
      "tasks": [
        {
          "taskArn": "b",
          "group": "service:web",
          "cpu": 256
        }
      ]
    }
  ],
  "describeTaskDefinition": [{"taskDefinition": {"family": 7}}]
}`
	for _, c := range []struct {
		name           string
		text           string
		member, path   string
		line, col      int
		offsetOfMarker string
	}{
		// "cpu" is a string in the ECS shapes: the 256 on line 10.
		{"inner line", file, "describeTasks[1]", "tasks[0].cpu", 10, 18, `256`},
		// The member starts mid-line: the column moves too.
		{"member's first line", strings.Replace(file, `"cpu": 256`, `"cpu": "256"`, 1),
			"describeTaskDefinition[0]", "taskDefinition.family", 15, 60, `7}`},
		// Duplicate keys: the last one is what was decoded.
		{"last duplicate key", "{\"describeTasks\": [{}],\n\"DescribeTasks\": [\n{},\n {\"tasks\": 1}]}",
			"describeTasks[1]", "tasks", 4, 12, `1}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadSnapshot(strings.NewReader(c.text), "snap.json")
			var se *SnapshotError
			var we *awswire.Error
			if !errors.As(err, &se) || !errors.As(err, &we) {
				t.Fatalf("got %v", err)
			}
			if se.Member != c.member || we.Path != c.path || we.Line != c.line || we.Column != c.col {
				t.Fatalf("got %v (member %q, path %q, line %d, column %d), want %s %s line %d column %d",
					err, se.Member, we.Path, we.Line, we.Column, c.member, c.path, c.line, c.col)
			}
			if want := int64(strings.LastIndex(c.text, c.offsetOfMarker)); we.Offset != want {
				t.Errorf("offset %d, want %d", we.Offset, want)
			}
			lines := strings.Split(c.text, "\n")
			if got := lines[we.Line-1][we.Column-1:]; !strings.HasPrefix(got, c.offsetOfMarker) {
				t.Errorf("line %d column %d points at %q", we.Line, we.Column, got)
			}
		})
	}
}

package sqltest

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// TestMadeTaskFamily: a task made from a record's ecs-* fields
// takes its family as attribution does, history.FamilyRevision of its
// ecs-task-definition-arn (the ARN's resource, less "task-definition/",
// up to the first ":"). The query took what follows the value's last
// "/" instead: a value with a "/" in the family, in another resource
// type or outside an ARN was grouped by family (and by service, under
// "family:…") apart from the engine's group.
func TestMadeTaskFamily(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := rvIndex(t, []history.Task{rvTask("00000000000000000000000000000001", "eni-k", "10.0.1.1", t0, time.Time{})}, nil)
	const head = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status " +
		"flow-direction ecs-task-definition-arn ecs-task-id"
	ts := t0.Add(time.Minute).Unix()
	var lines []string
	for i, td := range []string{
		"arn:aws:ecs:us-east-1:111122223333:task-definition/a/b:1", // family "a/b"
		"arn:aws:ecs:us-east-1:111122223333:service/c:2",           // "service/c"
		"d/e:3",               // "d/e"
		"task-definition/f:4", // "f"
		"arn:aws:ecs:us-east-1:1:task-definition/g:5/h", // "g"
	} {
		lines = append(lines, strings.Join([]string{"7", "111122223333", "-", "10.0.7.7", "52.94.1.1", "40000", "443", "6", "3",
			itoa(int64(100 * (i + 1))), itoa(ts), itoa(ts + 30), "ACCEPT", "OK", "egress", td, "made" + itoa(int64(i))}, " "))
	}
	want := map[string]int64{"a/b": 100, "service/c": 200, "d/e": 300, "f": 400, "g": 500}
	for _, by := range []attribution.GroupBy{attribution.ByFamily, attribution.ByService} {
		got := groupBytes(runAll(t, rvFixture(h, head, lines...), sqlattr.Builder{By: by}, false))
		for fam, b := range want {
			key := fam
			if by == attribution.ByService {
				key = "family:" + fam
			}
			if got[key] != b {
				t.Errorf("by %s: %s has %d bytes, want %d (groups %v)", by, key, got[key], b, got)
			}
		}
	}
}

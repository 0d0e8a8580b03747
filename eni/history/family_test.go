package history

import "testing"

// TestFamilyRevision: a revision is a positive int32 in ECS's API. Read
// with Atoi, "web:3000000000" wrapped around to a negative revision in
// the JSON report, and "web:-5" kept its sign; attribution's own parser
// of the ecs-* fields, a second rule, capped them otherwise.
func TestFamilyRevision(t *testing.T) {
	const arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/"
	for _, c := range []struct {
		in  string
		fam string
		rev int
	}{
		{arn + "web:12", "web", 12},
		{arn + "web:2147483647", "web", 2147483647},
		{arn + "web:2147483648", "web", 0},
		{arn + "web:3000000000", "web", 0},
		{arn + "web:-5", "web", 0},
		{arn + "web:+5", "web", 0},
		{arn + "web", "web", 0},
		{"web:3", "web", 3},
	} {
		if fam, rev := FamilyRevision(c.in); fam != c.fam || rev != c.rev {
			t.Errorf("%q: %q %d, want %q %d", c.in, fam, rev, c.fam, c.rev)
		}
	}
}

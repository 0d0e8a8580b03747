package history

import (
	"net/netip"
	"testing"
)

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

// TestNewIndexAddressFamilies: an address of the other family in a
// task's or instance's IPv4 or IPv6 field (an IPv4-mapped IPv6 address
// is the IPv4 one) was accepted, and the interval table written from it
// put it in the wrong column: read back, the rows were refused.
func TestNewIndexAddressFamilies(t *testing.T) {
	v4, v6 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("2001:db8::1")
	mapped := netip.MustParseAddr("::ffff:10.0.0.1")
	for _, c := range []struct {
		task Task
		inst Instance
		want string
	}{
		{task: Task{ARN: "t", IPv6: mapped}, want: "history: task 0 (t): IPv6 10.0.0.1 is an IPv4 address"},
		{task: Task{ARN: "t", IPv4: v6}, want: "history: task 0 (t): IPv4 2001:db8::1 is an IPv6 address"},
		{inst: Instance{ARN: "i", IPv6: v4}, want: "history: container instance 0 (i): IPv6 10.0.0.1 is an IPv4 address"},
	} {
		var tasks []Task
		var insts []Instance
		if c.task.ARN != "" {
			tasks = append(tasks, c.task)
		}
		if c.inst.ARN != "" {
			insts = append(insts, c.inst)
		}
		if _, err := NewIndex(tasks, insts); err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %s", err, c.want)
		}
	}
	if _, err := NewIndex([]Task{{ARN: "t", IPv4: mapped, IPv6: v6}}, nil); err != nil {
		t.Errorf("an IPv4-mapped address as the IPv4 one: %v", err)
	}
}

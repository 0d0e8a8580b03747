package attribution

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestMergeFoldsBareTaskID: one run makes a task that one record names
// by ecs-task-id alone and another by its ecs-task-arn one task, whatever
// their order (takeARN, the index's task IDs). Merged from two parts, one
// holding each record, it stayed two tasks, the bare ID's and the ARN's:
// a flow log of a format without ecs-task-arn (or a part read with a
// history that did not know the task yet) beside one with it. Merge, in
// either order and through a Merger asked for its sum part of the way,
// now gives one run's tasks.
func TestMergeFoldsBareTaskID(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	known := history.Task{ARN: acct + "task/prod/0123", ClusterARN: acct + "cluster/prod", Group: "service:web", Family: "web",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-k", IPv4: netip.MustParseAddr("10.0.1.1"), Valid: history.Interval{Start: t0}}
	h := mustIndex([]history.Task{known}, nil)
	empty := mustIndex(nil, nil)
	made := acct + "task/prod/4567"
	for _, c := range []struct {
		name   string
		hA, hB *history.Index
		a, b   []string
		want   map[string]uint64 // bytes by task ARN
	}{
		{"a made task, by ID then by ARN", empty, empty,
			[]string{reviewECSLine(100, "api", "-", "4567")}, []string{reviewECSLine(200, "api", made, "-")},
			map[string]uint64{made: 300}},
		{"a history task a part's history did not know", empty, h,
			[]string{reviewECSLine(100, "-", "-", "0123")}, []string{reviewECSLine(200, "-", "-", "0123")},
			map[string]uint64{known.ARN: 300}},
	} {
		t.Run(c.name, func(t *testing.T) {
			one := reviewAttribute(t, c.hB, reviewECSHead, append(append([]string(nil), c.a...), c.b...)).Partial()
			pa := reviewAttribute(t, c.hA, reviewECSHead, c.a).Partial()
			pb := reviewAttribute(t, c.hB, reviewECSHead, c.b).Partial()
			pa.Inputs = []Input{{Name: "a"}}
			pb.Inputs = []Input{{Name: "b"}}
			byTask := func(p *Partial) map[string]uint64 {
				got := map[string]uint64{}
				for _, tp := range p.Tasks {
					got[tp.Task.ARN] += tp.BytesIn + tp.BytesOut + tp.BytesUnknown
				}
				return got
			}
			if got := byTask(one); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("one run: bytes by task %v, want %v", got, c.want)
			}
			for _, order := range [][]*Partial{{pa, pb}, {pb, pa}} {
				m, err := Merge(order...)
				if err != nil {
					t.Fatal(err)
				}
				if got := byTask(m); fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("merged %s then %s: bytes by task %v, want one run's %v", order[0].Inputs[0].Name, order[1].Inputs[0].Name, got, c.want)
				}
				if got, want := m.Result(ByService).Groups, one.Result(ByService).Groups; len(got) != len(want) || got[0].Key != want[0].Key {
					t.Errorf("merged by service: %d groups (first %q), want one run's %d (%q)", len(got), got[0].Key, len(want), want[0].Key)
				}
			}
			var mg Merger
			for _, p := range []*Partial{pa, pb} {
				if err := mg.Add(p); err != nil {
					t.Fatal(err)
				}
				mg.Partial() // asked part of the way
			}
			if got := byTask(mg.Partial()); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("a Merger asked after each part: bytes by task %v, want %v", got, c.want)
			}
		})
	}
}

// TestMergerAskedEarlyFoldsLikeMerge: a Merger's sum does not
// depend on when it was asked for it. The history knows two tasks of one
// ID (two clusters); a part read with an older history that knew neither
// made its task from a bare ecs-task-id, which one run gives the greater
// ARN. Asked for its sum after the lesser ARN's part, a Merger folded the
// bare task into that one for good (the fold ran on the sum, in Partial), and the
// greater ARN's part, added next, no longer got it: Merge of the same
// parts, and one run, give it to the greater.
func TestMergerAskedEarlyFoldsLikeMerge(t *testing.T) {
	const acct = "arn:aws:ecs:us-east-1:123456789012:"
	mk := func(cl, eni, ip string) history.Task {
		return history.Task{ARN: acct + "task/" + cl + "/0123", ClusterARN: acct + "cluster/" + cl, NetworkMode: netmode.ModeAWSVPC,
			ENI: eni, IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: t0}}
	}
	ta, tb := mk("a", "eni-a", "10.0.1.1"), mk("b", "eni-b", "10.0.1.2")
	full, older := mustIndex([]history.Task{ta, tb}, nil), mustIndex(nil, nil)
	s := t0.Add(2 * time.Minute).Unix()
	onENI := func(eni, ip string, bytes int) string {
		return fmt.Sprintf("7 %s %s 52.94.1.1 40000 443 6 3 %d %d %d ACCEPT OK egress - - -", eni, ip, bytes, s, s+30)
	}
	lesser := []string{onENI("eni-a", "10.0.1.1", 10)}
	bare := []string{reviewECSLine(100, "-", "-", "0123")}
	greater := []string{onENI("eni-b", "10.0.1.2", 20)}
	pa := reviewAttribute(t, full, reviewECSHead, lesser).Partial()
	pBare := reviewAttribute(t, older, reviewECSHead, bare).Partial()
	pb := reviewAttribute(t, full, reviewECSHead, greater).Partial()
	byTask := func(p *Partial) string {
		got := map[string]uint64{}
		for _, tp := range p.Tasks {
			got[tp.Task.ARN] += tp.Bytes()
		}
		return fmt.Sprint(got)
	}
	want := fmt.Sprint(map[string]uint64{ta.ARN: 10, tb.ARN: 120})
	if got := byTask(reviewAttribute(t, full, reviewECSHead, append(append(append([]string(nil), lesser...), bare...), greater...)).Partial()); got != want {
		t.Fatalf("one run: bytes by task %s, want %s", got, want)
	}
	m, err := Merge(pa, pBare, pb)
	if err != nil {
		t.Fatal(err)
	}
	if got := byTask(m); got != want {
		t.Errorf("Merge: bytes by task %s, want %s", got, want)
	}
	var mg Merger
	for _, p := range []*Partial{pa, pBare, pb} {
		if err := mg.Add(p); err != nil {
			t.Fatal(err)
		}
		mg.Partial()
	}
	if got := byTask(mg.Partial()); got != want {
		t.Errorf("a Merger asked after each part: bytes by task %s, want %s", got, want)
	}
}

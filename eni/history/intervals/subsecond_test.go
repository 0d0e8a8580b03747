package intervals

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// shortLives is a history with tasks whose lifetimes hold no whole second:
// one inside a second, one of no length on a whole second, one that ends
// before it starts (NewIndex takes it as given), among tasks that live.
func shortLives(t *testing.T) *history.Index {
	t.Helper()
	const acct = "arn:aws:ecs:us-east-1:111122223333:"
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	task := func(id, eni, ip string, start, end time.Duration) history.Task {
		tk := history.Task{ARN: acct + "task/prod/" + id, ClusterARN: acct + "cluster/prod", Group: "service:" + id,
			TaskDefinitionARN: acct + "task-definition/" + id + ":1", Family: id, Revision: 1, LaunchType: "FARGATE",
			NetworkMode: netmode.ModeAWSVPC, ENI: eni, IPv4: netip.MustParseAddr(ip), Valid: history.Interval{Start: t0.Add(start)}}
		if end >= 0 {
			tk.Valid.End = t0.Add(end)
		}
		return tk
	}
	ms := time.Millisecond
	h, err := history.NewIndex([]history.Task{
		task("ok", "eni-ok", "10.0.0.1", 0, -1),
		task("blip", "eni-blip", "10.0.0.2", 5200*ms, 5700*ms),
		task("zero", "eni-zero", "10.0.0.3", 7*time.Second, 7*time.Second),
		task("back", "eni-back", "10.0.0.4", 9500*ms, 8*time.Second),
		task("after", "eni-blip", "10.0.0.2", 6*time.Second, 60*time.Second),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// v7Records are records naming each task by ecs-task-arn, and on each ENI,
// around the short lives.
func v7Records(h *history.Index) func() iterRecords {
	var lines []string
	for _, tk := range h.Tasks() {
		for sec := int64(-2); sec <= 12; sec += 2 {
			s := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).Unix() + sec
			lines = append(lines,
				fmt.Sprintf("7 111122223333 %s %s 52.94.1.1 443 40000 6 3 300 %d %d ACCEPT OK %s", tk.ENI, tk.IPv4, s, s+1, tk.ARN),
				fmt.Sprintf("7 111122223333 %s %s 52.94.1.1 443 40000 6 2 200 %d %d ACCEPT OK -", tk.ENI, tk.IPv4, s, s+1))
		}
	}
	return headedRecords("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-task-arn", lines)
}

// A task that lived no whole second keeps its task row (records naming it
// are its own whatever their second), written so that ReadParquet and
// Index take the table: one short task must not make every task's history
// unreadable. Its keys have no rows, as before.
func TestShortTaskRowsReadBack(t *testing.T) {
	h := shortLives(t)
	rows, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	taskRows := map[string]Row{}
	for _, r := range rows {
		if r.Kind == KindTask {
			taskRows[r.Family] = r
		} else if r.Family == "blip" || r.Family == "zero" || r.Family == "back" {
			t.Errorf("a %s row for %s, which held its keys for no whole second", r.Kind, r.Family)
		}
	}
	for fam, want := range map[string][2]int64{"blip": {6, 5}, "zero": {7, 6}, "back": {10, 7}} {
		r, ok := taskRows[fam]
		base := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC).Unix()
		if !ok || r.FirstSecond == nil || r.LastSecond == nil || *r.FirstSecond != base+want[0] || *r.LastSecond != base+want[1] {
			t.Errorf("task row of %s: %s", fam, rowText(r))
		}
	}
	if _, err := Index(rows); err != nil {
		t.Fatalf("rows Build wrote are refused: %v", err)
	}
	checkTrip(t, h, v7Records(h))
	var csv bytes.Buffer
	if err := WriteCSV(&csv, rows); err != nil {
		t.Fatal(err)
	}
}

// A key's row that holds no whole second is still refused: Build leaves
// such a span out.
func TestEmptyIntervalOnlyOnTaskRows(t *testing.T) {
	rows, err := Build(shortLives(t))
	if err != nil {
		t.Fatal(err)
	}
	edited := make([]Row, len(rows))
	for i, r := range rows {
		if r.Kind == KindTaskENI && r.Family == "ok" {
			// The second before the row starts, ending at its start.
			e := *r.Start
			last := *r.FirstSecond - 1
			r.End, r.LastSecond, r.LateBaseSecond = &e, &last, &last
		}
		edited[i] = r
	}
	var xe *Error
	if _, err := Index(edited); !errors.As(err, &xe) || xe.Column != "end" || !strings.Contains(err.Error(), "holds no whole second") {
		t.Errorf("an empty task_eni row: %v", err)
	}
}

// Times finer than the table's microseconds round up, keeping the whole
// seconds they bound: a start of 10:00:00.0000001 holds 10:00:01 on, and
// the row says so in its seconds and its start alike (rounded down, the
// reader refused the row and so the table).
func TestSubMicrosecondTimesReadBack(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tk := history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/prod/nano", LaunchType: "FARGATE",
		NetworkMode: netmode.ModeAWSVPC, ENI: "eni-nano", IPv4: netip.MustParseAddr("10.0.0.9"),
		Valid: history.Interval{Start: t0.Add(100), End: t0.Add(30*time.Second + 100)}}
	_, rows := built(t, []history.Task{tk}, nil)
	for _, r := range rows {
		if *r.FirstSecond != t0.Unix()+1 || *r.LastSecond != t0.Unix()+30 ||
			!r.Start.Equal(t0.Add(time.Microsecond)) || !r.End.Equal(t0.Add(30*time.Second+time.Microsecond)) {
			t.Errorf("row %s", rowText(r))
		}
	}
	rebuildsExactly(t, rows)
}

// rebuildsExactly checks that rows Build wrote, through a Parquet file and
// Index, give the same rows again.
// built is the Index of tasks and instances and the rows Build writes of
// it.
func built(t *testing.T, tasks []history.Task, insts []history.Instance) (*history.Index, []Row) {
	t.Helper()
	h, err := history.NewIndex(tasks, insts)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Build(h)
	if err != nil {
		t.Fatal(err)
	}
	return h, rows
}

func rebuildsExactly(t *testing.T, rows []Row) {
	t.Helper()
	back, err := Index(roundTrip(t, rows))
	if err != nil {
		t.Fatalf("rows Build wrote are refused: %v", err)
	}
	again, err := Build(back)
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, "Build(Index(rows))", again, rows)
}

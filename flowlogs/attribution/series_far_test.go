package attribution_test

import (
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestFarStartSeries: Attributor.Add takes any Record, and
// the time series took the distance between two bucket numbers as an
// int64. With one-second buckets (WithStep(time.Second), attribute -step
// 1s) a record of a start near the most negative int64 beside one of
// today made that distance wrap: Result panicked (index out of range)
// instead of leaving the far record out of the series
// (Stats.SeriesDropped), as WithMaxBuckets documents for a record too far
// from the others.
func TestFarStartSeries(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	// A task that holds its ENI at every second (no times known).
	tk := history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/c/0123", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-1", IPv4: netip.MustParseAddr("10.0.0.1")}
	h, err := history.NewIndex([]history.Task{tk}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(start int64) *flowlogs.Record {
		r := &flowlogs.Record{InterfaceID: "eni-1", SrcAddr: tk.IPv4, DstAddr: netip.MustParseAddr("52.94.1.1"),
			Bytes: 100, Packets: 1, Start: start, End: start + 30}
		for _, f := range []flowlogs.Field{flowlogs.FieldInterfaceID, flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr,
			flowlogs.FieldBytes, flowlogs.FieldPackets, flowlogs.FieldStart, flowlogs.FieldEnd} {
			r.Present.Add(f)
		}
		return r
	}
	for _, order := range [][]int64{
		{t0.Unix(), math.MinInt64 + 5, t0.Unix() + 60},    // the far one before the series' first bucket
		{math.MinInt64 + 5, t0.Unix(), t0.Unix() + 60},    // after it
		{t0.Unix(), math.MinInt64 + 5, math.MaxInt64 - 5}, // far on both sides
	} {
		a := attribution.New(h, attribution.WithStep(time.Second))
		for _, s := range order {
			a.Add(rec(s))
		}
		var res *attribution.Result
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("starts %v: Result panicked: %v", order, p)
				}
			}()
			res = a.Result(attribution.ByTask)
		}()
		if len(res.Groups) != 1 || res.Groups[0].Records != 3 || len(res.Groups[0].Series) == 0 ||
			a.Stats().SeriesDropped == 0 || a.Stats().SeriesDropped+uint64(len(res.Groups[0].Series)) != 3 {
			t.Errorf("starts %v: groups %+v, stats %+v; want the three records the task's, the far ones out of its series", order, res.Groups, a.Stats())
		}
	}
}

// TestFarStartGroupSeries: the same distance between two
// tasks' series, summed into their group's (sumSeries): each task's
// series is short, but one lies near the most negative int64 and the
// other today, and the group's span wrapped an int64.
func TestFarStartGroupSeries(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var tasks []history.Task
	for i, eni := range []string{"eni-1", "eni-2"} {
		tasks = append(tasks, history.Task{ARN: "arn:aws:ecs:us-east-1:111122223333:task/c/012" + string(rune('0'+i)),
			Group: "service:web", NetworkMode: netmode.ModeAWSVPC, ENI: eni})
	}
	h, err := history.NewIndex(tasks, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(eni string, start int64) *flowlogs.Record {
		r := &flowlogs.Record{InterfaceID: eni, Bytes: 100, Packets: 1, Start: start}
		for _, f := range []flowlogs.Field{flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldPackets, flowlogs.FieldStart} {
			r.Present.Add(f)
		}
		return r
	}
	a := attribution.New(h, attribution.WithStep(time.Second))
	a.Add(rec("eni-1", math.MinInt64+5))
	a.Add(rec("eni-2", t0.Unix()))
	var res *attribution.Result
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Result panicked: %v", p)
			}
		}()
		res = a.Result(attribution.ByService)
	}()
	if len(res.Groups) != 1 || res.Groups[0].Records != 2 || len(res.Groups[0].Series) != 2 {
		t.Errorf("groups %+v; want one group of two records in two points", res.Groups)
	}
}

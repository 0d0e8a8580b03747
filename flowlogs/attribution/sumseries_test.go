package attribution

import (
	"reflect"
	"testing"
	"time"
)

// Summing a group's series gives the same points whether the tasks'
// buckets are close (one slice) or far apart (a map), and leaves empty
// buckets out.
func TestSumSeries(t *testing.T) {
	b := func(in, out, unk uint64) bucket {
		return bucket{bytes: [3]uint64{dirUnknown: unk, dirIngress: in, dirEgress: out}}
	}
	near := []*series{
		{first: 10, pts: []bucket{b(1, 0, 0), {}, b(0, 2, 0)}},
		{first: 11, pts: []bucket{b(0, 0, 3), b(4, 0, 0)}},
	}
	got := sumSeries(near, nil, 300)
	want := []Point{
		{Start: timeAt(10 * 300), BytesIn: 1},
		{Start: timeAt(11 * 300), BytesUnknown: 3},
		{Start: timeAt(12 * 300), BytesIn: 4, BytesOut: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("near:\n got  %+v\n want %+v", got, want)
	}
	far := []*series{near[0], {first: 10 + 1<<17, pts: []bucket{b(5, 0, 0)}}}
	got = sumSeries(far, nil, 300)
	want = []Point{
		{Start: timeAt(10 * 300), BytesIn: 1},
		{Start: timeAt(12 * 300), BytesOut: 2},
		{Start: timeAt((10 + 1<<17) * 300), BytesIn: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("far:\n got  %+v\n want %+v", got, want)
	}
	if got := sumSeries(near[:1], nil, 300); len(got) != 2 {
		t.Errorf("one series: %+v", got)
	}
}

func timeAt(unix int64) time.Time { return time.Unix(unix, 0).UTC() }

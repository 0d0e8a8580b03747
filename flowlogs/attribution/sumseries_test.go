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
	// A dense series of buckets with all three counts (in, out, unknown).
	dense := func(first int64, bs ...[3]uint32) *series {
		s := &series{first: first, dirs: 1<<dirUnknown | 1<<dirIngress | 1<<dirEgress}
		for _, b := range bs {
			s.cells = append(s.cells, b[2], b[0], b[1]) // in direction order
		}
		return s
	}
	near := []*series{
		dense(10, [3]uint32{1, 0, 0}, [3]uint32{}, [3]uint32{0, 2, 0}),
		dense(11, [3]uint32{0, 0, 3}, [3]uint32{4, 0, 0}),
	}
	got := sumSeries(nil, near, nil, 300)
	want := []Point{
		{Start: timeAt(10 * 300), BytesIn: 1},
		{Start: timeAt(11 * 300), BytesUnknown: 3},
		{Start: timeAt(12 * 300), BytesIn: 4, BytesOut: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("near:\n got  %+v\n want %+v", got, want)
	}
	far := []*series{near[0], dense(10+1<<17, [3]uint32{5, 0, 0})}
	got = sumSeries(nil, far, nil, 300)
	want = []Point{
		{Start: timeAt(10 * 300), BytesIn: 1},
		{Start: timeAt(12 * 300), BytesOut: 2},
		{Start: timeAt((10 + 1<<17) * 300), BytesIn: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("far:\n got  %+v\n want %+v", got, want)
	}
	if got := sumSeries(nil, near[:1], nil, 300); len(got) != 2 {
		t.Errorf("one series: %+v", got)
	}
	// A bucket past 2³² bytes: its high half is carried, and sums exact.
	var big series
	big.add(10, dirEgress, 5<<32+7, 4096)
	big.add(10, dirEgress, 1<<32-1, 4096)
	big.add(11, dirIngress, 1<<32, 4096) // low half 0: still a point
	got = sumSeries(nil, []*series{&big, near[1]}, nil, 300)
	want = []Point{
		{Start: timeAt(10 * 300), BytesOut: 6<<32 + 6},
		{Start: timeAt(11 * 300), BytesIn: 1 << 32, BytesUnknown: 3},
		{Start: timeAt(12 * 300), BytesIn: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("carried:\n got  %+v\n want %+v", got, want)
	}
	if got := sumSeries(nil, []*series{&big}, nil, 300); len(got) != 2 || got[1].BytesIn != 1<<32 {
		t.Errorf("carried, one series: %+v", got)
	}
}

func timeAt(unix int64) time.Time { return time.Unix(unix, 0).UTC() }

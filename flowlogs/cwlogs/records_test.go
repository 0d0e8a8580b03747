package cwlogs

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func TestRecordsWithSeveralFormatsInOneStream(t *testing.T) {
	l, c := newFake(t, quirky)
	v5, err := flowlogs.ParseLogFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${start} ${end} ${flow-direction} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	// Same field count as v5 above, other fields: chosen by trying.
	alt, err := flowlogs.ParseLogFormat("${interface-id} ${version} ${dstaddr} ${srcaddr} ${packets} ${start} ${end} ${action} ${log-status}")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for s := 0; s < 4; s++ {
		var evs []fakeaws.LogEvent
		for i := 0; i < 60; i++ {
			ts := base.UnixMilli() + int64(i)*1000
			var msg string
			switch i % 3 {
			case 0:
				msg = flowLine(s, i, ts/1000)
				want["v2"] += int64(40 * (1 + i%9))
			case 1:
				msg = fmt.Sprintf("5 %s 10.0.0.%d 10.1.1.1 %d %d %d egress OK", eniName(s), i%250, 1000+i, ts/1000, ts/1000+60)
				want["v5"] += int64(1000 + i)
			case 2:
				msg = fmt.Sprintf("%s 5 10.1.1.1 10.0.0.%d %d %d %d REJECT OK", eniName(s), i%250, 7+i, ts/1000, ts/1000+60)
				want["alt"] += int64(7 + i)
			}
			evs = append(evs, fakeaws.LogEvent{Timestamp: ts, Message: msg})
		}
		l.Put("flows", eniName(s), evs...)
	}
	got := map[string]int64{}
	n := 0
	src := New(c, "flows", WithRateLimits(Limits{}), WithFormats(flowlogs.DefaultFormat, v5, alt))
	for r, err := range src.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		switch {
		case r.Has(flowlogs.FieldAccountID):
			got["v2"] += r.Bytes
		case r.Has(flowlogs.FieldFlowDirection):
			got["v5"] += r.Bytes
		default:
			got["alt"] += r.Packets
		}
	}
	if n != 240 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%d records, sums %v, want %v", n, got, want)
	}
}

func TestRecordsStrictAndLenient(t *testing.T) {
	l, c := newFake(t, fakeaws.LogsOptions{})
	fill(l, "flows", 2, 50)
	l.Put("flows", eniName(1), fakeaws.LogEvent{Timestamp: base.UnixMilli() + 7, Message: "2 123456789012 eni-x 10.0.0.1 10.0.0.2 1 2 6 1 notanumber 1 2 ACCEPT OK"})

	var pe *flowlogs.ParseError
	n := 0
	var last error
	for _, err := range New(c, "flows", WithRateLimits(Limits{})).Records(context.Background()) {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if !errors.As(last, &pe) || pe.Field != "bytes" || pe.Name == "" {
		t.Fatalf("strict: %v", last)
	}
	t.Log(last)

	src := New(c, "flows", WithRateLimits(Limits{}), WithLenient(5), WithFilter(flowlogs.Filter{InterfaceIDs: []string{eniName(0)}}))
	n = 0
	for r, err := range src.Records(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if r.InterfaceID != eniName(0) {
			t.Fatalf("filter let %s through", r.InterfaceID)
		}
		n++
	}
	if n != 50+50/40 || src.Progress().Malformed != 1 || len(src.Malformed()) != 1 {
		t.Fatalf("lenient: %d records, progress %+v", n, src.Progress())
	}
}

// Records, not just events: the lines parsed across an interrupted and
// resumed read under faults are exactly the group's, each once.
func TestRecordsExactAcrossResumeUnderFaults(t *testing.T) {
	for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
		t.Run(st.String(), func(t *testing.T) {
			l, c := newFake(t, quirky)
			fill(l, "flows", 15, 50)
			l.SetFaults(fakeaws.Faults{ThrottleEvery: 4, ServerErrorEvery: 7, DropEvery: 11})
			wantLines := map[string]int{}
			for _, e := range l.Events("flows") {
				wantLines[e.Message]++
			}
			got := map[string]int{}
			opts := []Option{WithStrategy(st), WithRateLimits(Limits{}), WithConcurrency(3)}
			src := New(c, "flows", opts...)
			n := 0
			for r, err := range src.Records(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				got[r.String()]++
				if n++; n == 300 {
					break
				}
			}
			src = New(c, "flows", append(opts, WithResume(src.Cursor()))...)
			for r, err := range src.Records(context.Background()) {
				if err != nil {
					t.Fatal(err)
				}
				got[r.String()]++
			}
			if fmt.Sprint(got) != fmt.Sprint(wantLines) {
				t.Fatalf("got %d distinct lines, want %d", len(got), len(wantLines))
			}
		})
	}
}

package cwlogs

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	src := New(c, "flows", WithRateLimits(Limits{}), WithReaderOptions(flowlogs.WithFormats(flowlogs.DefaultFormat, v5, alt)))
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

	src := New(c, "flows", WithRateLimits(Limits{}),
		WithReaderOptions(flowlogs.WithLenient(5), flowlogs.WithFilter(flowlogs.Filter{InterfaceIDs: []string{eniName(0)}})))
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

// Each flowlogs option WithReaderOptions forwards takes effect on the
// records read from the fake service.
func TestRecordsReaderOptions(t *testing.T) {
	custom, err := flowlogs.ParseLogFormat("${interface-id} ${action} ${bytes} ${start} ${end}")
	if err != nil {
		t.Fatal(err)
	}
	ts := base.UnixMilli() + 500
	// Two default-format streams of 51 events each (see fill), then one
	// event of each kind in stream 1.
	setup := func(t *testing.T, extra ...string) *fakeaws.Logs {
		l, _ := newFake(t, quirky)
		fill(l, "flows", 2, 50)
		for i, msg := range extra {
			l.Put("flows", eniName(1), fakeaws.LogEvent{Timestamp: ts + int64(i), Message: msg})
		}
		return l
	}
	read := func(t *testing.T, l *fakeaws.Logs, opts ...flowlogs.Option) (*Source, []flowlogs.Record, error) {
		t.Helper()
		src := New(newClient(l), "flows", WithRateLimits(Limits{}), WithReaderOptions(opts...))
		var recs []flowlogs.Record
		for r, err := range src.Records(context.Background()) {
			if err != nil {
				return src, recs, err
			}
			recs = append(recs, *r)
		}
		return src, recs, nil
	}
	const all = 2 * 51
	sec := ts / 1000
	reject := fmt.Sprintf("2 123456789012 %s 10.9.9.9 10.1.0.1 4444 22 6 1 40 %d %d REJECT OK", eniName(1), sec, sec+60)
	malformed := fmt.Sprintf("2 123456789012 %s 10.9.9.9 10.1.0.1 4444 22 6 1 notanumber %d %d REJECT OK", eniName(1), sec, sec+60)

	t.Run("formats", func(t *testing.T) {
		l := setup(t, fmt.Sprintf("%s ACCEPT 777 %d %d", eniName(1), sec, sec+60))
		var pe *flowlogs.ParseError
		if _, _, err := read(t, l); !errors.As(err, &pe) || !errors.Is(err, flowlogs.ErrMissingFields) {
			t.Fatalf("default format only: %v", err)
		}
		_, recs, err := read(t, l, flowlogs.WithFormats(flowlogs.DefaultFormat, custom))
		if err != nil || len(recs) != all+1 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		n := 0
		for _, r := range recs {
			if r.Format() == custom {
				if n++; r.Bytes != 777 || r.Action != flowlogs.ActionAccept || r.Has(flowlogs.FieldAccountID) {
					t.Fatalf("custom record %v", &r)
				}
			}
		}
		if n != 1 {
			t.Fatalf("%d records of the custom format", n)
		}
		// WithFormat alone: the default-format events are now malformed.
		if _, _, err := read(t, l, flowlogs.WithFormat(custom)); !errors.Is(err, flowlogs.ErrExtraFields) {
			t.Fatalf("custom format only: %v", err)
		}
	})

	t.Run("lenient", func(t *testing.T) {
		l := setup(t, malformed)
		_, recs, err := read(t, l)
		var pe *flowlogs.ParseError
		if !errors.As(err, &pe) || pe.Field != "bytes" || !strings.HasPrefix(pe.Name, "flows/"+eniName(1)+"@") || len(recs) == all {
			t.Fatalf("strict: %d records, %v", len(recs), err)
		}
		src, recs, err := read(t, l, flowlogs.WithLenient(0))
		if err != nil || len(recs) != all || src.Progress().Malformed != 1 || len(src.Malformed()) != 0 {
			t.Fatalf("lenient(0): %d records, %v, %+v, kept %d", len(recs), err, src.Progress(), len(src.Malformed()))
		}
		src, _, _ = read(t, l, flowlogs.WithLenient(5))
		if m := src.Malformed(); len(m) != 1 || m[0].Field != "bytes" {
			t.Fatalf("lenient(5) kept %v", m)
		}
	})

	t.Run("filter", func(t *testing.T) {
		l := setup(t, reject)
		_, recs, err := read(t, l, flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionReject}))
		if err != nil || len(recs) != 1 || recs[0].DstPort != 22 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
	})

	t.Run("fields", func(t *testing.T) {
		l := setup(t, reject)
		_, recs, err := read(t, l, flowlogs.WithFields(flowlogs.FieldBytes))
		if err != nil || len(recs) != all+1 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		for _, r := range recs {
			if !r.Has(flowlogs.FieldBytes) || r.Has(flowlogs.FieldSrcAddr) || r.Has(flowlogs.FieldAction) {
				t.Fatalf("fields of %v: %v", &r, r.Present)
			}
		}
	})

	t.Run("source", func(t *testing.T) {
		l := setup(t, malformed)
		_, _, err := read(t, l, flowlogs.WithSource("arn:aws:logs:eu-west-1:123456789012:log-group:flows"))
		var pe *flowlogs.ParseError
		if !errors.As(err, &pe) || !strings.HasPrefix(pe.Name, "arn:aws:logs:eu-west-1:123456789012:log-group:flows/"+eniName(1)+"@") {
			t.Fatalf("%v", err)
		}
	})

	t.Run("max line length", func(t *testing.T) {
		long := reject + strings.Repeat(" ", 300) // trimmed: parses without a bound
		l := setup(t, long)
		if _, recs, err := read(t, l); err != nil || len(recs) != all+1 {
			t.Fatalf("no bound: %d records, %v", len(recs), err)
		}
		_, _, err := read(t, l, flowlogs.WithMaxLineLength(200))
		var pe *flowlogs.ParseError
		if !errors.As(err, &pe) || !errors.Is(err, flowlogs.ErrLineTooLong) || !strings.HasPrefix(pe.Name, "flows/") {
			t.Fatalf("strict: %v", err)
		}
		src, recs, err := read(t, l, flowlogs.WithMaxLineLength(200), flowlogs.WithLenient(1))
		if err != nil || len(recs) != all || src.Progress().Malformed != 1 {
			t.Fatalf("lenient: %d records, %v, %+v", len(recs), err, src.Progress())
		}
	})

	t.Run("sync decompression is ignored", func(t *testing.T) {
		l := setup(t)
		if _, recs, err := read(t, l, flowlogs.WithSyncDecompression()); err != nil || len(recs) != all {
			t.Fatalf("%d records, %v", len(recs), err)
		}
	})

	t.Run("calls add up", func(t *testing.T) {
		l := setup(t, reject, malformed)
		src := New(newClient(l), "flows", WithRateLimits(Limits{}),
			WithReaderOptions(flowlogs.WithLenient(1)), WithReaderOptions(flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionReject})))
		n := 0
		for _, err := range src.Records(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 1 || src.Progress().Malformed != 1 {
			t.Fatalf("%d records, %+v", n, src.Progress())
		}
	})
}

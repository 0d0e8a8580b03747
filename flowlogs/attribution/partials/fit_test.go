package partials_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/parquet-go/parquet-go"
)

// writeRows writes rows as a partials file: for rows Write would not
// write, edited from what Rows returns.
func writeRows(t testing.TB, rows []partials.Row) []byte {
	t.Helper()
	var b bytes.Buffer
	w := parquet.NewGenericWriter[partials.Row](&b, parquet.KeyValueMetadata(partials.MetadataKey, fmt.Sprint(partials.SchemaVersion)))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// rowOf returns the index of the last of rows for which is holds, -1 if
// none does.
func rowOf(rows []partials.Row, is func(*partials.Row) bool) int {
	for i := len(rows) - 1; i >= 0; i-- {
		if is(&rows[i]) {
			return i
		}
	}
	return -1
}

// TestReadInconsistentSums: a file whose parts do not fit inside its
// totals, or whose bytes column disagrees with its directions, is refused
// at the row where it stops adding up. Merge checks only Total for
// overflow, so three copies of the first file below read and merged gave
// a group bytes_in of 2^63-3 and a total of 30 bytes.
func TestReadInconsistentSums(t *testing.T) {
	h := cluster(t)
	objs := objects(3, 1, 200)
	kind := func(k string) func(*partials.Row) bool {
		return func(r *partials.Row) bool { return r.Kind == k }
	}
	// first is the first task's ARN in every partial of objs.
	first := attribute(t, h, objs).Partial().Tasks[0].Task.ARN
	ofFirst := func(k string) func(*partials.Row) bool {
		return func(r *partials.Row) bool { return r.Kind == k && r.TaskARN == first }
	}
	for _, c := range []struct {
		name string
		// edit changes a real partial; rows, if not nil, then its rows.
		edit   func(*attribution.Partial)
		rows   func([]partials.Row)
		row    func(*partials.Row) bool // the last row it holds for is refused
		column string
		says   string
	}{
		{name: "task past the total", edit: func(p *attribution.Partial) {
			*p = attribution.Partial{Config: p.Config, Total: attribution.Totals{Bytes: 10, Packets: 1, Records: 1},
				Tasks: []attribution.TaskPart{{Task: &history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/x", Group: "service:s"},
					Counters: attribution.Counters{BytesIn: math.MaxInt64, Records: 1}}}}
		}, row: kind(partials.KindTask), column: "bytes",
			says: `task "arn:aws:ecs:us-east-1:1:task/c/x": 9223372036854775807 bytes, more than the 10 of the file's 10 not in the unattributed reasons or other tasks`},
		// Reasons come after methods, tasks after both.
		{name: "methods and reasons past the total", edit: func(p *attribution.Partial) { p.Total.Records-- },
			row: kind(partials.KindUnattributed), column: "records", says: "not in the methods or other reasons"},
		{name: "tasks and reasons past the total", edit: func(p *attribution.Partial) {
			p.Stats.ByMethod = [len(p.Stats.ByMethod)]attribution.Totals{}
			p.Total.Bytes--
		}, row: kind(partials.KindTask), column: "bytes", says: "not in the unattributed reasons or other tasks"},
		{name: "packets past the total", edit: func(p *attribution.Partial) {
			p.Stats.ByMethod = [len(p.Stats.ByMethod)]attribution.Totals{}
			p.Total.Packets--
		}, row: kind(partials.KindTask), column: "packets", says: "packets, more than"},
		{name: "method past the total", edit: func(p *attribution.Partial) {
			p.Stats.ByMethod[attribution.ByENI].Packets = p.Total.Packets + 1
		}, row: func(r *partials.Row) bool {
			return r.Kind == partials.KindMethod && r.Method == attribution.ByENI.String()
		}, column: "packets", says: "not in the unattributed reasons or other methods"},
		{name: "stats past the records", edit: func(p *attribution.Partial) { p.Stats.DirectionUnknown = p.Total.Records + 1 },
			row: kind(partials.KindMeta), column: "direction_unknown", says: "records, more than the file's"},
		{name: "accepted and rejected past the bytes", edit: func(p *attribution.Partial) { p.Tasks[0].RejectedBytes++ },
			row: ofFirst(partials.KindTask), column: "rejected_bytes", says: "more than its"},
		{name: "inferred past the records", edit: func(p *attribution.Partial) { p.Tasks[0].InferredRecords = p.Tasks[0].Records + 1 },
			row: ofFirst(partials.KindTask), column: "inferred_records", says: "inferred records, more than its"},
		{name: "classes past the task", edit: func(p *attribution.Partial) {
			tp := &p.Tasks[0]
			cl := slices.IndexFunc(tp.ClassBytes[:], func(b uint64) bool { return b > 0 })
			tp.ClassBytes[cl]++
			tp.ClassBytesOut[cl]++
		}, row: ofFirst(partials.KindClass), column: "bytes_out", says: "not in its other classes"},
		{name: "points past the task", edit: func(p *attribution.Partial) { p.Tasks[0].Series[len(p.Tasks[0].Series)-1].BytesIn++ },
			row: ofFirst(partials.KindPoint), column: "bytes_in", says: "not in its other buckets"},
		{name: "task bytes column", rows: func(r []partials.Row) { r[rowOf(r, ofFirst(partials.KindTask))].Bytes++ },
			row: ofFirst(partials.KindTask), column: "bytes", says: "is not its"},
		{name: "task packets column", rows: func(r []partials.Row) { r[rowOf(r, ofFirst(partials.KindTask))].Packets-- },
			row: ofFirst(partials.KindTask), column: "packets", says: "is not its"},
		{name: "point bytes column", rows: func(r []partials.Row) { r[rowOf(r, ofFirst(partials.KindPoint))].Bytes++ },
			row: ofFirst(partials.KindPoint), column: "bytes", says: "is not its"},
	} {
		p := attribute(t, h, objs).Partial()
		if c.edit != nil {
			c.edit(p)
		}
		rows, err := partials.Rows(p)
		if err != nil {
			t.Fatal(err)
		}
		var data []byte
		if c.rows != nil {
			c.rows(rows)
			data = writeRows(t, rows)
		} else {
			var b bytes.Buffer
			if err := partials.Write(&b, p); err != nil {
				t.Fatal(err)
			}
			data = b.Bytes()
		}
		want := rowOf(rows, c.row)
		if want < 0 {
			t.Fatalf("%s: no such row", c.name)
		}
		_, err = partials.Read(bytes.NewReader(data), int64(len(data)), "bad.parquet")
		var pe *partials.Error
		if !errors.As(err, &pe) || pe.Name != "bad.parquet" || pe.Row != int64(want+1) || pe.Column != c.column ||
			!strings.Contains(pe.Err.Error(), c.says) {
			t.Errorf("%s: got %v, want row %d column %q saying %q", c.name, err, want+1, c.column, c.says)
		}
	}
}

// TestReadTakesWhatAttributorsWrite: the checks of what adds up to what
// hold for any partial an Attributor makes, and for merged ones: with
// summaries that evict (their classes move), series that drop records,
// no peers.
func TestReadTakesWhatAttributorsWrite(t *testing.T) {
	h := cluster(t)
	objs := objects(9, 3, 3000)
	for _, opts := range [][]attribution.Option{
		{attribution.WithTopK(2, 1), attribution.WithMaxBuckets(3), attribution.WithStep(time.Minute)},
		{attribution.WithoutPeers(), attribution.WithPeerPrefix(8, 32)},
	} {
		var ps []*attribution.Partial
		for _, o := range objs {
			a := attribution.New(h, opts...)
			r := flowlogs.NewReader(strings.NewReader(o), flowlogs.WithFields(attribution.Fields()...))
			if err := a.AddAll(r.All()); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, roundTrip(t, a.Partial()))
		}
		m, err := attribution.Merge(ps...)
		if err != nil {
			t.Fatal(err)
		}
		if m.Stats.SeriesDropped == 0 && len(opts) == 3 {
			t.Error("no record dropped from a series: the test tests less than it says")
		}
		roundTrip(t, m)
	}
}

package cwlogs

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestRandomResumes: reads stopped at random points, taken back, and
// resumed, with events added between reads, deliver every event once, in
// both strategies.
func TestRandomResumes(t *testing.T) {
	for seed := int64(0); seed < 60; seed++ {
		for _, st := range []Strategy{FilterLogEvents, GetLogEvents} {
			t.Run(fmt.Sprintf("%s/%d", st, seed), func(t *testing.T) {
				r := rand.New(rand.NewSource(seed))
				l, _ := newFake(t, fakeaws.LogsOptions{PageEvents: 1 + r.Intn(9), PartialPages: true, EmptyPageEvery: r.Intn(4)})
				now := time.Now()
				w0 := now.Add(-time.Hour).Truncate(time.Minute)
				w1 := now.Add(time.Duration(r.Intn(3)-1) * 20 * time.Minute)
				put := func(n int, past bool) {
					for i := 0; i < n; i++ {
						s := fmt.Sprintf("eni-%d", r.Intn(4))
						ts := w0.UnixMilli() + int64(r.Intn(5))*1000
						if r.Intn(3) == 0 {
							ts = w1.UnixMilli() - 1 - int64(r.Intn(3))
						}
						ing := time.Now().UnixMilli() + int64(r.Intn(3))
						if past { // ingested before the first read: visible to it
							ing -= int64(r.Intn(3)) * 10 * 60 * 1000
						}
						l.Put("g", s, fakeaws.LogEvent{Timestamp: ts, IngestionTime: ing, Message: fmt.Sprintf("m%d", r.Intn(3))})
					}
				}
				put(30, true)
				opts := []Option{WithStrategy(st), WithRateLimits(Limits{}), WithWindow(w0, w1), WithConcurrency(1 + r.Intn(2))}
				all := map[key]int{}
				var cur *Cursor
				for round := 0; round < 5; round++ {
					o := opts
					if cur != nil {
						b, _ := json.Marshal(cur)
						var c Cursor
						if err := json.Unmarshal(b, &c); err != nil {
							t.Fatal(err)
						}
						o = append(o, WithResume(&c))
					}
					src := New(newClient(l), "g", o...)
					stop := r.Intn(15)
					if round == 4 {
						stop = 0
					}
					n := 0
					for ev, err := range src.Events(context.Background()) {
						if err != nil {
							t.Fatal(err)
						}
						n++
						if stop > 0 && n == stop && r.Intn(2) == 0 {
							if !src.TakeBack() {
								t.Fatal("take back")
							}
							break
						}
						all[key{ev.Stream, ev.Timestamp, ev.IngestionTime, ev.Message}]++
						if stop > 0 && n == stop {
							break
						}
					}
					cur = src.Cursor()
					if round < 3 {
						put(r.Intn(6), false)
					}
				}
				sameMultiset(t, all, want(l, "g", func(_ string, ts int64) bool { return ts >= w0.UnixMilli() && ts < w1.UnixMilli() }))
			})
		}
	}
}

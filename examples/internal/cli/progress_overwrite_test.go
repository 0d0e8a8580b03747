package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// screen is what a terminal shows after s: '\r' returns to the start of
// the line, which the text after it overwrites.
func screen(s string) []string {
	var lines [][]rune
	cur, col := []rune{}, 0
	for _, r := range s {
		switch r {
		case '\r':
			col = 0
		case '\n':
			lines, cur, col = append(lines, cur), []rune{}, 0
		default:
			if col < len(cur) {
				cur[col] = r
			} else {
				cur = append(cur, r)
			}
			col++
		}
	}
	var out []string
	for _, l := range append(lines, cur) {
		out = append(out, strings.TrimRight(string(l), " "))
	}
	return out
}

// TestProgressOverwrites: Progress "draws one self-overwriting
// status line": when the line gets shorter (the ETA gone once every byte
// is read), nothing of the longer one it replaces is left on the screen.
func TestProgressOverwrites(t *testing.T) {
	var b bytes.Buffer
	clock := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	p := newProgress(&b, "flow logs", func() time.Time { return clock })
	p.Total(1, 2048)
	clock = clock.Add(time.Second)
	p.Add(0, 10, 1024) // drawn with an ETA
	clock = clock.Add(time.Second)
	p.Set(1, 20, 2048)
	p.Done() // all read: no ETA
	want := "flow logs: 1/1 objects, 20 records, 2.0 KiB of 2.0 KiB, 1.0 KiB/s, 2s"
	if got := screen(b.String()); len(got) != 2 || got[0] != want {
		t.Errorf("the screen shows %q, want %q", got, want)
	}
}

// TestProgressFirstDrawWaits: the first line is drawn 200 ms after the
// start, once there is a rate to show: drawn at the first bytes (a
// Parquet file's footer, read first), it read "2 B of 35.4 MiB, 1.6
// KiB/s, ETA 6h21m55s".
func TestProgressFirstDrawWaits(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	now := t0
	var b bytes.Buffer
	p := newProgress(&b, "flow logs", func() time.Time { return now })
	p.Total(1, 1<<20)
	p.Add(0, 0, 2)
	if b.Len() != 0 {
		t.Errorf("drawn at the start: %q", b.String())
	}
	now = t0.Add(200 * time.Millisecond)
	p.Add(0, 0, 1<<10)
	if !strings.Contains(b.String(), "1.0 KiB of 1.0 MiB") {
		t.Errorf("not drawn 200 ms after the start: %q", b.String())
	}
}

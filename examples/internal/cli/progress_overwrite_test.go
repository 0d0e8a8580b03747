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

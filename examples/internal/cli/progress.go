package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// IsTerminal reports whether w is a terminal (a character device): progress
// lines are drawn only there, so that logs and pipes stay clean. The
// standard library's file mode says enough for this; /dev/null also passes,
// where the lines are harmless.
func IsTerminal(w io.Writer) bool { return Terminal(w) }

// AsTerminal makes every writer a terminal to IsTerminal until the
// function it returns is called: tests of the programs see the lines a
// terminal would (defer cli.AsTerminal()()).
func AsTerminal() (restore func()) {
	was := Terminal
	Terminal = func(io.Writer) bool { return true }
	return func() { Terminal = was }
}

// DrawEveryAdd makes every Progress draw at each Add and Set, not at most
// five times a second, until the function it returns is called: tests of
// the programs see every line a slow terminal would (defer
// cli.DrawEveryAdd()()).
func DrawEveryAdd() (restore func()) {
	was := drawEvery
	drawEvery = true
	return func() { drawEvery = was }
}

var drawEvery = false

// Terminal is IsTerminal's test.
var Terminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Progress draws one self-overwriting status line of a long read on a
// terminal: objects, records, bytes, the rate, and an ETA once the total
// size is known. A nil *Progress (quiet, or not a terminal) does nothing,
// so callers need no checks. Safe for concurrent use.
type Progress struct {
	w     io.Writer
	what  string
	start time.Time
	now   func() time.Time

	mu                      sync.Mutex
	last                    time.Time
	objects, totalObjects   int64
	records, bytes, totalBy int64
	drawn                   bool
	width                   int // of the line drawn last: a shorter one covers it

	objectsUnit, recordsUnit string // "objects" and "records" unless Units says otherwise
	bytesUnit                string // what the bytes are, after them ("" says nothing)
}

// NewProgress returns a Progress drawing on w, or nil when quiet or when
// w is not a terminal. what names the read ("flow logs").
func NewProgress(w io.Writer, what string, quiet bool) *Progress {
	if quiet || !IsTerminal(w) {
		return nil
	}
	return newProgress(w, what, time.Now)
}

func newProgress(w io.Writer, what string, now func() time.Time) *Progress {
	// The first line is drawn once there is a rate to show: counted from
	// its first bytes (a Parquet file's footer, read first), it read
	// "2 B of 35.4 MiB, 1.6 KiB/s, ETA 6h21m55s".
	start := now()
	return &Progress{w: w, what: what, start: start, now: now, last: start, objectsUnit: "objects", recordsUnit: "records"}
}

// Units names what the line counts, where "objects", "records" and bare
// bytes would not say it: objects ("streams"), records ("events") and
// what the bytes are ("object bytes": of the objects as stored, compressed
// or not; "of messages"), said after them and their total. An empty
// argument keeps the one before.
func (p *Progress) Units(objects, records, bytes string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if objects != "" {
		p.objectsUnit = objects
	}
	if records != "" {
		p.recordsUnit = records
	}
	if bytes != "" {
		p.bytesUnit = bytes
	}
}

// Total sets the number of objects and bytes to read, when known.
func (p *Progress) Total(objects, bytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.totalObjects, p.totalBy = objects, bytes
	p.mu.Unlock()
}

// Add counts objects, records and bytes read, and redraws at most five
// times a second (the first time 200 ms after the start).
func (p *Progress) Add(objects, records, bytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.add(objects, records, bytes)
}

// add is Add with p.mu held.
func (p *Progress) add(objects, records, bytes int64) {
	p.objects += objects
	p.records += records
	p.bytes += bytes
	if now := p.now(); drawEvery || now.Sub(p.last) >= 200*time.Millisecond {
		p.last = now
		p.draw(now)
	}
}

// Set replaces the counts with absolute values (for readers that report
// their own totals) and redraws at most five times a second.
func (p *Progress) Set(objects, records, bytes int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.objects, p.records, p.bytes = 0, 0, 0
	p.add(objects, records, bytes)
}

// Done draws the final line and ends it.
func (p *Progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(p.now())
	fmt.Fprintln(p.w)
}

func (p *Progress) draw(now time.Time) {
	el := now.Sub(p.start)
	line := fmt.Sprintf("\r%s: ", p.what)
	if p.totalObjects > 0 {
		line += fmt.Sprintf("%d/%d %s", p.objects, p.totalObjects, p.objectsUnit)
	} else {
		line += fmt.Sprintf("%d %s", p.objects, p.objectsUnit)
	}
	line += fmt.Sprintf(", %d %s, %s", p.records, p.recordsUnit, Bytes(p.bytes))
	if p.totalBy > 0 {
		line += " of " + Bytes(p.totalBy)
	}
	if p.bytesUnit != "" {
		line += " " + p.bytesUnit
	}
	if s := el.Seconds(); s > 0 {
		line += fmt.Sprintf(", %s/s", Bytes(int64(float64(p.bytes)/s)))
		if p.totalBy > 0 && p.bytes > 0 && p.bytes < p.totalBy {
			eta := time.Duration(float64(el) * float64(p.totalBy-p.bytes) / float64(p.bytes))
			line += ", ETA " + eta.Round(time.Second).String()
		}
	}
	line += ", " + el.Round(time.Second).String() + "   "
	// The line drawn last may be longer (an ETA gone, a rate shorter).
	line = Cover(line, &p.width)
	p.drawn = true
	io.WriteString(p.w, line)
}

// Bytes formats a byte count with binary units.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// Stages draws one self-overwriting line of a read in stages whose sizes
// are counts of calls or items, not bytes (ecsread's: "list tasks: 300",
// "describe tasks: 200/300"), on a terminal. A nil *Stages (quiet, or not
// a terminal) does nothing. Safe for concurrent use.
type Stages struct {
	w     io.Writer
	now   func() time.Time // time.Now, or a test's clock
	mu    sync.Mutex
	last  time.Time
	width int // of the line drawn last, 0 when none is: a shorter one covers it
	// skipped is the update last left undrawn (within 200 ms of a line),
	// drawn when its stage ends, by the next stage or Done: a listing's
	// count, of no known total, was otherwise never drawn
	// ("list tasks STOPPED: 1" left out between two describes).
	skipped *stageUpdate
}

type stageUpdate struct {
	stage       string
	done, total int
}

// NewStages returns a Stages drawing on w, or nil when quiet or when w is
// not a terminal.
func NewStages(w io.Writer, quiet bool) *Stages {
	if quiet || !IsTerminal(w) {
		return nil
	}
	return &Stages{w: w, now: stagesNow}
}

// stagesNow is the clock of the Stages NewStages returns.
var stagesNow = time.Now

// StagesClock makes the Stages NewStages returns read the time from now
// until the function it returns is called: a test of a program that gives
// a clock that never moves sees every update after a stage's first come
// within 200 ms of a line, as on a fast machine, whatever the machine's
// speed (defer cli.StagesClock(func() time.Time { return t0 })()).
func StagesClock(now func() time.Time) (restore func()) {
	was := stagesNow
	stagesNow = now
	return func() { stagesNow = was }
}

// Update shows done of total in stage (total 0: not known yet), at most
// five times a second, and always a stage's last: when done reaches
// total, or else when the next stage starts or Done ends the line.
func (s *Stages) Update(stage string, done, total int) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.skipped != nil && s.skipped.stage != stage {
		s.draw(*s.skipped)
	}
	now := time.Now()
	if s.now != nil {
		now = s.now()
	}
	u := stageUpdate{stage, done, total}
	if now.Sub(s.last) < 200*time.Millisecond && (total == 0 || done != total) {
		s.skipped = &u
		return
	}
	s.last = now
	s.draw(u)
}

// draw draws u, with s.mu held.
func (s *Stages) draw(u stageUpdate) {
	s.skipped = nil
	line := fmt.Sprintf("%s: %d", u.stage, u.done)
	if u.total > 0 {
		line += fmt.Sprintf("/%d", u.total)
	}
	fmt.Fprintf(s.w, "\r%s", Cover(line, &s.width))
}

// Cover returns line with the spaces that cover the rest of a longer line
// drawn before it, of *width characters, and sets *width to line's: a
// self-overwriting line that gets shorter leaves nothing of the one it
// replaces on the screen.
func Cover(line string, width *int) string {
	n := utf8.RuneCountInString(line)
	pad := max(*width-n, 0)
	*width = n
	return line + strings.Repeat(" ", pad)
}

// Done ends the line, if one was drawn.
func (s *Stages) Done() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.skipped != nil {
		s.draw(*s.skipped)
	}
	if s.width > 0 {
		fmt.Fprintln(s.w)
		s.width = 0
	}
}

package cwlogs

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Cursor is the position of a read, per log stream. Save it (it marshals to
// JSON) and pass it to [WithResume] to continue an interrupted read: every event
// not yet delivered is delivered once, and no delivered event again.
//
// Positions rely on the documented order of both APIs — events come in
// ascending timestamp order per stream — so "everything before Timestamp,
// and the EventIDs at Timestamp" is what was delivered — of the events
// ingested by the Horizon: an event ingested later (delivered late, or by
// another flow log writing the stream) may be stamped before Timestamp,
// so a resumed read reads such a stream from the window start and tells
// those by their IDs (Late). Tokens are
// not kept: CloudWatch Logs tokens expire after 24 hours, positions do not.
//
// Version says which layout of the cursor it is: [CursorVersion] in every
// cursor [Source.Cursor] returns. A cursor saved before the member existed
// holds none (0) and resumes as it always did. [WithResume] refuses one of
// a greater version (a newer ecsnet's, [CursorVersionError]): its members
// this version does not know were dropped when it was decoded, and a
// position read without them may deliver events twice or leave some out.
type Cursor struct {
	// Version is the cursor's layout: CursorVersion, or 0 in a cursor of
	// an ecsnet before it. Its JSON name is not "version", which programs
	// that embed a Cursor in their own file (examples/cwlogs) keep for
	// theirs.
	Version  int    `json:"cursorVersion,omitempty"`
	LogGroup string `json:"logGroup"`
	// StartMillis and EndMillis are the read's window [start, end) in epoch
	// milliseconds, each bound rounded up to a whole millisecond (which
	// selects the same events: timestamps are whole milliseconds); 0 means
	// unbounded.
	StartMillis int64    `json:"startMillis"`
	EndMillis   int64    `json:"endMillis"`
	Strategy    Strategy `json:"strategy"`
	// Streams holds the streams read so far; streams not listed have not
	// delivered anything yet.
	Streams map[string]*StreamPosition `json:"streams"`
}

// StreamPosition is how far one stream has been delivered.
type StreamPosition struct {
	// Done means every event of the stream in the window was delivered:
	// with a Horizon, every one ingested by then, and those ingested
	// later that are in Late (a resumed read reads the stream again from
	// the window start for the others: the read that finished it ran
	// before the window's events had all arrived).
	Done bool `json:"done,omitempty"`
	// Timestamp of the last delivered event (epoch ms); all earlier events
	// of the stream have been delivered.
	Timestamp int64 `json:"ts,omitempty"`
	// EventIDs are the IDs of the delivered events stamped Timestamp.
	EventIDs []string `json:"ids,omitempty"`
	// Horizon (epoch ms, an ingestion time) qualifies Timestamp: events
	// stamped before Timestamp were delivered if ingested at or before
	// Horizon. One ingested later (a record delivered late, or by a second
	// flow log writing the stream) may have come after the read passed
	// its timestamp: a resumed read reads the stream from the window
	// start and delivers those not in Late. 0 (a cursor of an earlier
	// version): every event stamped before Timestamp was delivered.
	Horizon int64 `json:"horizon,omitempty"`
	// Late are the IDs of the delivered events ingested after Horizon.
	Late []string `json:"late,omitempty"`
}

// horizonMargin is how long before a read began an event may have been
// ingested and still not be visible to it (CloudWatch Logs' own lag and
// the skew between this clock and the service's).
const horizonMargin = 15 * 60 * 1000

// settleMargin is how long after the window's end its events are taken to
// have all been ingested (flow logs deliver within minutes, "best
// effort"): a stream finished by a read that began later is done for good,
// and a resumed read does not read it again.
const settleMargin = 3 * 60 * 60 * 1000

// ErrCursorDamaged is wrapped by the error of a cursor passed to
// [WithResume] that no read can have saved (a stream's position outside
// its window, a strategy none of this package's).
var ErrCursorDamaged = errors.New("cwlogs: damaged cursor")

// CursorVersion is the version of the cursors this package saves
// (Cursor.Version), and the greatest [WithResume] reads. A version that
// adds members an earlier one would drop (and so misread the positions)
// increments it.
const CursorVersion = 1

// ErrCursorVersion is wrapped by the error of a cursor passed to
// [WithResume] whose Version is greater than [CursorVersion] (a
// [*CursorVersionError]).
var ErrCursorVersion = errors.New("cwlogs: cursor of a newer version")

// A CursorVersionError is the refusal of a cursor a newer ecsnet saved:
// Version is the cursor's, Reads the greatest this package reads
// ([CursorVersion]). It wraps [ErrCursorVersion].
type CursorVersionError struct {
	Version, Reads int
}

func (e *CursorVersionError) Error() string {
	return fmt.Sprintf("cwlogs: cursor written by a newer ecsnet (cursor version %d; this one reads up to %d): resume it with that one, or start the read over", e.Version, e.Reads)
}

func (e *CursorVersionError) Unwrap() error { return ErrCursorVersion }

// ErrCursorMismatch is returned when a cursor from another log group,
// window or strategy is passed to [WithResume].
var ErrCursorMismatch = errors.New("cwlogs: cursor does not match this read")

func (c *Cursor) clone() *Cursor {
	out := *c
	out.Streams = make(map[string]*StreamPosition, len(c.Streams))
	for k, v := range c.Streams {
		if v == nil { // "stream": null in a hand-edited cursor
			continue
		}
		p := *v
		p.EventIDs = append([]string(nil), v.EventIDs...)
		p.Late = append([]string(nil), v.Late...)
		out.Streams[k] = &p
	}
	return &out
}

// A CursorMismatchError is the refusal of a cursor passed to [WithResume]
// that another read saved. It wraps [ErrCursorMismatch]. Saved and Read
// are the two reads, in a Cursor's terms (window sides in epoch
// milliseconds, rounded up; no Streams); LogGroup, Window and Strategy
// say which of them differ, so that a program can name the flags that
// continue the saved read.
type CursorMismatchError struct {
	Saved, Read                Cursor
	LogGroup, Window, Strategy bool
}

func (e *CursorMismatchError) Error() string {
	c, r := &e.Saved, &e.Read
	var what []string
	if e.LogGroup {
		what = append(what, fmt.Sprintf("log group %q, reading %q", c.LogGroup, r.LogGroup))
	}
	if e.Window {
		what = append(what, fmt.Sprintf("window [%d, %d) ms, reading [%d, %d)", c.StartMillis, c.EndMillis, r.StartMillis, r.EndMillis))
	}
	if e.Strategy {
		what = append(what, fmt.Sprintf("cursor written by %s, reading with %s", c.Strategy, r.Strategy))
	}
	return ErrCursorMismatch.Error() + ": " + strings.Join(what, "; ")
}

func (e *CursorMismatchError) Unwrap() error { return ErrCursorMismatch }

func (c *Cursor) check(group string, start, end int64, s Strategy) error {
	// The version first: a newer cursor's other members may not mean
	// what this version takes them to.
	switch {
	case c.Version > CursorVersion:
		return &CursorVersionError{Version: c.Version, Reads: CursorVersion}
	case c.Version < 0:
		return fmt.Errorf("%w: cursor version %d is none any ecsnet writes", ErrCursorDamaged, c.Version)
	}
	if !c.Strategy.known() {
		// No read can have saved it (a hand edit, a misspelling).
		return fmt.Errorf("%w: the cursor's strategy %q is none this package writes (FilterLogEvents, GetLogEvents or none)", ErrCursorDamaged, string(c.Strategy))
	}
	e := &CursorMismatchError{
		Saved:    Cursor{LogGroup: c.LogGroup, StartMillis: c.StartMillis, EndMillis: c.EndMillis, Strategy: c.Strategy},
		Read:     Cursor{LogGroup: group, StartMillis: start, EndMillis: end, Strategy: s},
		LogGroup: c.LogGroup != group,
		Window:   c.StartMillis != start || c.EndMillis != end,
		// Event IDs of the two strategies differ (GetLogEvents returns
		// none, so this package derives them), so positions do not carry
		// over; a cursor saved before a strategy was chosen holds none.
		Strategy: s != Auto && c.Strategy != Auto && c.Strategy != s,
	}
	if e.LogGroup || e.Window || e.Strategy {
		return e
	}
	// A read delivers only events stamped in its window: a position
	// outside it is a damaged file, and would take every event of the
	// stream before it as delivered, leaving them out without a word.
	for _, name := range slices.Sorted(maps.Keys(c.Streams)) {
		p := c.Streams[name]
		if p == nil || p.Timestamp == 0 {
			continue
		}
		if c.StartMillis != 0 && p.Timestamp < c.StartMillis || c.EndMillis != 0 && p.Timestamp >= c.EndMillis {
			return fmt.Errorf("%w: stream %s: position %d ms is outside the window [%d, %d) ms, where a read delivers its events",
				ErrCursorDamaged, name, p.Timestamp, c.StartMillis, c.EndMillis)
		}
	}
	return nil
}

// tracker is the live cursor of a read: it admits each event once and
// advances the position of its stream.
type tracker struct {
	mu  sync.Mutex
	cur *Cursor
	ids map[string]map[string]struct{} // stream -> IDs at its Timestamp
	// late is stream -> its position's Late, as a set.
	late map[string]map[string]struct{}
	// horizon is the Horizon of the positions this read creates.
	horizon int64
	// settled: the window's events were all ingested by the horizon, so
	// a stream read to its end needs no Horizon.
	settled bool
	// recent is stream -> the IDs of its delivered events that this read
	// saw ingested after horizon: the Late of the stream once it is done.
	recent map[string]map[string]struct{}

	// last is what admitting the last event changed, for unadmit.
	last admitted
}

// admitted is how to take back the admission of one event: its stream's
// position as it was.
type admitted struct {
	stream, id string
	created    bool // the stream had no position
	appended   bool // the ID joined the others at the position's Timestamp
	ts         int64
	first      string // the position's first ID before (the one overwritten)
	n          int    // how many IDs the position had
	late       bool   // the ID joined the position's Late
	lateOnly   bool   // and the position did not change otherwise
}

func newTracker(c *Cursor, horizon int64) *tracker {
	t := &tracker{cur: c, ids: map[string]map[string]struct{}{}, late: map[string]map[string]struct{}{}, horizon: horizon,
		recent: map[string]map[string]struct{}{}}
	if c.Streams == nil {
		c.Streams = map[string]*StreamPosition{}
	}
	for name, p := range c.Streams {
		for i, id := range p.EventIDs {
			if strings.HasPrefix(id, "g-") {
				// Derived by an earlier version, without the timestamp:
				// the position's.
				p.EventIDs[i] = derivedPrefix(p.Timestamp) + id
			}
		}
		if len(p.EventIDs) > 0 {
			set := make(map[string]struct{}, len(p.EventIDs))
			for _, id := range p.EventIDs {
				set[id] = struct{}{}
			}
			t.ids[name] = set
		}
		if len(p.Late) > 0 {
			set := make(map[string]struct{}, len(p.Late))
			for _, id := range p.Late {
				set[id] = struct{}{}
			}
			t.late[name] = set
		}
	}
	return t
}

// rereads reports whether a resumed read must read the stream of p from
// the window start: events ingested after its Horizon may lie before its
// Timestamp.
func (p *StreamPosition) rereads() bool { return p != nil && p.Horizon != 0 }

// admit reports whether ev is new, and if so records it as delivered.
func (t *tracker) admit(ev *Event) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	ok := t.admitLocked(ev)
	if ev.IngestionTime > t.horizon {
		// Delivered now or before: the Late of its stream once done.
		set := t.recent[ev.Stream]
		if set == nil {
			set = map[string]struct{}{}
			t.recent[ev.Stream] = set
		}
		set[ev.ID] = struct{}{}
	}
	return ok
}

func (t *tracker) admitLocked(ev *Event) bool {
	p := t.cur.Streams[ev.Stream]
	created := p == nil
	if created {
		p = &StreamPosition{Horizon: t.horizon}
		t.cur.Streams[ev.Stream] = p
	}
	if p.Done {
		if p.Horizon == 0 || ev.IngestionTime <= p.Horizon {
			return false
		}
		// Ingested after the read that finished the stream.
		if t.isLate(ev) {
			return false
		}
		t.addLate(p, ev)
		t.last = admitted{stream: ev.Stream, id: ev.ID, late: true, lateOnly: true}
		return true
	}
	if p.Horizon != 0 && ev.IngestionTime > p.Horizon {
		// Perhaps ingested after the read passed its timestamp: its ID
		// says whether it was delivered.
		if t.isLate(ev) {
			return false
		}
		if !(p.Timestamp == 0 && len(p.EventIDs) == 0) && ev.Timestamp < p.Timestamp {
			t.addLate(p, ev)
			t.last = admitted{stream: ev.Stream, id: ev.ID, late: true, lateOnly: true}
			return true
		}
		if !t.advance(p, ev, created) {
			return false
		}
		t.addLate(p, ev)
		t.last.late = true
		return true
	}
	return t.advance(p, ev, created)
}

// isLate reports whether ev is in its stream's Late: by its ID, or by the
// ID an earlier version derived for it.
func (t *tracker) isLate(ev *Event) bool {
	set := t.late[ev.Stream]
	if _, dup := set[ev.ID]; dup {
		return true
	}
	if old := legacyID(ev.ID); old != "" {
		_, dup := set[old]
		return dup
	}
	return false
}

func (t *tracker) addLate(p *StreamPosition, ev *Event) {
	p.Late = append(p.Late, ev.ID)
	set := t.late[ev.Stream]
	if set == nil {
		set = map[string]struct{}{}
		t.late[ev.Stream] = set
	}
	set[ev.ID] = struct{}{}
}

// advance admits ev by its timestamp against the position p.
func (t *tracker) advance(p *StreamPosition, ev *Event, created bool) bool {
	switch {
	case p.Timestamp == 0 && len(p.EventIDs) == 0:
		// first event of the stream
	case ev.Timestamp < p.Timestamp:
		return false // delivered before the position was saved
	case ev.Timestamp == p.Timestamp:
		set := t.ids[ev.Stream]
		if set == nil {
			// A position with a timestamp and no IDs (a cursor file whose
			// empty "ids" a tool dropped, or a hand edit): nothing at the
			// timestamp was delivered yet.
			set = map[string]struct{}{}
			t.ids[ev.Stream] = set
		}
		if _, dup := set[ev.ID]; dup {
			return false
		}
		set[ev.ID] = struct{}{}
		p.EventIDs = append(p.EventIDs, ev.ID)
		t.last = admitted{stream: ev.Stream, id: ev.ID, appended: true}
		return true
	}
	t.last = admitted{stream: ev.Stream, id: ev.ID, created: created, ts: p.Timestamp, n: len(p.EventIDs)}
	if len(p.EventIDs) > 0 {
		t.last.first = p.EventIDs[0]
	}
	p.Timestamp = ev.Timestamp
	p.EventIDs = append(p.EventIDs[:0], ev.ID) // only [0] is overwritten: unadmit puts it back
	if set := t.ids[ev.Stream]; set != nil {
		clear(set)
		set[ev.ID] = struct{}{}
	} else {
		t.ids[ev.Stream] = map[string]struct{}{ev.ID: {}}
	}
	return true
}

// unadmit takes back the admission of ev, the last event admitted, which
// was not delivered after all (Records stopped at it): a read resumed from
// the cursor delivers it again. It reports false, changing nothing, when
// ev is not the last event admitted or its stream was read to the end.
func (t *tracker) unadmit(ev *Event) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.last
	if u.stream != ev.Stream || u.id != ev.ID {
		return false
	}
	p := t.cur.Streams[u.stream]
	if p == nil || p.Done && !u.lateOnly {
		return false // the stream was read to its end since
	}
	t.last = admitted{}
	delete(t.recent[u.stream], u.id)
	if u.late {
		p.Late = p.Late[:len(p.Late)-1]
		delete(t.late[u.stream], u.id)
		if u.lateOnly {
			return true
		}
	}
	switch {
	case u.created:
		delete(t.cur.Streams, u.stream)
		delete(t.ids, u.stream)
		delete(t.late, u.stream)
	case u.appended:
		p.EventIDs = p.EventIDs[:len(p.EventIDs)-1]
		delete(t.ids[u.stream], u.id)
	default:
		p.Timestamp, p.EventIDs = u.ts, p.EventIDs[:u.n]
		if u.n == 0 {
			p.EventIDs = nil
			delete(t.ids, u.stream)
			break
		}
		p.EventIDs[0] = u.first
		set := t.ids[u.stream] // the IDs at the position's Timestamp, as always
		clear(set)
		for _, id := range p.EventIDs {
			set[id] = struct{}{}
		}
	}
	return true
}

func (t *tracker) done(streams []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range streams {
		old := t.cur.Streams[s]
		p := &StreamPosition{Done: true}
		delete(t.late, s)
		// A stream this read read from the window start (one it created,
		// or one with a Horizon) before the window's events had all been
		// ingested: events ingested after the horizon may still come.
		if !t.settled && t.horizon != 0 && (old == nil || old.Horizon != 0) {
			p.Horizon = t.horizon
			if set := t.recent[s]; len(set) > 0 {
				for id := range set {
					p.Late = append(p.Late, id)
				}
				sort.Strings(p.Late)
				t.late[s] = set
			}
		}
		t.cur.Streams[s] = p
		delete(t.ids, s)
		delete(t.recent, s)
		if t.last.stream == s {
			t.last = admitted{} // nothing of it to take back
		}
	}
}

func (t *tracker) snapshot() *Cursor {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.cur.clone()
	// A resumed cursor of an earlier layout (no version) is this one's
	// now: its positions without a Horizon mean what they meant.
	c.Version = CursorVersion
	return c
}

// position returns the stream's saved position (nil if none).
func (t *tracker) position(stream string) *StreamPosition {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur.Streams[stream]
}

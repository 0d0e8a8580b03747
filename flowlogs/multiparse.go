package flowlogs

import "slices"

// MultiParser parses header-less lines that may be in any of several
// formats: the records of several flow logs delivered into one stream (see
// [WithFormats]). A line is parsed with the format whose field count matches
// its own; when several formats have that count, with the first of them that
// parses it, the one that last parsed a line of the same key (a CloudWatch
// Logs stream, say) tried first. A line that none of them parses is reported
// as that key's format reports it, or the first's for a key without one; a
// line whose field count no format has as the first format reports it
// (missing or extra fields). Telling formats of one field count apart needs
// every value checked, so such formats are decoded whole whatever the
// selection: their records carry every field.
//
// Like a Parser, it is not safe for concurrent use.
type MultiParser struct {
	parsers []*Parser
	byLen   map[int][]int  // field count -> parser indexes
	last    map[string]int // key -> index of the parser that parsed its last line
	format  *Format
}

// NewMultiParser returns a MultiParser for formats fs (DefaultFormat when
// there are none) that decodes the fields in sel, as [NewParser] does.
func NewMultiParser(fs []*Format, sel FieldSet) *MultiParser {
	return newMultiParser(fs, sel, newSymbols())
}

func newMultiParser(fs []*Format, sel FieldSet, syms *symbols) *MultiParser {
	m := &MultiParser{byLen: map[int][]int{}}
	width := map[int]int{} // field count -> formats with it
	for _, f := range fs {
		if f != nil {
			width[f.Len()]++
		}
	}
	for _, f := range fs {
		if f == nil {
			continue
		}
		fsel := sel
		if width[f.Len()] > 1 {
			fsel = FieldSet{} // see MultiParser
		}
		m.byLen[f.Len()] = append(m.byLen[f.Len()], len(m.parsers))
		m.parsers = append(m.parsers, newParser(f, fsel, syms))
	}
	if len(m.parsers) == 0 {
		m.parsers = []*Parser{newParser(DefaultFormat, sel, syms)}
		m.byLen[DefaultFormat.Len()] = []int{0}
	}
	return m
}

// Format returns the format of the last line parsed (after an error, the
// format whose error Parse returned); nil before the first.
func (m *MultiParser) Format() *Format { return m.format }

// Parse parses line into r (see [Parser.Parse]); key groups lines that
// likely share a format. r is reused as Parse reuses it.
func (m *MultiParser) Parse(key string, line []byte, r *Record) error {
	if len(m.parsers) == 1 {
		return m.use(0, line, r)
	}
	cands := m.byLen[countFields(line)]
	switch len(cands) {
	case 0:
		return m.use(0, line, r) // reports missing or extra fields
	case 1:
		return m.use(cands[0], line, r)
	}
	// The error returned is that of the format that parsed the key's
	// last line, which names the field that is wrong, or else the first's.
	report, known := m.last[key]
	known = known && slices.Contains(cands, report) // of this line's field count
	var kerr error
	if known {
		if kerr = m.use(report, line, r); kerr == nil {
			return nil
		}
	}
	var first error
	for _, i := range cands {
		if known && i == report {
			continue // tried above
		}
		err := m.use(i, line, r)
		if err == nil {
			if m.last == nil {
				m.last = map[string]int{}
			}
			m.last[key] = i
			return nil
		}
		if first == nil {
			first = err
		}
	}
	if known {
		m.format = m.parsers[report].format
		return kerr
	}
	m.format = m.parsers[cands[0]].format // the one whose error is returned
	return first
}

func (m *MultiParser) use(i int, line []byte, r *Record) error {
	p := m.parsers[i]
	m.format = p.format
	return p.Parse(line, r)
}

// countFields counts the space-separated words of b.
func countFields(b []byte) int {
	n, in := 0, false
	for _, c := range b {
		sp := isSpace(c)
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

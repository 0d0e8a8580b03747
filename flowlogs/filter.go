package flowlogs

import (
	"net/netip"
	"slices"
	"time"
)

// Filter selects records while streaming (see [WithFilter]). Zero-valued
// criteria match everything; all set criteria must match. A criterion on a
// field the record lacks ("-" or not in the format) does not match, except
// the time window, which keeps records without start/end: a NODATA record
// passes a time or interface filter but not an address, port, protocol or
// action filter.
type Filter struct {
	// Since and Until bound a time window: a record matches if its
	// [start, end] interval overlaps [Since, Until), or with ByStart if
	// its start is in it. Zero means unbounded.
	Since, Until time.Time
	// ByStart places a record in time by its start alone, as CloudWatch
	// Logs does (an event's timestamp is its record's start): windows
	// back to back then hold every record once, where by overlap a
	// record spanning their boundary is in both. A record without a start
	// is placed at its end, as attribution places it, so that it too is
	// in one of such windows only; one with neither passes.
	ByStart bool
	// InterfaceIDs keeps records of these network interfaces.
	InterfaceIDs []string
	// Action keeps ACCEPT or REJECT records only (ActionNone: any).
	Action Action
	// Prefixes keeps records whose srcaddr, dstaddr, pkt-srcaddr or
	// pkt-dstaddr lies in one of the prefixes (use netip.PrefixFrom(a,
	// a.BitLen()) for a single address). An IPv4-mapped IPv6 address
	// (::ffff:a.b.c.d) or prefix is taken as the IPv4 one, as attribution
	// and the task history take it.
	Prefixes []netip.Prefix
	// Ports keeps records whose srcport or dstport is one of these.
	Ports []uint16
	// Protocols keeps records with one of these IANA protocol numbers.
	Protocols []uint8
}

// IsZero reports whether the filter matches every record.
func (f *Filter) IsZero() bool {
	return f.Since.IsZero() && f.Until.IsZero() && len(f.InterfaceIDs) == 0 &&
		f.Action == ActionNone && len(f.Prefixes) == 0 && len(f.Ports) == 0 && len(f.Protocols) == 0
}

// Fields returns the fields Match reads; a Reader decodes them whatever
// its field selection.
func (f *Filter) Fields() FieldSet {
	var s FieldSet
	if !f.Since.IsZero() || !f.Until.IsZero() {
		s.Add(FieldStart)
		s.Add(FieldEnd)
	}
	if len(f.InterfaceIDs) > 0 {
		s.Add(FieldInterfaceID)
	}
	if f.Action != ActionNone {
		s.Add(FieldAction)
	}
	if len(f.Prefixes) > 0 {
		s = s.Union(Fields(FieldSrcAddr, FieldDstAddr, FieldPktSrcAddr, FieldPktDstAddr))
	}
	if len(f.Ports) > 0 {
		s = s.Union(Fields(FieldSrcPort, FieldDstPort))
	}
	if len(f.Protocols) > 0 {
		s.Add(FieldProtocol)
	}
	return s
}

// Match reports whether r passes the filter.
func (f *Filter) Match(r *Record) bool {
	if !f.inWindow(r, ceilUnix(f.Since), ceilUnix(f.Until)) {
		return false
	}
	if len(f.InterfaceIDs) > 0 && (!r.Has(FieldInterfaceID) || !slices.Contains(f.InterfaceIDs, r.InterfaceID)) {
		return false
	}
	if f.Action != ActionNone && (!r.Has(FieldAction) || r.Action != f.Action) {
		return false
	}
	if len(f.Protocols) > 0 && (!r.Has(FieldProtocol) || !slices.Contains(f.Protocols, r.Protocol)) {
		return false
	}
	if len(f.Ports) > 0 {
		ok := r.Has(FieldSrcPort) && slices.Contains(f.Ports, r.SrcPort) ||
			r.Has(FieldDstPort) && slices.Contains(f.Ports, r.DstPort)
		if !ok {
			return false
		}
	}
	if len(f.Prefixes) > 0 {
		if !f.inPrefixes(r.SrcAddr) && !f.inPrefixes(r.DstAddr) &&
			!f.inPrefixes(r.PktSrcAddr) && !f.inPrefixes(r.PktDstAddr) {
			return false
		}
	}
	return true
}

func (f *Filter) inPrefixes(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	for _, p := range f.Prefixes {
		if p.Contains(a) {
			return true
		}
		// An IPv4-mapped prefix (::ffff:a.b.c.d/96+N) holds the IPv4
		// addresses of a.b.c.d/N.
		if pa := p.Addr(); pa.Is4In6() && p.Bits() >= 96 && netip.PrefixFrom(pa.Unmap(), p.Bits()-96).Contains(a) {
			return true
		}
	}
	return false
}

// matcher is a Filter prepared for streaming: sets instead of lists, so a
// filter on hundreds of interfaces or ports costs the same per record as
// one on a few.
type matcher struct {
	f            *Filter
	since, until int64
	ids          map[string]struct{}
	ports        *[1024]uint64 // bit set over 0–65535
	protos       [4]uint64
}

func newMatcher(f *Filter) *matcher {
	m := &matcher{f: f}
	if !f.Since.IsZero() {
		m.since = ceilUnix(f.Since)
	}
	if !f.Until.IsZero() {
		m.until = ceilUnix(f.Until)
	}
	if len(f.InterfaceIDs) > 0 {
		m.ids = make(map[string]struct{}, len(f.InterfaceIDs))
		for _, id := range f.InterfaceIDs {
			m.ids[id] = struct{}{}
		}
	}
	if len(f.Ports) > 0 {
		m.ports = new([1024]uint64)
		for _, p := range f.Ports {
			m.ports[p>>6] |= 1 << (p & 63)
		}
	}
	for _, p := range f.Protocols {
		m.protos[p>>6] |= 1 << (p & 63)
	}
	return m
}

func (m *matcher) match(r *Record) bool {
	f := m.f
	if !f.inWindow(r, m.since, m.until) {
		return false
	}
	if m.ids != nil {
		if _, ok := m.ids[r.InterfaceID]; !ok || !r.Has(FieldInterfaceID) {
			return false
		}
	}
	if f.Action != ActionNone && (!r.Has(FieldAction) || r.Action != f.Action) {
		return false
	}
	if len(f.Protocols) > 0 && (!r.Has(FieldProtocol) || m.protos[r.Protocol>>6]&(1<<(r.Protocol&63)) == 0) {
		return false
	}
	if m.ports != nil {
		ok := r.Has(FieldSrcPort) && m.ports[r.SrcPort>>6]&(1<<(r.SrcPort&63)) != 0 ||
			r.Has(FieldDstPort) && m.ports[r.DstPort>>6]&(1<<(r.DstPort&63)) != 0
		if !ok {
			return false
		}
	}
	if len(f.Prefixes) > 0 && !f.inPrefixes(r.SrcAddr) && !f.inPrefixes(r.DstAddr) &&
		!f.inPrefixes(r.PktSrcAddr) && !f.inPrefixes(r.PktDstAddr) {
		return false
	}
	return true
}

// inWindow reports whether r is in f's window, since and until being
// Since and Until as ceilUnix gives them (Match and the matcher's one
// rule). A record without the field a bound tests passes it.
func (f *Filter) inWindow(r *Record, since, until int64) bool {
	if f.ByStart {
		t, ok := r.Start, r.Has(FieldStart)
		if !ok {
			t, ok = r.End, r.Has(FieldEnd)
		}
		return !ok || (f.Since.IsZero() || t >= since) && (f.Until.IsZero() || t < until)
	}
	if !f.Since.IsZero() && r.Has(FieldEnd) && r.End < since {
		return false
	}
	return f.Until.IsZero() || !r.Has(FieldStart) || r.Start < until
}

// ceilUnix returns t in Unix seconds, rounded up: record times are whole
// seconds, so end < Since and start >= Until compare with the ceiling.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

package flowlogs

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"unsafe"
)

// Parser decodes record lines of one Format into Records. It interns
// string values (interface IDs, accounts, VPCs, ECS ARNs, …): a value costs
// one allocation the first time it is seen and none afterwards, the strings
// stay valid for ever, and each value gets a small number (see
// [Record.Symbol]). At most 65,536 values are interned per field, so memory
// stays bounded whatever the input; further values are allocated. A Parser
// is not safe for concurrent use; make one per goroutine.
type Parser struct {
	format  *Format
	sel     FieldSet
	steps   []step    // one per position
	cut     []int     // the positions split (every one without a selection), in order
	sel1    []int     // the positions decoded: those of cut with a known field
	present FieldSet  // the fields at the positions decoded
	strs    []fieldOp // the positions of sel1 with string fields
	ints    []fieldOp // … with int64 counters
	rest    []int     // … with other fields
	all     bool      // no selection: every position decoded
	syms    *symbols
	lb      lineBits // scratch for parseFast
}

// fieldOp is what decoding a string or counter field needs.
type fieldOp struct {
	pos   int
	field Field
	off   uintptr // in Record
}

type step struct {
	field Field
	kind  kind
	skip  bool    // split but not decoded (not selected)
	off   uintptr // offset in Record of a string or int64 field
}

// fieldOff holds the offset in Record of every string and int64 field,
// so decode can store without a switch per field.
var fieldOff = func() (off [numFields]uintptr) {
	var r Record
	base := uintptr(unsafe.Pointer(&r))
	for f := Field(1); f < numFields; f++ {
		switch fieldInfos[f].kind {
		case kindString:
			off[f] = uintptr(unsafe.Pointer(r.str(f))) - base
		case kindInt:
			off[f] = uintptr(unsafe.Pointer(r.int(f))) - base
		}
	}
	return off
}()

// NewParser returns a Parser for format f that decodes the fields in sel;
// an empty sel decodes every field.
//
// With a selection only the selected fields are cut out and decoded: the
// line is scanned once into a bit set of its spaces (16 bytes per SSE2
// comparison on amd64, 8 per word elsewhere) and the list of its token
// starts, so that finding any field is one load. Malformed values in other
// fields go unnoticed, but the number of fields is always checked. This is
// what makes a selective parse fast.
func NewParser(f *Format, sel FieldSet) *Parser { return newParser(f, sel, newSymbols()) }

func newParser(f *Format, sel FieldSet, syms *symbols) *Parser {
	p := &Parser{format: f, sel: sel, syms: syms, all: sel.IsEmpty()}
	p.steps = make([]step, len(f.fields))
	for i, fld := range f.fields {
		use := p.all || sel.Has(fld)
		p.steps[i] = step{field: fld, kind: fieldInfos[fld].kind, skip: !use || fld == FieldUnknown, off: fieldOff[fld]}
		if use {
			p.cut = append(p.cut, i)
		}
		if use && fld != FieldUnknown {
			p.sel1 = append(p.sel1, i)
			p.present.Add(fld)
			switch o := (fieldOp{i, fld, fieldOff[fld]}); fieldInfos[fld].kind {
			case kindString:
				p.strs = append(p.strs, o)
			case kindInt:
				p.ints = append(p.ints, o)
			default:
				p.rest = append(p.rest, i)
			}
		}
	}
	return p
}

// Format returns the parser's format.
func (p *Parser) Format() *Format { return p.format }

// ParseLine parses one record line of format f, as found in a CloudWatch
// Logs event message. It allocates; use a Parser to parse many lines.
func ParseLine(f *Format, line string) (*Record, error) {
	r := new(Record)
	if err := NewParser(f, FieldSet{}).Parse([]byte(line), r); err != nil {
		return nil, err
	}
	return r.Clone(), nil
}

// isSpace reports whether c is trimmed from the ends of a line.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// nextSpace returns the index of the first ' ' in b at or after i, or
// len(b). It tests eight bytes at a time: fields average about eight bytes.
func nextSpace(b []byte, i int) int {
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:]) ^ 0x2020202020202020
		// The lowest byte flagged is the first zero byte of x (a space in b).
		if t := (x - 0x0101010101010101) &^ x & 0x8080808080808080; t != 0 {
			return i + bits.TrailingZeros64(t)>>3
		}
		i += 8
	}
	for i < len(b) && b[i] != ' ' {
		i++
	}
	return i
}

// spaceMask returns 0x80 in each byte of x that is a space (exact: no
// carries cross bytes).
func spaceMask(x uint64) uint64 {
	x ^= 0x2020202020202020
	t := ((x & 0x7f7f7f7f7f7f7f7f) + 0x7f7f7f7f7f7f7f7f) | x
	return ^t & 0x8080808080808080
}

// Parse decodes line into r. The line must not be the header; fields are
// separated by one or more spaces (AWS's own documentation has a record
// with two), and spaces, tabs and line ends around the line are ignored.
// On error r is left partly filled and the error is a *ParseError without
// Name and Line.
//
// Numbers are decimal digits: a value too large for its field (an int64
// for counters, 65535 for ports, …) wraps ErrRange, anything else
// ErrSyntax. Times that no flow-log record carries wrap ErrRange, naming
// the field: start or end 0, or neither Unix seconds (below 10^10) nor
// milliseconds (10^12 to 10^13, converted to seconds); when both are
// decoded, an end before start or more than an hour after it (AWS's
// aggregation interval is at most 10 minutes, and start and end are the
// first and last packet within it).
func (p *Parser) Parse(line []byte, r *Record) error {
	p.shape(r)
	line = trimSpace(line)
	r.line = line
	if err := p.parse(line, r, r.spans); err != nil {
		return err
	}
	return p.checkTimes(r)
}

// parseScanned is Parse for a line without spaces around it whose space
// bits scanLine has stored in p.lb (nw words).
func (p *Parser) parseScanned(line []byte, r *Record, nw int) error {
	p.shape(r)
	r.line = line
	r.Present = FieldSet{}
	if err := p.parseSplit(line, r, r.spans, &p.lb, nw); err != nil {
		return err
	}
	return p.checkTimes(r)
}

// shape prepares r for a line of p's format.
func (p *Parser) shape(r *Record) {
	if n := len(p.format.fields); r.rawBy != p || len(r.spans) != n {
		// Shape r for p's format; a record p filled last (a Reader's case,
		// line after line) already is.
		if r.format != p.format {
			spans := r.spans[:0]
			*r = Record{format: p.format, spans: spans}
		}
		if cap(r.spans) < n {
			r.spans = make([]span, n)
		}
		r.spans = r.spans[:n]
		clear(r.spans) // positions p never splits stay unsplit
		r.rawBy = p
	}
}

// parse is Parse for a trimmed line and a record shaped for p's format.
func (p *Parser) parse(line []byte, r *Record, spans []span) error {
	r.Present = FieldSet{}
	if len(line) <= maxFastLine {
		return p.parseFast(line, r, spans, &p.lb)
	}
	// A long line: split it token by token.
	i, n := 0, len(line)
	for pos := range p.steps {
		for i < n && line[i] == ' ' {
			i++
		}
		if i >= n {
			clear(spans[pos:])
			return newParseError(p.format.names[pos], nil, ErrMissingFields)
		}
		s := i
		i = nextSpace(line, i)
		tok := line[s:i:i]
		st := &p.steps[pos]
		if st.skip && !p.all {
			continue // not selected: no raw value either
		}
		spans[pos] = span{uint32(s), uint32(i)}
		if st.skip {
			continue
		}
		if err := p.decode(st, tok, r); err != nil {
			clear(spans[pos+1:])
			return err
		}
	}
	for i < n && line[i] == ' ' {
		i++
	}
	if i < n {
		return newParseError("", line[i:], ErrExtraFields)
	}
	return nil
}

// decode decodes tok, the value of st's field, into r and adds the field
// to r.Present unless tok is "-".
func (p *Parser) decode(st *step, tok []byte, r *Record) error {
	if len(tok) == 1 && tok[0] == '-' {
		p.clear(st.field, r)
		return nil
	}
	if err := p.decodeValue(st, tok, r); err != nil {
		return err
	}
	r.Present.Add(st.field)
	return nil
}

// decodeValue decodes tok, which is not "-", into r; on error the field is
// cleared.
func (p *Parser) decodeValue(st *step, tok []byte, r *Record) error {
	f := st.field
	var bad error
	switch st.kind {
	case kindString:
		str, sym := p.syms.intern(f, tok)
		*(*string)(unsafe.Add(unsafe.Pointer(r), st.off)) = str
		r.syms[f] = sym
	case kindInt:
		v, err := atoiLong(tok)
		if err != nil {
			bad = err
			break
		}
		*(*int64)(unsafe.Add(unsafe.Pointer(r), st.off)) = v
	case kindTime:
		v, err := atoiLong(tok)
		if err != nil {
			bad = err
			break
		}
		if v, bad = unixSeconds(v); bad != nil {
			break
		}
		if f == FieldStart {
			r.Start = v
		} else {
			r.End = v
		}
	case kindVersion:
		v, err := atoiLong(tok)
		if err == nil && v > 1<<16 {
			err = ErrRange
		}
		if err != nil {
			bad = err
			break
		}
		r.Version = int(v)
	case kindPort:
		v, err := atoiLong(tok)
		if err == nil && v > 65535 {
			err = ErrRange
		}
		if err != nil {
			bad = err
			break
		}
		if f == FieldSrcPort {
			r.SrcPort = uint16(v)
		} else {
			r.DstPort = uint16(v)
		}
	case kindProto, kindTCPFlags, kindTrafficPath, kindEncryption:
		v, err := atoiLong(tok)
		if err == nil && v > 255 {
			err = ErrRange
		}
		if err != nil {
			bad = err
			break
		}
		switch st.kind {
		case kindProto:
			r.Protocol = uint8(v)
		case kindTCPFlags:
			r.TCPFlags = TCPFlags(v)
		case kindTrafficPath:
			r.TrafficPath = TrafficPath(v)
		default:
			r.EncryptionStatus = EncryptionStatus(v)
		}
	case kindAddr:
		a, ok := parseAddr(tok)
		if !ok {
			bad = ErrSyntax
			break
		}
		switch f {
		case FieldSrcAddr:
			r.SrcAddr = a
		case FieldDstAddr:
			r.DstAddr = a
		case FieldPktSrcAddr:
			r.PktSrcAddr = a
		default:
			r.PktDstAddr = a
		}
	case kindAction:
		switch string(tok) {
		case "ACCEPT":
			r.Action = ActionAccept
		case "REJECT":
			r.Action = ActionReject
		default:
			bad = unknownAction
		}
	case kindStatus:
		switch string(tok) {
		case "OK":
			r.LogStatus = StatusOK
		case "NODATA":
			r.LogStatus = StatusNoData
		case "SKIPDATA":
			r.LogStatus = StatusSkipData
		default:
			bad = unknownStatus
		}
	case kindType:
		switch string(tok) {
		case "IPv4":
			r.Type = TypeIPv4
		case "IPv6":
			r.Type = TypeIPv6
		case "EFA":
			r.Type = TypeEFA
		default:
			bad = unknownType
		}
	case kindDirection:
		switch string(tok) {
		case "ingress":
			r.FlowDirection = DirectionIngress
		case "egress":
			r.FlowDirection = DirectionEgress
		default:
			bad = unknownDirection
		}
	}
	if bad != nil {
		p.clear(f, r)
		return newParseError(f.String(), tok, bad)
	}
	return nil
}

// clear sets field f of r to its zero value.
func (p *Parser) clear(f Field, r *Record) {
	switch fieldInfos[f].kind {
	case kindString:
		*r.str(f) = ""
		r.syms[f] = 0
	case kindInt:
		*r.int(f) = 0
	case kindTime:
		if f == FieldStart {
			r.Start = 0
		} else {
			r.End = 0
		}
	case kindVersion:
		r.Version = 0
	case kindPort:
		if f == FieldSrcPort {
			r.SrcPort = 0
		} else {
			r.DstPort = 0
		}
	case kindProto:
		r.Protocol = 0
	case kindTCPFlags:
		r.TCPFlags = 0
	case kindTrafficPath:
		r.TrafficPath = 0
	case kindEncryption:
		r.EncryptionStatus = 0
	case kindAddr:
		switch f {
		case FieldSrcAddr:
			r.SrcAddr = netip.Addr{}
		case FieldDstAddr:
			r.DstAddr = netip.Addr{}
		case FieldPktSrcAddr:
			r.PktSrcAddr = netip.Addr{}
		default:
			r.PktDstAddr = netip.Addr{}
		}
	case kindAction:
		r.Action = 0
	case kindStatus:
		r.LogStatus = 0
	case kindType:
		r.Type = 0
	case kindDirection:
		r.FlowDirection = 0
	}
}

// atoi parses a non-negative decimal int64 of at most 18 digits (no sign,
// no overflow possible).
func atoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		c -= '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + int64(c)
	}
	return v, true
}

// atoiLong is atoi for any length: a decimal of up to 19 digits that fits
// an int64 (as strconv.ParseInt), ErrRange for a longer or larger one,
// ErrSyntax for anything but digits. It is the slow path, taken when atoi
// fails.
func atoiLong(b []byte) (int64, error) {
	if v, ok := atoi(b); ok {
		return v, nil
	}
	if len(b) == 0 {
		return 0, ErrSyntax
	}
	for _, c := range b {
		if c-'0' > 9 {
			return 0, ErrSyntax
		}
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	if v, ok := atoi(b); ok {
		return v, nil
	}
	if len(b) > 19 {
		return 0, ErrRange
	}
	v, _ := atoi(b[:18])
	d := int64(b[18] - '0')
	if v > (math.MaxInt64-d)/10 {
		return 0, ErrRange
	}
	return v*10 + d, nil
}

// Start and end times that no flow-log record can carry. AWS documents
// both as "the time, in Unix seconds" when the first (start) and the last
// (end) packet of the flow was received within the aggregation interval,
// always present, NODATA and SKIPDATA records included; the interval is at
// most 600 s (60 s on Nitro). So end is never before start, and both lie
// within one interval of each other; millisecond values have been seen in
// the wild (obsrvbl flowlogs-reader) and are converted.
var (
	errTimeZero  = fmt.Errorf("%w: zero is no flow-log time", ErrRange)
	errTimeValue = fmt.Errorf("%w: neither Unix seconds (below 10^10, year 2286) nor milliseconds (10^12 to 10^13)", ErrRange)
	errTimeOrder = fmt.Errorf("%w: end before start", ErrRange)
	errTimeSpan  = fmt.Errorf("%w: end more than %d s after start, longer than any aggregation interval (at most 600 s)", ErrRange, maxRecordSpan)
)

// maxRecordSpan bounds end − start: six times the longest aggregation
// interval, so that delivery quirks never reject a real record.
const maxRecordSpan = 3600

// unixSeconds returns v, a start or end value, in Unix seconds: values
// from 10^12 to 10^13 are milliseconds (2001 to 2286). Zero, and values
// that are neither (10^10 to 10^12: years 2286 to 5138 in seconds, 1970
// to 2001 in milliseconds; 10^13 and more), are out of range.
func unixSeconds(v int64) (int64, error) {
	switch {
	case v == 0:
		return 0, errTimeZero
	case v < 1e10:
		return v, nil
	case 1e12 <= v && v < 1e13:
		return v / 1000, nil
	}
	return 0, errTimeValue
}

// checkTimes checks that a record's start and end, when both were
// decoded, are in order and within maxRecordSpan of each other.
func (p *Parser) checkTimes(r *Record) error {
	if !r.Present.Has(FieldStart) || !r.Present.Has(FieldEnd) {
		return nil
	}
	var err error
	switch d := r.End - r.Start; {
	case d < 0:
		err = errTimeOrder
	case d > maxRecordSpan:
		err = errTimeSpan
	default:
		return nil
	}
	raw, _ := r.rawAt(p.format.Position(FieldEnd))
	r.Present.Remove(FieldEnd)
	r.End = 0
	return newParseError(FieldEnd.String(), raw, err)
}

// parseAddr parses an IPv4 address on a fast path and anything else with
// netip.ParseAddr, without copying the bytes. Zones are rejected: flow
// logs do not carry them, and netip would keep the zone string.
func parseAddr(b []byte) (netip.Addr, bool) {
	if a, ok := parseIPv4(b); ok {
		return a, true
	}
	if len(b) < 2 || len(b) > 64 {
		return netip.Addr{}, false
	}
	for _, c := range b {
		if c == '%' {
			return netip.Addr{}, false
		}
	}
	// The string does not outlive the call: netip.Addr holds no reference
	// to it, and the error (which would) is dropped.
	a, err := netip.ParseAddr(unsafe.String(&b[0], len(b)))
	if err != nil {
		return netip.Addr{}, false
	}
	return a, true
}

// parseIPv4 parses dotted-quad IPv4 in one pass over the bytes: four
// parts of one to three digits, each at most 255, no leading zero (as
// netip.ParseAddr).
func parseIPv4(b []byte) (netip.Addr, bool) {
	if len(b) < 7 || len(b) > 15 {
		return netip.Addr{}, false
	}
	var ip, v, nd uint32 // address so far, current part, its digits
	dots := 0
	for _, c := range b {
		if c == '.' {
			if nd == 0 {
				return netip.Addr{}, false
			}
			ip = ip<<8 | v
			v, nd = 0, 0
			dots++
			continue
		}
		d := uint32(c) - '0'
		if d > 9 || nd == 1 && v == 0 {
			return netip.Addr{}, false // not a digit, or after a leading zero
		}
		v = v*10 + d
		nd++
		if v > 255 {
			return netip.Addr{}, false
		}
	}
	if dots != 3 || nd == 0 {
		return netip.Addr{}, false
	}
	ip = ip<<8 | v
	return netip.AddrFrom4([4]byte{byte(ip >> 24), byte(ip >> 16), byte(ip >> 8), byte(ip)}), true
}

// str returns a pointer to the string field f of r.
func (r *Record) str(f Field) *string {
	switch f {
	case FieldAccountID:
		return &r.AccountID
	case FieldInterfaceID:
		return &r.InterfaceID
	case FieldVPCID:
		return &r.VPCID
	case FieldSubnetID:
		return &r.SubnetID
	case FieldInstanceID:
		return &r.InstanceID
	case FieldRegion:
		return &r.Region
	case FieldAZID:
		return &r.AZID
	case FieldSublocationType:
		return &r.SublocationType
	case FieldSublocationID:
		return &r.SublocationID
	case FieldPktSrcAWSService:
		return &r.PktSrcAWSService
	case FieldPktDstAWSService:
		return &r.PktDstAWSService
	case FieldResourceType:
		return &r.ResourceType
	case FieldTGWID:
		return &r.TGWID
	case FieldTGWAttachmentID:
		return &r.TGWAttachmentID
	case FieldTGWSrcVPCAccountID:
		return &r.TGWSrcVPCAccountID
	case FieldTGWDstVPCAccountID:
		return &r.TGWDstVPCAccountID
	case FieldTGWSrcVPCID:
		return &r.TGWSrcVPCID
	case FieldTGWDstVPCID:
		return &r.TGWDstVPCID
	case FieldTGWSrcSubnetID:
		return &r.TGWSrcSubnetID
	case FieldTGWDstSubnetID:
		return &r.TGWDstSubnetID
	case FieldTGWSrcENI:
		return &r.TGWSrcENI
	case FieldTGWDstENI:
		return &r.TGWDstENI
	case FieldTGWSrcAZID:
		return &r.TGWSrcAZID
	case FieldTGWDstAZID:
		return &r.TGWDstAZID
	case FieldTGWPairAttachmentID:
		return &r.TGWPairAttachmentID
	case FieldECSClusterARN:
		return &r.ECSClusterARN
	case FieldECSClusterName:
		return &r.ECSClusterName
	case FieldECSContainerInstanceARN:
		return &r.ECSContainerInstanceARN
	case FieldECSContainerInstanceID:
		return &r.ECSContainerInstanceID
	case FieldECSContainerID:
		return &r.ECSContainerID
	case FieldECSSecondContainerID:
		return &r.ECSSecondContainerID
	case FieldECSServiceName:
		return &r.ECSServiceName
	case FieldECSTaskDefinitionARN:
		return &r.ECSTaskDefinitionARN
	case FieldECSTaskARN:
		return &r.ECSTaskARN
	case FieldECSTaskID:
		return &r.ECSTaskID
	case FieldRejectReason:
		return &r.RejectReason
	case FieldResourceID:
		return &r.ResourceID
	case FieldInstanceTag:
		return &r.InstanceTag
	case FieldInstanceTag2:
		return &r.InstanceTag2
	case FieldInterfaceTag:
		return &r.InterfaceTag
	case FieldInterfaceTag2:
		return &r.InterfaceTag2
	case FieldASGTag:
		return &r.ASGTag
	case FieldASGTag2:
		return &r.ASGTag2
	case FieldInterfaceType:
		return &r.InterfaceType
	case FieldNextHopInterfaceID:
		return &r.NextHopInterfaceID
	case FieldNextHopSubnetID:
		return &r.NextHopSubnetID
	case FieldNextHopAZID:
		return &r.NextHopAZID
	case FieldNextHopVPCID:
		return &r.NextHopVPCID
	case FieldNextHopInterfaceType:
		return &r.NextHopInterfaceType
	}
	return new(string) // not reached for kindString fields
}

// int returns a pointer to the int64 counter field f of r.
func (r *Record) int(f Field) *int64 {
	switch f {
	case FieldPackets:
		return &r.Packets
	case FieldBytes:
		return &r.Bytes
	case FieldPacketsLostNoRoute:
		return &r.PacketsLostNoRoute
	case FieldPacketsLostBlackhole:
		return &r.PacketsLostBlackhole
	case FieldPacketsLostMTUExceeded:
		return &r.PacketsLostMTUExceeded
	case FieldPacketsLostTTLExpired:
		return &r.PacketsLostTTLExpired
	}
	return new(int64)
}

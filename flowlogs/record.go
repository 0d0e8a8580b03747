package flowlogs

import (
	"bytes"
	"net/netip"
	"time"
	"unsafe"
)

// Record is one flow-log record: one flow (5-tuple) as seen on one network
// interface during one aggregation interval.
//
// A field that the format did not contain, or whose value was "-" ("not
// applicable or could not be computed"), is absent: its bit in Present is
// clear and the struct field holds its zero value. Use Has to tell an
// absent value from a zero one (tcp-flags 0, bytes 0 on a NODATA record).
//
// String fields are interned by the Parser that produced the record (see
// [Parser]): they stay valid for ever and cost no allocation once a value
// has been seen. The views returned by Raw are valid only until the next
// record is parsed into the same Record.
//
// NODATA and SKIPDATA records are records, not errors. AWS documents them
// with "-" for everything but version, account, interface, start, end and
// log-status, but some carry bytes and packets; those are kept as written.
// Readers count them in [Stats]; a SKIPDATA record means flows were lost, so
// totals over its interface and interval are lower bounds.
type Record struct {
	// Present holds the fields that carried a value.
	Present FieldSet

	// Version 2 (default format).
	// Version is the record's own "version" field, as written: AWS writes
	// 2 for the default format and, for a custom format, the highest
	// version among the format's fields. The parser does not compute or
	// check it; it is 0 (absent) when the format has no version field.
	Version     int
	AccountID   string // may be "unknown" for ENIs created by AWS services
	InterfaceID string // "-" (absent) for regional NAT gateway flows (the ID is then in ResourceID)
	SrcAddr     netip.Addr
	DstAddr     netip.Addr
	SrcPort     uint16
	DstPort     uint16
	Protocol    uint8 // IANA number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
	Packets     int64
	Bytes       int64
	Start       int64 // Unix seconds; millisecond values found in the wild are converted (see Parser.Parse for the range)
	End         int64 // Unix seconds
	Action      Action
	LogStatus   LogStatus

	// Version 3.
	VPCID      string
	SubnetID   string
	InstanceID string
	TCPFlags   TCPFlags
	Type       Type
	PktSrcAddr netip.Addr
	PktDstAddr netip.Addr

	// Version 4.
	Region          string
	AZID            string
	SublocationType string
	SublocationID   string

	// Version 5.
	PktSrcAWSService string
	PktDstAWSService string
	FlowDirection    FlowDirection
	TrafficPath      TrafficPath

	// Version 6: Transit Gateway flow logs.
	ResourceType           string
	TGWID                  string
	TGWAttachmentID        string
	TGWSrcVPCAccountID     string
	TGWDstVPCAccountID     string
	TGWSrcVPCID            string
	TGWDstVPCID            string
	TGWSrcSubnetID         string
	TGWDstSubnetID         string
	TGWSrcENI              string
	TGWDstENI              string
	TGWSrcAZID             string
	TGWDstAZID             string
	TGWPairAttachmentID    string
	PacketsLostNoRoute     int64
	PacketsLostBlackhole   int64
	PacketsLostMTUExceeded int64
	PacketsLostTTLExpired  int64

	// Version 7: Amazon ECS. Set only for traffic of a running ECS task.
	ECSClusterARN           string
	ECSClusterName          string
	ECSContainerInstanceARN string // absent on Fargate
	ECSContainerInstanceID  string // absent on Fargate
	ECSContainerID          string // runtime ID of the task's first container
	ECSSecondContainerID    string
	ECSServiceName          string
	ECSTaskDefinitionARN    string
	ECSTaskARN              string
	ECSTaskID               string

	// Versions 8 to 10.
	RejectReason     string // "BPA", "EC"; absent for security group and NACL rejects
	ResourceID       string // e.g. the regional NAT gateway when InterfaceID is absent
	EncryptionStatus EncryptionStatus

	// Version 11. Tag values are kept percent-encoded, as AWS writes them
	// (decode with net/url.PathUnescape).
	InstanceTag          string
	InstanceTag2         string
	InterfaceTag         string
	InterfaceTag2        string
	ASGTag               string
	ASGTag2              string
	InterfaceType        string
	NextHopInterfaceID   string
	NextHopSubnetID      string
	NextHopAZID          string
	NextHopVPCID         string
	NextHopInterfaceType string

	format *Format
	line   []byte            // the line parsed (a view)
	spans  []span            // per format position: its token in line; e == 0 if not split
	rawBy  *Parser           // the parser that last filled spans
	syms   [numFields]uint32 // symbols of interned string fields
	row    *rowDecoder       // set while line and spans are still to be written from a row's values
}

// span is a token's bounds in its line (e > s: an empty token is never
// split, so e == 0 means "not split").
type span struct{ s, e uint32 }

// CopyTo stores spans inside a []byte at a 4-byte-aligned offset: that is
// only sound while a span needs no more than 4-byte alignment and holds no
// pointers (the garbage collector does not scan a []byte). The first is
// checked here at compile time (a negative array length does not
// compile); the second by span being two uint32s, which
// TestSpanLayout pins.
var _ [spanAlign - unsafe.Alignof(span{})]struct{}

const spanAlign = 4

// rawAt returns the text at format position i, if it was split.
func (r *Record) rawAt(i int) ([]byte, bool) {
	if r.row != nil {
		r.row.materialize(r)
	}
	if i < 0 || i >= len(r.spans) {
		return nil, false
	}
	sp := r.spans[i]
	if sp.e == 0 || sp.s > sp.e || int(sp.e) > len(r.line) {
		return nil, false
	}
	return r.line[sp.s:sp.e:sp.e], true
}

// Symbol returns a small number standing for the value of string field f
// (such as FieldInterfaceID): equal values read by one Reader (or Parser)
// always get the same number, different values different numbers, counting
// up from 1 per field in order of first appearance. It returns 0 when the
// field is absent, is not a string field, already had 65,536 distinct
// values before this one, or the value is longer than 512 bytes.
// Aggregations can index a slice by it instead of hashing the string: see
// the flowagg program in bench/.
func (r *Record) Symbol(f Field) uint32 {
	if f >= numFields {
		return 0
	}
	return r.syms[f]
}

// Has reports whether field f carried a value in this record.
func (r *Record) Has(f Field) bool { return r.Present.Has(f) }

// Format returns the format the record was parsed with.
func (r *Record) Format() *Format { return r.format }

// StartTime returns Start as a time.Time (UTC), or the zero Time if absent.
func (r *Record) StartTime() time.Time { return unixTime(r.Start, r.Has(FieldStart)) }

// EndTime returns End as a time.Time (UTC), or the zero Time if absent.
func (r *Record) EndTime() time.Time { return unixTime(r.End, r.Has(FieldEnd)) }

func unixTime(s int64, ok bool) time.Time {
	if !ok {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// Raw returns the text of the named field as written in the input,
// including "-". It works for every field of the format, known or not, so
// fields newer than this package stay reachable. With a field selection
// ([WithFields]) only the selected fields are available. The slice is a view
// valid until the next record is parsed into r; copy it to keep it.
func (r *Record) Raw(name string) ([]byte, bool) {
	if r.format == nil {
		return nil, false
	}
	return r.rawAt(r.format.Index(name))
}

// RawField is Raw for a known field.
func (r *Record) RawField(f Field) ([]byte, bool) {
	if r.format == nil {
		return nil, false
	}
	return r.rawAt(r.format.Position(f))
}

// Value is Raw returning a string copy, convenient for fields this package
// does not know.
func (r *Record) Value(name string) (string, bool) {
	b, ok := r.Raw(name)
	return string(b), ok
}

// String returns the record's fields as written, in format order,
// separated by single spaces (fields not split are left out).
func (r *Record) String() string {
	if r.row != nil {
		r.row.materialize(r)
	}
	var b bytes.Buffer
	for i := range r.spans {
		v, ok := r.rawAt(i)
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.Write(v)
	}
	return b.String()
}

// Clone returns a copy of r that stays fully valid (Raw included) after
// the next record is parsed. It costs two allocations (the record and its
// text); copying the struct (rec := *r) costs none but its Raw views then
// follow the reader's buffer. To keep many records, CopyTo shares the
// allocations.
func (r *Record) Clone() *Record {
	c := new(Record)
	r.CopyTo(c, nil)
	return c
}

// CopyTo copies r into dst, as Clone does, keeping dst's text (the line
// and the positions of its fields) at the end of buf, and returns buf
// extended. Records copied one after the other into the returned buf
// share its allocations: a batch of records costs a few allocations, not
// one per record. When buf is full a new one is allocated (twice as large,
// up to 256 KiB, or as large as one record needs); records copied before
// keep the old one, so nothing is moved and a record keeps alive at most
// the buffer it was copied into. Reuse a buf (buf[:0]) only when none of
// the records copied into it is in use any more.
func (r *Record) CopyTo(dst *Record, buf []byte) []byte {
	if r.row != nil {
		r.row.materialize(r)
	}
	// dst may be r itself (a record made independent in place): keep the
	// text and spans to copy before dst is written.
	spans, line := r.spans, r.line
	*dst = *r
	dst.rawBy = nil
	if spans == nil {
		dst.line = nil
		return buf
	}
	const align = spanAlign
	n := len(spans)
	need := align - 1 + n*int(unsafe.Sizeof(span{})) + len(line)
	if cap(buf)-len(buf) < need {
		buf = make([]byte, 0, max(need, min(2*cap(buf), 256<<10), 4096))
	}
	// The spans first, aligned, then the line. Neither holds pointers, so
	// both may live in a []byte.
	off := len(buf)
	if m := int(uintptr(unsafe.Pointer(unsafe.SliceData(buf)))+uintptr(off)) % align; m != 0 {
		off += align - m
	}
	end := off + n*int(unsafe.Sizeof(span{}))
	buf = buf[:end+len(line)]
	dst.spans = nil
	if n > 0 {
		dst.spans = unsafe.Slice((*span)(unsafe.Pointer(&buf[off])), n)
		copy(dst.spans, spans)
	}
	dst.line = buf[end : end+len(line) : end+len(line)]
	copy(dst.line, line)
	return buf
}

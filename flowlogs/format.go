package flowlogs

import (
	"errors"
	"fmt"
	"strings"
)

// ErrFormat is wrapped by every error about an invalid format string.
var ErrFormat = errors.New("invalid flow log format")

// maxFormatFields bounds a format: AWS's largest (all v2–v11 fields) has
// 54, TGW logs fewer; the bound keeps hostile headers cheap.
const maxFormatFields = 256

// Format is the ordered list of fields of a flow log, as in its LogFormat
// or in the header line of its S3 text files. Fields are always mapped by
// the format, never by the value of the version field: AWS sets version to
// the highest version among the format's fields, which says neither which
// fields a custom format holds nor in what order.
//
// A Format is immutable and safe for concurrent use.
type Format struct {
	names  []string // as written (AWS hyphenated spelling for known fields)
	fields []Field  // FieldUnknown for names this package does not know
	pos    [numFields]int16
	byName map[string]int // exact and normalised names → position
	set    FieldSet
	ver    int
}

// DefaultFormat is the default (version 2) format, used by flow logs
// created without a LogFormat.
var DefaultFormat = mustFormat(FieldVersion, FieldAccountID, FieldInterfaceID, FieldSrcAddr,
	FieldDstAddr, FieldSrcPort, FieldDstPort, FieldProtocol, FieldPackets, FieldBytes,
	FieldStart, FieldEnd, FieldAction, FieldLogStatus)

func mustFormat(fs ...Field) *Format {
	f, err := NewFormat(fs...)
	if err != nil {
		panic(err)
	}
	return f
}

// NewFormat returns the format with the given known fields in order; at
// least one, as a flow log's format has (ParseHeader refuses an empty
// header alike).
func NewFormat(fields ...Field) (*Format, error) {
	if len(fields) == 0 {
		return nil, fmt.Errorf("%w: no fields", ErrFormat)
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		if f == FieldUnknown || f >= numFields {
			return nil, fmt.Errorf("%w: field #%d is not a known field", ErrFormat, i+1)
		}
		names[i] = f.String()
	}
	return newFormat(names)
}

// ParseFormat parses either a LogFormat string ("${version} ${srcaddr} …",
// as ec2:DescribeFlowLogs returns it) or an S3 text header line ("version
// srcaddr …"), telling them apart by the "${". Names may use AWS's hyphens,
// underscores or camelCase; unknown names are kept (see [Record.Raw]).
func ParseFormat(s string) (*Format, error) {
	if strings.Contains(s, "${") {
		return ParseLogFormat(s)
	}
	return ParseHeader(s)
}

// ParseLogFormat parses a LogFormat string: ${field} tokens separated by
// spaces.
func ParseLogFormat(s string) (*Format, error) {
	toks := strings.Fields(s)
	if len(toks) == 0 {
		return nil, fmt.Errorf("%w: empty LogFormat", ErrFormat)
	}
	names := make([]string, len(toks))
	for i, t := range toks {
		if !strings.HasPrefix(t, "${") || !strings.HasSuffix(t, "}") || len(t) < 4 {
			return nil, fmt.Errorf("%w: LogFormat token #%d %q is not ${name}", ErrFormat, i+1, t)
		}
		names[i] = t[2 : len(t)-1]
	}
	return newFormat(names)
}

// ParseHeader parses the header line of an S3 text file: field names
// separated by one or more spaces.
func ParseHeader(line string) (*Format, error) {
	names := strings.Fields(line)
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: empty header", ErrFormat)
	}
	return newFormat(names)
}

// maxNameLen bounds a field name.
const maxNameLen = 64

func validName(s string) bool {
	if s == "" || len(s) > maxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !nameByte(s[i]) {
			return false
		}
	}
	return true
}

// nameByte reports whether c may be in a field name.
func nameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

func newFormat(names []string) (*Format, error) {
	if len(names) > maxFormatFields {
		return nil, fmt.Errorf("%w: %d fields, more than %d", ErrFormat, len(names), maxFormatFields)
	}
	f := &Format{
		names:  make([]string, len(names)),
		fields: make([]Field, len(names)),
		byName: make(map[string]int, 2*len(names)),
	}
	for i := range f.pos {
		f.pos[i] = -1
	}
	// A format with its own start (end) column keeps an Insights
	// startTime (endTime) beside it as a column of its own.
	var named FieldSet
	for _, n := range names {
		if fld, alias := lookupName(n); !alias {
			named.Add(fld)
		}
	}
	for i, n := range names {
		if !validName(n) {
			return nil, fmt.Errorf("%w: field #%d %q is not a field name", ErrFormat, i+1, n)
		}
		fld, alias := lookupName(n)
		if alias && named.Has(fld) {
			fld = FieldUnknown
		}
		written := n
		if fld != FieldUnknown {
			if f.pos[fld] >= 0 {
				return nil, fmt.Errorf("%w: field %q appears twice", ErrFormat, n)
			}
			f.pos[fld] = int16(i)
			f.set.Add(fld)
			f.ver = max(f.ver, fld.Version())
			n = fld.String() // canonical spelling
		}
		key := normName(n)
		if _, dup := f.byName[key]; dup {
			return nil, fmt.Errorf("%w: field %q appears twice", ErrFormat, n)
		}
		f.names[i], f.fields[i] = n, fld
		f.byName[key] = i
		f.byName[n] = i
		if alias && fld != FieldUnknown {
			// An Insights name (startTime) for start: Index finds the
			// column by the name it was written with too. No other
			// column has its key, or start would have been named twice.
			f.byName[written] = i
			f.byName[normName(written)] = i
		}
	}
	return f, nil
}

// Len returns the number of fields.
func (f *Format) Len() int { return len(f.names) }

// Field returns the field at position i (FieldUnknown for unknown names).
func (f *Format) Field(i int) Field { return f.fields[i] }

// Name returns the name of the field at position i.
func (f *Format) Name(i int) string { return f.names[i] }

// Fields returns the fields in order (FieldUnknown for unknown names).
func (f *Format) Fields() []Field { return append([]Field(nil), f.fields...) }

// Names returns the field names in order.
func (f *Format) Names() []string { return append([]string(nil), f.names...) }

// Set returns the set of known fields in the format.
func (f *Format) Set() FieldSet { return f.set }

// Has reports whether the format contains field fld.
func (f *Format) Has(fld Field) bool { return f.set.Has(fld) }

// Position returns the position of fld in the format, or -1.
func (f *Format) Position(fld Field) int {
	if fld >= numFields {
		return -1
	}
	return int(f.pos[fld])
}

// Index returns the position of the named field (any spelling), or -1.
func (f *Format) Index(name string) int {
	if i, ok := f.byName[name]; ok {
		return i
	}
	if i, ok := f.byName[normName(name)]; ok {
		return i
	}
	return -1
}

// Version returns the highest version among the format's known fields:
// the value AWS writes in the version field of such records.
func (f *Format) Version() int { return f.ver }

// String returns the format as a LogFormat string ("${a} ${b}").
func (f *Format) String() string {
	var b strings.Builder
	for i, n := range f.names {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("${")
		b.WriteString(n)
		b.WriteByte('}')
	}
	return b.String()
}

// Header returns the format as an S3 header line ("a b").
func (f *Format) Header() string { return strings.Join(f.names, " ") }

// Equal reports whether f and g list the same fields in the same order.
func (f *Format) Equal(g *Format) bool {
	if f == g {
		return true
	}
	if f == nil || g == nil || len(f.names) != len(g.names) {
		return false
	}
	for i := range f.names {
		if f.names[i] != g.names[i] {
			return false
		}
	}
	return true
}

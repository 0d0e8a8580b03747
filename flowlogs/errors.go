package flowlogs

import (
	"errors"
	"strconv"
	"strings"
)

// Causes wrapped by ParseError.Err.
var (
	ErrSyntax        = errors.New("invalid value")
	ErrRange         = errors.New("value out of range")
	ErrMissingFields = errors.New("fewer fields than the format")
	ErrExtraFields   = errors.New("more fields than the format")
	ErrLineTooLong   = errors.New("line too long")
	ErrHeaderInPart  = errors.New("header line of another format inside a part of Split: read the file in one piece")

	// ErrTrailingData is wrapped by the Reader's error when bytes that
	// are no gzip member follow the last member of a gzip input (garbage
	// or NUL padding); the records before them have been read.
	ErrTrailingData = errors.New("data after the last gzip member")

	// ErrCompressed is wrapped by the Reader's error when its input starts
	// with the magic bytes of a compression it does not decode (zstd,
	// bzip2, xz, lz4); it reads gzip itself.
	ErrCompressed = errors.New("compressed in a format the reader does not decode")
)

// unknownValue is the cause of a value of a field of documented values
// (action, log-status, type, flow-direction) that is none of them: it is
// ErrSyntax to errors.Is, and says which values AWS documents, so that a
// value added since this version reads as that rather than as damage.
type unknownValue string

func (e unknownValue) Error() string {
	return "invalid value: not " + string(e) + ", the values AWS documents (one added since this version of ecsnet?)"
}

func (e unknownValue) Is(target error) bool { return target == ErrSyntax }

// The causes of kindAction, kindStatus, kindType and kindDirection.
const (
	unknownAction    unknownValue = "ACCEPT or REJECT"
	unknownStatus    unknownValue = "OK, NODATA or SKIPDATA"
	unknownType      unknownValue = "IPv4, IPv6 or EFA"
	unknownDirection unknownValue = "ingress or egress"
)

// maxErrValue bounds the raw value copied into a ParseError.
const maxErrValue = 128

// ParseError reports a malformed record: where (source, line, field) and
// what (the raw value and the cause). Use errors.As to get it and
// errors.Is on Err (ErrSyntax, ErrRange, ErrMissingFields, …).
type ParseError struct {
	Name  string // file name or object key given with WithSource; "" if unknown
	Line  int    // 1-based line number in the source; 0 for a single parsed line
	Field string // field name; "" for errors about the whole line
	Value string // raw value (truncated to 128 bytes)
	// Offset is the byte offset of the line in the file when it was read
	// in parts (Split) and the part does not start the file: Line then
	// counts from the part's start.
	Offset int64
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("flowlogs: ")
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteByte(':')
	}
	if e.Offset > 0 {
		b.WriteString("byte ")
		b.WriteString(strconv.FormatInt(e.Offset, 10))
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(" of its part):")
	} else if e.Line > 0 {
		if e.Name == "" {
			b.WriteString("line ")
		}
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(':')
	}
	if e.Name != "" || e.Line > 0 {
		b.WriteByte(' ')
	}
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Value != "" {
		b.WriteString(strconv.Quote(e.Value))
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

func newParseError(field string, value []byte, err error) *ParseError {
	if len(value) > maxErrValue {
		value = value[:maxErrValue]
	}
	return &ParseError{Field: field, Value: string(value), Err: err}
}

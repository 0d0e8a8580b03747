package awswire

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Error is a decoding error with its place in the input.
type Error struct {
	Path   string // member path, e.g. "containerDefinitions[1].portMappings[0].hostPort"; "" for the top level
	Line   int    // 1-based line of the offending value
	Column int    // 1-based column (in bytes)
	Offset int64  // byte offset of the offending value
	Msg    string
	// Err, when set, is the error Msg tells of (a *netmode.ModeError,
	// say): Unwrap returns it, so errors.As still finds it once placed.
	Err error
}

func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d, column %d: %s: %s", e.Line, e.Column, e.Path, e.Msg)
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Unmarshal decodes JSON — awsJson wire form, AWS CLI output or an
// EventBridge event detail — into v, a pointer to an SDK shape (or a slice
// or map of them). A leading UTF-8 byte-order mark is skipped. Errors are
// *Error.
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("awswire: Unmarshal needs a non-nil pointer")
	}
	base := int64(len(data) - len(TrimBOM(data)))
	d := &decoder{data: data, base: base, dec: json.NewDecoder(bytes.NewReader(data[base:]))}
	d.dec.UseNumber()
	if err := d.value(rv.Elem(), ""); err != nil {
		return err
	}
	return AtEnd(d.dec, data, base)
}

// BOM is the UTF-8 byte-order mark some Windows editors and tools
// (PowerShell's Out-File, Notepad) put before JSON text. RFC 8259 §8.1 lets
// a parser ignore it, and encoding/json rejects it.
const BOM = "\ufeff"

// TrimBOM returns data without a leading UTF-8 byte-order mark.
func TrimBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte(BOM)) }

// BlankBOM returns data with a leading byte-order mark turned into three
// spaces (a copy; data itself is left alone), so that a loader that also
// reads the text with encoding/json, or reports byte offsets, sees JSON
// whitespace at the same offsets. Without a mark it returns data.
func BlankBOM(data []byte) []byte {
	if !bytes.HasPrefix(data, []byte(BOM)) {
		return data
	}
	out := bytes.Clone(data)
	copy(out, "   ")
	return out
}

type decoder struct {
	data []byte
	base int64 // offset in data where the JSON text starts (after a BOM)
	dec  *json.Decoder
}

// offset is the decoder's input offset in data.
func (d *decoder) offset() int64 { return d.base + d.dec.InputOffset() }

// start returns the offset where the next value begins.
func (d *decoder) start() int64 {
	off := d.offset()
	for off < int64(len(d.data)) {
		switch d.data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
			continue
		}
		break
	}
	return off
}

func (d *decoder) errAt(off int64, path, format string, args ...any) *Error {
	p := PosOf(d.data, off)
	return &Error{Path: path, Line: p.Line, Column: p.Column, Offset: p.Offset, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) token(path string) (json.Token, int64, error) {
	off := d.start()
	tok, err := d.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, off, d.errAt(d.syntaxAt(), path, "malformed JSON: %v", se)
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, off, d.errAt(int64(len(d.data)), path, "unexpected end of JSON")
		}
		return nil, off, d.errAt(off, path, "malformed JSON: %v", err)
	}
	return tok, off, nil
}

// syntaxAt is the offset in d.data of the byte a syntax error of d.dec
// is about. The error's own Offset cannot say: within a value (a
// literal, a string, a member name) it counts only the bytes of the
// values and names read so far, not the delimiters and spaces between
// them. encoding/json's check of the whole text stops at the same first
// wrong byte and counts every byte, that one included.
func (d *decoder) syntaxAt() int64 {
	var se *json.SyntaxError
	if errors.As(json.Unmarshal(d.data[d.base:], new(json.RawMessage)), &se) {
		if se.Offset > 0 && strings.HasPrefix(se.Error(), "invalid character ") {
			return d.base + se.Offset - 1
		}
		return int64(len(d.data))
	}
	return d.offset()
}

func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
	case string:
		return "string " + Quote(t)
	case json.Number:
		if s := t.String(); len(s) > 40 {
			return fmt.Sprintf("number %s… (%d digits)", s[:40], len(s))
		}
		return "number " + t.String()
	case bool:
		return "boolean " + strconv.FormatBool(t)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

func (d *decoder) value(v reflect.Value, path string) error {
	tok, off, err := d.token(path)
	if err != nil {
		return err
	}
	return d.fill(v, tok, off, path)
}

func (d *decoder) fill(v reflect.Value, tok json.Token, off int64, path string) error {
	if tok == nil { // JSON null leaves the zero value
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := d.fill(p.Elem(), tok, off, path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Interface:
		// Unions and documents: not modelled here; skip the value.
		return d.skip(tok, path)
	}
	if v.Type() == timeType {
		t, err := parseTime(tok)
		if err != nil {
			return d.errAt(off, path, "want a timestamp, got %s", describe(tok))
		}
		if !InJSONYears(t) {
			// encoding/json, and so every JSON report, refuses to write
			// it: refused here, where it can be placed, not far away.
			return d.errAt(off, path, "want a timestamp in the years 0 to 9999, got %s (the year %d)", describe(tok), t.UTC().Year())
		}
		v.Set(reflect.ValueOf(t))
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return d.errAt(off, path, "want an object, got %s", describe(tok))
		}
		return d.object(v, path)
	case reflect.Map:
		if tok != json.Delim('{') {
			return d.errAt(off, path, "want an object, got %s", describe(tok))
		}
		if v.Type().Key().Kind() != reflect.String {
			// The SDK's maps are keyed by strings; a JSON member name
			// converts to nothing else.
			return d.errAt(off, path, "cannot decode an object into a map keyed by %s", v.Type().Key())
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		seen := map[string]bool{}
		for d.dec.More() {
			ktok, koff, err := d.token(path)
			if err != nil {
				return err
			}
			key, ok := ktok.(string)
			if !ok {
				return d.errAt(koff, path, "want a member name")
			}
			if seen[key] {
				return d.duplicate(koff, path, key)
			}
			seen[key] = true
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := d.value(ev, join(path, key)); err != nil {
				return err
			}
			v.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), ev)
		}
		_, _, err := d.token(path)
		return err
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			s, ok := tok.(string)
			b, err := base64.StdEncoding.DecodeString(s)
			if !ok || err != nil {
				return d.errAt(off, path, "want base64 bytes, got %s", describe(tok))
			}
			v.SetBytes(b)
			return nil
		}
		if tok != json.Delim('[') {
			return d.errAt(off, path, "want an array, got %s", describe(tok))
		}
		s := reflect.MakeSlice(v.Type(), 0, 4)
		for i := 0; d.dec.More(); i++ {
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := d.value(ev, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
			s = reflect.Append(s, ev)
		}
		v.Set(s)
		_, _, err := d.token(path)
		return err
	case reflect.String:
		s, ok := tok.(string)
		if !ok {
			return d.errAt(off, path, "want a string, got %s", describe(tok))
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := tok.(bool)
		if !ok {
			return d.errAt(off, path, "want a boolean, got %s", describe(tok))
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return d.errAt(off, path, "want an integer, got %s", describe(tok))
		}
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil || v.OverflowInt(i) {
			return d.errAt(off, path, "want an integer that fits %s, got %s", v.Type(), describe(tok))
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := tok.(json.Number)
		if !ok {
			return d.errAt(off, path, "want an integer, got %s", describe(tok))
		}
		i, err := strconv.ParseUint(n.String(), 10, 64)
		if err != nil || v.OverflowUint(i) {
			return d.errAt(off, path, "want a non-negative integer that fits %s, got %s", v.Type(), describe(tok))
		}
		v.SetUint(i)
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return d.errAt(off, path, "want a number, got %s", describe(tok))
		}
		f, err := n.Float64()
		if err != nil || v.OverflowFloat(f) {
			return d.errAt(off, path, "want a number, got %s", describe(tok))
		}
		v.SetFloat(f)
	default:
		return d.skip(tok, path)
	}
	return nil
}

func (d *decoder) object(v reflect.Value, path string) error {
	t := v.Type()
	var seen map[string]bool // member names, and fields by index
	for d.dec.More() {
		ktok, koff, err := d.token(path)
		if err != nil {
			return err
		}
		key, ok := ktok.(string)
		if !ok {
			return d.errAt(koff, path, "want a member name")
		}
		f, ok := field(t, key)
		// A member given twice is refused, not "last one wins": which
		// value a JSON reader keeps is unspecified (RFC 8259 §4), and a
		// second networkMode or hostPort must not pass unnoticed. Names
		// are matched as fields are, so "hostPort" and "HostPort" are one.
		id := key
		if ok {
			id = "\x00" + f.Name
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		if seen[id] {
			return d.duplicate(koff, path, key)
		}
		seen[id] = true
		if !ok {
			// Unknown member (newer API, CLI extras): skip its value.
			tok, _, err := d.token(join(path, key))
			if err != nil {
				return err
			}
			if err := d.skip(tok, join(path, key)); err != nil {
				return err
			}
			continue
		}
		if err := d.value(v.FieldByIndex(f.Index), join(path, key)); err != nil {
			return err
		}
	}
	_, _, err := d.token(path)
	return err
}

func (d *decoder) duplicate(off int64, path, key string) error {
	return d.errAt(off, join(path, key), "member %s given twice in one object", Quote(key))
}

// cut shortens s to at most n bytes, on a UTF-8 boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// InJSONYears reports whether t lies in the years 0 to 9999 in UTC: the
// times encoding/json can write once made UTC, as reports write them. A
// time read from the input outside them is refused where it is read.
func InJSONYears(t time.Time) bool {
	y := t.UTC().Year()
	return 0 <= y && y <= 9999
}

// Quote is a value from the input as an error shows it: quoted, and only
// its first 40 bytes (with its length) when longer, so that a huge or
// binary value makes a short error that carries no control bytes to a
// terminal.
func Quote(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%q… (%d bytes)", cut(s, 40), len(s))
	}
	return strconv.Quote(s)
}

// Name is a name from the input (a member, a column) as an error shows
// it: as written when it is short and printable, as Quote shows it
// otherwise.
func Name(s string) string {
	if len(s) > 40 {
		return Quote(s)
	}
	return Plain(s)
}

// Plain is text from the input that an output prints whole: as written
// when every character is printable, quoted (strconv.Quote) when one is
// a control byte or invalid UTF-8, which would reach a terminal raw (an
// escape sequence).
func Plain(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r == utf8.RuneError || !strconv.IsPrint(r) }) {
		return strconv.Quote(s)
	}
	return s
}

// skip consumes the rest of a value whose first token is tok.
func (d *decoder) skip(tok json.Token, path string) error {
	depth := 0
	for {
		if delim, ok := tok.(json.Delim); ok {
			switch delim {
			case '{', '[':
				depth++
			default:
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
		var err error
		tok, _, err = d.token(path)
		if err != nil {
			return err
		}
	}
}

func field(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && MemberName(f.Name) == key {
			return f, true
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && strings.EqualFold(f.Name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func join(path, key string) string {
	key = Name(key)
	if path == "" {
		return key
	}
	return path + "." + key
}

// parseTime accepts epoch seconds (awsJson), epoch milliseconds (values too
// large to be seconds, as some exporters write), and ISO 8601 strings (the
// CLI prints "2024-05-20T10:11:12.345000+09:00", EventBridge
// "2024-05-20T01:11:12.345Z").
// Unmarshal refuses a time outside the years 0 to 9999 in UTC, which
// encoding/json cannot write.
func parseTime(tok json.Token) (time.Time, error) {
	switch t := tok.(type) {
	case json.Number:
		return parseEpoch(t.String())
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05"} {
			if tm, err := time.Parse(layout, t); err == nil {
				return tm, nil
			}
		}
		if tm, err := parseEpoch(t); err == nil {
			return tm, nil
		}
	}
	return time.Time{}, errors.New("not a timestamp")
}

// parseEpoch reads decimal epoch seconds exactly ("1716167472.123456789");
// a whole number too large to be seconds (after year 5138) is taken as
// milliseconds, as some exporters write.
func parseEpoch(s string) (time.Time, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if strings.ContainsAny(s, "eE") || frac != "" && strings.Trim(frac, "0123456789") != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
			return time.Time{}, errors.New("not a timestamp")
		}
		whole, fr := math.Modf(f)
		if math.Abs(f) > 1e11 { // milliseconds, as below
			return time.UnixMilli(int64(whole)).Add(time.Duration(math.Round(fr * 1e6))).UTC(), nil
		}
		return time.Unix(int64(whole), int64(math.Round(fr*1e9))).UTC(), nil
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n > 1e15 || n < -1e15 {
		return time.Time{}, errors.New("not a timestamp")
	}
	// A number this large is milliseconds, whether written whole or with
	// a fraction (exporters that hold milliseconds as floats write
	// 1716167472123.0): as seconds it would be past the year 5138.
	millis := n > 1e11 || n < -1e11
	digits := 9
	if millis {
		digits = 6
	}
	if len(frac) > digits {
		frac = frac[:digits]
	}
	var sub int64 // the fraction, in nanoseconds
	if frac != "" {
		v, err := strconv.ParseInt(frac+strings.Repeat("0", digits-len(frac)), 10, 64)
		if err != nil {
			return time.Time{}, errors.New("not a timestamp")
		}
		sub = v
		if strings.HasPrefix(whole, "-") {
			sub = -sub
		}
	}
	if millis {
		return time.UnixMilli(n).Add(time.Duration(sub)).UTC(), nil
	}
	return time.Unix(n, sub).UTC(), nil
}

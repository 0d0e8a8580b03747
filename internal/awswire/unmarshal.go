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
	"slices"
	"strconv"
	"strings"
	"sync"
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
func Unmarshal(data []byte, v any) error { return unmarshal(data, v, false) }

// UnmarshalValid is Unmarshal for data the caller has already found to be
// valid JSON (after a byte-order mark, if any): json.Valid reported true
// for it, or encoding/json decoded it without error, or it is a value
// inside such text. It does not check the text again, the cost of a
// second scan of every byte; the result and the errors are Unmarshal's.
// Given text that is not valid JSON, what it returns is unspecified.
func UnmarshalValid(data []byte, v any) error { return decode(data, v, false, true) }

// unmarshal is Unmarshal; with viaDecoder, valid JSON too is read
// through json.Decoder (a test compares the two readings).
func unmarshal(data []byte, v any, viaDecoder bool) error { return decode(data, v, viaDecoder, false) }

// decode is unmarshal; with valid, the caller vouches that the text is
// valid JSON (UnmarshalValid).
func decode(data []byte, v any, viaDecoder, valid bool) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("awswire: Unmarshal needs a non-nil pointer")
	}
	base := int64(len(data) - len(TrimBOM(data)))
	d := &decoder{data: data, base: base, pos: int(base)}
	d.path = d.pathBuf[:0]
	// Text that is valid JSON (all of it, in practice) is read by the
	// decoder itself, straight from data: json.Decoder.Token costs an
	// allocation or more per token (its value boxed, a syntax error built
	// for the byte after each scalar), which made it most of the cost of
	// loading a large history. Other text is read with json.Decoder, for
	// its errors, word for word and at the same places as ever.
	if viaDecoder || !valid && !json.Valid(data[base:]) {
		d.dec = json.NewDecoder(bytes.NewReader(data[base:]))
		d.dec.UseNumber()
	}
	if err := d.value(rv.Elem()); err != nil {
		return err
	}
	if d.dec == nil {
		return nil // json.Valid: nothing but white space after the value
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
	// dec reads text that is not valid JSON, for encoding/json's errors;
	// nil when it is valid, read from pos by the decoder itself.
	dec  *json.Decoder
	pos  int
	path []pathElem // the member path of the value being read
	// pathBuf holds path while it is short (SDK shapes nest a few
	// levels): grown by append from nil, it cost allocations a value.
	pathBuf [8]pathElem
}

// token is one JSON token: kind is its first byte ('{', '[', '}', ']',
// '"' for a string, 't', 'f', 'n', else a number); s is a string's value
// or a number's text. Unlike a json.Token it costs no allocation to pass.
type token struct {
	kind byte
	s    string
}

func (t token) isNull() bool { return t.kind == 'n' }

// asJSON is the token as json.Decoder.Token (with UseNumber) returns it.
func (t token) asJSON() json.Token {
	switch t.kind {
	case '{', '[', '}', ']':
		return json.Delim(t.kind)
	case '"':
		return t.s
	case 't':
		return true
	case 'f':
		return false
	case 'n':
		return nil
	}
	return json.Number(t.s)
}

func (t token) describe() string { return describe(t.asJSON()) }

func tokenOf(tok json.Token) token {
	switch t := tok.(type) {
	case json.Delim:
		return token{kind: byte(t)}
	case string:
		return token{kind: '"', s: t}
	case json.Number:
		return token{kind: '0', s: string(t)}
	case bool:
		if t {
			return token{kind: 't'}
		}
		return token{kind: 'f'}
	}
	return token{kind: 'n'}
}

// pathElem is one step of the member path of the value being read (a
// member's name, or an element's index), kept on the decoder's stack and
// made into text (decoder.pathString) only for an error: built eagerly,
// the paths of every member and element read were a large part of a
// load's allocations.
type pathElem struct {
	key   string
	index int
	elem  bool
}

// pathString is the member path of the value being read, as
// "containers[0].networkBindings[1].hostPort".
func (d *decoder) pathString() string {
	s := ""
	for _, e := range d.path {
		if e.elem {
			s += "[" + strconv.Itoa(e.index) + "]"
		} else {
			s = join(s, e.key)
		}
	}
	return s
}

// in calls fn with e pushed on the path.
func (d *decoder) in(e pathElem, fn func() error) error {
	d.path = append(d.path, e)
	err := fn()
	d.path = d.path[:len(d.path)-1]
	return err
}

// offset is the decoder's input offset in data.
func (d *decoder) offset() int64 {
	if d.dec == nil {
		return int64(d.pos)
	}
	return d.base + d.dec.InputOffset()
}

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

func (d *decoder) errAt(off int64, format string, args ...any) *Error {
	pos := PosOf(d.data, off)
	return &Error{Path: d.pathString(), Line: pos.Line, Column: pos.Column, Offset: pos.Offset, Msg: fmt.Sprintf(format, args...)}
}

// more reports whether the current object or array has another member or
// element, as json.Decoder.More.
func (d *decoder) more() bool {
	if d.dec != nil {
		return d.dec.More()
	}
	i := d.pos
	for i < len(d.data) && isSpace(d.data[i]) {
		i++
	}
	return i < len(d.data) && d.data[i] != ']' && d.data[i] != '}'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (d *decoder) token() (token, int64, error) {
	off := d.start()
	if d.dec == nil {
		return d.next(int(off)), off, nil
	}
	tok, err := d.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return token{}, off, d.errAt(d.syntaxAt(), "malformed JSON: %v", se)
		}
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return token{}, off, d.errAt(int64(len(d.data)), "unexpected end of JSON")
		}
		return token{}, off, d.errAt(off, "malformed JSON: %v", err)
	}
	return tokenOf(tok), off, nil
}

// next reads the token at data[i] of valid JSON text.
func (d *decoder) next(i int) token {
	c := d.data[i]
	switch c {
	case '{', '[', '}', ']':
		d.pos = i + 1
		return token{kind: c}
	case '"':
		end := stringEnd(d.data, i)
		d.pos = end
		return token{kind: '"', s: d.str(i, end)}
	case 't':
		d.pos = i + len("true")
		return token{kind: c}
	case 'f':
		d.pos = i + len("false")
		return token{kind: c}
	case 'n':
		d.pos = i + len("null")
		return token{kind: c}
	}
	end := i + 1
	for end < len(d.data) && strings.IndexByte("+-.eE0123456789", d.data[end]) >= 0 {
		end++
	}
	d.pos = end
	return token{kind: '0', s: string(d.data[i:end])}
}

// stringEnd returns the offset just past the JSON string at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// plain reports whether the content of a JSON string is its value as
// encoding/json reads it: no escape, and valid UTF-8 (it replaces an
// invalid byte with U+FFFD).
func plain(b []byte) bool { return bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) }

// str is the value of the JSON string data[start:end].
func (d *decoder) str(start, end int) string {
	if raw := d.data[start+1 : end-1]; plain(raw) {
		return string(raw)
	}
	// Escapes, or bytes that are not UTF-8: decoded as json.Decoder does.
	var s string
	_ = json.Unmarshal(d.data[start:end], &s)
	return s
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

func (d *decoder) value(v reflect.Value) error {
	tok, off, err := d.token()
	if err != nil {
		return err
	}
	return d.fill(v, tok, off)
}

func (d *decoder) fill(v reflect.Value, tok token, off int64) error {
	if tok.isNull() { // JSON null leaves the zero value
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		pv := reflect.New(v.Type().Elem())
		if err := d.fill(pv.Elem(), tok, off); err != nil {
			return err
		}
		v.Set(pv)
		return nil
	case reflect.Interface:
		// Unions and documents: not modelled here; skip the value.
		return d.skip(tok)
	}
	if v.Type() == timeType {
		t, err := parseTime(tok)
		if err != nil {
			return d.errAt(off, "want a timestamp, got %s", tok.describe())
		}
		if !InJSONYears(t) {
			// encoding/json, and so every JSON report, refuses to write
			// it: refused here, where it can be placed, not far away.
			return d.errAt(off, "want a timestamp in the years 0 to 9999, got %s (the year %d)", tok.describe(), t.UTC().Year())
		}
		if v.CanAddr() {
			// Set in place: reflect.ValueOf would box it, an allocation.
			*v.Addr().Interface().(*time.Time) = t
		} else {
			v.Set(reflect.ValueOf(t))
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		if tok.kind != '{' {
			return d.errAt(off, "want an object, got %s", tok.describe())
		}
		return d.object(v)
	case reflect.Map:
		if tok.kind != '{' {
			return d.errAt(off, "want an object, got %s", tok.describe())
		}
		if v.Type().Key().Kind() != reflect.String {
			// The SDK's maps are keyed by strings; a JSON member name
			// converts to nothing else.
			return d.errAt(off, "cannot decode an object into a map keyed by %s", v.Type().Key())
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		seen := map[string]bool{}
		for d.more() {
			ktok, koff, err := d.token()
			if err != nil {
				return err
			}
			if ktok.kind != '"' {
				return d.errAt(koff, "want a member name")
			}
			key := ktok.s
			if seen[key] {
				return d.duplicate(koff, key)
			}
			seen[key] = true
			ev := reflect.New(v.Type().Elem()).Elem()
			if err := d.in(pathElem{key: key}, func() error { return d.value(ev) }); err != nil {
				return err
			}
			v.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), ev)
		}
		_, _, err := d.token()
		return err
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b, err := base64.StdEncoding.DecodeString(tok.s)
			if tok.kind != '"' || err != nil {
				return d.errAt(off, "want base64 bytes, got %s", tok.describe())
			}
			v.SetBytes(b)
			return nil
		}
		if tok.kind != '[' {
			return d.errAt(off, "want an array, got %s", tok.describe())
		}
		// Each element is decoded in place, in a slice grown as it goes
		// (not decoded apart and appended: a copy, and an allocation,
		// of each). An empty array is an empty slice, not nil.
		s := reflect.New(v.Type()).Elem()
		s.Set(reflect.MakeSlice(v.Type(), 0, 0))
		for i := 0; d.more(); i++ {
			s.Grow(1)
			s.SetLen(i + 1)
			if err := d.in(pathElem{index: i, elem: true}, func() error { return d.value(s.Index(i)) }); err != nil {
				return err
			}
		}
		v.Set(s)
		_, _, err := d.token()
		return err
	case reflect.String:
		if tok.kind != '"' {
			return d.errAt(off, "want a string, got %s", tok.describe())
		}
		v.SetString(tok.s)
	case reflect.Bool:
		if tok.kind != 't' && tok.kind != 'f' {
			return d.errAt(off, "want a boolean, got %s", tok.describe())
		}
		v.SetBool(tok.kind == 't')
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !tok.isNumber() {
			return d.errAt(off, "want an integer, got %s", tok.describe())
		}
		i, err := strconv.ParseInt(tok.s, 10, 64)
		if err != nil || v.OverflowInt(i) {
			return d.errAt(off, "want an integer that fits %s, got %s", v.Type(), tok.describe())
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if !tok.isNumber() {
			return d.errAt(off, "want an integer, got %s", tok.describe())
		}
		i, err := strconv.ParseUint(tok.s, 10, 64)
		if err != nil || v.OverflowUint(i) {
			return d.errAt(off, "want a non-negative integer that fits %s, got %s", v.Type(), tok.describe())
		}
		v.SetUint(i)
	case reflect.Float32, reflect.Float64:
		if !tok.isNumber() {
			return d.errAt(off, "want a number, got %s", tok.describe())
		}
		f, err := strconv.ParseFloat(tok.s, 64)
		if err != nil || v.OverflowFloat(f) {
			return d.errAt(off, "want a number, got %s", tok.describe())
		}
		v.SetFloat(f)
	default:
		return d.skip(tok)
	}
	return nil
}

func (t token) isNumber() bool {
	switch t.kind {
	case '{', '[', '}', ']', '"', 't', 'f', 'n':
		return false
	}
	return true
}

// key reads a member name: its value, its field in info (ok false for
// none) and its offset.
func (d *decoder) key(info *structInfo) (key string, f int, ok bool, off int64, err error) {
	if d.dec == nil {
		// Valid JSON: the name is looked up without making a string of
		// it, when it is written as the field's member name.
		start := int(d.start())
		end := stringEnd(d.data, start)
		d.pos = end
		if raw := d.data[start+1 : end-1]; plain(raw) {
			if f, ok := info.exact[string(raw)]; ok {
				return info.fields[f].member, f, true, int64(start), nil
			}
		}
		key = d.str(start, end)
		f, ok = info.lookup(key)
		return key, f, ok, int64(start), nil
	}
	ktok, koff, err := d.token()
	if err != nil {
		return "", 0, false, koff, err
	}
	if ktok.kind != '"' {
		return "", 0, false, koff, d.errAt(koff, "want a member name")
	}
	f, ok = info.lookup(ktok.s)
	return ktok.s, f, ok, koff, nil
}

func (d *decoder) object(v reflect.Value) error {
	info := structInfoOf(v.Type())
	// Members given, by field (seenField) and, for members of no field,
	// by name (seen): for the refusal of a member given twice.
	var small [64]bool
	var seenField []bool
	if n := len(info.fields); n <= len(small) {
		seenField = small[:n]
	} else {
		seenField = make([]bool, n)
	}
	// Members of no field, by name: a few (an event's envelope around
	// its detail) in names, searched in turn; past that in seen.
	var small2 [8]string
	names := small2[:0]
	var seen map[string]bool
	for d.more() {
		key, f, ok, koff, err := d.key(info)
		if err != nil {
			return err
		}
		// A member given twice is refused, not "last one wins": which
		// value a JSON reader keeps is unspecified (RFC 8259 §4), and a
		// second networkMode or hostPort must not pass unnoticed. Names
		// are matched as fields are, so "hostPort" and "HostPort" are one.
		if ok {
			if seenField[f] {
				return d.duplicate(koff, key)
			}
			seenField[f] = true
		} else {
			if seen[key] || seen == nil && slices.Contains(names, key) {
				return d.duplicate(koff, key)
			}
			switch {
			case seen == nil && len(names) < cap(names):
				names = append(names, key)
			case seen == nil:
				seen = make(map[string]bool, 2*len(names))
				for _, n := range names {
					seen[n] = true
				}
				fallthrough
			default:
				seen[key] = true
			}
		}
		d.path = append(d.path, pathElem{key: key})
		if ok {
			err = d.value(v.Field(info.fields[f].index))
		} else {
			// Unknown member (newer API, CLI extras): skip its value.
			var tok token
			if tok, _, err = d.token(); err == nil {
				err = d.skip(tok)
			}
		}
		d.path = d.path[:len(d.path)-1]
		if err != nil {
			return err
		}
	}
	_, _, err := d.token()
	return err
}

// structInfo is what object needs of a struct type, made once per type:
// finding a member's field by reading the fields one by one, making each
// one's member name, cost more than the rest of a large load.
type structInfo struct {
	fields []fieldInfo    // the exported fields, in order
	exact  map[string]int // a field by its member name (the first of a name)
	// names finds a field by its Go name, the member names of EC2's
	// output as the AWS CLI prints it ("InstanceId"); nil when two names
	// are equal ignoring case, which only the scan in lookup orders.
	names map[string]int
}

type fieldInfo struct {
	index  int
	name   string // the Go name
	member string // MemberName(name)
}

var structInfos sync.Map // reflect.Type → *structInfo

func structInfoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{exact: map[string]int{}, names: map[string]int{}}
	fold := true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		n := len(si.fields)
		for _, o := range si.fields {
			if strings.EqualFold(o.name, f.Name) {
				fold = false
			}
		}
		si.fields = append(si.fields, fieldInfo{index: i, name: f.Name, member: MemberName(f.Name)})
		if _, ok := si.exact[si.fields[n].member]; !ok {
			si.exact[si.fields[n].member] = n
		}
		si.names[f.Name] = n
	}
	if !fold {
		si.names = nil
	}
	actual, _ := structInfos.LoadOrStore(t, si)
	return actual.(*structInfo)
}

// lookup is the field that member key decodes into: the first whose
// member name is key, else the first whose name equals key ignoring case.
func (si *structInfo) lookup(key string) (int, bool) {
	if f, ok := si.exact[key]; ok {
		return f, true
	}
	if f, ok := si.names[key]; ok {
		return f, true
	}
	for f := range si.fields {
		if strings.EqualFold(si.fields[f].name, key) {
			return f, true
		}
	}
	return 0, false
}

func (d *decoder) duplicate(off int64, key string) error {
	d.path = append(d.path, pathElem{key: key})
	defer func() { d.path = d.path[:len(d.path)-1] }()
	return d.errAt(off, "member %s given twice in one object", Quote(key))
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
func (d *decoder) skip(tok token) error {
	if d.dec == nil {
		// Valid JSON: the value's end is found without reading its
		// tokens.
		if tok.kind == '{' || tok.kind == '[' {
			d.pos = containerEnd(d.data, d.pos)
		}
		return nil
	}
	depth := 0
	for {
		switch tok.kind {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		if depth == 0 {
			return nil
		}
		var err error
		tok, _, err = d.token()
		if err != nil {
			return err
		}
	}
}

// containerEnd returns the offset just past the object or array of valid
// JSON b that is open at i (its '{' or '[' read, i just past it).
func containerEnd(b []byte, i int) int {
	for depth := 1; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = stringEnd(b, i) - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(b)
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
func parseTime(tok token) (time.Time, error) {
	switch tok.kind {
	case '"':
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05"} {
			if tm, err := time.Parse(layout, tok.s); err == nil {
				return tm, nil
			}
		}
		if tm, err := parseEpoch(tok.s); err == nil {
			return tm, nil
		}
	case '{', '[', '}', ']', 't', 'f', 'n':
	default:
		return parseEpoch(tok.s)
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

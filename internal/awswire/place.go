package awswire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
)

// Place returns err, an error of encoding/json decoding data, as an
// *Error naming where in data it is and what, in the words of Unmarshal's
// errors ("line 3, column 18: bytes_per_gb: want an integer, got
// string"): encoding/json's own text names no line, and names Go's types
// and fields ("Go struct field Table.bytes_per_gb of type uint64"). It
// places syntax errors, values of the wrong type, a
// DisallowUnknownFields refusal and a document that stops unfinished;
// other errors (and nil) come back as they are.
func Place(data []byte, err error) error {
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the offending one included: a
		// wrong last byte ("[1,]") is at len(data) too, and only the
		// end of the input is no byte at all.
		if se.Offset <= 0 || se.Offset > int64(len(data)) || !strings.HasPrefix(se.Error(), "invalid character ") {
			return unfinished(data)
		}
		return errorAt(data, se.Offset-1, "", strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		// Offset is where the value ends; the error names where it begins.
		// An embedded struct's Go name is no member of the JSON.
		field := te.Field
		if i := strings.LastIndexByte(field, '.'); i >= 0 && te.Struct != "" {
			field = field[i+1:]
		}
		return errorAt(data, valueStart(data, te.Offset), field, "want "+kindName(te.Type.Kind())+", got "+te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) && len(bytes.TrimSpace(TrimBOM(data))) > 0:
		return unfinished(data)
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		// DisallowUnknownFields' error has no offset: the member's key,
		// the first one spelt so, is where it is.
		if i := keyAt(data, field); i >= 0 {
			return errorAt(data, int64(i), "", "unknown field "+field)
		}
	}
	return err
}

func errorAt(data []byte, off int64, path, msg string) *Error {
	p := PosOf(data, off)
	return &Error{Path: path, Line: p.Line, Column: p.Column, Offset: p.Offset, Msg: msg}
}

func unfinished(data []byte) *Error {
	return errorAt(data, int64(len(bytes.TrimRight(data, " \t\r\n"))), "", "the JSON stops unfinished")
}

// valueStart is where the scalar JSON value that ends at end begins (a
// string, a number or a literal); for an object or array, its end.
func valueStart(b []byte, end int64) int64 {
	end = max(0, min(end, int64(len(b))))
	i := end - 1
	if i < 0 {
		return 0
	}
	switch b[i] {
	case '"':
		for j := i - 1; j >= 0; j-- {
			if b[j] != '"' {
				continue
			}
			n := 0
			for k := j - 1; k >= 0 && b[k] == '\\'; k-- {
				n++
			}
			if n%2 == 0 {
				return j
			}
		}
		return i
	case '}', ']':
		return i
	}
	for i > 0 && !strings.ContainsRune(" \t\r\n:,[{", rune(b[i-1])) {
		i--
	}
	return i
}

// keyAt is the offset of the first member key spelt quoted (`"name"`,
// followed by a colon), -1 if none.
func keyAt(b []byte, quoted string) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(quoted))
		if i < 0 {
			return -1
		}
		i += off
		if rest := bytes.TrimLeft(b[i+len(quoted):], " \t\r\n"); len(rest) > 0 && rest[0] == ':' {
			return i
		}
		off = i + 1
	}
}

// kindName names a Go kind as the JSON value that decodes into it, in
// Unmarshal's words.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return k.String()
}

// Kind names the kind of the JSON value v ("an object", "a string",
// "null", "nothing" for none), for errors that say what was found.
func Kind(v []byte) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "nothing"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// Describe names the JSON value v and, a scalar, shows it as Unmarshal's
// errors do ("string \"x\"", "number 5", "an object"): a long string or
// number only by its start, so that an error quoting a bad value stays
// short whatever the value's size.
func Describe(v []byte) string {
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	tok, err := dec.Token()
	if _, delim := tok.(json.Delim); err != nil || delim {
		return Kind(v)
	}
	return describe(tok)
}

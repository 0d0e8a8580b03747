package awswire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// SkipValue is returned by a [WalkFunc] to skip the members or elements
// of the value it was called for, as fs.SkipDir skips a directory.
//
//lint:ignore ST1012 a signal to Walk, not a failure, named as fs.SkipDir is
var SkipValue = errors.New("skip this value")

// A WalkFunc is called by [Walk] for one member of an object or element
// of an array. path leads to it from the top of the document: member keys,
// and element indexes in decimal, its own last; it is valid only during
// the call. key is the offset of a member's key (its opening quote), or
// of an element, the element's; value is the offset of the value's first
// byte. An error other than [SkipValue] ends the walk.
type WalkFunc func(path []string, key, value int64) error

// Walk reads the JSON document data and calls visit for each member and
// element in it, in document order, a value before the values inside it.
// It returns the first error of visit, or of reading data as JSON (data
// after the top-level value included: an *Error placed there). It is
// how an error found after decoding is placed at the member it concerns,
// and how members that decoding merges (one given twice: encoding/json
// keeps the last) are seen apart.
func Walk(data []byte, visit WalkFunc) error {
	w := walker{dec: json.NewDecoder(bytes.NewReader(data)), data: data, visit: visit}
	w.dec.UseNumber()
	if err := w.value(false); err != nil {
		return err
	}
	if err := AtEnd(w.dec, data, 0); err != nil {
		return err
	}
	return nil
}

// AtEnd returns nil when dec, which has read one value of data[base:], is
// at its end, white space aside; else an *Error placed at the first byte
// after that value (a stray brace, a second document): the one refusal
// of Unmarshal, Walk and the loaders that decode a document themselves.
func AtEnd(dec *json.Decoder, data []byte, base int64) error {
	off := base + dec.InputOffset()
	if _, err := dec.Token(); err == io.EOF {
		return nil
	}
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n", data[off]) >= 0 {
		off++
	}
	return errorAt(data, off, "", "unexpected data after the top-level value")
}

type walker struct {
	dec   *json.Decoder
	data  []byte
	visit WalkFunc
	path  []string
}

// value reads one value, its members or elements only if not skip.
func (w *walker) value(skip bool) error {
	if skip {
		var v json.RawMessage
		return w.dec.Decode(&v)
	}
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	switch d {
	case '{':
		for w.dec.More() {
			before := w.dec.InputOffset()
			tok, err := w.dec.Token()
			if err != nil {
				return err
			}
			k, _ := tok.(string)
			key := before + int64(bytes.IndexByte(w.data[before:], '"'))
			if err := w.member(k, key, w.skip(w.dec.InputOffset(), " \t\r\n:")); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; w.dec.More(); i++ {
			at := w.skip(w.dec.InputOffset(), " \t\r\n,")
			if err := w.member(strconv.Itoa(i), at, at); err != nil {
				return err
			}
		}
	}
	_, err = w.dec.Token() // the closing delimiter
	return err
}

// member visits one member or element and reads its value.
func (w *walker) member(name string, key, value int64) error {
	w.path = append(w.path, name)
	err := w.visit(w.path, key, value)
	if err == nil || err == SkipValue {
		err = w.value(err == SkipValue)
	}
	w.path = w.path[:len(w.path)-1]
	return err
}

// skip returns the offset of the first byte at or after off that is not
// in set.
func (w *walker) skip(off int64, set string) int64 {
	for off < int64(len(w.data)) && strings.IndexByte(set, w.data[off]) >= 0 {
		off++
	}
	return off
}

// ElementStart returns the offset in data of element i of the array that
// is the top-level member key's value. Like encoding/json it matches the
// key without regard to case and lets the last of duplicate keys win; a
// value that is neither an array nor null, or data that is not JSON, finds
// nothing. It places an error found after decoding at the list entry it
// concerns (Subnets[3]), so it is not on the happy path.
func ElementStart(data []byte, key string, i int) (int64, bool) {
	var start int64
	found := false
	index := strconv.Itoa(i)
	err := Walk(data, func(path []string, _, value int64) error {
		switch {
		case !strings.EqualFold(path[0], key):
			return SkipValue
		case len(path) == 1:
			if data[value] != '[' && data[value] != 'n' {
				return errors.New("not an array") // nor null
			}
			return nil
		case path[1] == index:
			start, found = value, true // the last of duplicate keys wins
		}
		return SkipValue
	})
	return start, found && err == nil
}

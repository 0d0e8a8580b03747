package awswire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// PlaceFor is Place for an error of decoding data into v: a
// DisallowUnknownFields refusal is placed at the member that no field of
// its object's struct takes, found by walking data along v's type, not
// at the first key spelt the same, which may be a valid member elsewhere
// (a table's "notes" beside a class's).
func PlaceFor(data []byte, err error, v any) error {
	field, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok || v == nil {
		return Place(data, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := unknownWalk{dec: dec, data: data}
	if off, found := w.value(reflect.TypeOf(v)); found {
		return errorAt(data, off, "", "unknown field "+field)
	}
	return Place(data, err)
}

type unknownWalk struct {
	dec  *json.Decoder
	data []byte
}

// value reads one JSON value decoded as t (nil: of no known type) and
// returns the offset of the first member key no struct field takes.
func (w *unknownWalk) value(t reflect.Type) (int64, bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := w.dec.Token()
	if err != nil {
		return 0, false
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return 0, false
	}
	switch d {
	case '{':
		for w.dec.More() {
			start := w.dec.InputOffset()
			key, err := w.dec.Token()
			if err != nil {
				return 0, false
			}
			var vt reflect.Type
			if t != nil {
				switch t.Kind() {
				case reflect.Struct:
					ft, known := fieldType(t, key.(string))
					if !known {
						return start + int64(bytes.IndexByte(w.data[start:], '"')), true
					}
					vt = ft
				case reflect.Map:
					vt = t.Elem()
				}
			}
			if off, found := w.value(vt); found {
				return off, true
			}
		}
	case '[':
		var et reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			et = t.Elem()
		}
		for w.dec.More() {
			if off, found := w.value(et); found {
				return off, true
			}
		}
	}
	w.dec.Token() // the closing delimiter
	return 0, false
}

// fieldType is the type of the field of struct t that takes member key,
// as encoding/json matches them (tag or Go name, case folded; embedded
// structs' fields promoted).
func fieldType(t reflect.Type, key string) (reflect.Type, bool) {
	var folded reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if et, ok := fieldType(ft, key); ok {
					return et, true
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return ft, true
		}
		if folded == nil && strings.EqualFold(name, key) {
			folded = ft
		}
	}
	return folded, folded != nil
}

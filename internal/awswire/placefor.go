package awswire

import (
	"errors"
	"reflect"
	"strings"
)

// PlaceFor is Place for an error of decoding data into v: a
// DisallowUnknownFields refusal is placed at the member that no field of
// its object's struct takes, found by walking data along v's type, not
// at the first key spelt the same, which may be a valid member elsewhere
// (a table's "notes" beside a class's).
func PlaceFor(data []byte, err error, v any) error {
	if err == nil {
		return nil
	}
	field, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok || v == nil {
		return Place(data, err)
	}
	// types[d] is the type the value at depth d decodes as; nil where
	// none is known (a value under an interface, or past an unknown
	// member), whose members are not looked at.
	types := []reflect.Type{reflect.TypeOf(v)}
	at := int64(-1)
	Walk(data, func(path []string, key, _ int64) error {
		parent := types[len(path)-1]
		for parent != nil && parent.Kind() == reflect.Pointer {
			parent = parent.Elem()
		}
		var t reflect.Type
		if parent != nil {
			switch parent.Kind() {
			case reflect.Struct:
				ft, known := fieldType(parent, path[len(path)-1])
				if !known {
					at = key
					return errors.New("found")
				}
				t = ft
			case reflect.Map, reflect.Slice, reflect.Array:
				t = parent.Elem()
			}
		}
		if t == nil {
			return SkipValue
		}
		types = append(types[:len(path)], t)
		return nil
	})
	if at >= 0 {
		return errorAt(data, at, "", "unknown field "+field)
	}
	return Place(data, err)
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

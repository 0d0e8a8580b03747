package awswire

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var timeType = reflect.TypeOf(time.Time{})

// Marshal encodes v (an SDK struct, pointer, slice or map of them) as
// awsJson wire JSON.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := encode(&b, reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// MemberName is the JSON member name of an SDK struct field.
func MemberName(field string) string {
	r, n := utf8.DecodeRuneInString(field)
	return string(unicode.ToLower(r)) + field[n:]
}

func encode(b *bytes.Buffer, v reflect.Value) error {
	if !v.IsValid() {
		b.WriteString("null")
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("null")
			return nil
		}
		return encode(b, v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			b.WriteString(epochSeconds(v.Interface().(time.Time)))
			return nil
		}
		b.WriteByte('{')
		first := true
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if omit(fv) {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeString(b, MemberName(f.Name))
			b.WriteByte(':')
			if err := encode(b, fv); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		}
		b.WriteByte('}')
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			writeString(b, base64.StdEncoding.EncodeToString(v.Bytes()))
			return nil
		}
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := encode(b, v.Index(i)); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("awswire: unsupported map key type %s", v.Type().Key())
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k.String())
			b.WriteByte(':')
			if err := encode(b, v.MapIndex(k)); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case reflect.String:
		writeString(b, v.String())
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("awswire: unsupported float %v", f)
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	default:
		return fmt.Errorf("awswire: unsupported kind %s", v.Kind())
	}
	return nil
}

// omit reports whether a struct field is left out: nil pointers, slices,
// maps and interfaces, and empty enum strings (the SDK serializers do the
// same). Other non-pointer scalars are always written.
func omit(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	case reflect.String:
		// Enum members are non-pointer strings; the SDK omits them when unset.
		return v.Len() == 0
	}
	return false
}

func writeString(b *bytes.Buffer, s string) {
	q, _ := json.Marshal(s)
	b.Write(q)
}

// epochSeconds writes t as exact decimal epoch seconds ("1716167472.5"):
// going through float64 would lose the sub-microsecond digits.
func epochSeconds(t time.Time) string {
	sec, nsec := t.Unix(), t.Nanosecond()
	if nsec == 0 {
		if sec > 1e11 || sec < -1e11 {
			// A whole number this large reads back as milliseconds
			// (parseEpoch); the fraction keeps it seconds.
			return strconv.FormatInt(sec, 10) + ".0"
		}
		return strconv.FormatInt(sec, 10)
	}
	if sec < 0 { // keep the fraction positive: -1.5 s is sec -2 + 0.5
		return strconv.FormatFloat(float64(t.UnixNano())/1e9, 'f', -1, 64)
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", nsec), "0")
	return strconv.FormatInt(sec, 10) + "." + frac
}

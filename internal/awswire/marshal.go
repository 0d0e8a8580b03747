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
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	if sec > 1e11 || sec < -1e11 {
		// A number this large reads back as milliseconds (parseEpoch):
		// write milliseconds, and the rest as their fraction.
		ms, sub := t.UnixMilli(), nsec%1e6
		if ms < 0 && sub > 0 {
			return "-" + strconv.FormatInt(-(ms+1), 10) + fraction(1e6-sub, 6)
		}
		return strconv.FormatInt(ms, 10) + fraction(sub, 6)
	}
	if sec < 0 && nsec > 0 {
		// sec is the second before: -1.5 s is sec -2 and 0.5 s. Written
		// exactly, in integers: float64 nanoseconds lose digits.
		return "-" + strconv.FormatInt(-(sec+1), 10) + fraction(1e9-nsec, 9)
	}
	return strconv.FormatInt(sec, 10) + fraction(nsec, 9)
}

// fraction writes n of 10^digits as a decimal fraction, its trailing
// zeros trimmed; "" for 0.
func fraction(n int64, digits int) string {
	if n == 0 {
		return ""
	}
	return "." + strings.TrimRight(fmt.Sprintf("%0*d", digits, n), "0")
}

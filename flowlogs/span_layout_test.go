package flowlogs

import (
	"reflect"
	"testing"
)

// TestSpanLayout pins what CopyTo's copy of spans into a []byte relies
// on: a span is pointer-free (the collector does not scan []byte) and
// 4-byte aligned (the compile-time check in record.go covers the second).
func TestSpanLayout(t *testing.T) {
	typ := reflect.TypeOf(span{})
	for i := range typ.NumField() {
		if k := typ.Field(i).Type.Kind(); k != reflect.Uint32 {
			t.Fatalf("span field %s is %v: CopyTo keeps spans in a []byte and needs them pointer-free", typ.Field(i).Name, k)
		}
	}
	if typ.Align() > spanAlign {
		t.Fatalf("span aligns to %d, CopyTo to %d", typ.Align(), spanAlign)
	}
}

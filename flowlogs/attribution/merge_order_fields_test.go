package attribution

import (
	"fmt"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
)

// setField gives v, a field of a Task or an Instance, its n-th value by
// kind (0 the zero one): what observations differing in that field alone
// look like, knowing it or not, or knowing it otherwise.
func setField(t *testing.T, name string, v reflect.Value, n int) {
	t.Helper()
	if n == 0 {
		return
	}
	switch x := v.Addr().Interface().(type) {
	case *string:
		*x = string(rune('a' + n))
	case *time.Time:
		*x = t0.Add(time.Duration(n) * time.Second)
	case *netip.Addr:
		*x = netip.AddrFrom4([4]byte{10, 0, 0, byte(n)})
	case *[]history.Binding:
		*x = []history.Binding{{Container: "web", HostPort: uint16(80 + n), ContainerPort: 80}}
	default:
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			v.SetInt(int64(n))
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			v.SetUint(uint64(n))
		default:
			t.Fatalf("field %s of kind %s: the test does not know how to set it", name, v.Kind())
		}
	}
}

// TestMergeOrderSeesEveryField: Merge keeps one of two observations of a
// task or an instance that the state rule cannot order by comparing their
// fields (compareTasks, newerInstance), so that the order of the parts
// does not decide. A field left out of the comparison would let two
// observations differing in it alone tie, and the first part's win: every
// field of history.Task and history.Instance, including any added later,
// must order them one way.
func TestMergeOrderSeesEveryField(t *testing.T) {
	eachFieldPair(t, func(name string, a, b *history.Task) {
		if c := compareTasks(a, b); c == 0 || compareTasks(b, a) != -c {
			t.Errorf("Task.%s: compareTasks does not order two tasks differing in it alone", name)
		}
	})
	eachFieldPair(t, func(name string, a, b *history.Instance) {
		if newerInstance(a, b) == newerInstance(b, a) {
			t.Errorf("Instance.%s: newerInstance does not order two instances differing in it alone", name)
		}
	})
}

// eachFieldPair calls check with two values of T that differ in one
// field alone (an Interval's Start or End), for every field but the ARN
// (which one task's observations share): one knowing it and one not, then
// two knowing it otherwise.
func eachFieldPair[T any](t *testing.T, check func(name string, a, b *T)) {
	typ := reflect.TypeFor[T]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Name == "ARN" || !f.IsExported() {
			continue
		}
		paths := [][]int{{i}}
		if f.Type == reflect.TypeFor[history.Interval]() {
			paths = [][]int{{i, 0}, {i, 1}}
		}
		for _, p := range paths {
			for _, n := range [][2]int{{0, 1}, {1, 2}} {
				var a, b T
				setField(t, f.Name, reflect.ValueOf(&a).Elem().FieldByIndex(p), n[0])
				setField(t, f.Name, reflect.ValueOf(&b).Elem().FieldByIndex(p), n[1])
				check(fmt.Sprintf("%s %v, values %d and %d", f.Name, p, n[0], n[1]), &a, &b)
			}
		}
	}
}

package attribution

import (
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
	task := reflect.TypeFor[history.Task]()
	for i := range task.NumField() {
		f := task.Field(i)
		if f.Name == "ARN" || !f.IsExported() { // one task's observations share it
			continue
		}
		paths := [][]int{{i}}
		if f.Type == reflect.TypeFor[history.Interval]() {
			paths = [][]int{{i, 0}, {i, 1}}
		}
		for _, p := range paths {
			for _, n := range [][2]int{{0, 1}, {1, 2}} {
				var a, b history.Task
				setField(t, f.Name, reflect.ValueOf(&a).Elem().FieldByIndex(p), n[0])
				setField(t, f.Name, reflect.ValueOf(&b).Elem().FieldByIndex(p), n[1])
				if c := compareTasks(&a, &b); c == 0 || compareTasks(&b, &a) != -c {
					t.Errorf("Task.%s %v, values %d and %d: compareTasks does not order two tasks differing in it alone", f.Name, p, n[0], n[1])
				}
			}
		}
	}
	inst := reflect.TypeFor[history.Instance]()
	for i := range inst.NumField() {
		f := inst.Field(i)
		if f.Name == "ARN" || !f.IsExported() {
			continue
		}
		paths := [][]int{{i}}
		if f.Type == reflect.TypeFor[history.Interval]() {
			paths = [][]int{{i, 0}, {i, 1}}
		}
		for _, p := range paths {
			for _, n := range [][2]int{{0, 1}, {1, 2}} {
				var a, b history.Instance
				setField(t, f.Name, reflect.ValueOf(&a).Elem().FieldByIndex(p), n[0])
				setField(t, f.Name, reflect.ValueOf(&b).Elem().FieldByIndex(p), n[1])
				if newerInstance(&a, &b) == newerInstance(&b, &a) {
					t.Errorf("Instance.%s %v, values %d and %d: newerInstance does not order two instances differing in it alone", f.Name, p, n[0], n[1])
				}
			}
		}
	}
}

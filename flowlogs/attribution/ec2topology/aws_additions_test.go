package ec2topology

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"
)

func reviewInject(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = reviewInject(e)
		}
		x["ZzFutureMember"] = map[string]any{"a": []any{1.5, "x", nil}}
	case []any:
		for i := range x {
			x[i] = reviewInject(x[i])
		}
	}
	return v
}

// TestUnknownMembers: saved describe-subnets, describe-vpcs and
// describe-network-interfaces output with a member EC2 may add at any
// level reads as without it; an ELB interface of an InterfaceType EC2
// does not list today reads too.
func TestUnknownMembers(t *testing.T) {
	for _, f := range []string{"describe-network-interfaces.json", "describe-subnets.json", "describe-vpcs.json"} {
		data, err := os.ReadFile("../../../examples/attribute/sample/network/" + f)
		if err != nil {
			t.Fatal(err)
		}
		want, werr := Read(bytes.NewReader(data), f)
		var v any
		json.Unmarshal(data, &v)
		edited, _ := json.Marshal(reviewInject(v))
		got, gerr := Read(bytes.NewReader(edited), f)
		if fmt.Sprint(werr) != fmt.Sprint(gerr) || !reflect.DeepEqual(want, got) {
			t.Errorf("%s: %v %+v\nwant %v %+v", f, gerr, got, werr, want)
		}
		typed := bytes.ReplaceAll(data, []byte(`"InterfaceType": "interface"`), []byte(`"InterfaceType": "application_load_balancer_v2"`))
		if _, err := Read(bytes.NewReader(typed), f); err != nil {
			t.Errorf("%s with a new InterfaceType: %v", f, err)
		}
	}
}

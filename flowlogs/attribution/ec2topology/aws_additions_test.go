package ec2topology

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/ecsnet/ecsnet/internal/jsontest"
)

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
		edited := jsontest.AddMembers(t, data)
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

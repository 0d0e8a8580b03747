package ec2limits

import (
	"context"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLiveWithoutMismatchFollowsLiveENIs: live values keep the built-in
// trunking row, but the "published without trunking differs from max ENIs -
// 1" flag was computed against the built-in max ENIs; it must follow the
// live number.
func TestLiveWithoutMismatchFollowsLiveENIs(t *testing.T) {
	srv := fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: []fakeaws.EC2InstanceType{
		{InstanceType: "c5.large", Hypervisor: "nitro", MaxENIs: 4, IPv4PerENI: 10, IPv6PerENI: 10, IPv6Supported: true},
		// A region still on the old numbers: 14 ENIs, published 13.
		{InstanceType: "c6in.32xlarge", Hypervisor: "nitro", MaxENIs: 14, IPv4PerENI: 50, IPv6PerENI: 50, IPv6Supported: true,
			Cards: []fakeaws.EC2NetworkCard{{Index: 0, MaximumNetworkInterfaces: 7}, {Index: 1, MaximumNetworkInterfaces: 7}}},
	}})
	defer srv.Close()
	l := New(client(srv))
	ctx := context.Background()
	b, err := eni.BudgetFor(ctx, l, "c6in.32xlarge", eni.BudgetOptions{})
	if err != nil || b.ECSTasks != 13 || len(b.Notes) != 0 {
		t.Errorf("c6in.32xlarge, 14 live ENIs, published 13: %+v %v", b, err)
	}
	b, err = eni.BudgetFor(ctx, l, "c5.large", eni.BudgetOptions{})
	if err != nil || b.ECSTasks != 3 || !strings.Contains(strings.Join(b.Notes, "\n"), "says 2 tasks without trunking") {
		t.Errorf("c5.large, 4 live ENIs, published 2: %+v %v", b, err)
	}
}

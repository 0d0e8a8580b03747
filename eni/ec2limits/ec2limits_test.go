package ec2limits

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func fake() *fakeaws.EC2 {
	its := []fakeaws.EC2InstanceType{
		// EC2 says 4 ENIs where the built-in table says 3: live values win.
		{InstanceType: "c5.large", Hypervisor: "nitro", MaxENIs: 4, IPv4PerENI: 10, IPv6PerENI: 10, IPv6Supported: true},
		{InstanceType: "p4d.24xlarge", Hypervisor: "nitro", MaxENIs: 60, IPv4PerENI: 50, IPv6PerENI: 50, IPv6Supported: true,
			Cards: []fakeaws.EC2NetworkCard{{Index: 0, MaximumNetworkInterfaces: 15}, {Index: 1, MaximumNetworkInterfaces: 15},
				{Index: 2, MaximumNetworkInterfaces: 15}, {Index: 3, MaximumNetworkInterfaces: 15}}},
		// A type newer than the built-in table.
		{InstanceType: "c99.large", Hypervisor: "nitro", MaxENIs: 3, IPv4PerENI: 10, IPv6PerENI: 10, IPv6Supported: true},
	}
	for i := 0; i < 147; i++ {
		its = append(its, fakeaws.EC2InstanceType{InstanceType: fmt.Sprintf("z%03d.large", i), MaxENIs: 2, IPv4PerENI: 4})
	}
	return fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: its})
}

func client(s *fakeaws.EC2) *ec2.Client {
	return ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = s.BaseEndpoint() })
}

func TestLiveLimitsLayeredOverBuiltin(t *testing.T) {
	srv := fake()
	defer srv.Close()
	// Only the EC2 actions of eni.IAMPolicy: the fake denies anything else.
	var ec2Actions []string
	for _, a := range eni.IAMActions() {
		if strings.HasPrefix(a, "ec2:") {
			ec2Actions = append(ec2Actions, a)
		}
	}
	srv.Allow(ec2Actions...)
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 2, ServerErrorEvery: 5, DropEvery: 11})
	l := New(client(srv))
	ctx := context.Background()

	b, err := eni.BudgetFor(ctx, l, "c5.large", eni.BudgetOptions{})
	if err != nil || b.ECSTasks != 3 {
		t.Fatalf("c5.large without trunking from EC2's 4 ENIs: %+v %v", b, err)
	}
	b, _ = eni.BudgetFor(ctx, l, "c5.large", eni.BudgetOptions{Trunking: true})
	if b.ECSTasks != 10 || !b.Trunking {
		t.Fatalf("c5.large trunking limit from the built-in table: %+v", b)
	}
	it, err := l.Lookup(ctx, "p4d.24xlarge")
	if err != nil || it.MaxENIs != 60 || it.DefaultCardENIs != 15 || it.NetworkCards != 4 || it.Source != Source+" + built-in" {
		t.Fatalf("p4d: %+v %v", it, err)
	}
	it, err = l.Lookup(ctx, "c99.large")
	if err != nil || it.Trunking.Status != eni.TrunkingUnknown || it.MaxENIs != 3 {
		t.Fatalf("c99: %+v %v", it, err)
	}
	// Not in this region's EC2 answer, but in the built-in table.
	it, err = l.Lookup(ctx, "m5.large")
	if err != nil || it.Source != "built-in" || it.MaxENIs != 3 {
		t.Fatalf("m5.large: %+v %v", it, err)
	}
	_, err = l.Lookup(ctx, "x99.large")
	var ue *eni.UnknownTypeError
	if !errors.As(err, &ue) {
		t.Fatalf("x99: %v", err)
	}
	if got := srv.Actions(); strings.Join(got, ",") != strings.Join(ec2Actions, ",") {
		t.Fatalf("used %v, policy allows %v", got, ec2Actions)
	}
	calls := srv.Calls()["ec2:DescribeInstanceTypes"]
	// Cached: asking again costs no call.
	if _, err := l.Lookup(ctx, "c5.large"); err != nil || srv.Calls()["ec2:DescribeInstanceTypes"] != calls {
		t.Fatalf("not cached: %v", err)
	}
}

func TestPrefetchAllPagesExactUnderFaults(t *testing.T) {
	srv := fake()
	defer srv.Close()
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 4, DropEvery: 9})
	l := New(client(srv))
	ctx := context.Background()
	if err := l.Prefetch(ctx); err != nil {
		t.Fatal(err)
	}
	if len(l.cache) != 150 {
		t.Fatalf("%d types", len(l.cache))
	}
	// Two pages of 100; under faults a served page may rarely be asked
	// again (the client lost the answer), so only the minimum is exact.
	if got := srv.Calls()["ec2:DescribeInstanceTypes"]; got < 2 {
		t.Fatalf("%d calls for 150 types in pages of 100; faulted %v", got, srv.Faulted())
	}
	// A batch naming one unknown type is split so the others still load.
	l2 := New(client(srv))
	names := []string{"z001.large", "nope.large", "z002.large"}
	if err := l2.Prefetch(ctx, names...); err != nil {
		t.Fatal(err)
	}
	if len(l2.cache) != 2 || !l2.absent["nope.large"] {
		t.Fatalf("cache %d absent %v", len(l2.cache), l2.absent)
	}
}

func TestAccessDeniedIsAnError(t *testing.T) {
	srv := fake()
	defer srv.Close()
	srv.Allow("ec2:DescribeInstances")
	_, err := New(client(srv)).Lookup(context.Background(), "c5.large")
	if err == nil {
		t.Fatal("want access denied")
	}
}

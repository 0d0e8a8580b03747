package ec2topology

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func subnet(id, az, vpc, cidr string, v6 ...string) types.Subnet {
	s := types.Subnet{SubnetId: aws.String(id), AvailabilityZone: aws.String(az), VpcId: aws.String(vpc)}
	if cidr != "" {
		s.CidrBlock = aws.String(cidr)
	}
	for _, c := range v6 {
		s.Ipv6CidrBlockAssociationSet = append(s.Ipv6CidrBlockAssociationSet, types.SubnetIpv6CidrBlockAssociation{
			Ipv6CidrBlock: aws.String(c), Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: types.SubnetCidrBlockStateCodeAssociated}})
	}
	return s
}

func vpc(id string, blocks map[string]types.VpcCidrBlockStateCode) types.Vpc {
	v := types.Vpc{VpcId: aws.String(id)}
	for c, st := range blocks {
		v.CidrBlockAssociationSet = append(v.CidrBlockAssociationSet, types.VpcCidrBlockAssociation{
			CidrBlock: aws.String(c), CidrBlockState: &types.VpcCidrBlockState{State: st}})
	}
	return v
}

// Load pages through both calls, retries throttling and 5xx answers, and
// keeps IPv6 blocks, IPv6-only subnets and only the VPC blocks still
// associated.
func TestLoad(t *testing.T) {
	var subnets []types.Subnet
	for i := range 7 {
		subnets = append(subnets, subnet(fmt.Sprintf("subnet-%d", i), "us-east-1a", "vpc-a", fmt.Sprintf("10.0.%d.0/24", i)))
	}
	subnets = append(subnets, subnet("subnet-v6", "us-east-1b", "vpc-a", "", "2600:1f18:1:2::/64"))
	srv := fakeaws.NewEC2(fakeaws.EC2Data{Subnets: subnets, PageSize: 2, Vpcs: []types.Vpc{
		vpc("vpc-a", map[string]types.VpcCidrBlockStateCode{"10.0.0.0/16": types.VpcCidrBlockStateCodeAssociated, "10.9.0.0/16": types.VpcCidrBlockStateCodeDisassociated}),
		vpc("vpc-b", map[string]types.VpcCidrBlockStateCode{"172.16.0.0/12": types.VpcCidrBlockStateCodeAssociated}),
	}})
	defer srv.Close()
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 5})
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	topo, err := Load(context.Background(), api)
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Subnets) != 8 || topo.Subnets[7] != (attribution.Subnet{ID: "subnet-v6", Prefix: netip.MustParsePrefix("2600:1f18:1:2::/64"), AZ: "us-east-1b", VPC: "vpc-a"}) {
		t.Fatalf("subnets %+v", topo.Subnets)
	}
	if len(topo.VPCs) != 2 || fmt.Sprint(topo.VPCs[0].Prefixes) != "[10.0.0.0/16]" || topo.VPCs[1].ID != "vpc-b" {
		t.Fatalf("VPCs %+v", topo.VPCs)
	}
	if c := srv.Calls(); c["ec2:DescribeSubnets"] != 4 || c["ec2:DescribeVpcs"] != 1 {
		t.Fatalf("calls %v", c)
	}
	if len(srv.Faulted()) == 0 {
		t.Fatal("no faults injected")
	}

	// An answer cut after its status, which the SDK does not retry
	// (aws/aws-sdk-go-v2#1825), is asked again (internal/awscall); it
	// ended the load.
	srv.SetFaults(fakeaws.Faults{})
	srv.SetCutBodyEvery(2)
	if topo, err := Load(context.Background(), api); err != nil || len(topo.Subnets) != 8 || srv.CutBodies() == 0 {
		t.Fatalf("with cut answers: %d subnets, %d cut, %v", len(topo.Subnets), srv.CutBodies(), err)
	}
	srv.SetCutBodyEvery(0)

	// Access denied is the SDK's error, wrapped.
	srv.Allow("ec2:DescribeSubnets")
	_, err = Load(context.Background(), api)
	var ae smithy.APIError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "DescribeVpcs") {
		t.Fatalf("err %v", err)
	}
}

// Saved CLI output: subnets, VPCs or both in one file; a bad value is
// named by its line, column and member path.
func TestRead(t *testing.T) {
	both := `{
  "Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "VpcId": "vpc-a"}],
  "Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16"}]
}`
	topo, err := Read(strings.NewReader(both), "both.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Subnets) != 1 || len(topo.VPCs) != 1 || fmt.Sprint(topo.VPCs[0].Prefixes) != "[10.0.0.0/16]" {
		t.Fatalf("%+v", topo)
	}
	_, err = Read(strings.NewReader(strings.Replace(both, `"CidrBlock": "10.0.1.0/24"`, `"CidrBlock": 24`, 1)), "bad.json")
	var we *awswire.Error
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "bad.json") || !strings.Contains(err.Error(), "Subnets[0].CidrBlock") || !strings.Contains(err.Error(), "line 2, column 53") {
		t.Fatalf("err %v", err)
	}
	_, err = Read(strings.NewReader(`{"Vpcs": [{"VpcId": "vpc-x", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/33"}]}]}`), "x.json")
	if err == nil || !strings.Contains(err.Error(), "x.json: line 1, column 11: bad CIDR in Vpcs[0] (vpc-x)") {
		t.Fatalf("err %v", err)
	}
	m, err := Merge(topo, topo)
	if err != nil || len(m.Subnets) != 2 || len(m.VPCs) != 2 {
		t.Fatalf("merge %+v, %v", m, err)
	}
}

// Subnet filters go to DescribeSubnets only and VPC filters to DescribeVpcs
// only: EC2 refuses a filter name the action does not document
// (InvalidParameterValue "The filter 'availability-zone' is invalid"), so
// one list for both calls made any subnet-only filter fail Load.
func TestLoadFilters(t *testing.T) {
	srv := fakeaws.NewEC2(fakeaws.EC2Data{
		Subnets: []types.Subnet{subnet("subnet-1", "us-east-1a", "vpc-a", "10.0.1.0/24"), subnet("subnet-2", "us-east-1b", "vpc-a", "10.0.2.0/24")},
		Vpcs: []types.Vpc{
			vpc("vpc-a", map[string]types.VpcCidrBlockStateCode{"10.0.0.0/16": types.VpcCidrBlockStateCodeAssociated}),
			vpc("vpc-b", map[string]types.VpcCidrBlockStateCode{"172.16.0.0/12": types.VpcCidrBlockStateCodeAssociated}),
		},
	})
	defer srv.Close()
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	ctx := context.Background()

	topo, err := Load(ctx, api, WithSubnetFilters(types.Filter{Name: aws.String("availability-zone"), Values: []string{"us-east-1a"}}))
	if err != nil {
		t.Fatalf("a subnet filter: %v", err)
	}
	if len(topo.Subnets) != 1 || topo.Subnets[0].ID != "subnet-1" || len(topo.VPCs) != 2 {
		t.Errorf("subnet filter: subnets %+v, VPCs %+v", topo.Subnets, topo.VPCs)
	}

	topo, err = Load(ctx, api, WithVPCFilters(types.Filter{Name: aws.String("vpc-id"), Values: []string{"vpc-b"}}))
	if err != nil {
		t.Fatalf("a VPC filter: %v", err)
	}
	if len(topo.Subnets) != 2 || len(topo.VPCs) != 1 || topo.VPCs[0].ID != "vpc-b" {
		t.Errorf("VPC filter: subnets %+v, VPCs %+v", topo.Subnets, topo.VPCs)
	}

	// Both, and a filter given to the call that does not know it is EC2's
	// error, wrapped with the call's name.
	topo, err = Load(ctx, api,
		WithSubnetFilters(types.Filter{Name: aws.String("subnet-id"), Values: []string{"subnet-2"}}),
		WithVPCFilters(types.Filter{Name: aws.String("vpc-id"), Values: []string{"vpc-a"}}))
	if err != nil || len(topo.Subnets) != 1 || topo.Subnets[0].ID != "subnet-2" || len(topo.VPCs) != 1 || topo.VPCs[0].ID != "vpc-a" {
		t.Errorf("both: %+v, %v", topo, err)
	}
	_, err = Load(ctx, api, WithVPCFilters(types.Filter{Name: aws.String("availability-zone"), Values: []string{"us-east-1a"}}))
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" || !strings.Contains(err.Error(), "DescribeVpcs") {
		t.Errorf("subnet filter given to DescribeVpcs: %v", err)
	}
}

// `aws ec2 describe-subnets --max-items N` (or --no-paginate) saves one
// page and a NextToken: taken as the whole topology, the subnets on the
// other pages would classify as unknown without a word.
func TestReadNextToken(t *testing.T) {
	page := `{"Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "VpcId": "vpc-a"}],
 "NextToken": "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="}`
	_, err := Read(strings.NewReader(page), "subnets.json")
	if err == nil || !strings.Contains(err.Error(), "NextToken") {
		t.Errorf("a truncated describe-subnets page was read as complete (err %v)", err)
	}
	if err == nil || !strings.HasPrefix(err.Error(), "subnets.json: ") || !strings.Contains(err.Error(), "one page of several") || !strings.Contains(err.Error(), "--max-items") {
		t.Errorf("err %v", err)
	}
	_, err = Read(strings.NewReader(`{"Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16"}], "NextToken": "AAAA"}`), "vpcs.json")
	if err == nil || !strings.HasPrefix(err.Error(), "vpcs.json: ") || !strings.Contains(err.Error(), "NextToken") {
		t.Errorf("a truncated describe-vpcs page: err %v", err)
	}
	// The last page (no NextToken, or an empty one) is whole.
	for _, doc := range []string{`{"Subnets": []}`, `{"Subnets": [], "NextToken": ""}`} {
		if _, err := Read(strings.NewReader(doc), "last.json"); err != nil {
			t.Errorf("%s: %v", doc, err)
		}
	}
}

// AZ names are mapped to physical AZs independently for each account in
// the older Regions (AZ IDs such as use1-az1 are the same everywhere).
// Within one account's output a name has exactly one ID; two subnets whose
// one name has two IDs (or whose one ID has two names) come from different
// accounts, and comparing a task's AZ name with them says "same AZ" for
// traffic that crosses AZs (or "cross-AZ" for traffic that does not).
func TestAZNameWithTwoAZIDs(t *testing.T) {
	withID := func(s types.Subnet, azID, owner string) types.Subnet {
		s.AvailabilityZoneId, s.OwnerId = aws.String(azID), aws.String(owner)
		return s
	}
	a := withID(subnet("subnet-a", "us-east-1a", "vpc-a", "10.0.1.0/24"), "use1-az1", "111111111111")
	b := withID(subnet("subnet-b", "us-east-1a", "vpc-a", "10.0.2.0/24"), "use1-az4", "222222222222")
	topo, err := FromEC2([]types.Subnet{a, b}, nil)
	if err == nil && topo.Subnets[0].AZ == topo.Subnets[1].AZ {
		t.Errorf("subnets in use1-az1 and use1-az4 both read as AZ %q: peers across them classify as same AZ", topo.Subnets[0].AZ)
	}
	mentions := func(err error, want ...string) {
		t.Helper()
		for _, w := range want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("error %v does not name %q", err, w)
			}
		}
	}
	mentions(err, "in Subnets[1]: ", "subnet-a", "subnet-b", "use1-az1", "use1-az4", "us-east-1a", "attribution compares AZ names")

	// One ID under two names: the same mix of accounts, seen from the
	// other side.
	c := withID(subnet("subnet-c", "us-east-1b", "vpc-a", "10.0.3.0/24"), "use1-az1", "222222222222")
	_, err = FromEC2([]types.Subnet{a, c}, nil)
	mentions(err, "subnet-a", "subnet-c", "use1-az1", "us-east-1a", "us-east-1b")

	// One account's names, including several subnets per AZ, and subnets
	// without an AZ ID (hand-written), are fine.
	a2 := withID(subnet("subnet-a2", "us-east-1a", "vpc-a", "10.0.4.0/24"), "use1-az1", "111111111111")
	d := withID(subnet("subnet-d", "us-east-1b", "vpc-a", "10.0.5.0/24"), "use1-az2", "111111111111")
	if _, err := FromEC2([]types.Subnet{a, a2, d, subnet("subnet-x", "us-east-1a", "vpc-a", "10.0.6.0/24")}, nil); err != nil {
		t.Errorf("one account's subnets: %v", err)
	}

	// Live, through the SDK: the fake serves availabilityZoneId, and Load
	// refuses the mix.
	srv := fakeaws.NewEC2(fakeaws.EC2Data{Subnets: []types.Subnet{a, a2, b}})
	defer srv.Close()
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	_, err = Load(context.Background(), api)
	mentions(err, "ec2topology: ", "subnet-a", "subnet-b", "use1-az1", "use1-az4", "us-east-1a")

	// Saved output of two accounts, each consistent in itself: Read takes
	// each, Merge refuses them together, naming the files, and leaves its
	// first argument as it was.
	read := func(name, doc string) Topology {
		t.Helper()
		topo, err := Read(strings.NewReader(doc), name)
		if err != nil {
			t.Fatal(err)
		}
		return topo
	}
	one := read("one.json", `{"Subnets": [{"SubnetId": "subnet-a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1", "VpcId": "vpc-a"}]}`)
	two := read("two.json", `{"Subnets": [{"SubnetId": "subnet-b", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az4", "VpcId": "vpc-a"}]}`)
	same := read("same.json", `{"Subnets": [{"SubnetId": "subnet-a2", "CidrBlock": "10.0.4.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1", "VpcId": "vpc-a"}]}`)
	m, err := Merge(one, same)
	if err != nil || len(m.Subnets) != 2 {
		t.Fatalf("one account's files: %+v, %v", m, err)
	}
	got, err := Merge(m, two)
	mentions(err, "ec2topology: ", "subnet-a (one.json)", "subnet-b (two.json)", "use1-az1", "use1-az4", "us-east-1a")
	if len(got.Subnets) != 2 {
		t.Errorf("a refused merge changed the topology: %+v", got.Subnets)
	}
	// The check follows the IDs through merges: two, then one.
	if _, err := Merge(Topology{}, two, m); err == nil {
		t.Error("merge of two accounts' files in one call: no error")
	}
	// A file holding both accounts' subnets is refused by Read.
	_, err = Read(strings.NewReader(`{"Subnets": [
  {"SubnetId": "subnet-a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1"},
  {"SubnetId": "subnet-b", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az4"}]}`), "both.json")
	mentions(err, "both.json: line 3, column 3: in Subnets[1]: ", "subnet-a", "subnet-b", "use1-az1", "use1-az4")
}

// eni is a network interface as ELB (requester "amazon-elb") or another
// requester made it, with its private addresses.
func eni(id, requester, typ, desc, vpc string, addrs ...string) types.NetworkInterface {
	n := types.NetworkInterface{NetworkInterfaceId: aws.String(id), RequesterId: aws.String(requester), InterfaceType: types.NetworkInterfaceType(typ),
		Description: aws.String(desc), VpcId: aws.String(vpc), RequesterManaged: aws.Bool(requester == "amazon-elb")}
	for i, a := range addrs {
		if strings.Contains(a, ":") {
			n.Ipv6Addresses = append(n.Ipv6Addresses, types.NetworkInterfaceIpv6Address{Ipv6Address: aws.String(a)})
			continue
		}
		if i == 0 {
			n.PrivateIpAddress = aws.String(a)
		}
		n.PrivateIpAddresses = append(n.PrivateIpAddresses, types.NetworkInterfacePrivateIpAddress{PrivateIpAddress: aws.String(a), Primary: aws.Bool(i == 0)})
	}
	return n
}

// The interfaces of every kind of load balancer and of others: only
// Application and Classic Load Balancer nodes' addresses are kept, every
// address of theirs (secondary and IPv6 ones too).
var interfaces = []types.NetworkInterface{
	eni("eni-alb-a", "amazon-elb", "interface", "ELB app/web/50dc6c495c0c9188", "vpc-a", "10.0.1.5"),
	eni("eni-alb-b", "amazon-elb", "interface", "ELB app/web/50dc6c495c0c9188", "vpc-a", "10.0.2.5", "10.0.2.6", "2600:1f18:1:2::5"),
	eni("eni-clb", "amazon-elb", "interface", "ELB legacy-web", "vpc-a", "10.0.1.7"),
	eni("eni-nlb", "amazon-elb", "network_load_balancer", "ELB net/tcp/3b1f9a1e5d2c4b7a", "vpc-a", "10.0.1.8"),
	eni("eni-nlb-old", "amazon-elb", "interface", "ELB net/tcp-old/0a1b2c3d4e5f6071", "vpc-a", "10.0.1.9"),
	eni("eni-gwlb", "amazon-elb", "gateway_load_balancer", "ELB gwy/inspect/4c2d8e1f6a3b5c7d", "vpc-a", "10.0.1.10"),
	eni("eni-nlb-typed", "amazon-elb", "network_load_balancer", "ELB app/looks-like-an-alb/1", "vpc-a", "10.0.1.11"),
	eni("eni-new", "amazon-elb", "interface", "ELB xyz/future/1", "vpc-a", "10.0.1.12"),
}

// Not ELB's: a task's interface, and one whose description imitates an
// ALB node's but that ELB did not create.
var others = []types.NetworkInterface{
	eni("eni-task", "578734482556", "interface", "arn:aws:ecs:us-east-1:123456789012:attachment/1b0e4c2a", "vpc-a", "10.0.1.101"),
	eni("eni-mine", "123456789012", "interface", "ELB app/web/50dc6c495c0c9188", "vpc-a", "10.0.1.102"),
}

var wantNodes = []attribution.LoadBalancerNode{
	{Addr: netip.MustParseAddr("10.0.1.5"), LoadBalancer: "app/web/50dc6c495c0c9188", ENI: "eni-alb-a", VPC: "vpc-a"},
	{Addr: netip.MustParseAddr("10.0.2.5"), LoadBalancer: "app/web/50dc6c495c0c9188", ENI: "eni-alb-b", VPC: "vpc-a"},
	{Addr: netip.MustParseAddr("10.0.2.6"), LoadBalancer: "app/web/50dc6c495c0c9188", ENI: "eni-alb-b", VPC: "vpc-a"},
	{Addr: netip.MustParseAddr("2600:1f18:1:2::5"), LoadBalancer: "app/web/50dc6c495c0c9188", ENI: "eni-alb-b", VPC: "vpc-a"},
	{Addr: netip.MustParseAddr("10.0.1.7"), LoadBalancer: "legacy-web", ENI: "eni-clb", VPC: "vpc-a"},
}

func TestLoadBalancerOf(t *testing.T) {
	for _, c := range []struct {
		ni   types.NetworkInterface
		want nodeKind
		name string
	}{
		{interfaces[0], albNode, "app/web/50dc6c495c0c9188"},
		{interfaces[2], clbNode, "legacy-web"},
		{interfaces[3], nlbNode, "net/tcp/3b1f9a1e5d2c4b7a"},
		{interfaces[4], nlbNode, "net/tcp-old/0a1b2c3d4e5f6071"},
		{interfaces[5], gwlbNode, "gwy/inspect/4c2d8e1f6a3b5c7d"},
		{interfaces[6], nlbNode, "app/looks-like-an-alb/1"}, // the interface type wins
		{interfaces[7], otherNode, "xyz/future/1"},
		{eni("eni-x", "amazon-elb", "interface", "", "vpc-a"), otherNode, ""},
		{eni("eni-x", "amazon-elb", "interface", "ELB ", "vpc-a"), otherNode, ""},
		{others[0], notNode, ""},
		{others[1], notNode, ""},
	} {
		if k, name := loadBalancerOf(&c.ni); k != c.want || name != c.name {
			t.Errorf("%s (%q): %d %q, want %d %q", *c.ni.NetworkInterfaceId, *c.ni.Description, k, name, c.want, c.name)
		}
	}
}

// Load reads ELB's interfaces only (the requester-id filter), every page,
// through throttling and 5xx answers, and keeps the Application and
// Classic Load Balancer nodes' addresses; a denied DescribeNetworkInterfaces
// is the SDK's error, named.
func TestLoadLoadBalancerNodes(t *testing.T) {
	srv := fakeaws.NewEC2(fakeaws.EC2Data{
		Subnets:           []types.Subnet{subnet("subnet-a", "us-east-1a", "vpc-a", "10.0.1.0/24"), subnet("subnet-b", "us-east-1b", "vpc-a", "10.0.2.0/24")},
		NetworkInterfaces: append(append([]types.NetworkInterface{}, others[0]), append(interfaces, others[1])...),
		PageSize:          2,
	})
	defer srv.Close()
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 5})
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	topo, err := Load(context.Background(), api)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(topo.LoadBalancers) != fmt.Sprint(wantNodes) {
		t.Errorf("nodes\n%v\nwant\n%v", topo.LoadBalancers, wantNodes)
	}
	if topo.Interfaces != len(interfaces) || len(topo.Subnets) != 2 {
		t.Errorf("%d interfaces read (want ELB's %d), %d subnets", topo.Interfaces, len(interfaces), len(topo.Subnets))
	}
	if c := srv.Calls(); c["ec2:DescribeNetworkInterfaces"] != 4 {
		t.Errorf("calls %v: want 4 pages of ELB's 8 interfaces", c)
	}
	if len(srv.Faulted()) == 0 {
		t.Error("no faults injected")
	}

	srv.SetFaults(fakeaws.Faults{})
	srv.Allow("ec2:DescribeSubnets", "ec2:DescribeVpcs")
	_, err = Load(context.Background(), api)
	var ae smithy.APIError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "ec2topology: DescribeNetworkInterfaces: ") {
		t.Errorf("denied: %v", err)
	}
}

// Saved `aws ec2 describe-network-interfaces` output, filtered to ELB's
// interfaces or not: the same nodes, every interface counted; a bad
// address is named with its path and interface; one page of several is
// refused as for the other outputs.
func TestReadNetworkInterfaces(t *testing.T) {
	doc := func(nis []types.NetworkInterface, extra string) string {
		b, err := awswire.Marshal(ec2.DescribeNetworkInterfacesOutput{NetworkInterfaces: nis})
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if extra != "" {
			s = strings.TrimSuffix(strings.TrimSpace(s), "}") + "," + extra + "}"
		}
		return s
	}
	for _, nis := range [][]types.NetworkInterface{interfaces, append(append([]types.NetworkInterface{}, others...), interfaces...)} {
		topo, err := Read(strings.NewReader(doc(nis, "")), "enis.json")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(topo.LoadBalancers) != fmt.Sprint(wantNodes) || topo.Interfaces != len(nis) || len(topo.Subnets) != 0 {
			t.Errorf("%d interfaces: nodes %v, %d counted", len(nis), topo.LoadBalancers, topo.Interfaces)
		}
	}
	// The CLI's own spelling, and merged with subnets.
	cli := `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "RequesterId": "amazon-elb", "RequesterManaged": true,
  "InterfaceType": "interface", "Description": "ELB app/web/50dc6c495c0c9188", "VpcId": "vpc-a",
  "PrivateIpAddress": "10.0.1.5", "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.5"}],
  "Attachment": {"AttachTime": "2026-11-20T08:00:00+00:00", "InstanceOwnerId": "amazon-elb", "Status": "attached"}}]}`
	lbs, err := Read(strings.NewReader(cli), "enis.json")
	if err != nil || len(lbs.LoadBalancers) != 1 || lbs.LoadBalancers[0].Addr != netip.MustParseAddr("10.0.1.5") {
		t.Fatalf("CLI output: %+v, %v", lbs, err)
	}
	subnets, err := Read(strings.NewReader(`{"Subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "VpcId": "vpc-a"}]}`), "subnets.json")
	if err != nil || subnets.Interfaces != 0 || len(subnets.LoadBalancers) != 0 {
		t.Fatalf("subnets: %+v, %v", subnets, err)
	}
	m, err := Merge(subnets, lbs)
	if err != nil || len(m.Subnets) != 1 || len(m.LoadBalancers) != 1 || m.Interfaces != 1 {
		t.Fatalf("merged: %+v, %v", m, err)
	}
	if d, dl := attribution.TopologyDigest(subnets.Topology), attribution.TopologyDigest(m.Topology); d == dl {
		t.Error("the digest does not cover the load balancer nodes")
	}

	_, err = Read(strings.NewReader(strings.Replace(cli, `"PrivateIpAddress": "10.0.1.5"}`, `"PrivateIpAddress": "10.0.1.500"}`, 1)), "bad.json")
	if err == nil || !strings.HasPrefix(err.Error(), "bad.json: line 1, column 24: bad address in NetworkInterfaces[0].PrivateIpAddresses[0].PrivateIpAddress (eni-1): ") {
		t.Errorf("bad address: %v", err)
	}
	_, err = Read(strings.NewReader(doc(interfaces, `"NextToken": "AAAA"`)), "page.json")
	if err == nil || !strings.HasPrefix(err.Error(), "page.json: ") || !strings.Contains(err.Error(), "NetworkInterfaces of all its pages") {
		t.Errorf("one page of several: %v", err)
	}
}

package ec2topology

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestSubnetWithoutCIDR: every subnet EC2 lists has a CIDR block
// (its IPv4 block, or the IPv6 block of an IPv6-only subnet). A subnet
// entry with none (a misspelt member in a hand-made or edited file, an
// entry of other output) was dropped without a word: its addresses then
// classify as unknown, and the file read as fine.
func TestSubnetWithoutCIDR(t *testing.T) {
	doc := `{"Subnets": [
  {"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "VpcId": "vpc-a"},
  {"SubnetId": "subnet-2", "CidrBlok": "10.0.2.0/24", "AvailabilityZone": "us-east-1b", "VpcId": "vpc-a"}]}`
	topo, err := Read(strings.NewReader(doc), "subnets.json")
	if err == nil {
		t.Fatalf("subnet-2 has no CIDR, read as %d subnets and no error", len(topo.Subnets))
	}
	for _, w := range []string{"subnets.json", "Subnets[1]", "subnet-2", "CIDR"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not name %q", err, w)
		}
	}
	// A subnet whose only IPv6 block is gone (and that has no IPv4 block)
	// has no addresses left: that is no mistake.
	gone := types.Subnet{SubnetId: aws.String("subnet-3"), AvailabilityZone: aws.String("us-east-1a"),
		Ipv6CidrBlockAssociationSet: []types.SubnetIpv6CidrBlockAssociation{{Ipv6CidrBlock: aws.String("2600:1f18:1:2::/64"),
			Ipv6CidrBlockState: &types.SubnetCidrBlockState{State: types.SubnetCidrBlockStateCodeDisassociated}}}}
	if _, err := FromEC2([]types.Subnet{gone}, nil); err != nil {
		t.Errorf("a subnet whose IPv6 block is disassociated: %v", err)
	}
	// Likewise a VPC: every VPC has a primary IPv4 block.
	_, err = Read(strings.NewReader(`{"Vpcs": [{"VpcId": "vpc-a", "Cidr": "10.0.0.0/16"}]}`), "vpcs.json")
	if err == nil || !strings.Contains(err.Error(), "Vpcs[0]") || !strings.Contains(err.Error(), "vpc-a") {
		t.Errorf("a VPC without a CIDR block: err %v", err)
	}
}

// TestReadRefusesOtherDocuments: a document holding none of Subnets, Vpcs
// and NetworkInterfaces (describe-instances output, say) read as an empty
// topology and no error, and each caller had to check for it; an empty
// list is still output of the command.
func TestReadRefusesOtherDocuments(t *testing.T) {
	for _, doc := range []string{`{}`, `{"Reservations": []}`, `null`} {
		if _, err := Read(strings.NewReader(doc), "other.json"); err == nil ||
			err.Error() != "other.json: no Subnets, Vpcs or NetworkInterfaces member: want aws ec2 describe-subnets, describe-vpcs or describe-network-interfaces output" {
			t.Errorf("%s: %v", doc, err)
		}
	}
	if _, err := Read(strings.NewReader(`{"NetworkInterfaces": []}`), "enis.json"); err != nil {
		t.Errorf("an empty list: %v", err)
	}
}

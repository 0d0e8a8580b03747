package ec2topology

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestSubnetWithoutAZOrID: attribution classes a peer in a subnet
// same-AZ or cross-AZ by the subnet's AvailabilityZone, which prices its
// bytes, and finds a task's VPC by its subnet's SubnetId. EC2 lists both
// for every subnet; an entry without one (a hand-made or edited file, a
// misspelt member) was read without a word, and its peers' traffic then
// classed unknown, unpriced. The AZ ID stays optional: describe-subnets
// output saved before EC2 reported AvailabilityZoneId, and hand-written
// files, lack it, and attribution compares AZ names only.
func TestSubnetWithoutAZOrID(t *testing.T) {
	for _, c := range []struct {
		name, entry string
		want        []string
	}{
		{"no AZ", `{"SubnetId": "subnet-2", "CidrBlock": "10.0.2.0/24", "AvailabilityZoneId": "use1-az6", "VpcId": "vpc-a"}`,
			[]string{"subnets.json: line 3, column 3: ", "Subnets[1]", "subnet-2", "AvailabilityZone"}},
		{"AZ misspelt", `{"SubnetId": "subnet-2", "CidrBlock": "10.0.2.0/24", "AvailabiltyZone": "us-east-1b", "VpcId": "vpc-a"}`,
			[]string{"subnets.json: line 3, column 3: ", "Subnets[1]", "subnet-2", "AvailabilityZone"}},
		{"empty AZ", `{"SubnetId": "subnet-2", "CidrBlock": "10.0.2.0/24", "AvailabilityZone": "", "VpcId": "vpc-a"}`,
			[]string{"subnets.json: line 3, column 3: ", "Subnets[1]", "subnet-2", "AvailabilityZone"}},
		{"no ID", `{"CidrBlock": "10.0.2.0/24", "AvailabilityZone": "us-east-1b", "VpcId": "vpc-a"}`,
			[]string{"subnets.json: line 3, column 3: ", "Subnets[1]", "10.0.2.0/24", "SubnetId"}},
	} {
		doc := `{"Subnets": [
  {"SubnetId": "subnet-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "VpcId": "vpc-a"},
  ` + c.entry + `]}`
		topo, err := Read(strings.NewReader(doc), "subnets.json")
		if err == nil {
			t.Errorf("%s: read as %v and no error", c.name, topo.Subnets)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not name %q", c.name, err, w)
			}
		}
	}

	// From the SDK too, and without an AZ ID still read.
	ok := types.Subnet{SubnetId: aws.String("subnet-1"), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")}
	if _, err := FromEC2([]types.Subnet{ok}, nil); err != nil {
		t.Errorf("a subnet without AvailabilityZoneId: %v", err)
	}
	noAZ := types.Subnet{SubnetId: aws.String("subnet-3"), CidrBlock: aws.String("10.0.3.0/24")}
	if _, err := FromEC2([]types.Subnet{ok, noAZ}, nil); err == nil || !strings.Contains(err.Error(), "Subnets[1] (subnet-3)") {
		t.Errorf("FromEC2 of a subnet without an AZ: %v", err)
	}
}

package ec2topology

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzRead: saved describe-subnets, describe-vpcs and
// describe-network-interfaces output, whatever it holds, reads to a
// topology of valid prefixes and node addresses, or to an error naming
// the file; never a panic.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		`{"Subnets": [{"SubnetId": "subnet-a", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1a", "AvailabilityZoneId": "use1-az1", "VpcId": "vpc-1"}]}`,
		`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`,
		`{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "RequesterId": "amazon-elb", "Description": "ELB app/web/1", "PrivateIpAddress": "10.0.1.5", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.5"}], "Ipv6Addresses": [{"Ipv6Address": "2600:1f18::5"}], "VpcId": "vpc-1"}]}`,
		`{"NetworkInterfaces": [], "NextToken": "x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := Read(bytes.NewReader(data), "f.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.json") && !strings.Contains(err.Error(), "f.json") {
				t.Errorf("%q: error %v does not name the file", data, err)
			}
			return
		}
		for _, s := range topo.Subnets {
			if !s.Prefix.IsValid() {
				t.Errorf("%q: subnet %s with an invalid prefix", data, s.ID)
			}
		}
		for _, n := range topo.LoadBalancers {
			if !n.Addr.IsValid() {
				t.Errorf("%q: node %s with an invalid address", data, n.ENI)
			}
		}
	})
}

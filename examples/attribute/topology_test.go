package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

func openString(files map[string]string) func(string) (io.ReadCloser, error) {
	return func(name string) (io.ReadCloser, error) {
		s, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("%s: no such file", name)
		}
		return io.NopCloser(strings.NewReader(s)), nil
	}
}

// A bad value in describe-subnets or describe-vpcs output is named by the
// file, its line and column there, and its member path.
func TestTopologyErrorPosition(t *testing.T) {
	for _, c := range []struct {
		file, good, bad, path string
	}{
		{"network/describe-subnets.json", `"CidrBlock": "10.0.2.0/24"`, `"CidrBlock": 10`, "Subnets[1].CidrBlock"},
		{"network/describe-vpcs.json", `"VpcId": "vpc-0d3a9c5e7b1f20468"`, `"VpcId": ["vpc-0d3a9c5e7b1f20468"]`, "Vpcs[0].VpcId"},
	} {
		t.Run(c.file, func(t *testing.T) {
			text := string(readSample(t, c.file))
			bad := strings.Replace(text, c.good, c.bad, 1)
			if bad == text {
				t.Fatal("sample changed")
			}
			at := strings.Index(bad, c.bad) + strings.Index(c.bad, ":") + 2 // the value
			line := 1 + strings.Count(bad[:at], "\n")
			col := at - strings.LastIndex(bad[:at], "\n")
			_, err := readTopology(openString(map[string]string{c.file: bad}), io.Discard, c.file)
			var we *awswire.Error
			if !errors.As(err, &we) || we.Path != c.path || we.Line != line || we.Column != col {
				t.Fatalf("got %v, want %s at line %d, column %d", err, c.path, line, col)
			}
			if want := fmt.Sprintf("%s: line %d, column %d: %s: ", c.file, line, col, c.path); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
		})
	}
}

// Both outputs in one file, an IPv6-only subnet (no CidrBlock), and a CIDR
// that is not one.
func TestTopologyShapes(t *testing.T) {
	both := `{"Subnets": [{"SubnetId": "subnet-6", "AvailabilityZone": "us-east-1a", "VpcId": "vpc-1",
  "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1::/64"}]}],
 "Vpcs": [{"VpcId": "vpc-1", "CidrBlockAssociationSet": [{"CidrBlock": "10.0.0.0/16"}],
  "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1::/56"}]}]}`
	topo, err := readTopology(openString(map[string]string{"both.json": both}), io.Discard, "both.json")
	if err != nil {
		t.Fatal(err)
	}
	wantSubnets := []attribution.Subnet{{ID: "subnet-6", Prefix: netip.MustParsePrefix("2600:1f18:1::/64"), AZ: "us-east-1a", VPC: "vpc-1"}}
	if fmt.Sprint(topo.Subnets) != fmt.Sprint(wantSubnets) {
		t.Errorf("subnets %v, want %v", topo.Subnets, wantSubnets)
	}
	if len(topo.VPCs) != 1 || fmt.Sprint(topo.VPCs[0].Prefixes) != "[10.0.0.0/16 2600:1f18:1::/56]" {
		t.Errorf("VPCs %v", topo.VPCs)
	}
	_, err = readTopology(openString(map[string]string{"x.json": `{"Subnets": [{"SubnetId": "subnet-x", "CidrBlock": "10.0.0.0/33"}]}`}), io.Discard, "x.json")
	if err == nil || !strings.HasPrefix(err.Error(), "x.json: line 1, column 14: bad CIDR in Subnets[0] (subnet-x): ") {
		t.Errorf("got %v", err)
	}
}

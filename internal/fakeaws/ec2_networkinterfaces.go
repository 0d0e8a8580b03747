package fakeaws

import (
	"encoding/xml"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The members of network interfaces the fake writes (others are dropped):
// what ec2topology reads to tell load balancer nodes (requester, type,
// description, addresses) and the IDs and placement the filters look at.

type ec2PrivateAddressXML struct {
	PrivateIP *string `xml:"privateIpAddress,omitempty"`
	Primary   *bool   `xml:"primary,omitempty"`
}

type ec2NetworkInterfaceXML struct {
	ID               *string                `xml:"networkInterfaceId,omitempty"`
	SubnetID         *string                `xml:"subnetId,omitempty"`
	VpcID            *string                `xml:"vpcId,omitempty"`
	AZ               *string                `xml:"availabilityZone,omitempty"`
	AZID             *string                `xml:"availabilityZoneId,omitempty"`
	Description      *string                `xml:"description,omitempty"`
	OwnerID          *string                `xml:"ownerId,omitempty"`
	RequesterID      *string                `xml:"requesterId,omitempty"`
	RequesterManaged *bool                  `xml:"requesterManaged,omitempty"`
	Status           string                 `xml:"status,omitempty"`
	InterfaceType    string                 `xml:"interfaceType,omitempty"`
	PrivateIP        *string                `xml:"privateIpAddress,omitempty"`
	PrivateIPs       []ec2PrivateAddressXML `xml:"privateIpAddressesSet>item"`
	IPv6             []ec2IPv6XML           `xml:"ipv6AddressesSet>item"`
}

// describeNetworkInterfaces: NetworkInterfaceId.N (not together with
// MaxResults, and an unknown ID is InvalidNetworkInterfaceID.NotFound, as
// EC2 answers), the filters network-interface-id, requester-id,
// requester-managed, interface-type, vpc-id, subnet-id and
// availability-zone (exact values: the fake knows no wildcards);
// MaxResults 5..1000.
func (f *EC2) describeNetworkInterfaces(form ec2Form) (any, error) {
	ids := form.list("NetworkInterfaceId")
	if len(ids) > 0 && form.first("MaxResults") != "" {
		return nil, ec2Invalid("InvalidParameterCombination", "The parameter NetworkInterfaceIds cannot be used with the parameter maxResults")
	}
	filters, err := form.filters("network-interface-id", "requester-id", "requester-managed", "interface-type", "vpc-id", "subnet-id", "availability-zone")
	if err != nil {
		return nil, err
	}
	var matched []ec2NetworkInterfaceXML
	seen := map[string]bool{}
	for i := range f.data.NetworkInterfaces {
		n := &f.data.NetworkInterfaces[i]
		id := aws.ToString(n.NetworkInterfaceId)
		if len(ids) > 0 && !slices.Contains(ids, id) ||
			!filters.match("network-interface-id", id) || !filters.match("requester-id", aws.ToString(n.RequesterId)) ||
			!filters.match("requester-managed", strconv.FormatBool(aws.ToBool(n.RequesterManaged))) ||
			!filters.match("interface-type", string(n.InterfaceType)) || !filters.match("vpc-id", aws.ToString(n.VpcId)) ||
			!filters.match("subnet-id", aws.ToString(n.SubnetId)) || !filters.match("availability-zone", aws.ToString(n.AvailabilityZone)) {
			continue
		}
		seen[id] = true
		x := ec2NetworkInterfaceXML{ID: n.NetworkInterfaceId, SubnetID: n.SubnetId, VpcID: n.VpcId, AZ: n.AvailabilityZone,
			AZID: n.AvailabilityZoneId, Description: n.Description, OwnerID: n.OwnerId, RequesterID: n.RequesterId,
			RequesterManaged: n.RequesterManaged, Status: string(n.Status), InterfaceType: string(n.InterfaceType),
			PrivateIP: n.PrivateIpAddress}
		for _, p := range n.PrivateIpAddresses {
			x.PrivateIPs = append(x.PrivateIPs, ec2PrivateAddressXML{p.PrivateIpAddress, p.Primary})
		}
		for _, v6 := range n.Ipv6Addresses {
			x.IPv6 = append(x.IPv6, ec2IPv6XML{v6.Ipv6Address, v6.IsPrimaryIpv6})
		}
		matched = append(matched, x)
	}
	if missing := unseen(ids, seen); len(missing) > 0 {
		return nil, notFound("InvalidNetworkInterfaceID.NotFound", "network interface ID", missing)
	}
	from, to, next, err := f.page(form, len(matched), 5, 1000)
	if err != nil {
		return nil, err
	}
	return struct {
		XMLName           xml.Name                 `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ DescribeNetworkInterfacesResponse"`
		RequestID         string                   `xml:"requestId"`
		NetworkInterfaces []ec2NetworkInterfaceXML `xml:"networkInterfaceSet>item"`
		NextToken         string                   `xml:"nextToken,omitempty"`
	}{RequestID: ec2RequestID, NetworkInterfaces: matched[from:to], NextToken: next}, nil
}

package fakeaws

import (
	"encoding/xml"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The members of instances, subnets and VPCs the fake writes (others are
// dropped): what ec2primary and the examples' topology read, plus the IDs
// and placement the filters look at.

type ec2AttachmentXML struct {
	AttachmentID     *string `xml:"attachmentId,omitempty"`
	DeviceIndex      *int32  `xml:"deviceIndex,omitempty"`
	NetworkCardIndex *int32  `xml:"networkCardIndex,omitempty"`
	Status           string  `xml:"status,omitempty"`
}

type ec2IPv6XML struct {
	Address   *string `xml:"ipv6Address,omitempty"`
	IsPrimary *bool   `xml:"isPrimaryIpv6,omitempty"`
}

type ec2InterfaceXML struct {
	ID         *string           `xml:"networkInterfaceId,omitempty"`
	MAC        *string           `xml:"macAddress,omitempty"`
	PrivateIP  *string           `xml:"privateIpAddress,omitempty"`
	SubnetID   *string           `xml:"subnetId,omitempty"`
	VpcID      *string           `xml:"vpcId,omitempty"`
	Attachment *ec2AttachmentXML `xml:"attachment,omitempty"`
	IPv6       []ec2IPv6XML      `xml:"ipv6AddressesSet>item"`
}

type ec2InstanceXML struct {
	ID           *string           `xml:"instanceId,omitempty"`
	InstanceType string            `xml:"instanceType,omitempty"`
	AZ           *string           `xml:"placement>availabilityZone,omitempty"`
	PrivateIP    *string           `xml:"privateIpAddress,omitempty"`
	SubnetID     *string           `xml:"subnetId,omitempty"`
	VpcID        *string           `xml:"vpcId,omitempty"`
	Interfaces   []ec2InterfaceXML `xml:"networkInterfaceSet>item"`
}

type ec2ReservationXML struct {
	ID        *string          `xml:"reservationId,omitempty"`
	OwnerID   *string          `xml:"ownerId,omitempty"`
	Instances []ec2InstanceXML `xml:"instancesSet>item"`
}

func instanceXML(in *ec2types.Instance) ec2InstanceXML {
	x := ec2InstanceXML{ID: in.InstanceId, InstanceType: string(in.InstanceType), PrivateIP: in.PrivateIpAddress,
		SubnetID: in.SubnetId, VpcID: in.VpcId}
	if in.Placement != nil {
		x.AZ = in.Placement.AvailabilityZone
	}
	for _, n := range in.NetworkInterfaces {
		nx := ec2InterfaceXML{ID: n.NetworkInterfaceId, MAC: n.MacAddress, PrivateIP: n.PrivateIpAddress, SubnetID: n.SubnetId, VpcID: n.VpcId}
		if a := n.Attachment; a != nil {
			nx.Attachment = &ec2AttachmentXML{AttachmentID: a.AttachmentId, DeviceIndex: a.DeviceIndex,
				NetworkCardIndex: a.NetworkCardIndex, Status: string(a.Status)}
		}
		for _, v6 := range n.Ipv6Addresses {
			nx.IPv6 = append(nx.IPv6, ec2IPv6XML{v6.Ipv6Address, v6.IsPrimaryIpv6})
		}
		x.Interfaces = append(x.Interfaces, nx)
	}
	return x
}

// describeInstances: InstanceId.N (not together with MaxResults, and an
// unknown ID is InvalidInstanceID.NotFound, as EC2 answers), the filters
// instance-id, instance-type, availability-zone, subnet-id, vpc-id and
// private-ip-address; MaxResults 5..1000. A page holds whole reservations.
func (f *EC2) describeInstances(form ec2Form) (any, error) {
	ids := form.list("InstanceId")
	if len(ids) > 0 && form.first("MaxResults") != "" {
		return nil, ec2Invalid("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	filters, err := form.filters("instance-id", "instance-type", "availability-zone", "subnet-id", "vpc-id", "private-ip-address")
	if err != nil {
		return nil, err
	}
	var matched []ec2ReservationXML
	seen := map[string]bool{}
	for _, r := range f.data.Reservations {
		rx := ec2ReservationXML{ID: r.ReservationId, OwnerID: r.OwnerId}
		for i := range r.Instances {
			in := &r.Instances[i]
			id := aws.ToString(in.InstanceId)
			az := ""
			if in.Placement != nil {
				az = aws.ToString(in.Placement.AvailabilityZone)
			}
			if len(ids) > 0 && !slices.Contains(ids, id) ||
				!filters.match("instance-id", id) || !filters.match("instance-type", string(in.InstanceType)) ||
				!filters.match("availability-zone", az) || !filters.match("subnet-id", aws.ToString(in.SubnetId)) ||
				!filters.match("vpc-id", aws.ToString(in.VpcId)) || !filters.match("private-ip-address", aws.ToString(in.PrivateIpAddress)) {
				continue
			}
			seen[id] = true
			rx.Instances = append(rx.Instances, instanceXML(in))
		}
		if len(rx.Instances) > 0 {
			matched = append(matched, rx)
		}
	}
	if missing := unseen(ids, seen); len(missing) > 0 {
		return nil, notFound("InvalidInstanceID.NotFound", "instance ID", missing)
	}
	from, to, next, err := f.page(form, len(matched), 5, 1000)
	if err != nil {
		return nil, err
	}
	return struct {
		XMLName      xml.Name            `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ DescribeInstancesResponse"`
		RequestID    string              `xml:"requestId"`
		Reservations []ec2ReservationXML `xml:"reservationSet>item"`
		NextToken    string              `xml:"nextToken,omitempty"`
	}{RequestID: ec2RequestID, Reservations: matched[from:to], NextToken: next}, nil
}

type ec2CidrAssociationXML struct {
	AssociationID *string `xml:"associationId,omitempty"`
	CidrBlock     *string `xml:"cidrBlock,omitempty"`
	State         string  `xml:"cidrBlockState>state,omitempty"`
}

type ec2IPv6CidrAssociationXML struct {
	AssociationID *string `xml:"associationId,omitempty"`
	CidrBlock     *string `xml:"ipv6CidrBlock,omitempty"`
	State         string  `xml:"ipv6CidrBlockState>state,omitempty"`
}

type ec2SubnetXML struct {
	ID        *string                     `xml:"subnetId,omitempty"`
	VpcID     *string                     `xml:"vpcId,omitempty"`
	CidrBlock *string                     `xml:"cidrBlock,omitempty"`
	AZ        *string                     `xml:"availabilityZone,omitempty"`
	AZID      *string                     `xml:"availabilityZoneId,omitempty"`
	State     string                      `xml:"state,omitempty"`
	OwnerID   *string                     `xml:"ownerId,omitempty"`
	IPv6      []ec2IPv6CidrAssociationXML `xml:"ipv6CidrBlockAssociationSet>item"`
}

// describeSubnets: SubnetId.N (an unknown ID is InvalidSubnetID.NotFound),
// the filters subnet-id, vpc-id, availability-zone, availability-zone-id
// and cidr-block; MaxResults 5..1000.
func (f *EC2) describeSubnets(form ec2Form) (any, error) {
	ids := form.list("SubnetId")
	filters, err := form.filters("subnet-id", "vpc-id", "availability-zone", "availability-zone-id", "cidr-block")
	if err != nil {
		return nil, err
	}
	var matched []ec2SubnetXML
	seen := map[string]bool{}
	for _, s := range f.data.Subnets {
		id := aws.ToString(s.SubnetId)
		if len(ids) > 0 && !slices.Contains(ids, id) ||
			!filters.match("subnet-id", id) || !filters.match("vpc-id", aws.ToString(s.VpcId)) ||
			!filters.match("availability-zone", aws.ToString(s.AvailabilityZone)) ||
			!filters.match("availability-zone-id", aws.ToString(s.AvailabilityZoneId)) ||
			!filters.match("cidr-block", aws.ToString(s.CidrBlock)) {
			continue
		}
		seen[id] = true
		sx := ec2SubnetXML{ID: s.SubnetId, VpcID: s.VpcId, CidrBlock: s.CidrBlock, AZ: s.AvailabilityZone,
			AZID: s.AvailabilityZoneId, State: string(s.State), OwnerID: s.OwnerId}
		for _, a := range s.Ipv6CidrBlockAssociationSet {
			ax := ec2IPv6CidrAssociationXML{AssociationID: a.AssociationId, CidrBlock: a.Ipv6CidrBlock}
			if a.Ipv6CidrBlockState != nil {
				ax.State = string(a.Ipv6CidrBlockState.State)
			}
			sx.IPv6 = append(sx.IPv6, ax)
		}
		matched = append(matched, sx)
	}
	if missing := unseen(ids, seen); len(missing) > 0 {
		return nil, notFound("InvalidSubnetID.NotFound", "subnet ID", missing)
	}
	from, to, next, err := f.page(form, len(matched), 5, 1000)
	if err != nil {
		return nil, err
	}
	return struct {
		XMLName   xml.Name       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ DescribeSubnetsResponse"`
		RequestID string         `xml:"requestId"`
		Subnets   []ec2SubnetXML `xml:"subnetSet>item"`
		NextToken string         `xml:"nextToken,omitempty"`
	}{RequestID: ec2RequestID, Subnets: matched[from:to], NextToken: next}, nil
}

type ec2VpcXML struct {
	ID        *string                     `xml:"vpcId,omitempty"`
	CidrBlock *string                     `xml:"cidrBlock,omitempty"`
	State     string                      `xml:"state,omitempty"`
	OwnerID   *string                     `xml:"ownerId,omitempty"`
	IsDefault *bool                       `xml:"isDefault,omitempty"`
	Cidrs     []ec2CidrAssociationXML     `xml:"cidrBlockAssociationSet>item"`
	IPv6      []ec2IPv6CidrAssociationXML `xml:"ipv6CidrBlockAssociationSet>item"`
}

// describeVpcs: VpcId.N (an unknown ID is InvalidVpcID.NotFound), the
// filters vpc-id, cidr and is-default; MaxResults 5..1000.
func (f *EC2) describeVpcs(form ec2Form) (any, error) {
	ids := form.list("VpcId")
	filters, err := form.filters("vpc-id", "cidr", "is-default")
	if err != nil {
		return nil, err
	}
	var matched []ec2VpcXML
	seen := map[string]bool{}
	for _, v := range f.data.Vpcs {
		id := aws.ToString(v.VpcId)
		if len(ids) > 0 && !slices.Contains(ids, id) || !filters.match("vpc-id", id) ||
			!filters.match("cidr", aws.ToString(v.CidrBlock)) || !filters.match("is-default", strconv.FormatBool(aws.ToBool(v.IsDefault))) {
			continue
		}
		seen[id] = true
		vx := ec2VpcXML{ID: v.VpcId, CidrBlock: v.CidrBlock, State: string(v.State), OwnerID: v.OwnerId, IsDefault: v.IsDefault}
		for _, a := range v.CidrBlockAssociationSet {
			ax := ec2CidrAssociationXML{AssociationID: a.AssociationId, CidrBlock: a.CidrBlock}
			if a.CidrBlockState != nil {
				ax.State = string(a.CidrBlockState.State)
			}
			vx.Cidrs = append(vx.Cidrs, ax)
		}
		for _, a := range v.Ipv6CidrBlockAssociationSet {
			ax := ec2IPv6CidrAssociationXML{AssociationID: a.AssociationId, CidrBlock: a.Ipv6CidrBlock}
			if a.Ipv6CidrBlockState != nil {
				ax.State = string(a.Ipv6CidrBlockState.State)
			}
			vx.IPv6 = append(vx.IPv6, ax)
		}
		matched = append(matched, vx)
	}
	if missing := unseen(ids, seen); len(missing) > 0 {
		return nil, notFound("InvalidVpcID.NotFound", "vpc ID", missing)
	}
	from, to, next, err := f.page(form, len(matched), 5, 1000)
	if err != nil {
		return nil, err
	}
	return struct {
		XMLName   xml.Name    `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ DescribeVpcsResponse"`
		RequestID string      `xml:"requestId"`
		Vpcs      []ec2VpcXML `xml:"vpcSet>item"`
		NextToken string      `xml:"nextToken,omitempty"`
	}{RequestID: ec2RequestID, Vpcs: matched[from:to], NextToken: next}, nil
}

// unseen lists the ids not in seen, in order, once each.
func unseen(ids []string, seen map[string]bool) []string {
	var out []string
	for _, id := range ids {
		if !seen[id] && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

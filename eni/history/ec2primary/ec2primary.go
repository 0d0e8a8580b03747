// Package ec2primary finds the primary network interface of EC2 instances
// with ec2:DescribeInstances, for the task history: ECS does not report the
// ENI and addresses that bridge- and host-mode tasks share with their
// container instance.
//
// It lives in its own package so that importers of eni/history who do not
// need it do not build the EC2 client.
package ec2primary

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/internal/awscall"
)

// API is the part of *ec2.Client used here (IAM: ec2:DescribeInstances).
type API interface {
	DescribeInstances(ctx context.Context, in *ec2.DescribeInstancesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstancesOutput, error)
}

// filterBatch is how many IDs go into one instance-id filter (EC2 allows
// 200 filter values).
const filterBatch = 200

// Lookup returns the primary interface of each instance that EC2 still
// describes. It filters by instance-id rather than passing InstanceIds, so
// an unknown or long-terminated instance is simply absent instead of
// failing the whole call with InvalidInstanceID.NotFound.
func Lookup(ctx context.Context, api API, ec2InstanceIDs []string) (map[string]history.PrimaryInterface, error) {
	ids := slices.Clone(ec2InstanceIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[string]history.PrimaryInterface, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), filterBatch)
		batch := ids[:n]
		ids = ids[n:]
		p := ec2.NewDescribeInstancesPaginator(api, &ec2.DescribeInstancesInput{
			Filters:    []types.Filter{{Name: aws.String("instance-id"), Values: batch}},
			MaxResults: aws.Int32(1000),
		})
		for p.HasMorePages() {
			page, err := awscall.Next(ctx, p.NextPage)
			if err != nil {
				return nil, fmt.Errorf("ec2primary: DescribeInstances: %w", err)
			}
			for _, r := range page.Reservations {
				for i := range r.Instances {
					in := &r.Instances[i]
					if pi, ok := FromInstance(in); ok {
						out[aws.ToString(in.InstanceId)] = pi
					}
				}
			}
		}
	}
	return out, nil
}

// Func adapts Lookup for [history.Watcher.Primary].
func Func(api API) func(ctx context.Context, ec2InstanceIDs []string) (map[string]history.PrimaryInterface, error) {
	return func(ctx context.Context, ids []string) (map[string]history.PrimaryInterface, error) {
		return Lookup(ctx, api, ids)
	}
}

// FromInstance takes the primary interface of one instance: the network
// interface attached at device index 0 on network card 0. Without
// interface details it falls back to the instance's private IP address.
func FromInstance(in *types.Instance) (history.PrimaryInterface, bool) {
	if in == nil || aws.ToString(in.InstanceId) == "" {
		return history.PrimaryInterface{}, false
	}
	var p history.PrimaryInterface
	ipv4 := aws.ToString(in.PrivateIpAddress)
	for _, n := range in.NetworkInterfaces {
		a := n.Attachment
		if a == nil || aws.ToInt32(a.DeviceIndex) != 0 || aws.ToInt32(a.NetworkCardIndex) != 0 {
			continue
		}
		p.ENI, p.MAC = aws.ToString(n.NetworkInterfaceId), aws.ToString(n.MacAddress)
		if v := aws.ToString(n.PrivateIpAddress); v != "" {
			ipv4 = v
		}
		for _, v6 := range n.Ipv6Addresses {
			if a, err := netip.ParseAddr(aws.ToString(v6.Ipv6Address)); err == nil && (!p.IPv6.IsValid() || aws.ToBool(v6.IsPrimaryIpv6)) {
				p.IPv6 = a
			}
		}
	}
	if a, err := netip.ParseAddr(ipv4); err == nil {
		p.IPv4 = a.Unmap()
	}
	if p.ENI == "" && !p.IPv4.IsValid() {
		return p, false
	}
	return p, true
}

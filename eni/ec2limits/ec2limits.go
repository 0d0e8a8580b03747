// Package ec2limits reads instance-type ENI limits live from the EC2
// DescribeInstanceTypes API and layers them over eni's built-in table
// (which still supplies the ECS trunking limits EC2 does not know). It is a
// separate package so that importers of eni who don't use it don't build
// the EC2 client.
package ec2limits

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/internal/awscall"
)

// API is the part of *ec2.Client this package calls.
type API interface {
	DescribeInstanceTypes(ctx context.Context, in *ec2.DescribeInstanceTypesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error)
}

// Source is the InstanceType.Source of live values.
const Source = "ec2:DescribeInstanceTypes"

// MaxTypesPerCall is how many instance types one DescribeInstanceTypes
// call names; EC2's page size limit is 100.
const MaxTypesPerCall = 100

// Limits implements eni.Limits with live EC2 values, cached per type.
// Lookups are safe for concurrent use.
type Limits struct {
	api      API
	fallback eni.Limits
	mu       sync.Mutex
	cache    map[string]eni.InstanceType
	absent   map[string]bool // EC2 said the type does not exist (in this region)
}

// Option configures [New].
type Option func(*Limits)

// WithFallback sets the limits consulted for ECS trunking data and for
// types EC2 does not know in this region (default eni.Builtin()).
func WithFallback(l eni.Limits) Option { return func(x *Limits) { x.fallback = l } }

// New returns live limits over api (usually ec2.NewFromConfig(cfg)).
func New(api API, opts ...Option) *Limits {
	l := &Limits{api: api, fallback: eni.Builtin(), cache: map[string]eni.InstanceType{}, absent: map[string]bool{}}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Lookup implements eni.Limits: EC2's numbers for the type, with the
// trunking limit from the fallback. A type EC2 does not know in the region
// (InvalidInstanceType) comes from the fallback; if neither knows it the
// error is an *eni.UnknownTypeError.
func (l *Limits) Lookup(ctx context.Context, name string) (eni.InstanceType, error) {
	l.mu.Lock()
	it, ok := l.cache[name]
	absent := l.absent[name]
	l.mu.Unlock()
	if ok {
		return it, nil
	}
	if !absent {
		if err := l.Prefetch(ctx, name); err != nil {
			return eni.InstanceType{}, err
		}
		l.mu.Lock()
		it, ok = l.cache[name]
		l.mu.Unlock()
		if ok {
			return it, nil
		}
	}
	it, err := l.fallback.Lookup(ctx, name)
	if err != nil {
		var ue *eni.UnknownTypeError
		if errors.As(err, &ue) {
			return eni.InstanceType{}, &eni.UnknownTypeError{InstanceType: name, Source: Source + " (this region) and " + ue.Source}
		}
		return eni.InstanceType{}, err
	}
	return it, nil
}

// Prefetch reads the named types in calls of up to [MaxTypesPerCall],
// following NextToken with the SDK paginator, so that later lookups need no
// call. With no names it reads every type the region offers. Types EC2
// does not know are remembered as absent (EC2 rejects the whole call for
// one unknown type, so such a batch is retried one type at a time).
func (l *Limits) Prefetch(ctx context.Context, names ...string) error {
	if len(names) == 0 {
		return l.describe(ctx, nil)
	}
	for len(names) > 0 {
		n := min(len(names), MaxTypesPerCall)
		batch := names[:n]
		names = names[n:]
		err := l.describe(ctx, batch)
		if !isInvalidType(err) {
			if err != nil {
				return err
			}
			continue
		}
		for _, name := range batch {
			err := l.describe(ctx, []string{name})
			switch {
			case isInvalidType(err):
				l.mu.Lock()
				l.absent[name] = true
				l.mu.Unlock()
			case err != nil:
				return err
			}
		}
	}
	return nil
}

func isInvalidType(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "InvalidInstanceType" || ae.ErrorCode() == "InvalidInstanceType.NotFound")
}

func (l *Limits) describe(ctx context.Context, names []string) error {
	in := &ec2.DescribeInstanceTypesInput{}
	if len(names) == 0 {
		in.MaxResults = aws.Int32(100)
	}
	for _, n := range names {
		in.InstanceTypes = append(in.InstanceTypes, ec2types.InstanceType(n))
	}
	p := ec2.NewDescribeInstanceTypesPaginator(l.api, in)
	for p.HasMorePages() {
		out, err := awscall.Next(ctx, p.NextPage)
		if err != nil {
			if isInvalidType(err) {
				return err
			}
			return fmt.Errorf("ec2limits: DescribeInstanceTypes: %w", err)
		}
		for _, info := range out.InstanceTypes {
			it := FromInfo(info)
			if fb, err := l.fallback.Lookup(ctx, it.Name); err == nil {
				// The fallback's row, its mismatch flag against EC2's
				// max ENIs rather than its own.
				it.Trunking = fb.Trunking.ForMaxENIs(it.MaxENIs)
				it.Source += " + " + fb.Source
			}
			l.mu.Lock()
			l.cache[it.Name] = it
			l.mu.Unlock()
		}
	}
	return nil
}

// FromInfo converts one DescribeInstanceTypes entry. MaxENIs is
// NetworkInfo.MaximumNetworkInterfaces (all network cards, the number ECS
// uses); DefaultCardENIs is the default card's own limit (with one card,
// MaxENIs; with several and no entry for the default card, 0: unknown).
// The trunking status is unknown: EC2 does not publish ECS's trunking
// limits.
func FromInfo(info ec2types.InstanceTypeInfo) eni.InstanceType {
	it := eni.InstanceType{Name: string(info.InstanceType), Hypervisor: string(info.Hypervisor),
		BareMetal: aws.ToBool(info.BareMetal), IPv6PerENI: -1, NetworkCards: 1, Source: Source}
	if ni := info.NetworkInfo; ni != nil {
		it.MaxENIs = int(aws.ToInt32(ni.MaximumNetworkInterfaces))
		it.IPv4PerENI = int(aws.ToInt32(ni.Ipv4AddressesPerInterface))
		it.IPv6PerENI = int(aws.ToInt32(ni.Ipv6AddressesPerInterface))
		if ni.Ipv6Supported != nil && !*ni.Ipv6Supported {
			it.IPv6PerENI = 0
		}
		it.DefaultCardIndex = int(aws.ToInt32(ni.DefaultNetworkCardIndex))
		if len(ni.NetworkCards) > 0 {
			it.NetworkCards = len(ni.NetworkCards)
			for _, c := range ni.NetworkCards {
				if int(aws.ToInt32(c.NetworkCardIndex)) == it.DefaultCardIndex {
					it.DefaultCardENIs = int(aws.ToInt32(c.MaximumNetworkInterfaces))
				}
			}
		} else if n := int(aws.ToInt32(ni.MaximumNetworkCards)); n > 0 {
			it.NetworkCards = n
		}
		// With one card it holds them all. With several and no entry for
		// the default card, its share is unknown (0, as eni.InstanceType
		// says), not the whole: the other cards hold at least one each.
		if it.NetworkCards == 1 && it.DefaultCardENIs == 0 {
			it.DefaultCardENIs = it.MaxENIs
		}
	}
	return it
}

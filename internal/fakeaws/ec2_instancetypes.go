package fakeaws

import (
	"encoding/xml"
	"sort"
	"strings"
)

// EC2NetworkCard is one NetworkInfo.NetworkCards entry.
type EC2NetworkCard struct {
	Index                    int
	MaximumNetworkInterfaces int
}

// EC2InstanceType is the part of DescribeInstanceTypes' InstanceTypeInfo
// the fake serves: identity, hypervisor, vCPUs, memory and NetworkInfo.
type EC2InstanceType struct {
	InstanceType string
	Hypervisor   string // "nitro", "xen" or "" (omitted, as for bare metal)
	BareMetal    bool
	VCPUs        int
	MemoryMiB    int
	// MaxENIs is NetworkInfo.MaximumNetworkInterfaces (all cards).
	MaxENIs          int
	IPv4PerENI       int
	IPv6PerENI       int
	IPv6Supported    bool
	DefaultCardIndex int
	// Cards are the network cards; nil means one card holding MaxENIs.
	Cards []EC2NetworkCard
}

type ec2Card struct {
	Index   int `xml:"networkCardIndex"`
	MaxENIs int `xml:"maximumNetworkInterfaces"`
}

type ec2NetworkInfo struct {
	MaxENIs          int       `xml:"maximumNetworkInterfaces"`
	MaxCards         int       `xml:"maximumNetworkCards"`
	DefaultCardIndex int       `xml:"defaultNetworkCardIndex"`
	Cards            []ec2Card `xml:"networkCards>item"`
	IPv4PerENI       int       `xml:"ipv4AddressesPerInterface"`
	IPv6PerENI       int       `xml:"ipv6AddressesPerInterface"`
	IPv6Supported    bool      `xml:"ipv6Supported"`
	ENASupport       string    `xml:"enaSupport"`
}

type ec2TypeInfo struct {
	InstanceType string         `xml:"instanceType"`
	Hypervisor   string         `xml:"hypervisor,omitempty"`
	BareMetal    bool           `xml:"bareMetal"`
	VCPUs        int            `xml:"vCpuInfo>defaultVCpus"`
	MemoryMiB    int            `xml:"memoryInfo>sizeInMiB"`
	Network      ec2NetworkInfo `xml:"networkInfo"`
}

type ec2DescribeInstanceTypesResponse struct {
	XMLName   xml.Name      `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ DescribeInstanceTypesResponse"`
	RequestID string        `xml:"requestId"`
	Types     []ec2TypeInfo `xml:"instanceTypeSet>item"`
	NextToken string        `xml:"nextToken,omitempty"`
}

// describeInstanceTypes: InstanceType.N selects types (an unknown one is
// InvalidInstanceType, as EC2 answers); MaxResults 5..100.
func (f *EC2) describeInstanceTypes(form ec2Form) (any, error) {
	all := f.data.InstanceTypes
	sel := all
	if want := form.list("InstanceType"); len(want) > 0 {
		// The API takes at most 100 InstanceType.N (API reference,
		// DescribeInstanceTypes); ec2limits batches by it.
		if len(want) > 100 {
			return nil, ec2Invalid("InvalidParameterValue", "%d instance types given: at most 100 are allowed", len(want))
		}
		sel = nil
		var missing []string
		for _, w := range want {
			i := sort.Search(len(all), func(i int) bool { return all[i].InstanceType >= w })
			if i < len(all) && all[i].InstanceType == w {
				sel = append(sel, all[i])
			} else {
				missing = append(missing, w)
			}
		}
		if len(missing) > 0 {
			return nil, ec2Invalid("InvalidInstanceType", "The following supplied instance types do not exist: [%s]", strings.Join(missing, ", "))
		}
	}
	from, to, next, err := f.page(form, len(sel), 5, 100)
	if err != nil {
		return nil, err
	}
	resp := ec2DescribeInstanceTypesResponse{RequestID: ec2RequestID, Types: []ec2TypeInfo{}, NextToken: next}
	for _, t := range sel[from:to] {
		info := ec2TypeInfo{InstanceType: t.InstanceType, Hypervisor: t.Hypervisor, BareMetal: t.BareMetal,
			VCPUs: t.VCPUs, MemoryMiB: t.MemoryMiB,
			Network: ec2NetworkInfo{MaxENIs: t.MaxENIs, DefaultCardIndex: t.DefaultCardIndex, IPv4PerENI: t.IPv4PerENI,
				IPv6PerENI: t.IPv6PerENI, IPv6Supported: t.IPv6Supported, ENASupport: "required"}}
		cards := t.Cards
		if cards == nil {
			cards = []EC2NetworkCard{{Index: 0, MaximumNetworkInterfaces: t.MaxENIs}}
		}
		for _, c := range cards {
			info.Network.Cards = append(info.Network.Cards, ec2Card{c.Index, c.MaximumNetworkInterfaces})
		}
		info.Network.MaxCards = len(cards)
		resp.Types = append(resp.Types, info)
	}
	return resp, nil
}

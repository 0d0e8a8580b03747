package fakeaws

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
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

// InstanceTypesEC2 is a fake EC2 query endpoint for DescribeInstanceTypes
// (for the real ec2 client): InstanceType.N selects types (an unknown one
// is InvalidInstanceType, as EC2 answers), MaxResults (5..100) and
// NextToken page through the answer, and the response is EC2's XML
// (<DescribeInstanceTypesResponse><requestId/><instanceTypeSet><item>…).
// Faults and Allow come from the embedded [Server]; actions are logged as
// "ec2:DescribeInstanceTypes".
type InstanceTypesEC2 struct {
	*Server
	mu       sync.Mutex
	types    []EC2InstanceType // sorted by name
	pageSize int
}

// NewInstanceTypesEC2 starts the fake with the given instance types.
func NewInstanceTypesEC2(its ...EC2InstanceType) *InstanceTypesEC2 {
	f := &InstanceTypesEC2{types: append([]EC2InstanceType(nil), its...)}
	sort.Slice(f.types, func(i, j int) bool { return f.types[i].InstanceType < f.types[j].InstanceType })
	f.Server = NewEC2QueryServer("ec2", map[string]func(map[string][]string) ([]byte, error){
		"DescribeInstanceTypes": f.describeInstanceTypes,
	})
	return f
}

// SetPageSize sets the page size used when a request has no MaxResults
// (EC2 then returns everything; tests use a small size for many pages).
func (f *InstanceTypesEC2) SetPageSize(n int) {
	f.mu.Lock()
	f.pageSize = n
	f.mu.Unlock()
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

func ec2FormList(form map[string][]string, prefix string) []string {
	type kv struct {
		n int
		v string
	}
	var items []kv
	for k, vs := range form {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok || len(vs) == 0 {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil {
			continue
		}
		items = append(items, kv{n, vs[0]})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].n < items[j].n })
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out
}

func ec2Invalid(code, format string, args ...any) error {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}

func (f *InstanceTypesEC2) describeInstanceTypes(form map[string][]string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	want := ec2FormList(form, "InstanceType")
	sel := f.types
	if len(want) > 0 {
		sel = nil
		var missing []string
		for _, w := range want {
			i := sort.Search(len(f.types), func(i int) bool { return f.types[i].InstanceType >= w })
			if i < len(f.types) && f.types[i].InstanceType == w {
				sel = append(sel, f.types[i])
			} else {
				missing = append(missing, w)
			}
		}
		if len(missing) > 0 {
			return nil, ec2Invalid("InvalidInstanceType", "The following supplied instance types do not exist: [%s]", strings.Join(missing, ", "))
		}
	}
	size := len(sel)
	if f.pageSize > 0 {
		size = f.pageSize
	}
	if s := ec2First(form["MaxResults"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 5 || n > 100 {
			return nil, ec2Invalid("InvalidParameterValue", "Value ( %s ) for parameter maxResults is invalid. Expecting a value between 5 and 100.", s)
		}
		size = n
	}
	from := 0
	if tok := ec2First(form["NextToken"]); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		n, perr := strconv.Atoi(strings.TrimPrefix(string(raw), "it:"))
		if err != nil || perr != nil || !strings.HasPrefix(string(raw), "it:") || n < 0 || n > len(sel) {
			return nil, ec2Invalid("InvalidNextToken", "The provided token is malformed or otherwise invalid.")
		}
		from = n
	}
	to := min(len(sel), from+max(size, 1))
	resp := ec2DescribeInstanceTypesResponse{RequestID: "fake-request-id", Types: []ec2TypeInfo{}}
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
	if to < len(sel) {
		resp.NextToken = base64.RawURLEncoding.EncodeToString([]byte("it:" + strconv.Itoa(to)))
	}
	out, err := xml.Marshal(resp)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), out...), nil
}

func ec2First(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

package fakeaws

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// EC2Data is what a fake EC2 endpoint describes. Tests add data, not
// servers: one [EC2] serves every operation below over it.
type EC2Data struct {
	InstanceTypes []EC2InstanceType      // DescribeInstanceTypes
	Reservations  []ec2types.Reservation // DescribeInstances
	Subnets       []ec2types.Subnet      // DescribeSubnets
	Vpcs          []ec2types.Vpc         // DescribeVpcs
	FlowLogs      []FlowLog              // DescribeFlowLogs
	// NetworkInterfaces are what DescribeNetworkInterfaces describes.
	NetworkInterfaces []ec2types.NetworkInterface
	// PageSize caps the items of every page (EC2 may return fewer than
	// MaxResults asks for; tests use a small size for many pages). Zero:
	// MaxResults, or everything when the request sets none.
	PageSize int
}

// EC2 is a fake EC2 query endpoint for the real ec2 client, serving
// DescribeInstanceTypes, DescribeInstances, DescribeSubnets, DescribeVpcs,
// DescribeNetworkInterfaces and DescribeFlowLogs over an [EC2Data], with
// what the real service does with their parameters: ID lists
// (InstanceType.N, InstanceId.N, SubnetId.N, VpcId.N,
// NetworkInterfaceId.N, FlowLogId.N; an unknown ID is the service's
// NotFound error where EC2 answers one), the documented filters each
// operation names in its file (an unknown filter name is
// InvalidParameterValue), MaxResults within the operation's documented
// range, and NextToken. Answers are EC2's XML with the members the
// library reads (see each operation). Faults and Allow come from the
// embedded [Server]; actions are logged as "ec2:<Action>".
type EC2 struct {
	*Server
	mu   sync.Mutex
	data EC2Data
}

// NewEC2 starts the fake over d (its slices are copied; instance types
// are served sorted by name, the rest in the given order).
func NewEC2(d EC2Data) *EC2 {
	f := &EC2{data: EC2Data{
		InstanceTypes:     append([]EC2InstanceType(nil), d.InstanceTypes...),
		Reservations:      append([]ec2types.Reservation(nil), d.Reservations...),
		Subnets:           append([]ec2types.Subnet(nil), d.Subnets...),
		Vpcs:              append([]ec2types.Vpc(nil), d.Vpcs...),
		FlowLogs:          append([]FlowLog(nil), d.FlowLogs...),
		NetworkInterfaces: append([]ec2types.NetworkInterface(nil), d.NetworkInterfaces...),
		PageSize:          d.PageSize,
	}}
	sort.Slice(f.data.InstanceTypes, func(i, j int) bool {
		return f.data.InstanceTypes[i].InstanceType < f.data.InstanceTypes[j].InstanceType
	})
	ops := map[string]func(ec2Form) (any, error){
		"DescribeInstanceTypes":     f.describeInstanceTypes,
		"DescribeInstances":         f.describeInstances,
		"DescribeSubnets":           f.describeSubnets,
		"DescribeVpcs":              f.describeVpcs,
		"DescribeNetworkInterfaces": f.describeNetworkInterfaces,
		"DescribeFlowLogs":          f.describeFlowLogs,
	}
	handlers := map[string]func(map[string][]string) ([]byte, error){}
	for name, op := range ops {
		handlers[name] = func(form map[string][]string) ([]byte, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			resp, err := op(ec2Form{form, name})
			if err != nil {
				return nil, err
			}
			out, err := xml.Marshal(resp)
			if err != nil {
				return nil, err
			}
			return append([]byte(xml.Header), out...), nil
		}
	}
	f.Server = NewEC2QueryServer("ec2", handlers)
	return f
}

// SetPageSize changes [EC2Data.PageSize].
func (f *EC2) SetPageSize(n int) {
	f.mu.Lock()
	f.data.PageSize = n
	f.mu.Unlock()
}

// ec2NS is the namespace of EC2 query responses.
const ec2NS = "http://ec2.amazonaws.com/doc/2016-11-15/"

const ec2RequestID = "fake-request-id"

// ec2Form is one request's parameters.
type ec2Form struct {
	v      map[string][]string
	action string
}

func (f ec2Form) first(name string) string {
	if v := f.v[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// list collects prefix.1, prefix.2, … in index order.
func (f ec2Form) list(prefix string) []string {
	type kv struct {
		n int
		v string
	}
	var items []kv
	for k, vs := range f.v {
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

// ec2MaxFilterValues is how many values one filter takes.
const ec2MaxFilterValues = 200

// ec2Filters are a request's Filter.N.Name / Filter.N.Value.M: name → values.
type ec2Filters map[string]map[string]bool

// filters reads the request's filters; a name not in known is
// InvalidParameterValue, as EC2 answers.
func (f ec2Form) filters(known ...string) (ec2Filters, error) {
	out := ec2Filters{}
	for i := 1; ; i++ {
		name := f.first(fmt.Sprintf("Filter.%d.Name", i))
		if name == "" {
			return out, nil
		}
		if !slices.Contains(known, name) {
			return nil, ec2Invalid("InvalidParameterValue", "The filter '%s' is invalid", name)
		}
		vals := f.list(fmt.Sprintf("Filter.%d.Value", i))
		if len(vals) > ec2MaxFilterValues {
			return nil, ec2Invalid("InvalidParameterValue", "The filter '%s' has more than %d values", name, ec2MaxFilterValues)
		}
		set := out[name]
		if set == nil {
			set = map[string]bool{}
			out[name] = set
		}
		for _, v := range vals {
			set[v] = true
		}
	}
}

// match reports whether an item whose name attribute has the values vs
// passes the filter of that name (any value matches; no filter: true).
func (fs ec2Filters) match(name string, vs ...string) bool {
	set, ok := fs[name]
	if !ok {
		return true
	}
	for _, v := range vs {
		if set[v] {
			return true
		}
	}
	return false
}

// page cuts n items into the page the request asks for: from NextToken (a
// token this fake wrote for the same action), at most MaxResults (which
// must lie in lo..hi) and at most the page size. next is "" on the last
// page.
func (f *EC2) page(form ec2Form, n, lo, hi int) (from, to int, next string, err error) {
	size := n
	if s := form.first("MaxResults"); s != "" {
		m, err := strconv.Atoi(s)
		if err != nil || m < lo || m > hi {
			return 0, 0, "", ec2Invalid("InvalidParameterValue",
				"Value ( %s ) for parameter maxResults is invalid. Expecting a value between %d and %d.", s, lo, hi)
		}
		size = m
	}
	if f.data.PageSize > 0 {
		size = min(size, f.data.PageSize)
	}
	if tok := form.first("NextToken"); tok != "" {
		raw, err1 := base64.RawURLEncoding.DecodeString(tok)
		at, ok := strings.CutPrefix(string(raw), form.action+":")
		m, err2 := strconv.Atoi(at)
		if err1 != nil || err2 != nil || !ok || m < 0 || m > n {
			return 0, 0, "", ec2Invalid("InvalidNextToken", "The provided token is malformed or otherwise invalid.")
		}
		from = m
	}
	to = min(n, from+max(size, 1))
	if to < n {
		next = base64.RawURLEncoding.EncodeToString([]byte(form.action + ":" + strconv.Itoa(to)))
	}
	return from, to, next, nil
}

func ec2Invalid(code, format string, args ...any) error {
	return &APIError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// notFound is EC2's answer to an ID list naming an unknown resource.
func notFound(code, kind string, missing []string) error {
	if len(missing) == 1 {
		return ec2Invalid(code, "The %s '%s' does not exist", kind, missing[0])
	}
	return ec2Invalid(code, "The %ss '%s' do not exist", kind, strings.Join(missing, ", "))
}

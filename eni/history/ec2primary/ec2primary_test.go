package ec2primary

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/netip"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// fakeEC2 answers DescribeInstances (instance-id filter, MaxResults,
// NextToken) for instances i-0000 … i-NNNN, 50 per page.
func fakeEC2(t *testing.T, n int) *fakeaws.Server {
	type attach struct {
		DeviceIndex      int `xml:"deviceIndex"`
		NetworkCardIndex int `xml:"networkCardIndex"`
	}
	type v6 struct {
		Addr string `xml:"ipv6Address"`
	}
	type nic struct {
		ID     string `xml:"networkInterfaceId"`
		MAC    string `xml:"macAddress"`
		IP     string `xml:"privateIpAddress"`
		Attach attach `xml:"attachment"`
		IPv6   []v6   `xml:"ipv6AddressesSet>item"`
	}
	type inst struct {
		ID   string `xml:"instanceId"`
		IP   string `xml:"privateIpAddress"`
		NICs []nic  `xml:"networkInterfaceSet>item"`
	}
	type resv struct {
		ID        string `xml:"reservationId"`
		Instances []inst `xml:"instancesSet>item"`
	}
	type resp struct {
		XMLName      xml.Name `xml:"DescribeInstancesResponse"`
		RequestID    string   `xml:"requestId"`
		Reservations []resv   `xml:"reservationSet>item"`
		NextToken    string   `xml:"nextToken,omitempty"`
	}
	known := map[string]int{}
	for i := 0; i < n; i++ {
		known[fmt.Sprintf("i-%04d", i)] = i
	}
	srv := fakeaws.NewEC2QueryServer("ec2", map[string]func(map[string][]string) ([]byte, error){
		"DescribeInstances": func(form map[string][]string) ([]byte, error) {
			if len(form["InstanceId.1"]) > 0 {
				return nil, &fakeaws.APIError{Code: "InvalidParameterCombination", Message: "use the filter"}
			}
			if v := form["Filter.1.Name"]; len(v) != 1 || v[0] != "instance-id" {
				return nil, &fakeaws.APIError{Code: "InvalidParameterValue", Message: "want an instance-id filter"}
			}
			var ids []string
			for k := 1; ; k++ {
				v := form["Filter.1.Value."+strconv.Itoa(k)]
				if len(v) == 0 {
					break
				}
				ids = append(ids, v[0])
			}
			if len(ids) > 200 {
				return nil, &fakeaws.APIError{Code: "InvalidParameterValue", Message: "too many filter values"}
			}
			from := 0
			if v := form["NextToken"]; len(v) == 1 {
				from, _ = strconv.Atoi(v[0])
			}
			var r resp
			var matched []int
			for _, id := range ids {
				if i, ok := known[id]; ok {
					matched = append(matched, i)
				}
			}
			to := min(from+50, len(matched))
			for _, i := range matched[from:to] {
				r.Reservations = append(r.Reservations, resv{ID: fmt.Sprintf("r-%04d", i), Instances: []inst{{
					ID: fmt.Sprintf("i-%04d", i), IP: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1),
					NICs: []nic{
						{ID: fmt.Sprintf("eni-task%04d", i), IP: "10.9.9.9", Attach: attach{DeviceIndex: 1}},
						{ID: fmt.Sprintf("eni-prim%04d", i), MAC: "0e:00:00:00:00:01", IP: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1),
							Attach: attach{}, IPv6: []v6{{Addr: fmt.Sprintf("2600:1f18::%x", i+1)}}},
					},
				}}})
			}
			if to < len(matched) {
				r.NextToken = strconv.Itoa(to)
			}
			return xml.Marshal(r)
		},
	})
	t.Cleanup(srv.Close)
	return srv
}

func TestLookupBatchesPagesAndSkipsUnknown(t *testing.T) {
	srv := fakeEC2(t, 300)
	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 4, ServerErrorEvery: 7})
	api := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	var ids []string
	for i := 0; i < 300; i++ {
		ids = append(ids, fmt.Sprintf("i-%04d", i))
	}
	ids = append(ids, "i-gone", "i-0001") // unknown and duplicate
	got, err := Lookup(context.Background(), api, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 300 {
		t.Fatalf("%d instances", len(got))
	}
	p := got["i-0251"]
	if p.ENI != "eni-prim0251" || p.IPv4 != netip.MustParseAddr("10.0.1.2") || p.IPv6 != netip.MustParseAddr("2600:1f18::fc") {
		t.Fatalf("i-0251: %+v", p)
	}
	if srv.Calls()["ec2:DescribeInstances"] != 6 { // filter batches of 200 and 101 ids, 50 instances a page: 4 + 2
		t.Fatalf("calls %v", srv.Calls())
	}
	if len(srv.Faulted()) == 0 {
		t.Fatal("no faults injected")
	}
}

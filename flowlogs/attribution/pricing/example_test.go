package pricing_test

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
)

// Example prices one group's bytes with the built-in us-east-1 table:
// 10 GiB sent to the internet are charged, 50 GiB received from the same
// AZ are free.
func Example() {
	tb, ok := pricing.BuiltIn("us-east-1")
	if !ok {
		fmt.Println("no built-in prices")
		return
	}
	var g attribution.Group
	g.ClassBytes[attribution.PeerInternet], g.ClassBytesOut[attribution.PeerInternet] = 10<<30, 10<<30
	g.ClassBytes[attribution.PeerSameAZ], g.ClassBytesIn[attribution.PeerSameAZ] = 50<<30, 50<<30
	c := tb.Cost(&g)
	fmt.Printf("%.2f %s (internet %.2f, same AZ %.2f), %d bytes unpriced\n",
		c.Total, tb.Currency, c.ByClass[attribution.PeerInternet], c.ByClass[attribution.PeerSameAZ], c.UnpricedBytes)
	// Output:
	// 0.90 USD (internet 0.90, same AZ 0.00), 0 bytes unpriced
}

// Your own prices, for a region the built-in tables lack or from your
// bill: a class or direction left out is unpriced, and its bytes are
// reported as such, never as free. A misspelt class is an error.
func ExampleLoad() {
	t, err := pricing.Load(strings.NewReader(`{
  "region": "us-east-1", "as_of": "2026-11-01", "source": "our invoice", "currency": "USD",
  "bytes_per_gb": 1073741824,
  "classes": {
    "same_az":  {"in_per_gb": 0,    "out_per_gb": 0},
    "cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01},
    "internet": {"in_per_gb": 0,    "out_per_gb": 0.09}
  }
}`), "prices.json")
	if err != nil {
		fmt.Println(err)
		return
	}

	// A group's bytes by peer class and direction, as attribution
	// reports them (Result.Groups): 3 GiB in and 1 GiB out across AZs,
	// 2 GiB out to the internet, and 1 GiB out to public addresses that
	// may be the internet or an AWS service (a format without
	// pkt-dst-aws-service).
	const gib = 1 << 30
	var g attribution.Group
	g.ClassBytesIn[attribution.PeerCrossAZ], g.ClassBytesOut[attribution.PeerCrossAZ] = 3*gib, 1*gib
	g.ClassBytesOut[attribution.PeerInternet] = 2 * gib
	g.ClassBytesOut[attribution.PeerPublic] = 1 * gib
	for cl := range g.ClassBytes {
		g.ClassBytes[cl] = g.ClassBytesIn[cl] + g.ClassBytesOut[cl]
	}

	c := t.Cost(&g)
	fmt.Printf("%.2f %s; cross-AZ %.2f, internet %.2f; unpriced %d GiB\n",
		c.Total, t.Currency, c.ByClass[attribution.PeerCrossAZ], c.ByClass[attribution.PeerInternet], c.UnpricedBytes/gib)

	_, err = pricing.Load(strings.NewReader(`{"region": "us-east-1", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {"cross-az": {"in_per_gb": 0.01, "out_per_gb": 0.01}}}`), "typo.json")
	fmt.Println(err)
	// Output:
	// 0.22 USD; cross-AZ 0.04, internet 0.18; unpriced 1 GiB
	// pricing: typo.json: line 2, column 15: unknown class "cross-az" (want one of unknown, same_az, cross_az, other_vpc, on_premises, internet, public, aws_service, load_balancer)
}

// The built-in prices (what attribute -prices us-east-1 uses): where they
// come from and when they were read, so a report can say so, and the
// cost of a group's bytes at those prices. Load your own for another
// region or your bill.
func ExampleBuiltIn() {
	fmt.Println(pricing.Regions())
	t, ok := pricing.BuiltIn("us-east-1")
	if !ok {
		fmt.Println("no built-in prices")
		return
	}
	fmt.Println(t.Region, t.Currency, t.AsOf != "" && t.Source != "")

	// 1 GiB sent across AZs, 1 GiB to a load balancer node in another
	// AZ (its target's traffic, which AWS does not bill).
	const gib = 1 << 30
	var g attribution.Group
	g.ClassBytesOut[attribution.PeerCrossAZ] = gib
	g.ClassBytesOut[attribution.PeerLoadBalancer] = gib
	for cl := range g.ClassBytes {
		g.ClassBytes[cl] = g.ClassBytesIn[cl] + g.ClassBytesOut[cl]
	}
	c := t.Cost(&g)
	fmt.Printf("cross-AZ %.2f, load balancer %.2f; unpriced %d B\n",
		c.ByClass[attribution.PeerCrossAZ], c.ByClass[attribution.PeerLoadBalancer], c.UnpricedBytes)

	_, ok = pricing.BuiltIn("xx-nowhere-1")
	fmt.Println(ok)
	// Output:
	// [us-east-1]
	// us-east-1 USD true
	// cross-AZ 0.01, load balancer 0.00; unpriced 0 B
	// false
}

// The price file a program is given (attribute -prices eu-west-1.json):
// your rates for a region the built-in tables lack, with where they come
// from, so that a report can say so. An error names the file, and the
// line and column of what is wrong.
func ExampleLoadFile() {
	t, err := pricing.LoadFile("testdata/eu-west-1.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Region, t.Currency, t.AsOf, "-", t.Source)

	// 10 GiB sent to tasks in other AZs, 1 GiB sent to the internet.
	const gib = 1 << 30
	var g attribution.Group
	g.ClassBytesOut[attribution.PeerCrossAZ] = 10 * gib
	g.ClassBytesOut[attribution.PeerInternet] = 1 * gib
	for cl := range g.ClassBytes {
		g.ClassBytes[cl] = g.ClassBytesIn[cl] + g.ClassBytesOut[cl]
	}
	c := t.Cost(&g)
	fmt.Printf("%.2f %s; cross-AZ %.2f, internet %.2f\n",
		c.Total, t.Currency, c.ByClass[attribution.PeerCrossAZ], c.ByClass[attribution.PeerInternet])

	_, err = pricing.LoadFile("testdata/negative.json")
	fmt.Println(err)
	// Output:
	// eu-west-1 USD 2026-11-01 - our November invoice
	// 0.19 USD; cross-AZ 0.10, internet 0.09
	// pricing: testdata/negative.json: line 6, column 37: class "cross_az": out_per_gb -0.01 is not a price (0 to 1e+06 a GB)
}

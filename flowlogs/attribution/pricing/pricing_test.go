package pricing_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
)

func TestCost(t *testing.T) {
	tb, ok := pricing.BuiltIn("us-east-1")
	if !ok || tb.Validate() != nil {
		t.Fatalf("built-in us-east-1: %v %v", ok, tb.Validate())
	}
	var g attribution.Group
	const gib uint64 = 1 << 30
	// Cross-AZ: 2 GiB in, 3 out, 1 of unknown direction (both rates are
	// equal: priced). Internet: 5 in (free), 1 out, 4 unknown (rates
	// differ: unpriced). AWS service: 7, unpriced class.
	g.ClassBytes[attribution.PeerCrossAZ], g.ClassBytesIn[attribution.PeerCrossAZ], g.ClassBytesOut[attribution.PeerCrossAZ] = 6*gib, 2*gib, 3*gib
	g.ClassBytes[attribution.PeerInternet], g.ClassBytesIn[attribution.PeerInternet], g.ClassBytesOut[attribution.PeerInternet] = 10*gib, 5*gib, 1*gib
	g.ClassBytes[attribution.PeerAWSService], g.ClassBytesIn[attribution.PeerAWSService] = 7*gib, 7*gib
	c := tb.Cost(&g)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !near(c.ByClass[attribution.PeerCrossAZ], 0.06) || !near(c.ByClass[attribution.PeerInternet], 0.09) || !near(c.Total, 0.15) {
		t.Errorf("cost %+v", c)
	}
	if c.UnpricedBytes != 4*gib+7*gib {
		t.Errorf("unpriced %d, want %d", c.UnpricedBytes, 11*gib)
	}
	var zero pricing.Table
	if c := zero.Cost(&g); c.Total != 0 || c.UnpricedBytes != 23*gib {
		t.Errorf("the zero table prices: %+v", c)
	}
}

// Cost says of each class which bytes it could not price, by direction:
// a class without a rate, a direction without one, and bytes of unknown
// direction where the two rates differ (or one is missing); a class
// priced at zero is free, not unpriced.
func TestCostUnpricedByClass(t *testing.T) {
	rate := func(v float64) *float64 { return &v }
	tb := &pricing.Table{Region: "x", Currency: "USD", BytesPerGB: 1e9, Classes: map[string]pricing.Rate{
		attribution.PeerSameAZ.Key():   {In: rate(0), Out: rate(0)},
		attribution.PeerCrossAZ.Key():  {In: rate(0.02), Out: rate(0.01)},
		attribution.PeerInternet.Key(): {Out: rate(0.05)},
	}}
	if err := tb.Validate(); err != nil {
		t.Fatal(err)
	}
	const gb = 1e9
	var g attribution.Group
	set := func(c attribution.PeerClass, in, out, unknown uint64) {
		g.ClassBytes[c], g.ClassBytesIn[c], g.ClassBytesOut[c] = in+out+unknown, in, out
	}
	set(attribution.PeerSameAZ, 1*gb, 2*gb, 3*gb)     // free, each way and of unknown direction
	set(attribution.PeerCrossAZ, 1*gb, 1*gb, 4*gb)    // unequal rates: unknown direction unpriced
	set(attribution.PeerInternet, 5*gb, 2*gb, 6*gb)   // egress only: in and unknown unpriced
	set(attribution.PeerAWSService, 7*gb, 8*gb, 9*gb) // no rate at all
	c := tb.Cost(&g)
	want := [len(c.Unpriced)]pricing.Bytes{}
	want[attribution.PeerCrossAZ] = pricing.Bytes{Unknown: 4 * gb}
	want[attribution.PeerInternet] = pricing.Bytes{In: 5 * gb, Unknown: 6 * gb}
	want[attribution.PeerAWSService] = pricing.Bytes{In: 7 * gb, Out: 8 * gb, Unknown: 9 * gb}
	if c.Unpriced != want {
		t.Errorf("unpriced by class %+v, want %+v", c.Unpriced, want)
	}
	var sum uint64
	for _, u := range c.Unpriced {
		sum += u.Sum()
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if c.UnpricedBytes != sum || sum != 4*gb+11*gb+24*gb {
		t.Errorf("unpriced %d, by class %d", c.UnpricedBytes, sum)
	}
	if c.ByClass[attribution.PeerSameAZ] != 0 || !near(c.ByClass[attribution.PeerCrossAZ], 0.03) || !near(c.ByClass[attribution.PeerInternet], 0.1) || !near(c.Total, 0.13) {
		t.Errorf("cost %+v", c)
	}
}

// The zero Table is recognised, and prices per 2^30 bytes as Cost takes
// a unit of 0; any other is not zero, and its unit is its own.
func TestZeroTableAndUnit(t *testing.T) {
	var zero pricing.Table
	if !zero.IsZero() || zero.Unit() != 1<<30 || zero.Validate() == nil {
		t.Errorf("zero Table: IsZero %v, unit %d, Validate %v", zero.IsZero(), zero.Unit(), zero.Validate())
	}
	for _, tb := range []pricing.Table{{Region: "x"}, {BytesPerGB: 1e9}, {Classes: map[string]pricing.Rate{"internet": {}}}, {Notes: []string{"n"}}} {
		if tb.IsZero() {
			t.Errorf("%+v is taken for the zero Table", tb)
		}
	}
	if u := (&pricing.Table{BytesPerGB: 1e9}).Unit(); u != 1e9 {
		t.Errorf("unit %d", u)
	}
	b, _ := pricing.BuiltIn("us-east-1")
	if b.IsZero() || b.Unit() != b.BytesPerGB {
		t.Errorf("built-in: IsZero %v, unit %d", b.IsZero(), b.Unit())
	}
}

func TestBuiltInIsACopy(t *testing.T) {
	a, _ := pricing.BuiltIn("us-east-1")
	a.Classes["internet"] = pricing.Rate{}
	b, _ := pricing.BuiltIn("us-east-1")
	if b.Classes["internet"].Out == nil {
		t.Error("BuiltIn returned a shared table")
	}
	if _, ok := pricing.BuiltIn("xx-nowhere-1"); ok {
		t.Error("a region from nowhere")
	}
	if r := pricing.Regions(); len(r) == 0 || r[0] != "us-east-1" {
		t.Errorf("regions %v", r)
	}
}

func TestLoad(t *testing.T) {
	tb, err := pricing.Load(strings.NewReader("\ufeff"+`{"region":"eu-west-1","as_of":"2026-12-01","source":"contract","currency":"EUR","bytes_per_gb":1000000000,
		"classes":{"internet":{"in_per_gb":0,"out_per_gb":0.05}}}`), "p.json")
	if err != nil || tb.Region != "eu-west-1" || *tb.Classes["internet"].Out != 0.05 {
		t.Fatalf("%+v, %v", tb, err)
	}
	for body, want := range map[string]string{
		`{"region":"x","currency":"USD","bytes_per_gb":1073741824} {}`:                                       "more than one JSON value",
		`{"region":"x","currency":"USD","bytes_per_gb":1073741824,"classes":{"internet":{"in":1}}}`:          `unknown field "in"`,
		`{"currency":"USD","bytes_per_gb":1073741824}`:                                                       "no region",
		`{"region":"x","currency":"USD","bytes_per_gb":1073741824,"classes":{"same_az":{"in_per_gb":-0.1}}}`: "not a price",
	} {
		_, err := pricing.Load(strings.NewReader(body), "p.json")
		var le *pricing.LoadError
		if !errors.As(err, &le) || le.Name != "p.json" || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
	}
}

func TestCovered(t *testing.T) {
	for _, c := range []struct {
		bytes, unpriced uint64
		want            pricing.Coverage
	}{
		{0, 0, pricing.AllPriced},
		{10, 0, pricing.AllPriced},
		{10, 3, pricing.PartlyPriced},
		{10, 10, pricing.NotPriced},
	} {
		if got := pricing.Covered(c.bytes, c.unpriced); got != c.want {
			t.Errorf("Covered(%d, %d) = %d, want %d", c.bytes, c.unpriced, got, c.want)
		}
	}
}

// An Application or Classic Load Balancer's node (PeerLoadBalancer): the
// built-in table prices its traffic at zero both ways, of unknown
// direction too (AWS does not bill its cross-AZ transfer with its
// targets), and no longer says cross-AZ counts it; a table of one's own
// may price it, or leave it unpriced.
func TestLoadBalancerClass(t *testing.T) {
	tb, _ := pricing.BuiltIn("us-east-1")
	r, ok := tb.Classes["load_balancer"]
	if !ok || r.In == nil || r.Out == nil || *r.In != 0 || *r.Out != 0 {
		t.Fatalf("built-in load_balancer rate %+v", r)
	}
	for _, n := range tb.Notes {
		if strings.HasPrefix(n, "cross-AZ counts traffic with the nodes") {
			t.Errorf("the stop-gap note is still there: %s", n)
		}
	}
	const gib uint64 = 1 << 30
	lb := attribution.PeerLoadBalancer
	var g attribution.Group
	g.ClassBytes[lb], g.ClassBytesIn[lb], g.ClassBytesOut[lb] = 10*gib, 4*gib, 5*gib
	g.ClassBytes[attribution.PeerCrossAZ], g.ClassBytesIn[attribution.PeerCrossAZ] = 1*gib, 1*gib
	c := tb.Cost(&g)
	if c.ByClass[lb] != 0 || c.Unpriced[lb] != (pricing.Bytes{}) || c.UnpricedBytes != 0 || math.Abs(c.Total-0.01) > 1e-12 {
		t.Errorf("built-in: %+v", c)
	}

	own, err := pricing.Load(strings.NewReader(`{"region": "x", "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {"load_balancer": {"in_per_gb": 0.002, "out_per_gb": 0.002}, "cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01}}}`), "own.json")
	if err != nil {
		t.Fatal(err)
	}
	if c := own.Cost(&g); math.Abs(c.ByClass[lb]-0.02) > 1e-12 || c.UnpricedBytes != 0 {
		t.Errorf("own price: %+v", c)
	}
	delete(own.Classes, "load_balancer")
	if c := own.Cost(&g); c.ByClass[lb] != 0 || c.Unpriced[lb] != (pricing.Bytes{In: 4 * gib, Out: 5 * gib, Unknown: gib}) {
		t.Errorf("left unpriced: %+v", c)
	}
	bad := &pricing.Table{Region: "x", Currency: "USD", BytesPerGB: 1 << 30,
		Classes: map[string]pricing.Rate{"load_balancer": {In: &[]float64{math.NaN()}[0]}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), `"load_balancer"`) {
		t.Errorf("a NaN rate: %v", err)
	}
}

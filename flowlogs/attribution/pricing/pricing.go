// Package pricing turns attributed bytes into dollars: a data-transfer price
// table by peer class (attribution.PeerClass) and direction, and the cost of
// a group of tasks at those prices.
//
// What a byte costs depends on where it went and which way: inside one AZ
// it is free, across AZs it is charged in each direction, to the internet
// only on egress. Some classes cannot be priced from flow logs alone (a
// peer reached through a NAT gateway, a gateway or interface endpoint, a
// VPN: the path decides), so a table may leave a class or a direction
// unpriced; their bytes are reported as unpriced, never as free.
//
// A Table's prices are marginal list prices: volume tiers and free
// allowances are account-wide and monthly, so they cannot be applied to one
// group's share. The built-in table says where its numbers come from and
// when they were read; BuiltIn's are from third-party pages (AWS's own price
// pages could not be reached when it was written) and should be checked
// against your bill. Load reads your own.
package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// Table is a data-transfer price list. The zero Table prices nothing.
type Table struct {
	// Region is the AWS region the prices are for.
	Region string `json:"region"`
	// AsOf is when the prices were read (a date), Source where.
	AsOf   string `json:"as_of"`
	Source string `json:"source"`
	// Currency is the prices' currency, "USD".
	Currency string `json:"currency"`
	// BytesPerGB is the size of the unit prices are per: 1073741824
	// (2^30) or 1000000000.
	BytesPerGB uint64 `json:"bytes_per_gb"`
	// Classes are the rates by class key (attribution.PeerClass.Key); a
	// class absent is unpriced.
	Classes map[string]Rate `json:"classes"`
	// Notes say what the prices leave out.
	Notes []string `json:"notes,omitempty"`
}

// Rate is a class's price per GB in each direction, from the task's point
// of view: In is received by the task, Out sent. A nil rate is unpriced.
type Rate struct {
	In  *float64 `json:"in_per_gb"`
	Out *float64 `json:"out_per_gb"`
}

// Cost is what a group's traffic costs at a Table's prices.
type Cost struct {
	// Total is the sum over ByClass.
	Total float64
	// ByClass is the cost of each class's priced bytes, by
	// attribution.PeerClass.
	ByClass [len(attribution.Group{}.ClassBytes)]float64
	// UnpricedBytes are the bytes the table has no price for: classes or
	// directions without a rate, and bytes of unknown direction of a class
	// whose two rates differ.
	UnpricedBytes uint64
}

// Cost prices a group's bytes by class and direction (Group.ClassBytes,
// ClassBytesIn, ClassBytesOut).
func (t *Table) Cost(g *attribution.Group) Cost {
	var c Cost
	gb := float64(t.BytesPerGB)
	if gb == 0 {
		gb = 1 << 30
	}
	for _, cl := range attribution.PeerClasses() {
		in, out := g.ClassBytesIn[cl], g.ClassBytesOut[cl]
		unknown := g.ClassBytes[cl] - in - out
		r, ok := t.Classes[cl.Key()]
		if !ok {
			c.UnpricedBytes += g.ClassBytes[cl]
			continue
		}
		var sum float64
		price := func(b uint64, rate *float64) {
			if b == 0 {
				return
			}
			if rate == nil {
				c.UnpricedBytes += b
				return
			}
			sum += float64(b) / gb * *rate
		}
		price(in, r.In)
		price(out, r.Out)
		switch {
		case r.In != nil && r.Out != nil && *r.In == *r.Out:
			price(unknown, r.In)
		default:
			c.UnpricedBytes += unknown
		}
		c.ByClass[cl] = sum
		c.Total += sum
	}
	return c
}

// Validate reports the first thing wrong with t: an unknown class, a
// negative or non-finite rate, a unit other than 2^30 or 10^9 bytes, a
// currency or region missing.
func (t *Table) Validate() error {
	if t.Region == "" {
		return errors.New("no region")
	}
	if t.Currency == "" {
		return errors.New("no currency")
	}
	if t.BytesPerGB != 1<<30 && t.BytesPerGB != 1e9 {
		return fmt.Errorf("bytes_per_gb %d: want 1073741824 (2^30) or 1000000000", t.BytesPerGB)
	}
	for k, r := range t.Classes {
		if _, ok := attribution.ParsePeerClass(k); !ok {
			return fmt.Errorf("unknown class %q (want one of %s)", k, strings.Join(classKeys(), ", "))
		}
		for _, v := range []*float64{r.In, r.Out} {
			if v != nil && (*v < 0 || math.IsInf(*v, 0) || math.IsNaN(*v)) {
				return fmt.Errorf("class %q: rate %v is not a price", k, *v)
			}
		}
	}
	return nil
}

func classKeys() []string {
	var out []string
	for _, c := range attribution.PeerClasses() {
		out = append(out, c.Key())
	}
	return out
}

// LoadError is a price file that cannot be used: which file and why.
type LoadError struct {
	Name string
	Err  error
}

func (e *LoadError) Error() string { return "pricing: " + e.Name + ": " + e.Err.Error() }
func (e *LoadError) Unwrap() error { return e.Err }

// Load reads a price table as JSON (the shape of Table's fields; a
// leading byte-order mark is skipped); name is for errors. Unknown
// members are refused, so that a misspelt class is not silently
// unpriced.
func Load(r io.Reader, name string) (*Table, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, &LoadError{name, err}
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t Table
	if err := dec.Decode(&t); err != nil {
		return nil, &LoadError{name, err}
	}
	if dec.More() {
		return nil, &LoadError{name, errors.New("more than one JSON value")}
	}
	if err := t.Validate(); err != nil {
		return nil, &LoadError{name, err}
	}
	return &t, nil
}

// LoadFile reads the price file name.
func LoadFile(name string) (*Table, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Load(f, name)
}

// BuiltIn returns the built-in table for region, and whether there is one
// (Regions lists them).
func BuiltIn(region string) (*Table, bool) {
	t, ok := builtIn()[region]
	return t, ok
}

// Regions lists the regions BuiltIn knows, sorted.
func Regions() []string {
	var out []string
	for r := range builtIn() {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

func rate(v float64) *float64 { return &v }

// builtIn are the built-in tables, made anew for each call (callers may
// modify what they get).
func builtIn() map[string]*Table {
	return map[string]*Table{
		"us-east-1": {
			Region: "us-east-1", AsOf: "2026-06-02", Currency: "USD", BytesPerGB: 1 << 30,
			Source: "third-party summaries of AWS's on-demand data-transfer prices (usage.ai, 2026-06-02; leanopstech.com, 2026-04-27); " +
				"AWS's own pages (aws.amazon.com/ec2/pricing/on-demand/) could not be reached to confirm them",
			Classes: map[string]Rate{
				attribution.PeerSameAZ.Key():   {In: rate(0), Out: rate(0)},
				attribution.PeerCrossAZ.Key():  {In: rate(0.01), Out: rate(0.01)},
				attribution.PeerInternet.Key(): {In: rate(0), Out: rate(0.09)},
			},
			Notes: []string{
				"same AZ: free over private addresses",
				"cross-AZ: $0.01/GB charged in each direction (the peer's side pays its own)",
				"internet: egress at the first paid tier ($0.09/GB up to 10 TB/month); the account-wide 100 GB/month free allowance and volume tiers are not applied",
				"unpriced: other VPC (peering is free within an AZ), on-premises/VPN (Direct Connect or VPN rates), AWS services (free through a gateway endpoint, $0.045/GB through a NAT gateway, $0.01/GB through an interface endpoint), unknown",
				"a GB is taken as 2^30 bytes",
			},
		},
	}
}

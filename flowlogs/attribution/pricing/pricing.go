// Package pricing turns attributed bytes into dollars: a data-transfer price
// table by peer class (attribution.PeerClass) and direction, and the cost of
// a group of tasks at those prices.
//
// What a byte costs depends on where it went and which way: inside one AZ
// it is free, across AZs it is charged in each direction (but not between
// an Application or Classic Load Balancer's nodes and their targets:
// attribution.PeerLoadBalancer, which the built-in tables price at zero),
// to the internet only on egress. Some classes cannot be priced from flow
// logs alone (a peer reached through a NAT gateway, a gateway or interface
// endpoint, a VPN: the path decides), so a table may leave a class or a
// direction unpriced; their bytes are reported as unpriced, never as free. Prices are
// for data transfer alone: a NAT gateway's or an endpoint's processing
// charge is not in them (the built-in table's notes say so).
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
	"unicode"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Table is a data-transfer price list. The zero Table prices nothing. Its
// methods only read it: one Table may be used by many goroutines while
// none changes it.
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
	// attribution.PeerClass: all of its bytes but those in Unpriced. A
	// class of zero cost may be free (priced at 0) or unpriced: Unpriced
	// tells them apart.
	ByClass [len(attribution.Group{}.ClassBytes)]float64
	// UnpricedBytes are the bytes the table has no price for: classes or
	// directions without a rate, and bytes of unknown direction of a class
	// whose two rates differ. It is the sum over Unpriced.
	UnpricedBytes uint64
	// Unpriced splits UnpricedBytes by class (attribution.PeerClass) and
	// direction, so that a report can say of each class whether its cost
	// covers all of its bytes, some or none: a class priced in one
	// direction only has the other direction's bytes here.
	Unpriced [len(attribution.Group{}.ClassBytes)]Bytes
}

// Bytes are bytes by direction, from the task's point of view: In
// received, Out sent, Unknown of unknown direction (records without
// flow-direction where neither address was the task's; see
// attribution.Counters).
type Bytes struct {
	In, Out, Unknown uint64
}

// Sum is In + Out + Unknown.
func (b Bytes) Sum() uint64 { return b.In + b.Out + b.Unknown }

// Coverage is how much of some bytes a cost covers, which decides how a
// report shows the cost: a cost of bytes none of which has a price is
// unknown, not 0, and one of bytes some of which have none is a lower
// bound.
type Coverage uint8

const (
	// AllPriced: every byte has a price (or there are no bytes).
	AllPriced Coverage = iota
	// PartlyPriced: some bytes have no price; the cost leaves them out.
	PartlyPriced
	// NotPriced: no byte has a price.
	NotPriced
)

// Covered returns how much of bytes a cost covers when unpriced of them
// have no price (a Cost's UnpricedBytes, or a class's Unpriced sum).
func Covered(bytes, unpriced uint64) Coverage {
	switch {
	case bytes > 0 && unpriced >= bytes:
		return NotPriced
	case unpriced > 0:
		return PartlyPriced
	}
	return AllPriced
}

// Unit is the number of bytes t's prices are per: BytesPerGB, or 2^30
// when it is 0 (the zero Table's), as Cost takes it.
func (t *Table) Unit() uint64 {
	if t.BytesPerGB == 0 {
		return 1 << 30
	}
	return t.BytesPerGB
}

// IsZero reports whether t is the zero Table, which prices nothing. It is
// the one Table that is not valid (Validate: it has no region or
// currency) and yet prices a report: every byte unpriced.
func (t *Table) IsZero() bool {
	return t.Region == "" && t.AsOf == "" && t.Source == "" && t.Currency == "" && t.BytesPerGB == 0 &&
		len(t.Classes) == 0 && len(t.Notes) == 0
}

// Cost prices a group's bytes by class and direction (Group.ClassBytes,
// ClassBytesIn, ClassBytesOut). Bytes of unknown direction are priced only
// in a class whose two rates are equal: which of them applies is not known.
func (t *Table) Cost(g *attribution.Group) Cost {
	var c Cost
	gb := float64(t.Unit())
	for _, cl := range attribution.PeerClasses() {
		in, out := g.ClassBytesIn[cl], g.ClassBytesOut[cl]
		unknown := g.ClassBytes[cl] - in - out
		r := t.Classes[cl.Key()] // a class absent has no rate either way
		var either *float64      // the rate of a byte of unknown direction
		if r.In != nil && r.Out != nil && *r.In == *r.Out {
			either = r.In
		}
		u := &c.Unpriced[cl]
		var sum float64
		price := func(b uint64, rate *float64, unpriced *uint64) {
			switch {
			case b == 0:
			case rate == nil:
				*unpriced += b
			default:
				sum += float64(b) / gb * *rate
			}
		}
		price(in, r.In, &u.In)
		price(out, r.Out, &u.Out)
		price(unknown, either, &u.Unknown)
		c.ByClass[cl] = sum
		c.Total += sum
		c.UnpricedBytes += u.Sum()
	}
	return c
}

// CheckUsable is the error a report gives for pricing with t: none for
// nil or the zero Table, which price nothing (every byte unpriced), else
// Validate's: a table with a NaN rate would show NaN costs, one with a
// unit the schema refuses costs in a unit the report does not name.
func CheckUsable(t *Table) error {
	if t == nil || t.IsZero() {
		return nil
	}
	return t.Validate()
}

// Validate reports the first thing wrong with t: an unknown class, a
// negative or non-finite rate or one above maxRate, a unit other than
// 2^30 or 10^9 bytes, a currency or region missing, a region, as_of,
// source or currency holding a control or format character (the reports
// print them), no class with a rate.
func (t *Table) Validate() error {
	_, err := t.check()
	return err
}

// maxRate bounds a rate a GB: transfer costs cents a GB in any currency
// (a few hundred in the smallest units, won or yen), and with it every
// cost of 2^64-1 bytes stays finite (below 2·10^16), where a rate such as
// 1e308 made it +Inf, which JSON cannot carry.
const maxRate = 1e6

// check is Validate, with the member path of what is wrong
// ("classes.cross_az.out_per_gb"), "" for the table as a whole. Classes
// are checked in key order, so that the error is the same each time.
func (t *Table) check() (string, error) {
	if t.Region == "" {
		return "", errors.New("no region")
	}
	if t.Currency == "" {
		return "", errors.New("no currency")
	}
	// The text is printed by the reports, the table's among them, which
	// a control character (a tab, a newline, an escape sequence) or a
	// format character (a right-to-left override) would break.
	for _, m := range []struct{ name, v string }{{"region", t.Region}, {"as_of", t.AsOf}, {"source", t.Source}, {"currency", t.Currency}} {
		if !utf8.ValidString(m.v) || strings.ContainsFunc(m.v, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
			return m.name, fmt.Errorf("%s %s: holds a control or format character, or bytes that are not UTF-8", m.name, awswire.Quote(m.v))
		}
	}
	if t.BytesPerGB != 1<<30 && t.BytesPerGB != 1e9 {
		return "bytes_per_gb", fmt.Errorf("bytes_per_gb %d: want 1073741824 (2^30) or 1000000000", t.BytesPerGB)
	}
	keys := make([]string, 0, len(t.Classes))
	for k := range t.Classes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r := t.Classes[k]
		if _, ok := attribution.ParsePeerClass(k); !ok {
			return "classes." + k, fmt.Errorf("unknown class %q (want one of %s)", k, strings.Join(classKeys(), ", "))
		}
		for _, m := range []struct {
			name string
			v    *float64
		}{{"in_per_gb", r.In}, {"out_per_gb", r.Out}} {
			if v := m.v; v != nil && (*v < 0 || *v > maxRate || math.IsInf(*v, 0) || math.IsNaN(*v)) {
				return "classes." + k + "." + m.name, fmt.Errorf("class %q: %s %v is not a price (0 to %g a GB)", k, m.name, *v, float64(maxRate))
			}
		}
	}
	// A table of no rate prices nothing: every report would say "not
	// priced", which is no answer to having asked for prices.
	if !slices.ContainsFunc(keys, func(k string) bool { return t.Classes[k].In != nil || t.Classes[k].Out != nil }) {
		return "classes", fmt.Errorf("no rate: no class has in_per_gb or out_per_gb (want some of %s)", strings.Join(classKeys(), ", "))
	}
	return "", nil
}

// members returns the offset of each member's key in the JSON document b
// by path ("classes.cross_az"), or an error placed at a member given
// twice in one object (encoding/json keeps the last one without a word:
// a class given twice would lose its first rates).
func members(b []byte) (map[string]int64, error) {
	at := map[string]int64{}
	err := awswire.Walk(b, func(path []string, key, _ int64) error {
		p := strings.Join(path, ".")
		if _, twice := at[p]; twice {
			pos := awswire.PosOf(b, key)
			return &awswire.Error{Path: p, Line: pos.Line, Column: pos.Column, Offset: key,
				Msg: fmt.Sprintf("member %q given twice in one object", path[len(path)-1])}
		}
		at[p] = key
		return nil
	})
	return at, err
}

func classKeys() []string {
	var out []string
	for _, c := range attribution.PeerClasses() {
		out = append(out, c.Key())
	}
	return out
}

// MaxSize is the size of the largest price file Load accepts.
const MaxSize = 1 << 20

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
// unpriced. A file larger than 1 MiB is refused.
func Load(r io.Reader, name string) (*Table, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &LoadError{name, err}
	}
	if len(b) > MaxSize {
		// Cut at the bound, it would read as JSON ending too soon, or
		// lose what follows the bound unseen.
		return nil, &LoadError{name, fmt.Errorf("larger than %d bytes", MaxSize)}
	}
	// Offsets stay the file's: a byte-order mark becomes spaces.
	b = awswire.BlankBOM(b)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t Table
	if err := dec.Decode(&t); err != nil {
		if errors.Is(err, io.EOF) && len(bytes.TrimSpace(b)) == 0 {
			err = errors.New("the file is empty (want a JSON price table)")
		}
		return nil, &LoadError{name, awswire.PlaceFor(b, err, &t)}
	}
	if dec.More() {
		return nil, &LoadError{name, errors.New("more than one JSON value")}
	}
	at, err := members(b)
	if err != nil {
		return nil, &LoadError{name, err}
	}
	if path, err := t.check(); err != nil {
		// Placed at the member, as the decoder's errors are.
		if off, ok := at[path]; ok && path != "" {
			pos := awswire.PosOf(b, off)
			err = &awswire.Error{Line: pos.Line, Column: pos.Column, Offset: off, Msg: err.Error()} // the message names the member
		}
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
				attribution.PeerSameAZ.Key():       {In: rate(0), Out: rate(0)},
				attribution.PeerCrossAZ.Key():      {In: rate(0.01), Out: rate(0.01)},
				attribution.PeerInternet.Key():     {In: rate(0), Out: rate(0.09)},
				attribution.PeerLoadBalancer.Key(): {In: rate(0), Out: rate(0)},
			},
			Notes: []string{
				"same AZ: free over private addresses",
				"cross-AZ: $0.01/GB charged in each direction (the peer's side pays its own)",
				"load balancer (a node of an Application or Classic Load Balancer, known from the network interfaces ELB creates: ec2:DescribeNetworkInterfaces): free both ways, whatever its AZ, as AWS does not bill cross-AZ transfer between such a node and its targets; without those interfaces this traffic counts as cross-AZ, and a Network or Gateway Load Balancer's node's always does (its cross-zone traffic is billed)",
				"internet (a public address that the record's pkt-*-aws-service field says is not AWS's): egress at the first paid tier ($0.09/GB up to 10 TB/month), ingress free; the account-wide 100 GB/month free allowance and volume tiers are not applied",
				"unpriced: public, internet or AWS (the flow log's format has no pkt-src-aws-service/pkt-dst-aws-service, so egress to the internet, $0.09/GB, cannot be told from AWS services in the region, free to S3 and DynamoDB): add those fields to the format to price it",
				"a NAT gateway's data processing ($0.045/GB, each direction) is not a data-transfer price and is in no class: add it for traffic that goes through one",
				"unpriced: other VPC (peering is free within an AZ), on-premises/VPN (Direct Connect or VPN rates), AWS services (free through a gateway endpoint, $0.045/GB through a NAT gateway, $0.01/GB through an interface endpoint), unknown",
				"a GB is taken as 2^30 bytes",
			},
		},
	}
}

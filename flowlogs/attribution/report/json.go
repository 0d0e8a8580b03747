package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"net/netip"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
	"github.com/ecsnet/ecsnet/netmode"
)

// Document is the stable JSON shape of a report:
//
//	{"groups":[{"key":…,"bytes_in":…,"bytes_out":…,"packets_in":…,"packets_out":…,"records":…,
//	            "accepted_bytes":…,"rejected_bytes":…,
//	            "bytes_unknown_direction":…,"packets_unknown_direction":…}],
//	 "unattributed":[{"reason":…,"bytes":…,"packets":…,"records":…}],
//	 "total":{"bytes":…,"packets":…,"records":…},
//	 "overflow":true}
//
// key is the task ARN when grouped by task (the service group, family,
// container instance ARN or cluster ARN otherwise, as
// attribution.GroupBy keys them: the cluster name without an ARN). Groups
// come heaviest (bytes) first, ties by key; reasons in a fixed order, only
// those with records. A group's bytes are bytes_in + bytes_out +
// bytes_unknown_direction (records without flow-direction where neither
// address was the task's; likewise packets), and the sums of the groups'
// and reasons' bytes, packets and records equal total. Fields will not be
// renamed or removed; decode it with this type. Counts (bytes, packets,
// records) are uint64, written as exact integers up to 2^64-1: a reader
// that holds JSON numbers as float64 (JavaScript, jq before 1.7) loses
// the low digits of one past 2^53 (of bytes, 8 PiB), and should read them
// as 64-bit integers or exact numbers. Fields added later are left out
// when zero (bytes_unknown_direction, packets_unknown_direction; overflow:
// counting stopped at a record that would have made a total pass
// 2^64-1, see attribution.OverflowError).
//
// Later fields carry every dimension the table and HTML show: the grouping
// and time span ("by", "first", "last", "step_seconds", "incomplete"); per
// group the tasks rolled into it with service, family, network mode,
// container instance and EC2 instance ("tasks"), the inferred part
// ("inferred_bytes", "inferred_records", "inferred"), bytes per peer
// (cost) class ("class_bytes", keyed by the ClassKey names) and the top
// peers and ports ("top_peers", "top_ports"; empty when the Attributor was
// made WithoutPeers); per reason the interfaces that carried most of it
// ("top_interfaces"). document.schema.json in this package (DocumentSchema)
// describes the whole shape.
type Document struct {
	Groups       []DocumentGroup  `json:"groups"`
	Unattributed []DocumentReason `json:"unattributed"`
	Total        DocumentTotal    `json:"total"`
	Overflow     bool             `json:"overflow,omitempty"`

	By    string     `json:"by"`
	First *time.Time `json:"first,omitempty"` // earliest record start
	Last  *time.Time `json:"last,omitempty"`  // latest record start
	// StepSeconds is the time series' bucket width in whole seconds; 0
	// for a Result without a step of a second or more (one built by hand).
	StepSeconds int64 `json:"step_seconds"`
	// Incomplete is true when SKIPDATA records were seen: every total is a
	// lower bound.
	Incomplete bool `json:"incomplete"`

	// Prices and Cost are there when the report was priced (WithPrices):
	// the table used, and the groups' costs added up.
	Prices *DocumentPrices `json:"prices,omitempty"`
	Cost   *DocumentCost   `json:"cost,omitempty"`
}

// DocumentPrices is the price table a Document was priced with (see
// pricing.Table). BytesPerGB is the unit the costs were computed in
// (pricing.Table.Unit: 2^30 for the zero Table's 0). Classes are its rates
// by class key, as a price file holds them: the object is a price table
// pricing.Load reads, so a report's costs can be checked, or another
// report priced, with the very rates it used.
type DocumentPrices struct {
	Region     string                  `json:"region"`
	AsOf       string                  `json:"as_of"`
	Source     string                  `json:"source"`
	Currency   string                  `json:"currency"`
	BytesPerGB uint64                  `json:"bytes_per_gb"`
	Classes    map[string]pricing.Rate `json:"classes"`
	Notes      []string                `json:"notes"`
}

// DocumentCost is what traffic cost at the report's prices: in all, by
// class (ClassKey names; the cost of a class's priced bytes, classes with
// no priced bytes left out: a class priced at zero is there, with 0), and
// the bytes the prices do not cover, in all and by class and direction
// (classes with none left out). A class in ByClass only is priced, in
// both partly priced (its cost a lower bound), in UnpricedByClass only not
// priced at all.
type DocumentCost struct {
	Total           float64                     `json:"total"`
	ByClass         map[string]float64          `json:"by_class"`
	UnpricedBytes   uint64                      `json:"unpriced_bytes"`
	UnpricedByClass map[string]DocumentUnpriced `json:"unpriced_by_class"`
}

// DocumentUnpriced are a class's bytes the prices do not cover, by
// direction from the task's point of view (see pricing.Cost.Unpriced):
// Bytes = In + Out + Unknown.
type DocumentUnpriced struct {
	Bytes   uint64 `json:"bytes"`
	In      uint64 `json:"in"`
	Out     uint64 `json:"out"`
	Unknown uint64 `json:"unknown_direction"`
}

// DocumentGroup is one group of a Document.
type DocumentGroup struct {
	Key           string `json:"key"`
	BytesIn       uint64 `json:"bytes_in"`
	BytesOut      uint64 `json:"bytes_out"`
	PacketsIn     uint64 `json:"packets_in"`
	PacketsOut    uint64 `json:"packets_out"`
	Records       uint64 `json:"records"`
	AcceptedBytes uint64 `json:"accepted_bytes"`
	RejectedBytes uint64 `json:"rejected_bytes"`
	// BytesUnknown and PacketsUnknown: see attribution.Counters.
	BytesUnknown   uint64 `json:"bytes_unknown_direction,omitempty"`
	PacketsUnknown uint64 `json:"packets_unknown_direction,omitempty"`

	Tasks []DocumentTask `json:"tasks"`
	// ECSFieldOnlyTasks counts the tasks known only from the records' v7
	// ecs-* fields, not from the task data.
	ECSFieldOnlyTasks int               `json:"ecs_field_only_tasks"`
	InferredBytes     uint64            `json:"inferred_bytes"`
	InferredRecords   uint64            `json:"inferred_records"`
	Inferred          bool              `json:"inferred"` // some of it attributed by bridge host-port inference
	ClassBytes        map[string]uint64 `json:"class_bytes"`
	TopPeers          []DocumentPeer    `json:"top_peers"`
	TopPorts          []DocumentPort    `json:"top_ports"`
	// ClassBytesIn and ClassBytesOut split class_bytes by direction (the
	// rest of a class is of unknown direction).
	ClassBytesIn  map[string]uint64 `json:"class_bytes_in"`
	ClassBytesOut map[string]uint64 `json:"class_bytes_out"`
	Cost          *DocumentCost     `json:"cost,omitempty"`
}

// DocumentTask is one task of a group.
type DocumentTask struct {
	ARN                  string     `json:"arn"`
	ID                   string     `json:"id"`
	Cluster              string     `json:"cluster"`
	Service              string     `json:"service"` // "" for tasks not started by a service
	Group                string     `json:"group"`   // "service:NAME" or "family:NAME"
	Family               string     `json:"family"`
	Revision             int32      `json:"revision"`
	TaskDefinitionARN    string     `json:"task_definition_arn"`
	NetworkMode          string     `json:"network_mode"`
	LaunchType           string     `json:"launch_type"`
	ContainerInstanceARN string     `json:"container_instance_arn"`
	EC2InstanceID        string     `json:"ec2_instance_id"`
	AZ                   string     `json:"az"`
	ENI                  string     `json:"eni"`
	Addresses            []string   `json:"addresses"`
	Start                *time.Time `json:"start,omitempty"`
	Stop                 *time.Time `json:"stop,omitempty"`
}

// DocumentPeer is one of a group's top peers.
type DocumentPeer struct {
	Prefix  string `json:"prefix"`
	Service string `json:"service"`
	// Class is a ClassKey name: the class of the peer's first record
	// (attribution.Peer.Class). A prefix of several addresses
	// (attribution.WithPeerPrefix), a load balancer node or a peer of
	// tasks in several AZs can have bytes of other classes too, which
	// class_bytes counts each in its own: a group's peers of a class can
	// add up to more than its class_bytes of it.
	Class    string `json:"class"`
	Bytes    uint64 `json:"bytes"`
	Packets  uint64 `json:"packets"`
	Records  uint64 `json:"records"`
	MaxError uint64 `json:"max_error"` // Bytes may over-count by at most this much; 0 = exact
}

// DocumentPort is one of a group's top service ports.
type DocumentPort struct {
	Protocol uint8  `json:"protocol"`
	Port     uint16 `json:"port"`
	Bytes    uint64 `json:"bytes"`
	Packets  uint64 `json:"packets"`
	Records  uint64 `json:"records"`
	MaxError uint64 `json:"max_error"`
}

// DocumentInterface is an interface that carried unattributed traffic.
type DocumentInterface struct {
	ID       string `json:"id"`
	Bytes    uint64 `json:"bytes"`
	Records  uint64 `json:"records"`
	MaxError uint64 `json:"max_error"`
}

// ClassKey is a peer class's name as JSON ("class_bytes" keys, a peer's
// "class") and CSV (bytes_<class> columns) write it: c.Key().
func ClassKey(c attribution.PeerClass) string { return c.Key() }

// DocumentReason is one unattributed reason of a Document.
type DocumentReason struct {
	Reason  string `json:"reason"`
	Bytes   uint64 `json:"bytes"`
	Packets uint64 `json:"packets"`
	Records uint64 `json:"records"`

	TopInterfaces []DocumentInterface `json:"top_interfaces"`
}

// DocumentTotal is a Document's total.
type DocumentTotal struct {
	Bytes   uint64 `json:"bytes"`
	Packets uint64 `json:"packets"`
	Records uint64 `json:"records"`
}

// NewDocument converts a result to the JSON document. It does not check
// the prices as the writers do (WithPrices): a Table with a NaN rate
// gives a Document that encoding/json refuses.
func NewDocument(r *attribution.Result, opts ...Option) Document { return document(r, collect(opts)) }

// document is the Document of r.
func document(r *attribution.Result, o options) Document {
	d := newDocument(r, o)
	for i := range r.Groups {
		d.Groups = append(d.Groups, d.group(&r.Groups[i], o))
	}
	return d
}

// newDocument is the Document of r without its groups.
func newDocument(r *attribution.Result, o options) Document {
	d := Document{Groups: []DocumentGroup{}, Unattributed: []DocumentReason{},
		Total: DocumentTotal{r.Total.Bytes, r.Total.Packets, r.Total.Records}, Overflow: r.Stats.Overflow,
		By: r.By.String(), First: timePtr(r.First), Last: timePtr(r.Last), StepSeconds: int64(r.Step / time.Second),
		Incomplete: r.Stats.SkipData > 0}
	if p := o.prices; p != nil {
		d.Prices = &DocumentPrices{Region: p.Region, AsOf: p.AsOf, Source: p.Source, Currency: p.Currency,
			BytesPerGB: p.Unit(), Classes: maps.Clone(p.Classes), Notes: append([]string{}, p.Notes...)}
		if d.Prices.Classes == nil {
			d.Prices.Classes = map[string]pricing.Rate{}
		}
		d.Cost = &DocumentCost{ByClass: map[string]float64{}, UnpricedByClass: map[string]DocumentUnpriced{}}
	}
	for _, u := range r.Unattributed {
		du := DocumentReason{Reason: u.Reason.String(), Bytes: u.Bytes, Packets: u.Packets, Records: u.Records,
			TopInterfaces: []DocumentInterface{}}
		for _, i := range u.TopInterfaces {
			du.TopInterfaces = append(du.TopInterfaces, DocumentInterface{i.ID, i.Bytes, i.Records, i.MaxError})
		}
		d.Unattributed = append(d.Unattributed, du)
	}
	return d
}

// group converts g, adding its cost to the document's when priced.
func (d *Document) group(g *attribution.Group, o options) DocumentGroup {
	dg := DocumentGroup{
		Key: g.Key, BytesIn: g.BytesIn, BytesOut: g.BytesOut, PacketsIn: g.PacketsIn, PacketsOut: g.PacketsOut,
		Records: g.Records, AcceptedBytes: g.AcceptedBytes, RejectedBytes: g.RejectedBytes,
		BytesUnknown: g.BytesUnknown, PacketsUnknown: g.PacketsUnknown,
		Tasks: []DocumentTask{}, ECSFieldOnlyTasks: g.ECSFieldOnlyTasks, InferredBytes: g.InferredBytes, InferredRecords: g.InferredRecords,
		Inferred: g.InferredRecords > 0, ClassBytes: map[string]uint64{},
		ClassBytesIn: map[string]uint64{}, ClassBytesOut: map[string]uint64{},
		TopPeers: []DocumentPeer{}, TopPorts: []DocumentPort{},
	}
	ec2IDs := map[string]string{}
	for _, in := range g.Instances {
		ec2IDs[in.ARN] = in.EC2InstanceID
	}
	for _, t := range g.Tasks {
		dt := DocumentTask{ARN: t.ARN, ID: t.ID(), Cluster: cmp.Or(t.ClusterARN, t.Cluster()), Service: text.ServiceName(t.Group), Group: t.Group,
			Family: t.Family, Revision: text.Revision(t), TaskDefinitionARN: t.TaskDefinitionARN, NetworkMode: modeName(t.NetworkMode),
			LaunchType: t.LaunchType, ContainerInstanceARN: t.ContainerInstanceARN, EC2InstanceID: ec2IDs[t.ContainerInstanceARN],
			AZ: t.AvailabilityZone, ENI: t.ENI, Addresses: []string{}, Start: timePtr(t.Valid.Start), Stop: timePtr(t.Valid.End)}
		for _, a := range []netip.Addr{t.IPv4, t.IPv6} {
			if a.IsValid() {
				dt.Addresses = append(dt.Addresses, a.String())
			}
		}
		dg.Tasks = append(dg.Tasks, dt)
	}
	for c, b := range g.ClassBytes {
		k := ClassKey(attribution.PeerClass(c))
		dg.ClassBytes[k], dg.ClassBytesIn[k], dg.ClassBytesOut[k] = b, g.ClassBytesIn[c], g.ClassBytesOut[c]
	}
	if o.prices != nil {
		dg.Cost = documentCost(g, o.prices.Cost(g))
		d.Cost.Total += dg.Cost.Total
		d.Cost.UnpricedBytes += dg.Cost.UnpricedBytes
		for k, v := range dg.Cost.ByClass {
			d.Cost.ByClass[k] += v
		}
		for k, v := range dg.Cost.UnpricedByClass {
			d.Cost.UnpricedByClass[k] = d.Cost.UnpricedByClass[k].plus(v)
		}
	}
	for _, p := range g.TopPeers {
		dg.TopPeers = append(dg.TopPeers, DocumentPeer{p.Prefix.String(), p.Service, ClassKey(p.Class), p.Bytes, p.Packets, p.Records, p.MaxError})
	}
	for _, p := range g.TopPorts {
		dg.TopPorts = append(dg.TopPorts, DocumentPort{p.Protocol, p.Port, p.Bytes, p.Packets, p.Records, p.MaxError})
	}
	return dg
}

// plus is u + v, field by field.
func (u DocumentUnpriced) plus(v DocumentUnpriced) DocumentUnpriced {
	return DocumentUnpriced{u.Bytes + v.Bytes, u.In + v.In, u.Out + v.Out, u.Unknown + v.Unknown}
}

// documentCost is g's cost c as the document gives it. A class is in
// ByClass when some of its bytes are priced, even at zero (free is not
// unpriced), and in UnpricedByClass when some are not.
func documentCost(g *attribution.Group, c pricing.Cost) *DocumentCost {
	d := &DocumentCost{Total: c.Total, ByClass: map[string]float64{}, UnpricedBytes: c.UnpricedBytes,
		UnpricedByClass: map[string]DocumentUnpriced{}}
	for i, v := range c.ByClass {
		k, u := ClassKey(attribution.PeerClass(i)), c.Unpriced[i]
		if g.ClassBytes[i] > u.Sum() {
			d.ByClass[k] = v
		}
		if u.Sum() > 0 {
			d.UnpricedByClass[k] = DocumentUnpriced{u.Sum(), u.In, u.Out, u.Unknown}
		}
	}
	return d
}

// modeName is a network mode as JSON and CSV give it: "" when unknown.
func modeName(m netmode.Mode) string {
	if m == netmode.ModeUnknown {
		return ""
	}
	return m.String()
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// WriteJSON writes the Document of r, indented, followed by a newline.
func WriteJSON(w io.Writer, r *attribution.Result, opts ...Option) error {
	o, err := prepare(opts)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(document(r, o))
}

// WriteJSONStream writes, byte for byte, what WriteJSON writes for the
// Result r with the groups groups yields in place of r.Groups (which must
// be empty), converting and writing each group while it is yielded (see
// WriteCSVStream): the document's groups come first, and what follows
// them (the priced total among it) is written once they are all read.
func WriteJSONStream(w io.Writer, r *attribution.Result, groups iter.Seq[*attribution.Group], opts ...Option) error {
	if len(r.Groups) > 0 {
		return errors.New("report: WriteJSONStream: the Result has groups of its own; give them to WriteJSON")
	}
	o, err := prepare(opts)
	if err != nil {
		return err
	}
	d := newDocument(r, o)
	bw := bufio.NewWriter(w)
	bw.WriteString("{\n  \"groups\": [")
	// One encoder and buffer for every group: the encoder keeps its
	// indenting buffer, so a group costs its DocumentGroup and little more.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	n := 0
	for g := range groups {
		buf.Reset()
		if err := enc.Encode(d.group(g, o)); err != nil {
			return err
		}
		b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		sep := ",\n    "
		if n++; n == 1 {
			sep = "\n    "
		}
		bw.WriteString(sep)
		if _, err := bw.Write(b); err != nil {
			return err // the writer failed: read no more groups
		}
	}
	if n > 0 {
		bw.WriteString("\n  ")
	}
	// The rest is the document's, indented as WriteJSON indents it, after
	// its empty groups.
	rest, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	const head = "{\n  \"groups\": ["
	if !bytes.HasPrefix(rest, []byte(head)) {
		return fmt.Errorf("report: WriteJSONStream: the document does not start with its groups: %.40q", rest)
	}
	bw.Write(rest[len(head):])
	bw.WriteString("\n")
	return bw.Flush()
}

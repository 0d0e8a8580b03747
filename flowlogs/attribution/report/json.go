package report

import (
	"encoding/json"
	"io"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
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
// container instance ARN or cluster ARN otherwise). Groups come heaviest
// first; reasons in a fixed order, only those with records. A group's bytes
// are bytes_in + bytes_out + bytes_unknown_direction (records without
// flow-direction where neither address was the task's; likewise packets),
// and the sums of the groups' and reasons' bytes, packets and records equal
// total. Fields will
// not be renamed or removed; decode it with this type. Fields added later
// are left out when zero (bytes_unknown_direction, packets_unknown_direction;
// overflow: counting stopped at a record that would
// have made a total pass 2^64-1, see attribution.OverflowError).
type Document struct {
	Groups       []DocumentGroup  `json:"groups"`
	Unattributed []DocumentReason `json:"unattributed"`
	Total        DocumentTotal    `json:"total"`
	Overflow     bool             `json:"overflow,omitempty"`
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
}

// DocumentReason is one unattributed reason of a Document.
type DocumentReason struct {
	Reason  string `json:"reason"`
	Bytes   uint64 `json:"bytes"`
	Packets uint64 `json:"packets"`
	Records uint64 `json:"records"`
}

// DocumentTotal is a Document's total.
type DocumentTotal struct {
	Bytes   uint64 `json:"bytes"`
	Packets uint64 `json:"packets"`
	Records uint64 `json:"records"`
}

// NewDocument converts a result to the JSON document.
func NewDocument(r *attribution.Result) Document {
	d := Document{Groups: []DocumentGroup{}, Unattributed: []DocumentReason{},
		Total: DocumentTotal{r.Total.Bytes, r.Total.Packets, r.Total.Records}, Overflow: r.Stats.Overflow}
	for _, g := range r.Groups {
		d.Groups = append(d.Groups, DocumentGroup{
			Key: g.Key, BytesIn: g.BytesIn, BytesOut: g.BytesOut, PacketsIn: g.PacketsIn, PacketsOut: g.PacketsOut,
			Records: g.Records, AcceptedBytes: g.AcceptedBytes, RejectedBytes: g.RejectedBytes,
			BytesUnknown: g.BytesUnknown, PacketsUnknown: g.PacketsUnknown,
		})
	}
	for _, u := range r.Unattributed {
		d.Unattributed = append(d.Unattributed, DocumentReason{u.Reason.String(), u.Bytes, u.Packets, u.Records})
	}
	return d
}

// WriteJSON writes the Document of r, indented, followed by a newline.
func WriteJSON(w io.Writer, r *attribution.Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewDocument(r))
}

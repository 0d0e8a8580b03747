package partials

import (
	"reflect"
	"strings"
	"time"
)

// SchemaVersion is the version of the table's columns and their meaning.
const SchemaVersion = 1

// MetadataKey is the Parquet key/value metadata key holding SchemaVersion.
const MetadataKey = "ecsnet.partials.schema_version"

// The row kinds.
const (
	// KindMeta is the one row of options, Total, Stats, First and Last.
	KindMeta = "meta"
	// KindMethod is Stats.ByMethod for one method (Method).
	KindMethod = "method"
	// KindUnattributed is one reason's totals (Reason, InterfacesBound).
	KindUnattributed = "unattributed"
	// KindInterface is one entry of a reason's interface summary.
	KindInterface = "interface"
	// KindTask is one task's counters, classes and identity.
	KindTask = "task"
	// KindPeer is one entry of a task's peer summary.
	KindPeer = "peer"
	// KindPort is one entry of a task's port summary.
	KindPort = "port"
	// KindPoint is one non-empty bucket of a task's time series.
	KindPoint = "point"
	// KindClass is a task's bytes to one peer class (PeerClass), by
	// direction: bytes_in, bytes_out, bytes_unknown and their sum, bytes.
	KindClass = "class"
)

// Row is one row of a partials file. Bytes, Packets and Records are the
// row's own totals for every kind (a task's: in + out + unknown); MaxError
// bounds the over-count of a summary entry's Bytes.
type Row struct {
	Kind string `parquet:"kind"`

	// Task dimensions: on task, peer, port and point rows.
	TaskARN              string `parquet:"task_arn"`
	ClusterARN           string `parquet:"cluster_arn"`
	Cluster              string `parquet:"cluster_name"` // not "cluster": the workers' output is partitioned by cluster=
	ServiceGroup         string `parquet:"service_group"`
	Family               string `parquet:"family"`
	ContainerInstanceARN string `parquet:"container_instance_arn"`
	EC2InstanceID        string `parquet:"ec2_instance_id"`

	// The rest of a task's identity: task rows only.
	TaskDefinitionARN string     `parquet:"task_definition_arn"`
	Revision          int64      `parquet:"revision"`
	LaunchType        string     `parquet:"launch_type"`
	NetworkMode       string     `parquet:"network_mode"`
	AvailabilityZone  string     `parquet:"availability_zone"`
	SubnetID          string     `parquet:"subnet_id"`
	ENI               string     `parquet:"eni"`
	IPv4              string     `parquet:"ipv4"`
	IPv6              string     `parquet:"ipv6"`
	LastStatus        string     `parquet:"last_status"`
	TaskVersion       int64      `parquet:"task_version"`
	ValidStart        *time.Time `parquet:"valid_start,optional,timestamp(microsecond)"`
	ValidEnd          *time.Time `parquet:"valid_end,optional,timestamp(microsecond)"`
	ECSFieldOnly      bool       `parquet:"ecs_field_only"`
	InstanceType      string     `parquet:"instance_type"`
	InstanceAZ        string     `parquet:"instance_availability_zone"`
	InstanceVersion   int64      `parquet:"instance_version"`

	// Counters: task rows (point and class rows: the bytes).
	BytesIn         int64 `parquet:"bytes_in"`
	BytesOut        int64 `parquet:"bytes_out"`
	BytesUnknown    int64 `parquet:"bytes_unknown"`
	PacketsIn       int64 `parquet:"packets_in"`
	PacketsOut      int64 `parquet:"packets_out"`
	PacketsUnknown  int64 `parquet:"packets_unknown"`
	AcceptedBytes   int64 `parquet:"accepted_bytes"`
	RejectedBytes   int64 `parquet:"rejected_bytes"`
	InferredBytes   int64 `parquet:"inferred_bytes"`
	InferredRecords int64 `parquet:"inferred_records"`
	// Summary bounds: the most a key not in the summary weighs (bytes).
	PeersBound      int64 `parquet:"peers_bound"`
	PortsBound      int64 `parquet:"ports_bound"`
	InterfacesBound int64 `parquet:"interfaces_bound"`

	// Summary entries.
	Peer        string `parquet:"peer"` // CIDR; "" when the record named none
	PeerService string `parquet:"peer_service"`
	PeerClass   string `parquet:"peer_class"` // attribution.PeerClass.String(): peer and class rows
	Protocol    int32  `parquet:"protocol"`
	Port        int32  `parquet:"port"`
	InterfaceID string `parquet:"interface_id"`
	Reason      string `parquet:"reason"` // attribution.Reason.String(): unattributed and interface rows
	Method      string `parquet:"method"` // attribution.Method.String(): method rows

	// Point rows: the bucket's start.
	BucketStart *time.Time `parquet:"bucket_start,optional,timestamp(millisecond)"`

	Bytes    int64 `parquet:"bytes"`
	Packets  int64 `parquet:"packets"`
	Records  int64 `parquet:"records"`
	MaxError int64 `parquet:"max_error"`

	// Meta row: the options (attribution.PartialConfig), Total (Bytes,
	// Packets, Records), First, Last and the other Stats.
	StepSeconds           int64      `parquet:"step_seconds"`
	PeersKept             int32      `parquet:"peers_kept"`
	PortsKept             int32      `parquet:"ports_kept"`
	InterfacesKept        int32      `parquet:"interfaces_kept"`
	PeerPrefixV4          int32      `parquet:"peer_prefix_v4"`
	PeerPrefixV6          int32      `parquet:"peer_prefix_v6"`
	NoPeers               bool       `parquet:"no_peers"`
	First                 *time.Time `parquet:"first,optional,timestamp(millisecond)"`
	Last                  *time.Time `parquet:"last,optional,timestamp(millisecond)"`
	ECSFieldDisagreements int64      `parquet:"ecs_field_disagreements"`
	ECSFieldOnlyRecords   int64      `parquet:"ecs_field_only_records"`
	DirectionUnknown      int64      `parquet:"direction_unknown"`
	SeriesDropped         int64      `parquet:"series_dropped"`
	SkipData              int64      `parquet:"skip_data"`
	Overflow              bool       `parquet:"overflow"`
}

// Columns returns the column names in file order.
func Columns() []string {
	t := reflect.TypeFor[Row]()
	out := make([]string, t.NumField())
	for i := range out {
		out[i], _, _ = strings.Cut(t.Field(i).Tag.Get("parquet"), ",")
	}
	return out
}

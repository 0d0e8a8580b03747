package partials

import (
	"reflect"
	"strings"
	"time"
)

// SchemaVersion is the version of the table's columns and their meaning.
const SchemaVersion = 4

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
	// KindInput is one of the flow-log objects the partial was made from
	// (attribution.Input: InputName, InputSince, InputUntil). The reduce
	// query refuses files whose inputs overlap, as Merge does.
	KindInput = "input"
)

// Row is one row of a partials file. Bytes, Packets and Records are the
// row's own totals for every kind (a task's: in + out + unknown); MaxError
// bounds the over-count of a summary entry's Bytes.
type Row struct {
	Kind string `parquet:"kind,dict"`

	// Task dimensions: on task, peer, port, class and point rows.
	TaskARN              string `parquet:"task_arn,dict"`
	ClusterARN           string `parquet:"cluster_arn,dict"`
	Cluster              string `parquet:"cluster_name,dict"` // not "cluster": the workers' output is partitioned by cluster=
	ServiceGroup         string `parquet:"service_group,dict"`
	Family               string `parquet:"family,dict"`
	ContainerInstanceARN string `parquet:"container_instance_arn,dict"`
	EC2InstanceID        string `parquet:"ec2_instance_id,dict"`

	// The rest of a task's identity: task rows only.
	TaskDefinitionARN string     `parquet:"task_definition_arn,dict"`
	Revision          int64      `parquet:"revision,delta"`
	LaunchType        string     `parquet:"launch_type,dict"`
	NetworkMode       string     `parquet:"network_mode,dict"`
	AvailabilityZone  string     `parquet:"availability_zone,dict"`
	SubnetID          string     `parquet:"subnet_id,dict"`
	ENI               string     `parquet:"eni,dict"`
	IPv4              string     `parquet:"ipv4,dict"`
	IPv6              string     `parquet:"ipv6,dict"`
	LastStatus        string     `parquet:"last_status,dict"`
	TaskVersion       int64      `parquet:"task_version,delta"`
	ValidStart        *time.Time `parquet:"valid_start,optional,timestamp(microsecond)"`
	ValidEnd          *time.Time `parquet:"valid_end,optional,timestamp(microsecond)"`
	ECSFieldOnly      bool       `parquet:"ecs_field_only"`
	// InstanceKnown says whether the task's container instance is known
	// (attribution.TaskPart.Instance is not nil): the instance columns
	// (ec2_instance_id and the three below) are set only then. A task
	// known only from records' ecs-* fields can name a container
	// instance (container_instance_arn) that no history describes.
	InstanceKnown   bool   `parquet:"instance_known"`
	InstanceType    string `parquet:"instance_type,dict"`
	InstanceAZ      string `parquet:"instance_availability_zone,dict"`
	InstanceVersion int64  `parquet:"instance_version,delta"`

	// Counters: task rows (point and class rows: the bytes).
	BytesIn         int64 `parquet:"bytes_in,delta"`
	BytesOut        int64 `parquet:"bytes_out,delta"`
	BytesUnknown    int64 `parquet:"bytes_unknown,delta"`
	PacketsIn       int64 `parquet:"packets_in,delta"`
	PacketsOut      int64 `parquet:"packets_out,delta"`
	PacketsUnknown  int64 `parquet:"packets_unknown,delta"`
	AcceptedBytes   int64 `parquet:"accepted_bytes,delta"`
	RejectedBytes   int64 `parquet:"rejected_bytes,delta"`
	InferredBytes   int64 `parquet:"inferred_bytes,delta"`
	InferredRecords int64 `parquet:"inferred_records,delta"`
	// Summary bounds: the most a key not in the summary weighs (bytes).
	PeersBound      int64 `parquet:"peers_bound,delta"`
	PortsBound      int64 `parquet:"ports_bound,delta"`
	InterfacesBound int64 `parquet:"interfaces_bound,delta"`

	// Summary entries.
	Peer        string `parquet:"peer,dict"` // CIDR; "" when the record named none
	PeerService string `parquet:"peer_service,dict"`
	PeerClass   string `parquet:"peer_class,dict"` // attribution.PeerClass.Key() ("same_az", …): peer and class rows
	Protocol    int32  `parquet:"protocol,delta"`
	Port        int32  `parquet:"port,delta"`
	InterfaceID string `parquet:"interface_id,dict"`
	Reason      string `parquet:"reason,dict"` // attribution.Reason.String(): unattributed and interface rows
	Method      string `parquet:"method,dict"` // attribution.Method.String(): method rows

	// Point rows: the bucket's start.
	BucketStart *time.Time `parquet:"bucket_start,optional,timestamp(millisecond)"`

	// Input rows: the object's name and the window of record starts read
	// from it, NULL for no bound (attribution.Input).
	InputName  string     `parquet:"input_name"`
	InputSince *time.Time `parquet:"input_since,optional,timestamp(millisecond)"`
	InputUntil *time.Time `parquet:"input_until,optional,timestamp(millisecond)"`

	Bytes    int64 `parquet:"bytes,delta"`
	Packets  int64 `parquet:"packets,delta"`
	Records  int64 `parquet:"records,delta"`
	MaxError int64 `parquet:"max_error,delta"`

	// Meta row: the options (attribution.PartialConfig), Total (Bytes,
	// Packets, Records), First, Last and the other Stats.
	StepSeconds      int64  `parquet:"step_seconds,delta"`
	PeersKept        int32  `parquet:"peers_kept,delta"`
	PortsKept        int32  `parquet:"ports_kept,delta"`
	InterfacesKept   int32  `parquet:"interfaces_kept,delta"`
	PeerPrefixV4     int32  `parquet:"peer_prefix_v4,delta"`
	PeerPrefixV6     int32  `parquet:"peer_prefix_v6,delta"`
	NoPeers          bool   `parquet:"no_peers"`
	NoIPFallback     bool   `parquet:"no_ip_fallback"`
	LateSlackSeconds int64  `parquet:"late_slack_seconds,delta"`
	Topology         string `parquet:"topology"` // attribution.TopologyDigest, "" without one
	// RuleVersion is attribution.RuleVersion of the code that wrote the
	// file (PartialConfig.RuleVersion): Merge and the reduce query refuse
	// to add up files of different versions; Read reads any.
	RuleVersion           int32      `parquet:"rule_version"`
	First                 *time.Time `parquet:"first,optional,timestamp(millisecond)"`
	Last                  *time.Time `parquet:"last,optional,timestamp(millisecond)"`
	ECSFieldDisagreements int64      `parquet:"ecs_field_disagreements,delta"`
	ECSFieldOnlyRecords   int64      `parquet:"ecs_field_only_records,delta"`
	DirectionUnknown      int64      `parquet:"direction_unknown,delta"`
	SeriesDropped         int64      `parquet:"series_dropped,delta"`
	SkipData              int64      `parquet:"skip_data,delta"`
	Overflow              bool       `parquet:"overflow"`
	// SchemaVersion again, in a column: SQL engines cannot read a Parquet
	// file's key/value metadata, and the reduce query (sqlattr.Reduce)
	// refuses the files of another version by it.
	SchemaVersion int32 `parquet:"schema_version"`
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

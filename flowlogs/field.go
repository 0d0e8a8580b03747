package flowlogs

import (
	"math/bits"
	"strings"
)

// Field identifies a flow-log field known to this package. Fields a Format
// names but this package does not know are [FieldUnknown]; their raw values
// stay reachable by name through [Record.Raw].
type Field uint8

// Known fields, grouped by the flow-log version that introduced them
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	FieldUnknown Field = iota

	// Version 2 (the default format).
	FieldVersion
	FieldAccountID
	FieldInterfaceID
	FieldSrcAddr
	FieldDstAddr
	FieldSrcPort
	FieldDstPort
	FieldProtocol
	FieldPackets
	FieldBytes
	FieldStart
	FieldEnd
	FieldAction
	FieldLogStatus

	// Version 3.
	FieldVPCID
	FieldSubnetID
	FieldInstanceID
	FieldTCPFlags
	FieldType
	FieldPktSrcAddr
	FieldPktDstAddr

	// Version 4.
	FieldRegion
	FieldAZID
	FieldSublocationType
	FieldSublocationID

	// Version 5.
	FieldPktSrcAWSService
	FieldPktDstAWSService
	FieldFlowDirection
	FieldTrafficPath

	// Version 6: Transit Gateway flow logs only.
	FieldResourceType
	FieldTGWID
	FieldTGWAttachmentID
	FieldTGWSrcVPCAccountID
	FieldTGWDstVPCAccountID
	FieldTGWSrcVPCID
	FieldTGWDstVPCID
	FieldTGWSrcSubnetID
	FieldTGWDstSubnetID
	FieldTGWSrcENI
	FieldTGWDstENI
	FieldTGWSrcAZID
	FieldTGWDstAZID
	FieldTGWPairAttachmentID
	FieldPacketsLostNoRoute
	FieldPacketsLostBlackhole
	FieldPacketsLostMTUExceeded
	FieldPacketsLostTTLExpired

	// Version 7: Amazon ECS.
	FieldECSClusterARN
	FieldECSClusterName
	FieldECSContainerInstanceARN
	FieldECSContainerInstanceID
	FieldECSContainerID
	FieldECSSecondContainerID
	FieldECSServiceName
	FieldECSTaskDefinitionARN
	FieldECSTaskARN
	FieldECSTaskID

	// Versions 8 to 10.
	FieldRejectReason
	FieldResourceID
	FieldEncryptionStatus

	// Version 11.
	FieldInstanceTag
	FieldInstanceTag2
	FieldInterfaceTag
	FieldInterfaceTag2
	FieldASGTag
	FieldASGTag2
	FieldInterfaceType
	FieldNextHopInterfaceID
	FieldNextHopSubnetID
	FieldNextHopAZID
	FieldNextHopVPCID
	FieldNextHopInterfaceType

	numFields
)

type fieldInfo struct {
	name    string // AWS spelling, as in LogFormat and the S3 header
	version uint8
	kind    kind
}

// kind says how a field's text is decoded into a Record.
type kind uint8

const (
	kindString kind = iota
	kindInt         // int64 counter or number
	kindAddr
	kindPort
	kindProto
	kindTime
	kindAction
	kindStatus
	kindTCPFlags
	kindType
	kindDirection
	kindTrafficPath
	kindEncryption
	kindVersion
)

var fieldInfos = [numFields]fieldInfo{
	FieldUnknown:                 {"", 0, kindString},
	FieldVersion:                 {"version", 2, kindVersion},
	FieldAccountID:               {"account-id", 2, kindString},
	FieldInterfaceID:             {"interface-id", 2, kindString},
	FieldSrcAddr:                 {"srcaddr", 2, kindAddr},
	FieldDstAddr:                 {"dstaddr", 2, kindAddr},
	FieldSrcPort:                 {"srcport", 2, kindPort},
	FieldDstPort:                 {"dstport", 2, kindPort},
	FieldProtocol:                {"protocol", 2, kindProto},
	FieldPackets:                 {"packets", 2, kindInt},
	FieldBytes:                   {"bytes", 2, kindInt},
	FieldStart:                   {"start", 2, kindTime},
	FieldEnd:                     {"end", 2, kindTime},
	FieldAction:                  {"action", 2, kindAction},
	FieldLogStatus:               {"log-status", 2, kindStatus},
	FieldVPCID:                   {"vpc-id", 3, kindString},
	FieldSubnetID:                {"subnet-id", 3, kindString},
	FieldInstanceID:              {"instance-id", 3, kindString},
	FieldTCPFlags:                {"tcp-flags", 3, kindTCPFlags},
	FieldType:                    {"type", 3, kindType},
	FieldPktSrcAddr:              {"pkt-srcaddr", 3, kindAddr},
	FieldPktDstAddr:              {"pkt-dstaddr", 3, kindAddr},
	FieldRegion:                  {"region", 4, kindString},
	FieldAZID:                    {"az-id", 4, kindString},
	FieldSublocationType:         {"sublocation-type", 4, kindString},
	FieldSublocationID:           {"sublocation-id", 4, kindString},
	FieldPktSrcAWSService:        {"pkt-src-aws-service", 5, kindString},
	FieldPktDstAWSService:        {"pkt-dst-aws-service", 5, kindString},
	FieldFlowDirection:           {"flow-direction", 5, kindDirection},
	FieldTrafficPath:             {"traffic-path", 5, kindTrafficPath},
	FieldResourceType:            {"resource-type", 6, kindString},
	FieldTGWID:                   {"tgw-id", 6, kindString},
	FieldTGWAttachmentID:         {"tgw-attachment-id", 6, kindString},
	FieldTGWSrcVPCAccountID:      {"tgw-src-vpc-account-id", 6, kindString},
	FieldTGWDstVPCAccountID:      {"tgw-dst-vpc-account-id", 6, kindString},
	FieldTGWSrcVPCID:             {"tgw-src-vpc-id", 6, kindString},
	FieldTGWDstVPCID:             {"tgw-dst-vpc-id", 6, kindString},
	FieldTGWSrcSubnetID:          {"tgw-src-subnet-id", 6, kindString},
	FieldTGWDstSubnetID:          {"tgw-dst-subnet-id", 6, kindString},
	FieldTGWSrcENI:               {"tgw-src-eni", 6, kindString},
	FieldTGWDstENI:               {"tgw-dst-eni", 6, kindString},
	FieldTGWSrcAZID:              {"tgw-src-az-id", 6, kindString},
	FieldTGWDstAZID:              {"tgw-dst-az-id", 6, kindString},
	FieldTGWPairAttachmentID:     {"tgw-pair-attachment-id", 6, kindString},
	FieldPacketsLostNoRoute:      {"packets-lost-no-route", 6, kindInt},
	FieldPacketsLostBlackhole:    {"packets-lost-blackhole", 6, kindInt},
	FieldPacketsLostMTUExceeded:  {"packets-lost-mtu-exceeded", 6, kindInt},
	FieldPacketsLostTTLExpired:   {"packets-lost-ttl-expired", 6, kindInt},
	FieldECSClusterARN:           {"ecs-cluster-arn", 7, kindString},
	FieldECSClusterName:          {"ecs-cluster-name", 7, kindString},
	FieldECSContainerInstanceARN: {"ecs-container-instance-arn", 7, kindString},
	FieldECSContainerInstanceID:  {"ecs-container-instance-id", 7, kindString},
	FieldECSContainerID:          {"ecs-container-id", 7, kindString},
	FieldECSSecondContainerID:    {"ecs-second-container-id", 7, kindString},
	FieldECSServiceName:          {"ecs-service-name", 7, kindString},
	FieldECSTaskDefinitionARN:    {"ecs-task-definition-arn", 7, kindString},
	FieldECSTaskARN:              {"ecs-task-arn", 7, kindString},
	FieldECSTaskID:               {"ecs-task-id", 7, kindString},
	FieldRejectReason:            {"reject-reason", 8, kindString},
	FieldResourceID:              {"resource-id", 9, kindString},
	FieldEncryptionStatus:        {"encryption-status", 10, kindEncryption},
	FieldInstanceTag:             {"instance-tag", 11, kindString},
	FieldInstanceTag2:            {"instance-tag-2", 11, kindString},
	FieldInterfaceTag:            {"interface-tag", 11, kindString},
	FieldInterfaceTag2:           {"interface-tag-2", 11, kindString},
	FieldASGTag:                  {"asg-tag", 11, kindString},
	FieldASGTag2:                 {"asg-tag-2", 11, kindString},
	FieldInterfaceType:           {"interface-type", 11, kindString},
	FieldNextHopInterfaceID:      {"next-hop-interface-id", 11, kindString},
	FieldNextHopSubnetID:         {"next-hop-subnet-id", 11, kindString},
	FieldNextHopAZID:             {"next-hop-az-id", 11, kindString},
	FieldNextHopVPCID:            {"next-hop-vpc-id", 11, kindString},
	FieldNextHopInterfaceType:    {"next-hop-interface-type", 11, kindString},
}

// fieldByKey maps a normalised name (lower case, without '-' and '_') to
// its Field, so "interface-id", "interface_id" (Athena) and "interfaceId"
// (CloudWatch Logs Insights) all name the same field.
var fieldByKey = func() map[string]Field {
	m := make(map[string]Field, numFields)
	for f := Field(1); f < numFields; f++ {
		m[normName(fieldInfos[f].name)] = f
	}
	return m
}()

// insightsNames are the two fields Logs Insights names otherwise, by
// normName: its discovered fields for flow logs include startTime and
// endTime for start and end (CWL_AnalyzeLogData-discoverable-fields), and
// a table exported from it keeps those names (Athena and Glue lower-case
// them: starttime). A format that has start (end) itself keeps such a
// column as one of its own (newFormat): a table's start_time beside start.
var insightsNames = map[string]Field{"starttime": FieldStart, "endtime": FieldEnd}

// lookupName is LookupField, telling whether name was one of
// insightsNames.
func lookupName(name string) (f Field, alias bool) {
	key := normName(name)
	if f, ok := fieldByKey[key]; ok {
		return f, false
	}
	if f, ok := insightsNames[key]; ok {
		return f, true
	}
	return FieldUnknown, false
}

func normName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == '_':
			return -1
		case 'A' <= r && r <= 'Z':
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// LookupField returns the Field with the given name. It accepts AWS's
// hyphenated spelling ("interface-id"), the underscore spelling of Athena
// and Vector ("interface_id") and the camelCase of CloudWatch Logs Insights
// ("interfaceId", and its "startTime" and "endTime" for start and end).
// Unknown names report false.
func LookupField(name string) (Field, bool) {
	f, _ := lookupName(name)
	return f, f != FieldUnknown
}

// String returns the field's AWS name, such as "interface-id".
func (f Field) String() string {
	if f == FieldUnknown || f >= numFields {
		return "unknown"
	}
	return fieldInfos[f].name
}

// Version returns the flow-log version that introduced the field (2–11),
// or 0 for FieldUnknown.
func (f Field) Version() int {
	if f >= numFields {
		return 0
	}
	return int(fieldInfos[f].version)
}

// FieldSet is a set of Fields. Its zero value is empty. A Record's Present
// set says which fields carried a value (not "-"); a FieldSet given to
// [WithFields] selects the fields a Reader decodes.
type FieldSet [2]uint64

// Fields returns a FieldSet holding fs.
func Fields(fs ...Field) FieldSet {
	var s FieldSet
	for _, f := range fs {
		s.Add(f)
	}
	return s
}

// AllFields returns the set of every known field.
func AllFields() FieldSet {
	var s FieldSet
	for f := Field(1); f < numFields; f++ {
		s.Add(f)
	}
	return s
}

// Has reports whether f is in the set.
func (s FieldSet) Has(f Field) bool { return f < numFields && s[f>>6]&(1<<(f&63)) != 0 }

// Add adds f to the set.
func (s *FieldSet) Add(f Field) {
	if f < numFields {
		s[f>>6] |= 1 << (f & 63)
	}
}

// Remove removes f from the set.
func (s *FieldSet) Remove(f Field) {
	if f < numFields {
		s[f>>6] &^= 1 << (f & 63)
	}
}

// Union returns s ∪ t.
func (s FieldSet) Union(t FieldSet) FieldSet { return FieldSet{s[0] | t[0], s[1] | t[1]} }

// Len returns the number of fields in the set.
func (s FieldSet) Len() int { return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) }

// IsEmpty reports whether the set is empty.
func (s FieldSet) IsEmpty() bool { return s[0]|s[1] == 0 }

// String lists the set's field names separated by spaces.
func (s FieldSet) String() string {
	var b strings.Builder
	for f := Field(1); f < numFields; f++ {
		if s.Has(f) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(f.String())
		}
	}
	return b.String()
}

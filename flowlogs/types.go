package flowlogs

import (
	"strconv"
	"strings"
)

// Action is the action field: whether security groups and network ACLs
// accepted or rejected the traffic. The zero value means "-", as on
// NODATA and SKIPDATA records.
type Action uint8

// Actions.
const (
	ActionNone   Action = iota // "-"
	ActionAccept               // ACCEPT
	ActionReject               // REJECT
)

func (a Action) String() string {
	switch a {
	case ActionAccept:
		return "ACCEPT"
	case ActionReject:
		return "REJECT"
	}
	return "-"
}

// LogStatus is the log-status field. The zero value means "-".
type LogStatus uint8

// Log statuses.
const (
	StatusNone LogStatus = iota // "-"
	// StatusOK: data is logging normally.
	StatusOK
	// StatusNoData: no traffic to or from the interface in the interval.
	StatusNoData
	// StatusSkipData: some records were skipped in the interval (internal
	// capacity or error). One SKIPDATA record can stand for many lost
	// flows, so any total over a scope that holds one is a lower bound.
	StatusSkipData
)

func (s LogStatus) String() string {
	switch s {
	case StatusOK:
		return "OK"
	case StatusNoData:
		return "NODATA"
	case StatusSkipData:
		return "SKIPDATA"
	}
	return "-"
}

// FlowDirection is the flow-direction field (v5), relative to the
// interface that recorded the flow. The zero value means "-".
type FlowDirection uint8

// Flow directions.
const (
	DirectionNone FlowDirection = iota
	DirectionIngress
	DirectionEgress
)

func (d FlowDirection) String() string {
	switch d {
	case DirectionIngress:
		return "ingress"
	case DirectionEgress:
		return "egress"
	}
	return "-"
}

// TrafficPath is the traffic-path field (v5): the path egress traffic took
// to its destination, codes 1–8 as documented by AWS. The zero value means
// "-" (ingress traffic, or no code applies). Codes this package does not
// know are kept as numbers.
type TrafficPath uint8

// Traffic paths (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html).
const (
	PathNone                  TrafficPath = iota
	PathSameVPC                           // 1: another resource in the same VPC
	PathInternetGateway                   // 2: internet gateway or gateway VPC endpoint
	PathVirtualPrivateGateway             // 3
	PathIntraRegionPeering                // 4
	PathInterRegionPeering                // 5
	PathLocalGateway                      // 6
	PathGatewayEndpoint                   // 7: gateway VPC endpoint (Nitro only)
	PathInternetGatewayNitro              // 8: internet gateway (Nitro only)
)

var pathNames = [...]string{"-", "same-vpc", "internet-gateway", "virtual-private-gateway",
	"intra-region-peering", "inter-region-peering", "local-gateway", "gateway-endpoint", "internet-gateway-nitro"}

// String returns a short name such as "internet-gateway", or the number
// for codes this package does not know.
func (p TrafficPath) String() string {
	if int(p) < len(pathNames) {
		return pathNames[p]
	}
	return strconv.Itoa(int(p))
}

// Type is the type field (v3): the traffic's IP family or EFA. The zero
// value means "-".
type Type uint8

// Traffic types.
const (
	TypeNone Type = iota
	TypeIPv4
	TypeIPv6
	TypeEFA
)

func (t Type) String() string {
	switch t {
	case TypeIPv4:
		return "IPv4"
	case TypeIPv6:
		return "IPv6"
	case TypeEFA:
		return "EFA"
	}
	return "-"
}

// TCPFlags is the tcp-flags field (v3): the OR of the TCP flags seen during
// the aggregation interval. AWS reports only FIN, SYN, RST and SYN-ACK
// (ACK or PSH alone give 0), so a short connection opened and closed in one
// interval shows SYN|FIN (3) on the initiator's line and SYN|ACK|FIN (19)
// on the responder's. PSH and URG are decoded defensively.
type TCPFlags uint8

// TCP flag bits.
const (
	FlagFIN TCPFlags = 1 << iota
	FlagSYN
	FlagRST
	FlagPSH
	FlagACK
	FlagURG
	FlagECE
	FlagCWR
)

// Has reports whether all bits of g are set.
func (f TCPFlags) Has(g TCPFlags) bool { return f&g == g }

// SYNACK reports whether the flags carry SYN-ACK (18), which marks the
// responder of a connection; SYN without ACK marks the initiator.
func (f TCPFlags) SYNACK() bool { return f.Has(FlagSYN | FlagACK) }

var flagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}

// String lists the set flags joined by "|", such as "SYN|ACK|FIN" ordered
// SYN, ACK, FIN, RST, PSH, URG, ECE, CWR; "0" when none is set.
func (f TCPFlags) String() string {
	if f == 0 {
		return "0"
	}
	var b strings.Builder
	for _, bit := range [...]uint{1, 4, 0, 2, 3, 5, 6, 7} {
		if f&(1<<bit) != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(flagNames[bit])
		}
	}
	return b.String()
}

// EncryptionStatus is the encryption-status field (v10, VPC Encryption
// Controls). Whether it was present is in Record.Present.
type EncryptionStatus uint8

// Encryption statuses.
const (
	EncryptionNone        EncryptionStatus = 0 // not encrypted
	EncryptionNitro       EncryptionStatus = 1 // Nitro-encrypted
	EncryptionApplication EncryptionStatus = 2 // application-encrypted (inferred)
	EncryptionBoth        EncryptionStatus = 3 // Nitro- and application-encrypted
)

func (e EncryptionStatus) String() string {
	switch e {
	case EncryptionNone:
		return "not-encrypted"
	case EncryptionNitro:
		return "nitro"
	case EncryptionApplication:
		return "application"
	case EncryptionBoth:
		return "nitro+application"
	}
	return strconv.Itoa(int(e))
}

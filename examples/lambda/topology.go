package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
)

// topologyCache is the EC2 topology (subnets, VPCs, load balancer nodes)
// read from S3, cached across the invocations of a warm container (see
// objectCache).
type topologyCache = objectCache[attribution.Topology]

// newTopologyCache caches the topology of s3://bucket/key: saved
// `aws ec2 describe-subnets` output, `aws ec2 describe-vpcs` output, or
// one document holding both (`jq -s add subnets.json vpcs.json`), and
// `aws ec2 describe-network-interfaces` output with them for the
// Application and Classic Load Balancer nodes (`jq -s add subnets.json
// vpcs.json enis.json`).
func newTopologyCache(client objectAPI, bucket, key string) *topologyCache {
	return newObjectCache(client, "topology", bucket, key, readTopology)
}

// maxTopologyBytes bounds the topology file read into memory (it is read
// whole): describe-subnets output takes about 500 bytes a subnet, so this
// is some hundred thousand subnets. A file past it is a wrong key, and
// refusing it names the object where running out of memory would not.
// A variable for tests.
var maxTopologyBytes int64 = 64 << 20

// readTopology reads the topology with ec2topology.Read, whose errors give
// the line, column and member path of a bad value (and which refuses
// another document, a describe-instances output, say), and refuses a
// document with no subnets or VPCs: peers would classify as unknown
// without a word; load balancer interfaces alone are no topology either
// (put them in one document with the subnets). It logs what it read and
// the digest the partials record, which attribute -merge names when it
// refuses partials of another topology.
func readTopology(body io.Reader, size int64, name string) (attribution.Topology, error) {
	if size > maxTopologyBytes {
		return attribution.Topology{}, fmt.Errorf("topology %s: %d bytes, more than the %d this worker reads into memory", name, size, maxTopologyBytes)
	}
	t, err := ec2topology.Read(body, name) // If-Match pinned it to the size checked
	if err != nil {
		return attribution.Topology{}, fmt.Errorf("topology: %w", err)
	}
	if len(t.Subnets) == 0 && len(t.VPCs) == 0 {
		return attribution.Topology{}, fmt.Errorf("topology %s: no subnets or VPCs (want aws ec2 describe-subnets or describe-vpcs output)", name)
	}
	ids := map[string]bool{}
	for _, s := range t.Subnets {
		ids[s.ID] = true
	}
	digest := attribution.TopologyDigest(t.Topology)
	logger.Info(fmt.Sprintf("topology %s: %d subnets (%d CIDR blocks), %d VPCs, %d load balancer node addresses, digest %s",
		name, len(ids), len(t.Subnets), len(t.VPCs), len(t.LoadBalancers), digest), slog.String("topology_digest", digest))
	return t.Topology, nil
}

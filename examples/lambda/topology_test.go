package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

const topologyKey = "network/topology.json"

// sampleNetworkFiles are the attribute sample's saved EC2 outputs, as
// attribute -network is given them.
var sampleNetworkFiles = []string{"describe-subnets.json", "describe-vpcs.json", "describe-network-interfaces.json"}

func readSampleNetwork(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sampleDir, "network", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleTopologyDoc is the sample's outputs in one document, as `jq -s add
// describe-subnets.json describe-vpcs.json describe-network-interfaces.json`
// makes it.
func sampleTopologyDoc(t testing.TB) []byte {
	t.Helper()
	doc := map[string]json.RawMessage{}
	for _, f := range sampleNetworkFiles {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(readSampleNetwork(t, f), &m); err != nil {
			t.Fatal(err)
		}
		maps.Copy(doc, m)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// attributeTopology is the sample's topology as examples/attribute's
// -network reads its files: each with ec2topology.Read, then
// ec2topology.Merge.
func attributeTopology(t testing.TB) attribution.Topology {
	t.Helper()
	var topo ec2topology.Topology
	for _, f := range sampleNetworkFiles {
		more, err := ec2topology.Read(bytes.NewReader(readSampleNetwork(t, f)), f)
		if err != nil {
			t.Fatal(err)
		}
		if topo, err = ec2topology.Merge(topo, more); err != nil {
			t.Fatal(err)
		}
	}
	if len(topo.Subnets) == 0 || len(topo.VPCs) == 0 {
		t.Fatalf("sample topology: %d subnets, %d VPCs", len(topo.Subnets), len(topo.VPCs))
	}
	return topo.Topology
}

// captureLog sends the log's messages, a line each, to a buffer for the
// test's duration.
func captureLog(t *testing.T) *logBuffer {
	b := &logBuffer{}
	old := logger
	logger = slog.New(b)
	t.Cleanup(func() { logger = old })
	return b
}

// logBuffer is a slog.Handler that keeps the messages, a line each.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *logBuffer) Enabled(context.Context, slog.Level) bool { return true }
func (b *logBuffer) WithAttrs([]slog.Attr) slog.Handler       { return b }
func (b *logBuffer) WithGroup(string) slog.Handler            { return b }

func (b *logBuffer) Handle(_ context.Context, r slog.Record) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.WriteString(r.Message + "\n")
	return nil
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *logBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.Reset()
}

// replaceOnHead replaces the object in the fake S3 right after the next
// HeadObject answers: the GetObject that follows, pinned to the ETag the
// HEAD saw, finds another version.
type replaceOnHead struct {
	objectAPI
	f        *fakeaws.S3
	bucket   string
	key      string
	body     []byte // what to put; nil once done
	replaced int    // how many times it did
}

func (r *replaceOnHead) HeadObject(ctx context.Context, in *s3.HeadObjectInput, o ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	out, err := r.objectAPI.HeadObject(ctx, in, o...)
	if err == nil && r.body != nil {
		r.f.PutObject(r.bucket, r.key, r.body)
		r.body = nil
		r.replaced++
	}
	return out, err
}

// TestTopologyCache: the topology is read once per warm container
// through throttling and 5xx, one HeadObject a Get, logged once per load
// with the digest attribute's own reading of the files gives; read again
// when its ETag changes, and once more when it changes between HEAD and
// GET.
func TestTopologyCache(t *testing.T) {
	logged := captureLog(t)
	e := newEnv(t)
	e.f.PutObject(stateBucket, topologyKey, sampleTopologyDoc(t))
	e.f.Allow("s3:GetObject") // HeadObject and GetObject: the only action the cache needs
	e.f.SetFaults(fakeaws.Faults{ThrottleEvery: 2, ServerErrorEvery: 3, DropEvery: 5})
	c := &counting{objectAPI: e.c}
	tc := newTopologyCache(c, stateBucket, topologyKey)
	ctx := context.Background()
	digest := attribution.TopologyDigest(attributeTopology(t))
	for range 6 {
		topo, err := tc.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if d := attribution.TopologyDigest(topo); d != digest {
			t.Fatalf("digest %s, want %s (attribute -network of the three files)", d, digest)
		}
	}
	if c.heads != 6 || c.gets != 1 || tc.loads != 1 {
		t.Fatalf("6 invocations: %d HeadObject, %d GetObject, %d loads; want 6, 1, 1", c.heads, c.gets, tc.loads)
	}
	if e.f.Faulted()["s3:GetObject"] == 0 {
		t.Fatalf("faults not exercised: %v", e.f.Faulted())
	}
	want := fmt.Sprintf("topology s3://%s/%s: 2 subnets (2 CIDR blocks), 2 VPCs, 2 load balancer node addresses, digest %s\n", stateBucket, topologyKey, digest)
	if got := logged.String(); got != want {
		t.Fatalf("log %q, want %q once", got, want)
	}

	// describe-subnets output alone: another ETag, another read.
	e.f.PutObject(stateBucket, topologyKey, readSampleNetwork(t, "describe-subnets.json"))
	topo, err := tc.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Subnets) != 2 || len(topo.VPCs) != 0 || tc.loads != 2 || c.gets != 2 {
		t.Fatalf("changed topology: %d subnets, %d VPCs, loads %d, gets %d", len(topo.Subnets), len(topo.VPCs), tc.loads, c.gets)
	}
	if n := strings.Count(logged.String(), "digest "); n != 2 || !strings.Contains(logged.String(), "2 subnets (2 CIDR blocks), 0 VPCs, 0 load balancer node addresses, digest "+attribution.TopologyDigest(topo)) {
		t.Fatalf("log after the change:\n%s", logged)
	}

	// Replaced between HEAD and GET: GetObject's If-Match fails (412) and
	// Get reads the new version, not the old under the new ETag.
	e.f.SetFaults(fakeaws.Faults{})
	r := &replaceOnHead{objectAPI: e.c, f: e.f, bucket: stateBucket, key: topologyKey, body: readSampleNetwork(t, "describe-vpcs.json")}
	tc.client = r
	e.f.PutObject(stateBucket, topologyKey, sampleTopologyDoc(t))
	topo, err = tc.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.replaced != 1 || len(topo.Subnets) != 0 || len(topo.VPCs) != 2 || tc.loads != 3 {
		t.Fatalf("replaced between HEAD and GET: %d subnets, %d VPCs, loads %d; want the VPCs only, read once more", len(topo.Subnets), len(topo.VPCs), tc.loads)
	}
}

// TestTopologyRefused: a topology file that is not one (bad JSON, another
// document, no subnets or VPCs, a bad CIDR, too large) or is not there is
// an error naming the object, and the worker writes nothing for the
// objects it is given until the file is fixed.
func TestTopologyRefused(t *testing.T) {
	captureLog(t)
	e := newEnv(t)
	ctx := context.Background()
	where := "s3://" + stateBucket + "/" + topologyKey
	tc := newTopologyCache(e.c, stateBucket, topologyKey)
	if _, err := tc.Get(ctx); err == nil || !strings.Contains(err.Error(), where) {
		t.Errorf("no topology file: %v, want an error naming %s", err, where)
	}
	for _, c := range []struct{ body, want string }{
		{"", where},
		{"{not json", where},
		{"{}", where + ": no Subnets, Vpcs or NetworkInterfaces member"},
		{`{"Subnets": [], "Vpcs": []}`, where + ": no subnets or VPCs"},
		{`{"Reservations": [{"Instances": []}]}`, where + ": no Subnets, Vpcs or NetworkInterfaces member"}, // describe-instances
		{`{"Subnets": [{"SubnetId": "subnet-x", "CidrBlock": "10.0.0.0/33"}]}`, where + ": line 1, column 14: bad CIDR in Subnets[0] (subnet-x)"},
	} {
		e.f.PutObject(stateBucket, topologyKey, []byte(c.body))
		if topo, err := tc.Get(ctx); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("topology %q: %d subnets, error %v; want an error with %q", c.body, len(topo.Subnets), err, c.want)
		}
	}
	defer func(n int64) { maxTopologyBytes = n }(maxTopologyBytes)
	maxTopologyBytes = 100
	e.f.PutObject(stateBucket, topologyKey, sampleTopologyDoc(t))
	if _, err := tc.Get(ctx); err == nil || !strings.Contains(err.Error(), where) || !strings.Contains(err.Error(), "more than the 100") {
		t.Errorf("a topology over the bound: %v", err)
	}
	maxTopologyBytes = 64 << 20
	if tc.loads != 0 {
		t.Errorf("%d loads of files refused", tc.loads)
	}

	// Through the worker: the event fails (to be retried), naming the file.
	e.f.PutObject(stateBucket, topologyKey, []byte(`{"Subnets": []}`))
	e.w.topology = newTopologyCache(e.api, stateBucket, topologyKey)
	o := e.objs[0]
	event := s3EventJSON(s3Record(logBucket, o.key, o.etag, len(o.body)))
	if _, err := e.w.handle(ctx, event); err == nil || !strings.Contains(err.Error(), where) {
		t.Fatalf("an event with an empty topology: %v, want an error naming %s", err, where)
	}
	if got := e.outputs(t); len(got) != 0 {
		t.Fatalf("%d partials written without the topology", len(got))
	}
	e.f.PutObject(stateBucket, topologyKey, sampleTopologyDoc(t))
	if _, err := e.w.handle(ctx, event); err != nil {
		t.Fatalf("the retry, the topology fixed: %v", err)
	}
	if got := e.outputs(t); len(got) != 1 {
		t.Fatalf("%d partials after the retry, want 1", len(got))
	}
}

// classBytes sums the partials' bytes by peer class.
func classBytes(t *testing.T, outputs map[string]string) (sum map[attribution.PeerClass]uint64, ps []*attribution.Partial) {
	t.Helper()
	sum = map[attribution.PeerClass]uint64{}
	for key, body := range outputs {
		p, err := partials.Read(strings.NewReader(body), int64(len(body)), key)
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range p.Tasks {
			for i, b := range tp.ClassBytes {
				sum[attribution.PeerClass(i)] += b
			}
		}
		ps = append(ps, p)
	}
	return sum, ps
}

// TestTopologyPartial: with TOPOLOGY_KEY, every partial is the object
// attributed in memory with the topology attribute -network reads from
// the sample files, records that topology's digest, classifies by AZ
// bytes that are unknown without it, and the partials merge to one run
// with the topology; a partial with and one without do not merge. The
// topology is read once over every invocation.
func TestTopologyPartial(t *testing.T) {
	logged := captureLog(t)
	e := newEnv(t)
	topo := attributeTopology(t)
	digest := attribution.TopologyDigest(topo)
	e.f.PutObject(stateBucket, topologyKey, sampleTopologyDoc(t))
	e.w.topology = newTopologyCache(e.api, stateBucket, topologyKey)
	want := e.want(t, attribution.WithTopology(topo))
	without := e.want(t)
	e.deliver(t, "s3", seq(len(e.objs)))
	if acts := e.f.Actions(); !slices.Equal(acts, []string{"s3:GetObject", "s3:PutObject"}) {
		t.Fatalf("S3 actions used %q, want s3:GetObject and s3:PutObject only", acts)
	}
	got := e.outputs(t)
	if !maps.Equal(got, want) {
		t.Fatalf("outputs differ from the objects attributed with the topology: got keys %q, want %q", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	if e.w.topology.loads != 1 || strings.Count(logged.String(), "digest "+digest) != 1 {
		t.Fatalf("topology read %d times over %d invocations, want once; log:\n%s", e.w.topology.loads, len(e.objs), logged)
	}
	with, ps := classBytes(t, got)
	for _, p := range ps {
		if p.Config.Topology != digest {
			t.Fatalf("partial's topology %q, want %q", p.Config.Topology, digest)
		}
	}
	less, qs := classBytes(t, without)
	if qs[0].Config.Topology != "" {
		t.Fatalf("a partial without a topology records %q", qs[0].Config.Topology)
	}
	az := func(s map[attribution.PeerClass]uint64) uint64 {
		return s[attribution.PeerSameAZ] + s[attribution.PeerCrossAZ]
	}
	if az(with) <= az(less) || with[attribution.PeerUnknown] >= less[attribution.PeerUnknown] {
		t.Fatalf("same-AZ + cross-AZ bytes %d with the topology, %d without; unknown %d with, %d without: want more classified by AZ, fewer unknown",
			az(with), az(less), with[attribution.PeerUnknown], less[attribution.PeerUnknown])
	}
	t.Logf("same AZ %d, cross-AZ %d, other VPC %d, unknown %d bytes (without: %d, %d, %d, %d)",
		with[attribution.PeerSameAZ], with[attribution.PeerCrossAZ], with[attribution.PeerOtherVPC], with[attribution.PeerUnknown],
		less[attribution.PeerSameAZ], less[attribution.PeerCrossAZ], less[attribution.PeerOtherVPC], less[attribution.PeerUnknown])
	checkMergeIsWhole(t, got, attribution.WithTopology(topo))
	if _, err := attribution.Merge(ps[0], qs[1]); err == nil || !strings.Contains(err.Error(), "topology") {
		t.Fatalf("a partial with the topology merged with one without: %v", err)
	}
}

// TestTopologyMergesWithAttribute: the worker's partials of half the
// sample objects and, for the other half, partials made as
// examples/attribute -network FILES -partial makes them (its options: 5-minute
// buckets, the IP fallback, the topology of the sample files) merge, and
// report what one run with the topology reports. examples/attribute is a
// command, so its code path is rebuilt here from the same library calls
// rather than imported or run.
func TestTopologyMergesWithAttribute(t *testing.T) {
	captureLog(t)
	e := newEnv(t)
	topo := attributeTopology(t)
	e.f.PutObject(stateBucket, topologyKey, sampleTopologyDoc(t))
	e.w.topology = newTopologyCache(e.api, stateBucket, topologyKey)
	half := len(e.objs) / 2
	e.deliver(t, "s3", seq(half))
	outputs := e.outputs(t)
	if len(outputs) != half {
		t.Fatalf("%d partials, want %d", len(outputs), half)
	}
	b := history.NewBuilder()
	if _, err := b.Load(bytes.NewReader(sampleHistory(t)), "history"); err != nil {
		t.Fatal(err)
	}
	for _, o := range e.objs[half:] {
		a := attribution.New(b.Index(), attribution.WithStep(5*time.Minute), attribution.WithTopology(topo))
		file := filepath.Join(sampleDir, "flowlogs", filepath.FromSlash(strings.TrimPrefix(o.key, keyPrefix)))
		if err := a.AddAll(source.Records(context.Background(), source.Files{file})); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := partials.Write(&buf, a.Partial()); err != nil {
			t.Fatal(err)
		}
		outputs["attribute/"+o.key] = buf.String()
	}
	checkMergeIsWhole(t, outputs, attribution.WithTopology(topo))
}

package attribution

import "time"

// Option configures an Attributor.
type Option func(*config)

type config struct {
	step       time.Duration
	peersKept  int
	portsKept  int
	ifacesKept int
	maxBuckets int
	ecsTasks   int
	v4Bits     int
	v6Bits     int
	slack      int64
	topo       Topology
	noIP       bool
	noPeers    bool
	syncAdd    bool
}

func defaultConfig() config {
	return config{
		step:       5 * time.Minute,
		peersKept:  64,
		portsKept:  32,
		ifacesKept: 16,
		maxBuckets: 4096,
		ecsTasks:   DefaultMaxECSTasks,
		v4Bits:     32,
		v6Bits:     128,
		slack:      60,
	}
}

// WithStep sets the width of time-series buckets (default 5 minutes, the
// S3 delivery period; use 1 minute for Nitro 60-second aggregation).
// Buckets are aligned to multiples of step since the Unix epoch. A step
// is whole seconds (truncated); one under a second is clamped to 1 s.
func WithStep(d time.Duration) Option {
	return func(c *config) { c.step = max(d, time.Second).Truncate(time.Second) }
}

// WithMaxBuckets bounds each task's time series (default 4096 buckets,
// two weeks at 5 minutes). Records outside the bound are counted in
// Stats.SeriesDropped and in every total. n below 1 is clamped to 1, n
// above 2³¹−1 (twenty thousand years of 5-minute buckets) to 2³¹−1.
func WithMaxBuckets(n int) Option {
	return func(c *config) { c.maxBuckets = min(max(n, 1), maxSeriesBuckets) }
}

// DefaultMaxECSTasks is how many tasks WithMaxECSTasks lets attribution
// learn from records by default: about 90 MB of rollups over a window of
// hours (top peers and ports, about 9 KB a task), up to about 600 MB when
// every task's time series spans WithMaxBuckets (4 to 12 bytes a bucket:
// 16 to 48 KiB a task over two weeks of 5-minute buckets).
const DefaultMaxECSTasks = 10000

// WithMaxECSTasks bounds the tasks learned from records: those the v7
// ecs-task-arn / ecs-task-id fields name and the history does not know
// (counted in Group.ECSFieldOnlyTasks). Each costs a task's rollup (up to about 9 KB
// with the default WithTopK, plus its time series: see DefaultMaxECSTasks),
// so without a bound memory would grow with
// the records of hostile or odd input, not with what is kept. Records that
// name a further unknown task are unattributed as ECSTaskLimit, so
// attributed + unattributed = total still holds. n <= 0 learns none.
// Default DefaultMaxECSTasks.
func WithMaxECSTasks(n int) Option {
	return func(c *config) { c.ecsTasks = max(n, 0) }
}

// WithTopK sets how many peers and ports are tracked per task (defaults 64
// and 32). Memory is tasks × (peers + ports), whatever the number of
// records; a larger K makes the reported top entries more exact. Each is
// clamped to 1..MaxTopK (use WithoutPeers for none).
func WithTopK(peers, ports int) Option {
	return func(c *config) {
		c.peersKept = min(max(peers, 1), MaxTopK)
		c.portsKept = min(max(ports, 1), MaxTopK)
	}
}

// WithoutPeers skips the top peers and ports, and so the peer classes (all
// bytes count as PeerUnknown): counters and time series only, the fastest
// pass when a report needs no more than the JSON document's numbers.
func WithoutPeers() Option {
	return func(c *config) { c.noPeers = true }
}

// WithPeerPrefix groups peers by CIDR instead of by address, e.g. 24 and 64
// to see /24 and /64 networks as one peer. Defaults 32 and 128; values
// are clamped to 0..32 and 0..128. Every peer is its prefix, ::/N
// included (all of IPv6 at 0); only a record that names no peer has
// none (Peer.Prefix invalid).
func WithPeerPrefix(v4Bits, v6Bits int) Option {
	return func(c *config) {
		c.v4Bits = min(max(v4Bits, 0), 32)
		c.v6Bits = min(max(v6Bits, 0), 128)
	}
}

// WithTopology gives the subnets, VPCs and load balancer nodes used to
// classify peers that are neither tasks nor container instances (see
// Topology).
func WithTopology(t Topology) Option {
	return func(c *config) { c.topo = t }
}

// WithLateSlack sets how long after a task stopped a record on its ENI or
// address still counts as the task's (default 60 s: AWS documents that a
// record's start can lag the packet by up to 60 s). An exact owner always
// wins over a late one, so a reused address goes to its new task. The
// slack is whole seconds (truncated); a negative one is clamped to 0.
func WithLateSlack(d time.Duration) Option {
	return func(c *config) { c.slack = int64(max(d, 0) / time.Second) }
}

// WithoutIPFallback attributes only by interface ID, ECS fields and host-port
// bindings. The address fallback (see the package documentation) uses only
// the local side of records that carry flow-direction; for formats without
// it, records of other interfaces (NAT gateways, databases, load balancers)
// that name a task's address would be attributed to the task as well as the
// task's own ENI records: turn the fallback off there.
func WithoutIPFallback() Option {
	return func(c *config) { c.noIP = true }
}

// WithSyncAddAll makes AddAll attribute in the caller's goroutine, record
// after record, instead of handing batches of records to goroutines that
// join and apply them while the caller's goroutine parses the next ones
// (see AddAll). Use it when cores are scarce or many Attributors run in
// parallel (it is the default when GOMAXPROCS is 1): a pipelined AddAll
// runs two goroutines besides the caller's and holds up to 8 MiB of
// batches while it runs. Results are the same either way.
func WithSyncAddAll() Option {
	return func(c *config) { c.syncAdd = true }
}

// Package attribution joins VPC Flow Log records to the Amazon ECS task
// that owned the recording interface (or the address) at the record's time,
// and rolls the traffic up per task, service, task-definition family,
// container instance and cluster.
//
// # How a record is attributed
//
// In order, the first that applies:
//
//  1. The record's own v7 ecs-task-arn / ecs-task-id fields, when present.
//     The join below still runs, and records where it names a different
//     task are counted in Stats.ECSFieldDisagreements. The record names
//     its task by ecs-task-arn, else by ecs-task-id: the task of that ARN,
//     else the one of its ID (what follows its last "/", else all of it;
//     the ARN's even beside an ecs-task-id that says otherwise, which AWS
//     writes as the ARN's last segment; of two history tasks of one ID,
//     the greater ARN). A task the history does not know is made from the
//     first record's ecs-* fields, of that ARN (or bare ecs-task-id, until
//     a record of its ID gives its ARN, in ecs-task-arn or in
//     ecs-task-id), one per ID and so per ARN: its cluster is
//     ecs-cluster-arn, else
//     ecs-cluster-name, its container instance ecs-container-instance-arn,
//     else ecs-container-instance-id, and it is a Fargate task only when
//     the format has a container-instance field and the record leaves it
//     empty (else its launch type is unknown, ""). A cluster name (the
//     field's, or the cluster in a long task ARN) is resolved to the
//     cluster ARN that the history's tasks and container instances carry
//     when exactly one of those ARNs ends in "/NAME", and a container
//     instance ID to the container instance ARN (an instance's, or one a
//     task names) ending in "/ID" when exactly one does: the task then
//     joins the history's tasks of that cluster or instance under
//     ByCluster and ByInstance, one group each, and its instance is the
//     history's. A name or ID of no ARN, or of several, stays as it is, in
//     Task.ClusterARN and Task.ContainerInstanceARN, and is the task's
//     ByCluster and ByInstance key. (RuleVersion 2; the ID of the ARN,
//     one task per ARN, and the greater ARN of an ID: RuleVersion 4.)
//  2. interface-id is a task ENI (awsvpc): the task that held it at the
//     record's start time. A task ENI seen outside its task's lifetime is
//     unattributed (OutsideLifetime), never guessed by address.
//  3. interface-id is a container instance's own ENI (bridge and host
//     mode): an inbound flow to a host port that a bridge task's
//     networkBindings mapped at that time, or an outbound flow from it
//     (the replies), goes to that task, marked inferred (ByHostPort);
//     without flow-direction or the instance's address on either side,
//     the destination port is tried, then the source port. When tcp-flags
//     name a side as the connection's opener (the source of a SYN without
//     ACK, the destination of a SYN-ACK: an egress SYN from the instance,
//     or the ingress SYN-ACK to it), that side's port is a client's and is
//     not tried. Other traffic on that ENI is SharedENINoBinding, or
//     HostMode when the port is a host-mode task's.
//  4. Otherwise (unknown or absent interface-id: trunk ENIs with awsvpc
//     trunking, records without an interface) the task whose address is
//     the interface's local side at that time: pkt-srcaddr or srcaddr on
//     egress, pkt-dstaddr or dstaddr on ingress. A task's address on the
//     far side (a database's or NAT gateway's ENI talking to the task) does
//     not count: those bytes are already on the task's own ENI. Without
//     flow-direction any of the four may match, which can count such copies;
//     so can an intermediary that records the client as pkt-srcaddr (a
//     transit gateway's or a client-IP-preserving load balancer's ENI:
//     reference flowlogs §6), whose records look like a trunk ENI's
//     branch traffic, unless the format has v11's interface-type: on an
//     interface of IntermediaryInterfaceTypes this step finds no task.
//     WithoutIPFallback turns this step off. Without an interface at all, a
//     container instance's address on that local side (srcaddr on egress,
//     dstaddr on ingress; either without flow-direction) leads to step 3,
//     but for an intermediary's interface. (RuleVersion 3.)
//
// NODATA and SKIPDATA records, and everything the steps above do not match,
// are unattributed with a Reason. Whatever path a record takes, attributed +
// unattributed = total, for bytes, packets and records.
//
// Sums never wrap. Every counter, series bucket, class, reason and summary
// counts a subset of the records in the total, so the totals alone are
// checked: a record that would make the byte or packet total pass 2^64-1
// is refused with every later one (AddAll returns an *OverflowError, as
// does Attributor.Err after Add), Stats.Overflow is set, and every figure
// is exact for the records before it. Top-peer and top-port estimates merged
// across tasks saturate at 2^64-1.
//
// Times: a record counts at its start. A task holds its ENI, addresses and
// host ports from its first known time, createdAt (else pullStartedAt,
// else startedAt; history.Task.Valid.Start), not from startedAt: ECS attaches the ENI
// while the task provisions, and no one else can hold it then. It holds
// them until stoppedAt (history.Task.Valid.End), which ECS records only once the
// ENI is deleted. Owners of an ENI, address or host port are disjoint in
// time: a later owner takes the key at its start, or at the earlier one's
// executionStoppedAt when that is later (Task.ExecutionStoppedAt). A record
// whose start is at most WithLateSlack (60 s) after an owner's stop, the
// bound included, and before any next owner, is still that owner's: AWS
// documents that start can lag the packet by up to 60 s, so a packet at the
// stop can carry a start of exactly stop + 60 s.
//
// Direction (in/out of the task) is flow-direction when the record has it,
// first and whatever the addresses say; without it, which side carries the
// task's (or, on a container instance's ENI, the instance's) own address.
// When neither side does (a record without flow-direction whose addresses
// are not the task's: an ecs-* task the history does not know, or an old
// address still seen after its ENI changed hands), the bytes and packets
// are not guessed into in or out: they are counted apart, as direction
// unknown (Counters.BytesUnknown, Stats.DirectionUnknown).
//
// # Rollups and memory
//
// Each task keeps counters, a fixed-step time series (WithStep), and its
// top peers and ports in bounded space-saving summaries (WithTopK; peers
// behind a small filter, so a long tail of one-off peers is cheap), so
// memory grows with tasks × peers kept, never with records. Tasks learned
// from records (step 1, unknown to the history) are bounded too
// (WithMaxECSTasks, default 10,000): records naming more are unattributed
// as ECSTaskLimit. Groups (service,
// family, instance, cluster) are merged from task rollups when a Result is
// taken, their top peers and ports by the rule Merge uses (see Partial):
// a peer one task's summary did not keep counts there at that summary's
// bound, so a group's Bytes never under-count and MaxError bounds the
// over-count. A Result holds every group's top peers, ports and points at once,
// as much memory again as the rollups at ten thousand tasks; Groups yields
// the same groups one at a time into reused memory (ResultStream gives the
// rest of the Result with them, for report.WriteCSVStream and
// WriteJSONStream), and
// PartialStream does the same for a Partial's tasks (for
// partials.WriteStream). Records reach their task's rollup in batches of a few dozen, in
// order, after the cache lines the batch will need were all requested at
// once: with thousands of tasks a record's task state is rarely in cache,
// and this way the waits overlap. Result and Stats include every record
// added. With two cores AddAll attributes on a second goroutine while the
// stream is parsed, and when that falls behind (thousands of tasks, whose
// rollups are cache misses) applies the joined records to the rollups on a
// third (WithSyncAddAll turns both off); the results are the same. A peer
// is the far side's real packet address (pkt-* when
// recorded), optionally grouped by CIDR (WithPeerPrefix), classified by the
// first evidence available: pkt-*-aws-service, traffic-path, v11 next-hop
// VPC, the AZ of a known task or instance, the Topology's Application and
// Classic Load Balancer nodes (PeerLoadBalancer: AWS does not bill their
// cross-AZ transfer with their targets), its subnets and VPCs, v11 az-id
// vs next-hop-az-id (not for a public IPv4 peer outside the Topology's
// VPCs: its next hop is a NAT gateway, in an AZ of its own), public vs
// private address (a public one is the internet only when the format has
// pkt-*-aws-service to rule AWS out, else PeerPublic). A port is the
// service side's: the bound host port for inferred bridge traffic, the
// destination of a SYN, the source of a SYN-ACK, else the lower port.
// Bytes by peer class are split by direction as well (Group.ClassBytesIn,
// ClassBytesOut), exactly: what a byte costs depends on both (see package
// pricing). A time series is a dense slice while its buckets are mostly
// used and keeps only its used buckets otherwise (a quiet task over a week);
// its buckets hold 32-bit counts, with the rare bucket past 4 GiB carried
// aside.
//
// # Beyond one machine
//
// Attributor.Partial is what the records added so far contributed, per
// task; Merge adds partials of different inputs up (one per flow-log
// object, attributed where it lands) and Partial.Result groups the sum as
// Result would have. Counters, series, reasons, totals and stats merge
// exactly; top-K summaries by their own rule, with bounds (see Partial).
// A Merger is Merge for parts read one after another: it adds each in
// place, in time and memory in proportion to the part.
// Package partials writes partials as Parquet; sqlattr.Reduce adds them up
// in SQL.
package attribution

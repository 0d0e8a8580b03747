package partials

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquetrows"
	"github.com/ecsnet/ecsnet/internal/tableerr"
	"github.com/ecsnet/ecsnet/netmode"
	"github.com/parquet-go/parquet-go"
)

// Error is a problem in a partials file: which file, row (1-based) and
// column, and what. It is the error type of eni/history/intervals too.
type Error = tableerr.Error

// ErrVersion is wrapped by the Error for a file of another SchemaVersion
// (or none: not a partials file).
var ErrVersion = errors.New("not a partials file of schema version " + strconv.Itoa(SchemaVersion))

// MaxSize is the size of the largest file Read accepts: 1 GiB. A partials
// file holds rollups, not records (a worker's file for one flow-log object
// takes tens of KB for a few tasks, and about 9 MB for an object of a
// 10,000-task cluster: examples/lambda/SCALE.md; a merged one about 100
// bytes a row, 3 for the longest time series), and Read holds all of it
// in memory.
const MaxSize = 1 << 30

// maxRowsPerByte bounds the rows a file may claim for its size. Written
// files take about 100 bytes a row, and 3.2 at least (a long time series
// of one task, every bucket the same: zstd compresses its columns to
// almost nothing); a corrupt file can claim billions of rows in a few run-
// length-encoded bytes.
const maxRowsPerByte = 4

// ReadFile reads the partials file name.
func ReadFile(name string) (*attribution.Partial, error) {
	return parquetguard.ReadFile(name, Read)
}

// Read reads a partials file of size bytes from r; name is for errors.
// Everything is checked that Merge and Result rely on: one meta row with
// options in range (any rule version from 1 on: a part of another one
// reads and groups on its own, and Merge refuses to add it to parts of
// this one), known kinds, reasons, methods, classes and modes, a task's
// instance columns set only when instance_known says it has one, inputs
// valid, in order and not overlapping (as Write writes them),
// parseable addresses and prefixes, peers masked to the options' peer
// prefix (IPv4 as IPv4) and buckets starting on the step, no negative
// count, every peer, port, class and point among its task's rows (after its task row, before the
// next task's: Write's order), one row per task, summary and key, and a
// task's, class's and point's directions adding up to its bytes (a task's
// to its packets too: the SQL reduce sums those columns, Go the
// directions).
//
// And that the parts of a file fit inside it, as they do in any partial
// an Attributor makes or Merge sums, where every record is in Total and
// in one task and one method, or in one unattributed reason: the tasks'
// bytes, packets and records beside the unattributed reasons' are at most
// Total's, and so are the methods' beside them; Stats' counts of records
// are at most Total's records; a task's classes' bytes in, out and of
// unknown direction are at most its own, and so are its points' (a
// series may drop records, never add them); its accepted plus rejected
// bytes and its inferred bytes are at most its bytes, its inferred
// records at most its records. Merge checks only Total for overflow, so a
// file that broke these would wrap its other sums silently.
//
// Every error is an *Error. A file larger than MaxSize is refused, and
// the sizes a file claims (footer, column chunks, page headers, rows) are
// checked before they are trusted: a corrupt file is an error wrapping
// parquetguard's ErrCorrupt ("corrupt file"), costs memory in proportion
// to its size, and never makes Read panic.
func Read(r io.ReaderAt, size int64, name string) (_ *attribution.Partial, err error) {
	ferr := func(row int64, col string, err error) error {
		return &Error{Pkg: "partials", Name: name, Row: row, Column: col, Err: err}
	}
	// What the checks cannot see (corrupt values inside pages) may still
	// make parquet-go panic.
	defer parquetguard.Recover(&err, func(err error) error { return ferr(0, "", err) })
	if size > MaxSize {
		return nil, ferr(0, "", fmt.Errorf("%d bytes, more than a partials file may have (%d)", size, MaxSize))
	}
	// Every column is read: parquetguard.Open checks every page header.
	f, err := parquetguard.Open(r, size)
	if err != nil {
		return nil, ferr(0, "", err)
	}
	if err := checkRows(f, size); err != nil {
		return nil, ferr(0, "", err)
	}
	if err := parquetguard.CheckVersion(f, MetadataKey, SchemaVersion, ErrVersion); err != nil {
		return nil, ferr(0, "", err)
	}
	pr, err := parquetrows.NewReader[Row](f)
	if ce := (*parquetrows.ColumnError)(nil); errors.As(err, &ce) {
		return nil, ferr(0, ce.Column, ce.Err)
	}
	if err != nil {
		return nil, ferr(0, "", err)
	}
	d := decoder{p: &attribution.Partial{}, ferr: ferr, methods: map[string]bool{}, interfaces: map[string]bool{},
		peerKeys: map[netip.Prefix]bool{}, portKeys: map[uint32]bool{}, classKeys: map[attribution.PeerClass]bool{}}
	if n := taskRows(f, size); n > 0 {
		d.p.Tasks = make([]attribution.TaskPart, 0, n)
	}
	buf := make([]Row, 256)
	for {
		n, err := pr.Read(buf)
		for i := range buf[:n] {
			d.row++
			if e := d.add(&buf[i]); e != nil {
				return nil, e
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ferr(d.row+1, "", err)
		}
	}
	if !d.meta {
		return nil, ferr(0, "kind", errors.New("no meta row"))
	}
	d.endTask()
	return d.p, nil
}

// taskRows returns how many task rows f, a file of size bytes, has, read
// from its kind column alone; 0 if that read fails (the whole read will
// say why) or the count is past what the file's size allows. A Partial's
// Tasks made at that length are not copied as they grow: a five-minute
// object's partial has a part for each of ten thousand tasks, 368 bytes
// each, and growing their slices was 29 % of what merging a day of such
// partials allocated (784 of 2,740 MB).
func taskRows(f *parquet.File, size int64) int {
	pr, err := parquetrows.NewReader[kindRow](f)
	if err != nil {
		return 0
	}
	buf := make([]kindRow, 512)
	n := 0
	for {
		k, err := pr.Read(buf)
		for _, r := range buf[:k] {
			if r.Kind == KindTask {
				n++
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0
		}
	}
	// Written files take about a hundred bytes a task or more (its task
	// row, and rows of its peers, ports, classes and points: a day's
	// five-minute partials 103, a 10,000-task worker's 678); a corrupt one
	// could run-length encode millions of task rows, which the read
	// refuses as repeated, in a few bytes. A file under the bound reads
	// as well, its tasks grown as read.
	if int64(n) > size/minTaskBytes {
		return 0
	}
	return n
}

// kindRow is the kind column of a partials file.
type kindRow struct {
	Kind string `parquet:"kind,dict"`
}

// minTaskBytes is the fewest bytes a task of a partials file takes for
// taskRows' count to be trusted.
const minTaskBytes = 64

// checkRows bounds the rows f, a file of size bytes, claims
// (parquetguard.CheckChunks has checked that its row groups hold them).
func checkRows(f *parquet.File, size int64) error {
	limit := maxRowsPerByte * size // no overflow: size <= MaxSize
	if n := f.NumRows(); n > limit {
		return fmt.Errorf("%w: %d rows in %d bytes, more than %d a byte", parquetguard.ErrCorrupt, n, size, maxRowsPerByte)
	}
	return nil
}

type decoder struct {
	p    *attribution.Partial
	row  int64
	meta bool
	ferr func(int64, string, error) error
	err  error // the first column error of the current row

	// What must be unique, in the scope it must be unique in: the file's
	// methods, the current reason's interfaces, the current task's peers,
	// ports and classes. A task's rows follow its task row, so a set of
	// one task's keys is cleared at the next: checking them costs no key
	// built per row, and memory of one task, not of the file.
	methods    map[string]bool
	interfaces map[string]bool
	peerKeys   map[netip.Prefix]bool
	portKeys   map[uint32]bool
	classKeys  map[attribution.PeerClass]bool

	// The last task's peers, ports and points while its rows are read:
	// when they end, its slices are made at their length, at once.
	peers  []attribution.Peer
	ports  []attribution.Port
	points []attribution.Point

	// What the rows so far add up to, for fit: the file's methods',
	// unattributed reasons' and tasks' bytes, packets and records, and the
	// last task's classes' and points' bytes in, out and of unknown
	// direction. Each stays within what holds it (a sum of tasks or
	// methods beside the reasons' within Total), so none wraps.
	methodSum, unattributedSum, taskSum [3]uint64
	classSum, pointSum                  [3]uint64
}

// The columns of a row's totals and of its bytes by direction, in the
// order of the decoder's sums; what the latter count, in words.
var (
	totalCols = [3]string{"bytes", "packets", "records"}
	dirCols   = [3]string{"bytes_in", "bytes_out", "bytes_unknown"}
	dirWords  = [3]string{"bytes in", "bytes out", "bytes of unknown direction"}
)

// endTask gives the last task its peers, ports and points.
func (d *decoder) endTask() {
	if k := len(d.p.Tasks); k > 0 {
		tp := &d.p.Tasks[k-1]
		tp.Peers, tp.Ports, tp.Series = exact(d.peers), exact(d.ports), exact(d.points)
	}
	clear(d.peers) // no strings kept alive
	d.peers, d.ports, d.points = d.peers[:0], d.ports[:0], d.points[:0]
}

// exact returns a copy of s no longer than needed, nil if s is empty.
func exact[E any](s []E) []E {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// n converts a count column, noting a negative one.
func (d *decoder) n(col string, v int64) uint64 {
	if v < 0 && d.err == nil {
		d.err = d.ferr(d.row, col, fmt.Errorf("negative count %d", v))
	}
	return uint64(v)
}

func (d *decoder) fail(col string, err error) {
	if d.err == nil {
		d.err = d.ferr(d.row, col, err)
	}
}

// seen reports whether set holds k, adding it.
func seen[K comparable](set map[K]bool, k K) bool {
	if set[k] {
		return true
	}
	set[k] = true
	return false
}

func (d *decoder) add(r *Row) error {
	d.err = nil
	p := d.p
	switch r.Kind {
	case KindMeta:
		if d.meta {
			return d.ferr(d.row, "kind", errors.New("a second meta row"))
		}
		d.meta = true
		if r.SchemaVersion != SchemaVersion {
			d.fail("schema_version", fmt.Errorf("%d, in a file whose metadata says %d", r.SchemaVersion, SchemaVersion))
		}
		p.Config = attribution.PartialConfig{Step: time.Duration(r.StepSeconds) * time.Second,
			PeersKept: int(r.PeersKept), PortsKept: int(r.PortsKept), InterfacesKept: int(r.InterfacesKept),
			PeerPrefixV4: int(r.PeerPrefixV4), PeerPrefixV6: int(r.PeerPrefixV6), NoPeers: r.NoPeers,
			NoIPFallback: r.NoIPFallback, LateSlack: time.Duration(r.LateSlackSeconds) * time.Second, Topology: r.Topology,
			RuleVersion: int(r.RuleVersion)}
		if r.StepSeconds > int64(1<<62/time.Second) {
			d.fail("step_seconds", fmt.Errorf("step of %d s is out of range", r.StepSeconds))
		}
		if r.LateSlackSeconds > int64(1<<62/time.Second) {
			d.fail("late_slack_seconds", fmt.Errorf("late slack of %d s is out of range", r.LateSlackSeconds))
		}
		if err := p.Config.Validate(); err != nil {
			d.fail("", err)
		}
		p.Total = attribution.Totals{Bytes: d.n("bytes", r.Bytes), Packets: d.n("packets", r.Packets), Records: d.n("records", r.Records)}
		p.First, p.Last = t(r.First), t(r.Last)
		s := &p.Stats
		s.ECSFieldDisagreements = d.n("ecs_field_disagreements", r.ECSFieldDisagreements)
		s.ECSFieldOnly = d.n("ecs_field_only_records", r.ECSFieldOnlyRecords)
		s.DirectionUnknown = d.n("direction_unknown", r.DirectionUnknown)
		s.SeriesDropped = d.n("series_dropped", r.SeriesDropped)
		s.SkipData = d.n("skip_data", r.SkipData)
		s.Overflow = r.Overflow
	case KindMethod:
		m, ok := lookup(r.Method, attribution.Methods())
		if !ok {
			d.fail("method", fmt.Errorf("unknown method %q", r.Method))
			break
		}
		if seen(d.methods, r.Method) {
			d.fail("method", fmt.Errorf("method %s appears twice", r.Method))
		}
		p.Stats.ByMethod[m] = attribution.Totals{Bytes: d.n("bytes", r.Bytes), Packets: d.n("packets", r.Packets), Records: d.n("records", r.Records)}
	case KindInput:
		in := attribution.Input{Name: r.InputName, Since: t(r.InputSince), Until: t(r.InputUntil)}
		if r.InputSince != nil && r.InputSince.IsZero() || r.InputUntil != nil && r.InputUntil.IsZero() {
			// Go's zero time is "no bound", which the file writes as
			// NULL; SQL would read this bound as the year 1.
			d.fail("input_name", fmt.Errorf("input %s: a bound at 0001-01-01T00:00:00Z, not NULL", r.InputName))
			break
		}
		if err := inputAfter(in, p.Inputs); err != nil {
			d.fail("input_name", err)
			break
		}
		p.Inputs = append(p.Inputs, in)
	case KindUnattributed:
		rs, ok := lookup(r.Reason, attribution.Reasons())
		if !ok {
			d.fail("reason", fmt.Errorf("unknown reason %q", r.Reason))
			break
		}
		if k := len(p.Unattributed); k > 0 && p.Unattributed[k-1].Reason >= rs {
			d.fail("reason", fmt.Errorf("reason %q out of order or repeated", r.Reason))
			break
		}
		clear(d.interfaces)
		p.Unattributed = append(p.Unattributed, attribution.UnattributedPart{
			Unattributed:    attribution.Unattributed{Reason: rs, Totals: attribution.Totals{Bytes: d.n("bytes", r.Bytes), Packets: d.n("packets", r.Packets), Records: d.n("records", r.Records)}},
			InterfacesBound: d.n("interfaces_bound", r.InterfacesBound)})
	case KindInterface:
		k := len(p.Unattributed)
		if k == 0 || p.Unattributed[k-1].Reason.String() != r.Reason {
			d.fail("reason", fmt.Errorf("interface row for reason %q not after that reason's row", r.Reason))
			break
		}
		if seen(d.interfaces, r.InterfaceID) {
			d.fail("interface_id", fmt.Errorf("interface %s %s appears twice", r.Reason, r.InterfaceID))
		}
		u := &p.Unattributed[k-1]
		u.TopInterfaces = append(u.TopInterfaces, attribution.Interface{ID: r.InterfaceID,
			Bytes: d.n("bytes", r.Bytes), Records: d.n("records", r.Records), MaxError: d.n("max_error", r.MaxError)})
	case KindTask:
		d.task(r)
	case KindPeer, KindPort, KindPoint, KindClass:
		k := len(p.Tasks)
		if k == 0 || p.Tasks[k-1].Task.ARN != r.TaskARN {
			d.fail("task_arn", fmt.Errorf("%s row for task %q not among its task's rows (its task row, then its peers, ports, classes and points)", r.Kind, r.TaskARN))
			break
		}
		tp := &p.Tasks[k-1]
		switch r.Kind {
		case KindPeer:
			var pfx netip.Prefix
			if r.Peer != "" {
				var err error
				if pfx, err = netip.ParsePrefix(r.Peer); err != nil {
					d.fail("peer", err)
				} else if err := canonicalPeer(pfx, p.Config); err != nil {
					d.fail("peer", fmt.Errorf("peer %s of task %q: %w", r.Peer, r.TaskARN, err))
				}
			}
			cl, ok := attribution.ParsePeerClass(r.PeerClass)
			if !ok {
				d.fail("peer_class", fmt.Errorf("unknown peer class %q", r.PeerClass))
			}
			if seen(d.peerKeys, pfx) {
				d.fail("peer", fmt.Errorf("peer %s %s appears twice", r.TaskARN, r.Peer))
			}
			if len(d.peers) == p.Config.PeersKept {
				d.fail("kind", fmt.Errorf("more peer rows for task %q than the %d kept", r.TaskARN, p.Config.PeersKept))
			}
			d.peers = append(d.peers, attribution.Peer{Prefix: pfx, Service: r.PeerService, Class: cl,
				Bytes: d.n("bytes", r.Bytes), Packets: d.n("packets", r.Packets), Records: d.n("records", r.Records), MaxError: d.n("max_error", r.MaxError)})
		case KindPort:
			if r.Protocol < 0 || r.Protocol > 255 || r.Port < 0 || r.Port > 65535 {
				d.fail("port", fmt.Errorf("protocol %d port %d out of range", r.Protocol, r.Port))
			}
			if seen(d.portKeys, uint32(r.Protocol)<<16|uint32(uint16(r.Port))) {
				d.fail("port", fmt.Errorf("port %s %d/%d appears twice", r.TaskARN, r.Protocol, r.Port))
			}
			if len(d.ports) == p.Config.PortsKept {
				d.fail("kind", fmt.Errorf("more port rows for task %q than the %d kept", r.TaskARN, p.Config.PortsKept))
			}
			d.ports = append(d.ports, attribution.Port{Protocol: uint8(r.Protocol), Port: uint16(r.Port),
				Bytes: d.n("bytes", r.Bytes), Packets: d.n("packets", r.Packets), Records: d.n("records", r.Records), MaxError: d.n("max_error", r.MaxError)})
		case KindClass:
			cl, ok := attribution.ParsePeerClass(r.PeerClass)
			if !ok {
				d.fail("peer_class", fmt.Errorf("unknown peer class %q", r.PeerClass))
				break
			}
			if seen(d.classKeys, cl) {
				d.fail("peer_class", fmt.Errorf("class %s %s appears twice", r.TaskARN, r.PeerClass))
			}
			in, out, unk, all := d.n("bytes_in", r.BytesIn), d.n("bytes_out", r.BytesOut), d.n("bytes_unknown", r.BytesUnknown), d.n("bytes", r.Bytes)
			if !sumsTo(in, out, unk, all) {
				d.fail("bytes", fmt.Errorf("class %q: in %d + out %d + unknown %d is not its %d bytes", r.PeerClass, in, out, unk, all))
			}
			tp.ClassBytes[cl], tp.ClassBytesIn[cl], tp.ClassBytesOut[cl] = all, in, out
		case KindPoint:
			if r.BucketStart == nil {
				d.fail("bucket_start", errors.New("missing"))
				break
			}
			pt := attribution.Point{Start: r.BucketStart.UTC(), BytesIn: d.n("bytes_in", r.BytesIn), BytesOut: d.n("bytes_out", r.BytesOut), BytesUnknown: d.n("bytes_unknown", r.BytesUnknown)}
			if all := d.n("bytes", r.Bytes); !sumsTo(pt.BytesIn, pt.BytesOut, pt.BytesUnknown, all) {
				d.fail("bytes", fmt.Errorf("bucket %v: in %d + out %d + unknown %d is not its %d bytes", pt.Start, pt.BytesIn, pt.BytesOut, pt.BytesUnknown, all))
			}
			if step := int64(p.Config.Step / time.Second); pt.Start.Nanosecond() != 0 || pt.Start.Unix()%step != 0 {
				// Merge adds up points of equal start, Result points of
				// one bucket: an unaligned one would be a bucket of its own
				// in a merged partial and in SQL, and not in a Result.
				d.fail("bucket_start", fmt.Errorf("bucket %v is not a multiple of the %v step from the Unix epoch", pt.Start, p.Config.Step))
			}
			if k := len(d.points); k > 0 && !d.points[k-1].Start.Before(pt.Start) {
				d.fail("bucket_start", fmt.Errorf("bucket %v out of order or repeated", pt.Start))
			}
			d.points = append(d.points, pt)
		}
	default:
		d.fail("kind", fmt.Errorf("unknown kind %q", r.Kind))
	}
	if d.err == nil && r.Kind == KindInterface {
		if u := &p.Unattributed[len(p.Unattributed)-1]; len(u.TopInterfaces) > p.Config.InterfacesKept {
			d.fail("kind", fmt.Errorf("more interface rows for reason %q than the %d kept", r.Reason, p.Config.InterfacesKept))
		}
	}
	if d.err == nil && !d.meta {
		d.fail("kind", fmt.Errorf("%s row before the meta row", r.Kind))
	}
	if d.err == nil {
		d.fit(r)
	}
	return d.err
}

// fit checks that the counts of r, a row read without error after the
// meta row (so none is negative, and Total is known), fit inside what
// holds them (see Read), and adds them to the sums for the rows after it.
func (d *decoder) fit(r *Row) {
	p := d.p
	switch r.Kind {
	case KindMeta:
		s := &p.Stats
		for _, c := range [...]struct {
			col string
			n   uint64
		}{{"ecs_field_disagreements", s.ECSFieldDisagreements}, {"ecs_field_only_records", s.ECSFieldOnly},
			{"direction_unknown", s.DirectionUnknown}, {"series_dropped", s.SeriesDropped}, {"skip_data", s.SkipData}} {
			if c.n > p.Total.Records {
				d.fail(c.col, fmt.Errorf("%d records, more than the file's %d", c.n, p.Total.Records))
				return
			}
		}
	case KindMethod:
		if d.fits(r, d.methodSum, d.unattributedSum, "the unattributed reasons or other methods") {
			add(&d.methodSum, r)
		}
	case KindUnattributed:
		// A reason's records are in no task and no method.
		if d.fits(r, d.unattributedSum, d.taskSum, "the tasks or other reasons") &&
			d.fits(r, d.unattributedSum, d.methodSum, "the methods or other reasons") {
			add(&d.unattributedSum, r)
		}
	case KindTask:
		c := &p.Tasks[len(p.Tasks)-1].Counters
		all := uint64(r.Bytes)
		switch {
		case c.AcceptedBytes > all:
			d.fail("accepted_bytes", fmt.Errorf("%s: accepted %d + rejected %d bytes, more than its %d", subject(r), c.AcceptedBytes, c.RejectedBytes, all))
		case c.RejectedBytes > all-c.AcceptedBytes:
			d.fail("rejected_bytes", fmt.Errorf("%s: accepted %d + rejected %d bytes, more than its %d", subject(r), c.AcceptedBytes, c.RejectedBytes, all))
		case uint64(r.InferredBytes) > all:
			d.fail("inferred_bytes", fmt.Errorf("%s: %d inferred bytes, more than its %d", subject(r), r.InferredBytes, all))
		case uint64(r.InferredRecords) > c.Records:
			d.fail("inferred_records", fmt.Errorf("%s: %d inferred records, more than its %d", subject(r), r.InferredRecords, c.Records))
		case d.fits(r, d.taskSum, d.unattributedSum, "the unattributed reasons or other tasks"):
			add(&d.taskSum, r)
		}
	case KindClass:
		d.within(r, &d.classSum, "other classes")
	case KindPoint:
		d.within(r, &d.pointSum, "other buckets")
	}
}

// fits reports whether r's bytes, packets and records fit in the file's
// total beside sum, the rows of its kind before it, and other, rows of a
// kind that holds none of its records; if not, it fails the row. sum
// plus other is at most the total: every row added to either was
// checked so.
func (d *decoder) fits(r *Row, sum, other [3]uint64, rest string) bool {
	t := &d.p.Total
	total := [3]uint64{t.Bytes, t.Packets, t.Records}
	for i, v := range [3]uint64{uint64(r.Bytes), uint64(r.Packets), uint64(r.Records)} {
		if left := total[i] - sum[i] - other[i]; v > left {
			d.fail(totalCols[i], fmt.Errorf("%s: %d %s, more than the %d of the file's %d not in %s", subject(r), v, totalCols[i], left, total[i], rest))
			return false
		}
	}
	return true
}

// add adds r's bytes, packets and records to sum.
func add(sum *[3]uint64, r *Row) {
	sum[0] += uint64(r.Bytes)
	sum[1] += uint64(r.Packets)
	sum[2] += uint64(r.Records)
}

// within adds r's bytes in, out and of unknown direction, a class's or a
// point's, to sum, its task's rows of that kind before it, failing the row
// if they pass the task's own.
func (d *decoder) within(r *Row, sum *[3]uint64, rest string) {
	c := &d.p.Tasks[len(d.p.Tasks)-1].Counters
	task := [3]uint64{c.BytesIn, c.BytesOut, c.BytesUnknown}
	v := [3]uint64{uint64(r.BytesIn), uint64(r.BytesOut), uint64(r.BytesUnknown)}
	for i := range v {
		if left := task[i] - sum[i]; v[i] > left {
			d.fail(dirCols[i], fmt.Errorf("%s: %d %s, more than the %d of the task's %d not in its %s", subject(r), v[i], dirWords[i], left, task[i], rest))
			return
		}
	}
	for i := range v {
		sum[i] += v[i]
	}
}

// sumsTo reports whether the counts in, out and of unknown direction of a
// row add up to its total all. Each is a column's value, under 2^63, so
// a sum that wrapped is less than in.
func sumsTo(in, out, unk, all uint64) bool {
	s := in + out + unk
	return s == all && s >= in
}

// subject names what r describes, for an error: made only for one.
func subject(r *Row) string {
	switch r.Kind {
	case KindMethod:
		return "method " + r.Method
	case KindUnattributed:
		return fmt.Sprintf("reason %q", r.Reason)
	case KindTask:
		return fmt.Sprintf("task %q", r.TaskARN)
	case KindClass:
		return fmt.Sprintf("class %q", r.PeerClass)
	case KindPoint:
		return fmt.Sprintf("bucket %v", t(r.BucketStart))
	}
	return r.Kind
}

func (d *decoder) task(r *Row) {
	p := d.p
	// By ARN, so that a task appearing twice is one appearing after
	// itself.
	if k := len(p.Tasks); k > 0 && p.Tasks[k-1].Task.ARN >= r.TaskARN {
		if p.Tasks[k-1].Task.ARN == r.TaskARN {
			d.fail("task_arn", fmt.Errorf("task %q appears twice", r.TaskARN))
		} else {
			d.fail("task_arn", fmt.Errorf("task %q out of order", r.TaskARN))
		}
		return
	}
	d.endTask()
	clear(d.peerKeys)
	clear(d.portKeys)
	clear(d.classKeys)
	d.classSum, d.pointSum = [3]uint64{}, [3]uint64{}
	mode, ok := lookup(r.NetworkMode, networkModes)
	if !ok {
		d.fail("network_mode", fmt.Errorf("unknown network mode %q", r.NetworkMode))
	}
	tk := &history.Task{ARN: r.TaskARN, ClusterARN: r.ClusterARN, Group: r.ServiceGroup, TaskDefinitionARN: r.TaskDefinitionARN,
		Family: r.Family, Revision: int(r.Revision), LaunchType: r.LaunchType, ContainerInstanceARN: r.ContainerInstanceARN,
		AvailabilityZone: r.AvailabilityZone, NetworkMode: mode, LastStatus: r.LastStatus, Version: r.TaskVersion,
		ENI: r.ENI, SubnetID: r.SubnetID, Valid: history.Interval{Start: t(r.ValidStart), End: t(r.ValidEnd)}}
	for _, a := range []struct {
		col string
		s   string
		dst *netip.Addr
	}{{"ipv4", r.IPv4, &tk.IPv4}, {"ipv6", r.IPv6, &tk.IPv6}} {
		if a.s != "" {
			v, err := netip.ParseAddr(a.s)
			if err != nil {
				d.fail(a.col, err)
			}
			*a.dst = v
		}
	}
	x := attribution.TaskPart{Task: tk, ECSFieldOnly: r.ECSFieldOnly}
	// The instance as the task row says: known or not, whatever
	// container_instance_arn holds (a task known only from ecs-* fields
	// names an instance no history describes).
	if r.InstanceKnown {
		x.Instance = &history.Instance{ARN: r.ContainerInstanceARN, EC2InstanceID: r.EC2InstanceID, ClusterARN: r.ClusterARN,
			InstanceType: r.InstanceType, AvailabilityZone: r.InstanceAZ, Version: r.InstanceVersion}
	} else if r.EC2InstanceID != "" || r.InstanceType != "" || r.InstanceAZ != "" || r.InstanceVersion != 0 {
		d.fail("instance_known", fmt.Errorf("task %q: false, with the instance's columns set", r.TaskARN))
	}
	c := &x.Counters
	c.BytesIn, c.BytesOut, c.BytesUnknown = d.n("bytes_in", r.BytesIn), d.n("bytes_out", r.BytesOut), d.n("bytes_unknown", r.BytesUnknown)
	c.PacketsIn, c.PacketsOut, c.PacketsUnknown = d.n("packets_in", r.PacketsIn), d.n("packets_out", r.PacketsOut), d.n("packets_unknown", r.PacketsUnknown)
	c.Records, c.AcceptedBytes, c.RejectedBytes = d.n("records", r.Records), d.n("accepted_bytes", r.AcceptedBytes), d.n("rejected_bytes", r.RejectedBytes)
	x.InferredBytes, x.InferredRecords = d.n("inferred_bytes", r.InferredBytes), d.n("inferred_records", r.InferredRecords)
	x.PeersBound, x.PortsBound = d.n("peers_bound", r.PeersBound), d.n("ports_bound", r.PortsBound)
	for _, s := range [...]struct {
		col               string
		in, out, unk, all uint64
	}{{"bytes", c.BytesIn, c.BytesOut, c.BytesUnknown, d.n("bytes", r.Bytes)},
		{"packets", c.PacketsIn, c.PacketsOut, c.PacketsUnknown, d.n("packets", r.Packets)}} {
		if !sumsTo(s.in, s.out, s.unk, s.all) {
			d.fail(s.col, fmt.Errorf("task %q: in %d + out %d + unknown %d is not its %d %s", r.TaskARN, s.in, s.out, s.unk, s.all, s.col))
		}
	}
	p.Tasks = append(p.Tasks, x)
}

// canonicalPeer reports why pfx is not a peer as an Attributor writes
// one under c: its address masked to c's peer prefix for its family, and
// an IPv4 address as IPv4 (not IPv4-mapped IPv6). Merge takes peers of
// different prefixes as different peers, which Result, keyed by the
// address and the options' prefix, would add up or relabel.
func canonicalPeer(pfx netip.Prefix, c attribution.PartialConfig) error {
	a := pfx.Addr()
	bits := c.PeerPrefixV6
	if a.Is4() {
		bits = c.PeerPrefixV4
	}
	switch {
	case a.Is4In6():
		return errors.New("an IPv4-mapped address, not IPv4")
	case pfx.Bits() != bits:
		return fmt.Errorf("a /%d prefix, not the file's /%d", pfx.Bits(), bits)
	case pfx != pfx.Masked():
		return fmt.Errorf("not masked to its prefix (%v)", pfx.Masked())
	}
	return nil
}

func t(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}

// networkModes are the network modes a task row may name: made once, not
// for each task row (ten thousand a partial of a five-minute object).
var networkModes = append(netmode.Modes(), netmode.ModeUnknown)

func lookup[T fmt.Stringer](s string, all []T) (T, bool) {
	for _, v := range all {
		if v.String() == s {
			return v, true
		}
	}
	var zero T
	return zero, false
}

package partials

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"math/bits"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/parquetzstd"
	"github.com/parquet-go/parquet-go"
)

// Write writes p as one Parquet file, zstd-compressed, with SchemaVersion
// in its key/value metadata under MetadataKey. Rows come in a stable
// order: meta, methods, inputs, reasons each followed by their
// interfaces, then each task (by ARN) followed by its peers, ports,
// classes and points. A count that does not fit a signed 64-bit column
// (SQL engines have no unsigned one) is an error, and so is text that is
// not UTF-8 (a Parquet STRING is UTF-8: DuckDB refuses a file holding
// other bytes, and flow-log fields can hold any), and Inputs that break
// Partial.Inputs' rules: not valid (attribution.Input.Validate), out of
// CompareInputs order, or overlapping.
func Write(w io.Writer, p *attribution.Partial) error {
	return write(w, p, slices.Values(taskPointers(p.Tasks)))
}

// WriteStream writes, as Write does, the Partial p with the tasks that
// tasks yields in place of p.Tasks (which must be empty), reading each
// task only while it is yielded: with Attributor.PartialStream, a worker
// writes its partial without holding every task's peers, ports and points
// at once. Rows are written in the order the tasks come; a Partial's are
// by ARN.
func WriteStream(w io.Writer, p *attribution.Partial, tasks iter.Seq[*attribution.TaskPart]) error {
	if len(p.Tasks) > 0 {
		return errors.New("partials: WriteStream given a Partial with Tasks as well as a stream of them")
	}
	return write(w, p, tasks)
}

// taskPointers returns pointers to the tasks.
func taskPointers(ts []attribution.TaskPart) []*attribution.TaskPart {
	out := make([]*attribution.TaskPart, len(ts))
	for i := range ts {
		out[i] = &ts[i]
	}
	return out
}

func write(w io.Writer, p *attribution.Partial, tasks iter.Seq[*attribution.TaskPart]) error {
	pw := parquet.NewGenericWriter[Row](w,
		parquet.KeyValueMetadata(MetadataKey, strconv.Itoa(SchemaVersion)),
		parquet.Compression(parquetzstd.Zstd),
		parquet.MaxRowsPerRowGroup(rowGroupRows),
		parquet.PageBufferSize(pageBufferSize),
		// Each page's min and max go to the column index (the page
		// index engines skip pages by, and the chunk's statistics), not
		// also to its header, the older place for them
		// (https://parquet.apache.org/docs/file-format/pageindex): a
		// dictionary page's bounds compare each of its strings, and
		// computing them twice was a quarter of writing a 10,000-task
		// worker's partial.
		parquet.DataPageStatistics(false),
		parquet.CreatedBy("ecsnet", "partials", "v"+strconv.Itoa(SchemaVersion)))
	// Rows go to the writer in batches: a large cluster's object makes
	// hundreds of thousands of them, which need not all be in memory.
	batch := make([]Row, 0, writeBatch)
	flush := func() error {
		if _, err := pw.Write(batch); err != nil {
			return fmt.Errorf("partials: writing Parquet: %w", err)
		}
		clear(batch)
		batch = batch[:0]
		return nil
	}
	var checked [numTextColumns]string
	err := eachRow(p, tasks, func(r *Row) error {
		if err := r.checkText(&checked); err != nil {
			return err
		}
		batch = append(batch, *r)
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("partials: writing Parquet: %w", err)
	}
	return nil
}

// writeBatch is how many rows Write hands the Parquet writer at once.
const writeBatch = 4096

// rowGroupRows bounds a row group: the writer holds a row group's pages
// until it is complete, so one row group of a large cluster's object
// (hundreds of thousands of rows) would hold the whole file in memory.
const rowGroupRows = 1 << 16

// pageBufferSize is the most a column's values take, uncompressed,
// before the writer compresses them into a page: the writer holds one
// such buffer per column (66 of them), and at parquet-go's default
// (256 KiB) they were about half of what writing a 10,000-task object's
// partial added to the worker's heap (21 of 39 MB in a heap profile
// taken during the write). At 64 KiB the worker's peak RSS fell
// 147 -> 133 MiB, and under a 115 MiB soft memory limit (a 128 MB
// Lambda's 90 %) it stopped collecting all the time: the write took 1.1-1.6
// s instead of 3.6-4.9. The file is 6 % larger (8.95 MB against 8.43;
// bench/attrscale, -partial).
const pageBufferSize = 64 << 10

// Rows returns the rows Write writes.
func Rows(p *attribution.Partial) ([]Row, error) {
	var rows []Row
	err := eachRow(p, slices.Values(taskPointers(p.Tasks)), func(r *Row) error {
		rows = append(rows, *r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// eachRow calls emit with each row of p, its tasks from tasks, in Write's
// order; emit may keep nothing of the row it is given. A count too large
// for its column stops it with an error.
func eachRow(p *attribution.Partial, tasks iter.Seq[*attribution.TaskPart], emit func(*Row) error) error {
	var c conv
	// One row, reused: emit copies what it keeps.
	r := new(Row)
	*r = Row{Kind: KindMeta, Bytes: c.n(p.Total.Bytes), Packets: c.n(p.Total.Packets), Records: c.n(p.Total.Records),
		StepSeconds: int64(p.Config.Step / time.Second), PeersKept: int32(p.Config.PeersKept), PortsKept: int32(p.Config.PortsKept),
		InterfacesKept: int32(p.Config.InterfacesKept), PeerPrefixV4: int32(p.Config.PeerPrefixV4), PeerPrefixV6: int32(p.Config.PeerPrefixV6),
		NoPeers: p.Config.NoPeers, NoIPFallback: p.Config.NoIPFallback, LateSlackSeconds: int64(p.Config.LateSlack / time.Second),
		Topology: p.Config.Topology, RuleVersion: int32(p.Config.RuleVersion), First: tp(p.First), Last: tp(p.Last),
		ECSFieldDisagreements: c.n(p.Stats.ECSFieldDisagreements), ECSFieldOnlyRecords: c.n(p.Stats.ECSFieldOnly),
		DirectionUnknown: c.n(p.Stats.DirectionUnknown), SeriesDropped: c.n(p.Stats.SeriesDropped), SkipData: c.n(p.Stats.SkipData),
		Overflow: p.Stats.Overflow, SchemaVersion: SchemaVersion}
	if err := emit(r); err != nil {
		return err
	}
	for m, t := range p.Stats.ByMethod {
		if t != (attribution.Totals{}) {
			*r = Row{Kind: KindMethod, Method: attribution.Method(m).String(),
				Bytes: c.n(t.Bytes), Packets: c.n(t.Packets), Records: c.n(t.Records)}
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	if err := attribution.CheckInputs(p.Inputs); err != nil {
		return fmt.Errorf("partials: %w", err)
	}
	for _, in := range p.Inputs {
		*r = Row{Kind: KindInput, InputName: in.Name, InputSince: tp(in.Since), InputUntil: tp(in.Until)}
		if err := emit(r); err != nil {
			return err
		}
	}
	for _, u := range p.Unattributed {
		*r = Row{Kind: KindUnattributed, Reason: u.Reason.String(), InterfacesBound: c.n(u.InterfacesBound),
			Bytes: c.n(u.Bytes), Packets: c.n(u.Packets), Records: c.n(u.Records)}
		if err := emit(r); err != nil {
			return err
		}
		for _, x := range u.TopInterfaces {
			*r = Row{Kind: KindInterface, Reason: u.Reason.String(), InterfaceID: x.ID,
				Bytes: c.n(x.Bytes), Records: c.n(x.Records), MaxError: c.n(x.MaxError)}
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	for t := range tasks {
		dims := Row{TaskARN: t.Task.ARN, ClusterARN: t.Task.ClusterARN, Cluster: t.Task.Cluster(), ServiceGroup: t.Task.Group,
			Family: t.Task.Family, ContainerInstanceARN: t.Task.ContainerInstanceARN}
		if t.Instance != nil {
			dims.EC2InstanceID = t.Instance.EC2InstanceID
		}
		*r = dims
		r.Kind = KindTask
		r.TaskDefinitionARN, r.Revision, r.LaunchType = t.Task.TaskDefinitionARN, int64(t.Task.Revision), t.Task.LaunchType
		r.NetworkMode, r.AvailabilityZone, r.SubnetID, r.ENI = t.Task.NetworkMode.String(), t.Task.AvailabilityZone, t.Task.SubnetID, t.Task.ENI
		r.IPv4, r.IPv6, r.LastStatus, r.TaskVersion = addr(t.Task.IPv4), addr(t.Task.IPv6), t.Task.LastStatus, t.Task.Version
		r.ValidStart, r.ValidEnd, r.ECSFieldOnly = tp(t.Task.Valid.Start), tp(t.Task.Valid.End), t.ECSFieldOnly
		if in := t.Instance; in != nil {
			r.InstanceKnown = true
			r.InstanceType, r.InstanceAZ, r.InstanceVersion = in.InstanceType, in.AvailabilityZone, in.Version
		}
		r.BytesIn, r.BytesOut, r.BytesUnknown = c.n(t.BytesIn), c.n(t.BytesOut), c.n(t.BytesUnknown)
		r.PacketsIn, r.PacketsOut, r.PacketsUnknown = c.n(t.PacketsIn), c.n(t.PacketsOut), c.n(t.PacketsUnknown)
		r.AcceptedBytes, r.RejectedBytes = c.n(t.AcceptedBytes), c.n(t.RejectedBytes)
		r.InferredBytes, r.InferredRecords = c.n(t.InferredBytes), c.n(t.InferredRecords)
		r.PeersBound, r.PortsBound = c.n(t.PeersBound), c.n(t.PortsBound)
		r.Bytes, r.Packets, r.Records = c.sum(t.BytesIn, t.BytesOut, t.BytesUnknown), c.sum(t.PacketsIn, t.PacketsOut, t.PacketsUnknown), c.n(t.Records)
		if err := emit(r); err != nil {
			return err
		}
		for _, x := range t.Peers {
			*r = dims
			r.Kind, r.Peer, r.PeerService, r.PeerClass = KindPeer, prefix(x), x.Service, x.Class.Key()
			r.Bytes, r.Packets, r.Records, r.MaxError = c.n(x.Bytes), c.n(x.Packets), c.n(x.Records), c.n(x.MaxError)
			if err := emit(r); err != nil {
				return err
			}
		}
		for _, x := range t.Ports {
			*r = dims
			r.Kind, r.Protocol, r.Port = KindPort, int32(x.Protocol), int32(x.Port)
			r.Bytes, r.Packets, r.Records, r.MaxError = c.n(x.Bytes), c.n(x.Packets), c.n(x.Records), c.n(x.MaxError)
			if err := emit(r); err != nil {
				return err
			}
		}
		for _, cl := range attribution.PeerClasses() {
			if t.ClassBytes[cl] == 0 {
				continue
			}
			*r = dims
			r.Kind, r.PeerClass = KindClass, cl.Key()
			r.BytesIn, r.BytesOut = c.n(t.ClassBytesIn[cl]), c.n(t.ClassBytesOut[cl])
			r.BytesUnknown, r.Bytes = c.n(t.ClassBytes[cl]-t.ClassBytesIn[cl]-t.ClassBytesOut[cl]), c.n(t.ClassBytes[cl])
			if err := emit(r); err != nil {
				return err
			}
		}
		for _, x := range t.Series {
			*r = dims
			r.Kind, r.BucketStart = KindPoint, tp(x.Start)
			r.BytesIn, r.BytesOut, r.BytesUnknown = c.n(x.BytesIn), c.n(x.BytesOut), c.n(x.BytesUnknown)
			r.Bytes = c.sum(x.BytesIn, x.BytesOut, x.BytesUnknown)
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	return c.err
}

// inputAfter reports why in cannot follow the inputs before it, which
// attribution.CheckInputs has passed: only its neighbour can refuse it.
func inputAfter(in attribution.Input, before []attribution.Input) error {
	pair := []attribution.Input{in}
	if k := len(before); k > 0 {
		pair = []attribution.Input{before[k-1], in}
	}
	return attribution.CheckInputs(pair)
}

// textColumns are the names of Row's string columns, in the order of
// Row.text.
var textColumns = func() (names []string) {
	t := reflect.TypeFor[Row]()
	for i, name := range Columns() {
		if t.Field(i).Type.Kind() == reflect.String {
			names = append(names, name)
		}
	}
	return names
}()

// numTextColumns is how many string columns Row has (a test holds it and
// Row.text to the struct).
const numTextColumns = 27

// text returns the row's string columns, in field order.
func (r *Row) text() [numTextColumns]string {
	return [...]string{r.Kind, r.TaskARN, r.ClusterARN, r.Cluster, r.ServiceGroup, r.Family, r.ContainerInstanceARN,
		r.EC2InstanceID, r.TaskDefinitionARN, r.LaunchType, r.NetworkMode, r.AvailabilityZone, r.SubnetID, r.ENI,
		r.IPv4, r.IPv6, r.LastStatus, r.InstanceType, r.InstanceAZ, r.Peer, r.PeerService, r.PeerClass,
		r.InterfaceID, r.Reason, r.Method, r.InputName, r.Topology}
}

// checkText refuses a row holding text that is not UTF-8, naming its
// column. checked holds the values of the rows checked before: a task's
// ARN, cluster and service are in every row of the task, and a value
// equal to the one before (the same string, most often) is not checked
// again.
func (r *Row) checkText(checked *[numTextColumns]string) error {
	for i, s := range r.text() {
		if s == checked[i] {
			continue
		}
		if !utf8.ValidString(s) {
			return fmt.Errorf("partials: %s row, column %s: %s is not UTF-8 (a Parquet string is)", r.Kind, textColumns[i], awswire.Quote(s))
		}
		checked[i] = s
	}
	return nil
}

// conv converts counts to columns, keeping the first that does not fit.
type conv struct{ err error }

func (c *conv) n(v uint64) int64 {
	if v > math.MaxInt64 && c.err == nil {
		c.err = fmt.Errorf("partials: a count of %d does not fit a 64-bit signed column", v)
	}
	return int64(v)
}

// sum converts the count a + b + d (a row's bytes or packets, of its
// directions), which must not wrap either.
func (c *conv) sum(a, b, d uint64) int64 {
	s, c1 := bits.Add64(a, b, 0)
	s, c2 := bits.Add64(s, d, 0)
	if c1|c2 != 0 && c.err == nil {
		c.err = fmt.Errorf("partials: a count of %d + %d + %d does not fit a 64-bit signed column", a, b, d)
	}
	return c.n(s)
}

func tp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// addr is a's string, "" for none.
func addr(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func prefix(p attribution.Peer) string {
	if !p.Prefix.IsValid() {
		return ""
	}
	return p.Prefix.String()
}

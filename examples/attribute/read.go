package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
	"github.com/ecsnet/ecsnet/flowlogs/s3source"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// reading is how flow logs are read (window, format, lenient mode) and
// what was read, per file: the counts that tell an empty input from a
// window that missed, and -lenient's per-file report.
type reading struct {
	since, until time.Time
	format       *flowlogs.Format
	lenient      bool
	progress     *cli.Progress

	mu      sync.Mutex
	sources []string        // what was asked for, for messages
	read    []source.Source // what was read, listed: -export reads it again
	objects int64           // files or objects read
	size    int64           // the bytes of those listed, when known: -export's second read reads as much
	stats   flowlogs.Stats
	skipped []skippedFile
	copies  map[string]int64 // records counted from the files watch named
	// naming says whether to name what is read in inputs, by name
	// (inputName): the Inputs of the partial -partial writes.
	naming bool
	inputs map[string]readInput
	// gathers are the inputs of the files read that gather others'
	// records (-export's flowlogs.parquet), by file name, and held those
	// of them whose records were kept: the file is named by them.
	gathers map[string][]attribution.Input
	held    []attribution.Input

	// What the files' formats lack or contradict, noted as each file's
	// read ends (formatOf), for the checks after the read: files without
	// a field no join can do without (formatFaults), files with records
	// but no time (undatedNote), and, with -log-format, files read in a
	// format of their own that is not the flag's (formatUnused) and
	// whether any file was read in the flag's.
	faults  noted
	undated noted
	differ  noted
	applied bool

	// flowLogs counts the records kept of each flow log, by the ID its
	// deliveries' names carry, per account and Region (flowLogsNote).
	flowLogs map[[2]string]map[string]int64
}

// noted counts files alike and keeps the first maxNoted of them by name,
// with why each was noted: enough to name in a message without holding a
// note per object of a large bucket.
type noted struct {
	n       int
	records int64
	first   []fileNote
}

type fileNote struct {
	name, why string
	partial   bool // a local Parquet file: maybe a partial
}

// maxNoted is how many files of a kind a message names; the rest are
// counted.
const maxNoted = 3

func (n *noted) add(f fileNote, records int64) {
	n.n++
	n.records += records
	i := sort.Search(len(n.first), func(i int) bool { return n.first[i].name > f.name })
	if i < maxNoted {
		n.first = slices.Insert(n.first, i, f)
		n.first = n.first[:min(len(n.first), maxNoted)]
	}
}

// names is the first file's name, with how many more there are.
func (n *noted) names() string {
	if n.n == 0 {
		return ""
	}
	s := awswire.Plain(n.first[0].name) // a key listed from S3, maybe
	switch more := n.n - 1; {
	case more == 1:
		s += " (and 1 more file)"
	case more > 1:
		s += fmt.Sprintf(" (and %d more files)", more)
	}
	return s
}

// watch counts the records read from the file name (a copy of another,
// which checkOnce found), for returned.
func (rd *reading) watch(name string) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if rd.copies == nil {
		rd.copies = map[string]int64{}
	}
	rd.copies[name] = 0
}

// returned is how many records of the watched file name were counted.
func (rd *reading) returned(name string) int64 {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	return rd.copies[name]
}

type skippedFile struct {
	name  string
	lines int64
	first string
	none  bool // not one of its lines was a record
}

// windowed reports whether -since or -until was given.
func (rd *reading) windowed() bool { return !rd.since.IsZero() || !rd.until.IsZero() }

// readerOptions are the options of every flowlogs.Reader.
func (rd *reading) readerOptions() []flowlogs.Option {
	return append([]flowlogs.Option{flowlogs.WithFields(attribution.Fields()...)}, rd.recordOptions()...)
}

// recordOptions choose the records read (format, lenience, window), with
// every field: -export reads the run's records again with them.
func (rd *reading) recordOptions() []flowlogs.Option {
	var opts []flowlogs.Option
	if rd.format != nil {
		opts = append(opts, flowlogs.WithFormat(rd.format))
	}
	if rd.lenient {
		opts = append(opts, flowlogs.WithLenient(1))
	}
	if rd.windowed() {
		// By start, as -log-group reads (CloudWatch Logs places a record
		// at its start): back-to-back windows then add up to one run,
		// where by overlap a record spanning their boundary was in both.
		opts = append(opts, flowlogs.WithFilter(flowlogs.Filter{Since: rd.since, Until: rd.until, ByStart: true}))
	}
	return opts
}

// isLocal reports whether src's object names are paths of local files.
func isLocal(src source.Source) bool {
	if l, ok := src.(source.Listed); ok {
		src = l.Source
	}
	switch src.(type) {
	case source.Files, *source.Dir:
		return true
	}
	return false
}

// namePrefix is what makes an object name of src a name to show: its
// s3://bucket/ for an S3 source; local names are paths already.
func namePrefix(src source.Source) string {
	if l, ok := src.(source.Listed); ok {
		src = l.Source
	}
	if b, ok := src.(*s3source.Bucket); ok {
		return "s3://" + b.Bucket + "/"
	}
	return ""
}

// prune is the window as source.Prune, for sources laid out like S3
// delivery.
func (rd *reading) prune() source.Prune {
	return source.Prune{Since: rd.since, Until: rd.until}
}

// records reads src's records with the reader options and the
// per-object report (and opts), its bytes counted on the progress line
// as they are read (countBytes).
func (rd *reading) records(ctx context.Context, src source.Source, opts ...source.Option) iter.Seq2[*flowlogs.Record, error] {
	counted, rest := countBytes(src, rd.progress)
	return source.Records(ctx, counted, append(rd.sourceOptions(src, rest), opts...)...)
}

// sourceOptions are the options of source.Records over src: the reader
// options and the per-object report; rest is what of an object's size
// the progress line has yet to count.
func (rd *reading) sourceOptions(src source.Source, rest func(source.Object) int64) []source.Option {
	prefix, local := namePrefix(src), isLocal(src)
	return []source.Option{
		source.WithReaderOptions(rd.readerOptions()...),
		source.WithObjectDone(func(d source.ObjectDone) {
			name := prefix + d.Object.Name
			rd.done(name, rest(d.Object), d.Stats, d.Malformed)
			rd.objectInput(name, local, d)
			rd.formatOf(name, local, d)
			rd.flowLogOf(d)
		}),
	}
}

// objectInput names a file or object read among the partial's Inputs,
// when something of it was kept: an object of which no record was kept
// (one pruning kept at the window's edge) adds nothing, and named, it
// would refuse the partial beside another object's that does. The window
// places a record at its start, or without one at its end; a record with
// neither is kept by every window, so an object in a format without both
// is named whole. A file that gathers others' records (-export's
// flowlogs.parquet) is named by the inputs it records, as it records
// them, not cut to this run's window: a record without a start or end is
// kept by every window, and the file cannot tell which of them it holds.
func (rd *reading) objectInput(name string, local bool, d source.ObjectDone) {
	if !rd.naming || d.Stats.Returned == 0 {
		return
	}
	if g, ok := rd.gathersOf(name); ok && local {
		rd.mu.Lock()
		rd.held = append(rd.held, g...)
		rd.mu.Unlock()
		return
	}
	in := attribution.Input{Name: inputName(name, d.Object.Key, local), Since: rd.since, Until: rd.until}
	whole := d.Format == nil || !d.Format.Has(flowlogs.FieldStart) && !d.Format.Has(flowlogs.FieldEnd)
	if whole {
		in.Since, in.Until = time.Time{}, time.Time{}
	}
	rd.noteInput(in, whole)
}

// inputName names a file or object read so that any copy of it has the
// name: a delivery by its name (a local copy of a bucket, a decompressed
// one and the object hold the same records), another local file by the
// SHA-256 of its bytes (wherever it lies and however reached; one path
// that held other bytes in another run is another input). Objects read
// from S3 are deliveries: a listing keeps no other name.
func inputName(name string, k source.Key, local bool) string {
	if dn := k.DeliveryName(); dn != "" {
		return dn
	}
	if local {
		if sum, ok := hashFile(name, sha256.New(), -1); ok {
			return "sha256:" + hex.EncodeToString(sum)
		}
		if abs, err := filepath.Abs(name); err == nil {
			return abs // the file went away since it was read
		}
	}
	return name
}

// A readInput is an input read, whole when its records are not kept by
// time (a format without start and end): partialInputs leaves its window
// alone.
type readInput struct {
	attribution.Input
	whole bool
}

// gathered notes that the local file name gathers the records of ins.
func (rd *reading) gathered(name string, ins []attribution.Input) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if rd.gathers == nil {
		rd.gathers = map[string][]attribution.Input{}
	}
	rd.gathers[name] = ins
}

func (rd *reading) gathersOf(name string) ([]attribution.Input, bool) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	g, ok := rd.gathers[name]
	return g, ok
}

// noteInput notes one file, object or log stream read, with the window
// of record starts kept from it.
func (rd *reading) noteInput(in attribution.Input, whole bool) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if rd.inputs == nil {
		rd.inputs = map[string]readInput{}
	}
	rd.inputs[in.Name] = readInput{in.WholeSeconds(), whole || rd.inputs[in.Name].whole}
}

// partialInputs are the Inputs of the partial of what was read, in
// order; last is the latest time a record kept is placed at, its start or
// else its end (Partial.Last), which is how the window places it. Without
// -until, the window kept ends after last rather than never: every record
// kept is in it, and the next run's partial, from where this one's records
// end (a cron job's -since 6h), does not overlap it on paper. So is a
// partial's window made of its data, not of the clock, and two partials of
// one input are alike byte for byte.
func (rd *reading) partialInputs(last time.Time) []attribution.Input {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	out := make([]attribution.Input, 0, len(rd.inputs))
	for _, r := range rd.inputs {
		in := r.Input
		if in.Until.IsZero() && !last.IsZero() && !r.whole && !in.Since.After(last) {
			in = attribution.Input{Name: in.Name, Since: in.Since, Until: last.Add(time.Second)}.WholeSeconds()
		}
		out = append(out, in)
	}
	out = append(out, rd.held...)
	slices.SortFunc(out, attribution.CompareInputs)
	return out
}

// done counts one file or object read, and shows it in the progress line
// (size: its bytes the line has not counted yet).
func (rd *reading) done(name string, size int64, st flowlogs.Stats, m []*flowlogs.ParseError) {
	rd.tally(name, st, m)
	rd.progress.Add(1, st.Records, size)
}

// tally counts one file or object read (or a log group's read, whose
// progress line the read draws itself).
func (rd *reading) tally(name string, st flowlogs.Stats, m []*flowlogs.ParseError) {
	rd.mu.Lock()
	rd.objects++
	rd.stats.Records += st.Records
	rd.stats.Returned += st.Returned
	rd.stats.Lines += st.Lines
	rd.stats.Headers += st.Headers
	rd.stats.Malformed += st.Malformed
	if n, ok := rd.copies[name]; ok {
		rd.copies[name] = n + st.Returned
	}
	if st.Malformed > 0 {
		s := skippedFile{name: name, lines: st.Malformed, none: st.Records == 0}
		if len(m) > 0 {
			s.first = awswire.Plain(cli.OnePrefix(m[0].Error())) // names a key listed from S3, maybe
		}
		rd.skipped = append(rd.skipped, s)
	}
	rd.mu.Unlock()
}

// reportSkipped prints -lenient's count of skipped lines per file, with
// the first reason; after a failed read (failed), it does not claim that
// the lines it never reached were well formed. That none was skipped is
// an info line, which goes to info (nowhere with -q), as cwlogs's does.
func (rd *reading) reportSkipped(w, info io.Writer, failed bool) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if !rd.lenient {
		return
	}
	sort.Slice(rd.skipped, func(i, j int) bool { return rd.skipped[i].name < rd.skipped[j].name })
	for _, s := range rd.skipped {
		lines := "lines"
		if s.lines == 1 {
			lines = "line"
		}
		fmt.Fprintf(w, "attribute: -lenient: skipped %d malformed %s in %s; first: %s\n", s.lines, lines, awswire.Plain(s.name), s.first)
	}
	if len(rd.skipped) == 0 && !failed {
		what := "file"
		if len(rd.sources) == 1 && strings.HasPrefix(rd.sources[0], "log group ") {
			what = "stream" // each stream read is one of rd.objects
		}
		if rd.objects != 1 {
			what += "s"
		}
		fmt.Fprintf(info, "attribute: -lenient: no malformed lines in %d %s\n", rd.objects, what)
	}
}

// joinFields are the fields a record is joined to a task by: without one
// of them, it names nothing a task had.
var joinFields = []flowlogs.Field{flowlogs.FieldInterfaceID, flowlogs.FieldSrcAddr, flowlogs.FieldDstAddr,
	flowlogs.FieldPktSrcAddr, flowlogs.FieldPktDstAddr, flowlogs.FieldECSTaskARN, flowlogs.FieldECSTaskID}

// formatOf notes what the format the file name was read in lacks or
// contradicts (see reading's fields), as its read ends. local says that
// name is a path.
func (rd *reading) formatOf(name string, local bool, d source.ObjectDone) {
	f, st := d.Format, d.Stats
	if f == nil {
		return // not opened, or no line read
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	// A header line or Parquet columns are the file's own format, which
	// -log-format does not override.
	own := st.Headers > 0 || d.Object.IsParquet()
	if rd.format != nil {
		switch {
		case d.Object.IsParquet():
			// Its Format is the columns read, not all of them, so it
			// cannot be compared with the flag's; the flag cannot change
			// how a Parquet file is read either way.
			rd.differ.add(fileNote{name: name, why: "it is Parquet, whose columns are its format"}, st.Records)
		case own && !f.Equal(rd.format):
			rd.differ.add(fileNote{name: name, why: fmt.Sprintf("it has a header line of its own, %q, which it was read in", f.Header())}, st.Records)
		case !own && st.Records+st.Malformed > 0:
			rd.applied = true
		}
	}
	if st.Records == 0 {
		return // nothing of it to attribute
	}
	joins := slices.ContainsFunc(joinFields, f.Has)
	// A record without a start is placed at its end (attribution's
	// rule); one without either, nowhere, unless it names its ECS task.
	timed := f.Has(flowlogs.FieldStart) || f.Has(flowlogs.FieldEnd)
	if !timed && !f.Has(flowlogs.FieldECSTaskARN) && !f.Has(flowlogs.FieldECSTaskID) {
		rd.undated.add(fileNote{name: name}, st.Records)
	}
	shown := name
	if rd.format != nil && !own {
		// Read in -log-format: what it lacks, the flag lacks.
		shown = "-log-format (" + name + " has no header line)"
	}
	var why string
	switch {
	case timed && joins:
		return
	case !timed && !joins:
		why = " has neither a start or end field nor an interface-id, address or ecs-task field"
	case !timed:
		why = " has no start or end field: its records cannot be placed in time"
	default:
		why = " has no interface-id, address or ecs-task field: its records name nothing to join to a task"
	}
	rd.faults.add(fileNote{name: shown, why: shown + why, partial: local && d.Object.IsParquet()}, st.Records)
}

// formatUnused says which files were read in a format of their own that
// -log-format contradicts. Given for none of the files read, the flag did
// not apply, and the user meant it for those: an error. Given for
// header-less files among them, it did apply, and those read in their own
// format were read right: a note (stderr), as a mixed run is no mistake.
func (rd *reading) formatUnused(stderr io.Writer) error {
	rd.mu.Lock()
	differ, applied := rd.differ, rd.applied
	rd.mu.Unlock()
	if differ.n == 0 {
		return nil
	}
	why := differ.first[0].why
	if applied {
		fmt.Fprintf(stderr, "attribute: note: -log-format was not used for %s: %s\n", differ.names(), why)
		return nil
	}
	return fmt.Errorf("-log-format does not apply to %s: %s; -log-format is for files without a header line: leave it out", differ.names(), why)
}

// flowLogOf counts the records kept of a delivery by its flow log.
func (rd *reading) flowLogOf(d source.ObjectDone) {
	k := d.Object.Key
	if k.FlowLogID == "" || d.Stats.Returned == 0 {
		return
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if rd.flowLogs == nil {
		rd.flowLogs = map[[2]string]map[string]int64{}
	}
	at := [2]string{k.Account, k.Region}
	if rd.flowLogs[at] == nil {
		rd.flowLogs[at] = map[string]int64{}
	}
	rd.flowLogs[at][k.FlowLogID] += d.Stats.Returned
}

// flowLogsNote says when the records come from several flow logs of one
// account and Region (severalFlowLogs).
func (rd *reading) flowLogsNote(stderr io.Writer) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	severalFlowLogs(stderr, rd.flowLogs, "records")
}

// severalFlowLogs notes each account and Region whose counts (of records
// or objects, what) are of several flow logs. Several flow logs may
// capture one interface (a VPC's and one of its subnets', or two of the
// interface; in CloudWatch Logs they share its stream, reference flowlogs
// §5.1), each recording its flows, and their records are then counted
// once for each: a record cannot tell a copy from a second flow of the
// same numbers. Flow logs that split the traffic (an ACCEPT-only and a
// REJECT-only one) add up right: a note, not an error.
func severalFlowLogs(stderr io.Writer, counts map[[2]string]map[string]int64, what string) {
	for _, at := range slices.SortedFunc(maps.Keys(counts), func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }) {
		ids := counts[at]
		if len(ids) < 2 {
			continue
		}
		var each []string
		for _, id := range slices.Sorted(maps.Keys(ids)) {
			each = append(each, fmt.Sprintf("%s %d", awswire.Plain(id), ids[id])) // from a key listed from S3
		}
		fmt.Fprintf(stderr, "attribute: note: the records of account %s in %s come from %d flow logs (%s: %s): "+
			"where two of them capture the same interfaces (a VPC's and one of its subnets', or two of one interface, with filters that overlap), "+
			"their traffic is counted once for each; read one flow log's deliveries (its fl- ID is in their names) for totals without copies\n",
			at[0], at[1], len(ids), what, strings.Join(each, ", "))
	}
}

// undatedNote says which files' records no task's lifetime can hold, as
// their format has no time: counted, but only ever as unattributed. When
// no record was attributed, formatFaults says it in the error instead.
func (rd *reading) undatedNote(stderr io.Writer) {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if rd.undated.n == 0 {
		return
	}
	fmt.Fprintf(stderr, "attribute: note: %s has no start or end field: its %d records cannot be placed in time, so they count as unattributed\n",
		rd.undated.names(), rd.undated.records)
}

// notFlowLogs is the error for a file -lenient skipped whole: of which no
// line was a record. Skipping bad lines is for a few in a flow log, and
// such a file is no flow log at all (a JSON document given by mistake).
func (rd *reading) notFlowLogs() error {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	for _, s := range rd.skipped {
		if s.none {
			// reportSkipped has said why its first line is not a record.
			return fmt.Errorf("-lenient: %s: not one of its lines is a flow-log record (%d malformed): not flow logs", s.name, s.lines)
		}
	}
	return nil
}

// answer is what checkAnswer needs of a Result or a Partial.
type answer struct {
	total        attribution.Totals
	attributed   uint64 // records
	first, last  time.Time
	unattributed []attribution.Unattributed
}

// resultAnswer reads the answer from a Result, or from ResultStream's
// head, which has no groups: every record counted is attributed or
// unattributed.
func resultAnswer(r *attribution.Result) answer {
	return answer{total: r.Total, attributed: r.Total.Records - r.UnattributedTotal().Records,
		first: r.First, last: r.Last, unattributed: r.Unattributed}
}

// partialAnswer reads the answer from a partial's head, without its
// tasks: every record counted is attributed or unattributed.
func partialAnswer(p *attribution.Partial) answer {
	a := answer{total: p.Total, attributed: p.Total.Records, first: p.First, last: p.Last}
	for _, u := range p.Unattributed {
		a.unattributed = append(a.unattributed, u.Unattributed)
		a.attributed -= u.Records
	}
	return a
}

// unmatched is checkAnswer's error for flow logs that could match (they
// have the fields a join needs, and their time meets the tasks') of which
// no record was attributed all the same: for one object among many (a NAT
// gateway's), a fact that -partial notes rather than a mistake in the
// input.
type unmatched struct{ msg string }

func (e *unmatched) Error() string { return e.msg }

// noFiles is the error of flow logs that list no file or object to read
// (in the window, when there is one).
func (rd *reading) noFiles() error {
	from := strings.Join(rd.sources, ", ")
	if rd.windowed() {
		return fmt.Errorf("no flow-log files in %s for -since/-until: %s", from, cli.Window(rd.since, rd.until))
	}
	return fmt.Errorf("no flow-log files in %s", from)
}

// checkAnswer turns answers that would be silent zeros into errors: no
// files, no records, no records in the window, or nothing attributed
// (saying why when the input shows it: files without the fields a join
// needs, records without a time, time spans that do not meet).
func checkAnswer(ctx context.Context, r answer, ix *history.Index, rd *reading) error {
	from := strings.Join(rd.sources, ", ")
	if r.total.Records == 0 {
		switch {
		case rd.objects == 0 && strings.HasPrefix(from, "log group "):
			return fmt.Errorf("no streams with flow-log events in %s for -since/-until: %s", from, cli.Window(rd.since, rd.until))
		case rd.objects == 0:
			return rd.noFiles()
		case rd.stats.Records > 0:
			return fmt.Errorf("none of the %d records read from %s lies in -since/-until: %s%s", rd.stats.Records, from, cli.Window(rd.since, rd.until), rd.recordSpan(ctx))
		case strings.HasPrefix(from, "log group ") && rd.stats.Malformed == 0:
			// Streams are read when their last event time may lag (a
			// window that ends about now): read, and without an event in
			// the window. A log group has no files nor header lines.
			streams := "streams"
			if rd.objects == 1 {
				streams = "stream"
			}
			return fmt.Errorf("no flow-log events in %s for -since/-until: %s (%d %s read)", from, cli.Window(rd.since, rd.until), rd.objects, streams)
		default:
			return fmt.Errorf("no flow-log records in %s: %d files read, all empty or header lines only", from, rd.objects)
		}
	}
	if r.attributed > 0 {
		return nil
	}
	if faults := rd.formatFaults(); len(faults) > 0 {
		return fmt.Errorf("no record could be attributed to a task: %s", strings.Join(faults, "; "))
	}
	// Records without a start or an end have no place in time: the span
	// is zero (Result.First and Last).
	if r.first.IsZero() && r.last.IsZero() {
		return fmt.Errorf("no record could be attributed to a task: none of the %d records read from %s carries a start time", r.total.Records, from)
	}
	tFrom, tTo, n := taskSpan(ix)
	flowSpan := cli.Span(r.first, r.last)
	if n > 0 && (!tTo.IsZero() && tTo.Before(r.first) || !tFrom.IsZero() && tFrom.After(r.last)) {
		return fmt.Errorf("the task data and the flow logs do not overlap in time: %d tasks span %s, the flow-log records start %s",
			n, cli.Span(tFrom, tTo), flowSpan)
	}
	var why []string
	for _, u := range r.unattributed {
		why = append(why, fmt.Sprintf("%s %d", u.Reason, u.Records))
	}
	return &unmatched{fmt.Sprintf("no record could be attributed to a task (%d records starting %s; unattributed: %s; the %d tasks span %s)",
		r.total.Records, flowSpan, strings.Join(why, ", "), n, cli.Span(tFrom, tTo))}
}

// spanOptions are recordSpan's reader options: the first read's format,
// the start field alone, no window, and lenient keeping no errors, as the
// first read reported them.
func (rd *reading) spanOptions() source.Option {
	opts := []flowlogs.Option{flowlogs.WithLenient(0), flowlogs.WithFields(flowlogs.FieldStart)}
	if rd.format != nil {
		opts = append(opts, flowlogs.WithFormat(rd.format))
	}
	return source.WithReaderOptions(opts...)
}

// recordSpan says when the records read start, for a window that kept none
// of them: where the window should have been. The window dropped them as
// they were read, so the files are read once more, without it, for their
// start field alone: the cost of an error, not of a run. A source it
// cannot read again (a log group) says nothing.
func (rd *reading) recordSpan(ctx context.Context) string {
	type span struct{ first, last time.Time }
	var all span
	for _, src := range rd.read {
		spans, err := source.Map(ctx, src, func(o source.Object, r *flowlogs.Reader) (span, error) {
			var s span
			for r.Scan() {
				t := r.Record().StartTime()
				if t.IsZero() {
					continue
				}
				if s.first.IsZero() || t.Before(s.first) {
					s.first = t
				}
				if t.After(s.last) {
					s.last = t
				}
			}
			return s, nil
		}, rd.spanOptions(), parquetsource.WithDecoder())
		if err != nil {
			return ""
		}
		for _, s := range spans {
			if !s.first.IsZero() && (all.first.IsZero() || s.first.Before(all.first)) {
				all.first = s.first
			}
			if s.last.After(all.last) {
				all.last = s.last
			}
		}
	}
	// The window keeps a record without a start, so each record it dropped
	// had one: none found means the files changed since they were read.
	if all.first.IsZero() {
		return ""
	}
	return "; the records start " + cli.Span(all.first, all.last)
}

// formatFaults describes the files whose format lacks a field no join can
// do without (formatOf noted them): a time, which places a record in a
// task's lifetime, and an interface, address or ECS task to join it to a
// task. A local Parquet file among them is read once more, to tell a
// partial result given as flow logs.
func (rd *reading) formatFaults() []string {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	var faults []string
	for _, f := range rd.faults.first {
		if f.partial && isPartial(f.name) {
			faults = append(faults, f.name+" is a partial result (-partial writes them), not flow logs: add it up with -merge")
			continue
		}
		faults = append(faults, f.why)
	}
	if more := rd.faults.n - len(rd.faults.first); more > 0 {
		faults = append(faults, fmt.Sprintf("and %d more files alike", more))
	}
	return faults
}

// isPartial reports whether the Parquet file name is a partials file,
// which -flowlogs reads as flow logs with other columns.
func isPartial(name string) bool {
	_, err := partials.ReadFile(name)
	return err == nil
}

// taskSpan is when the history's tasks held their network identity: the
// earliest start and the latest end (zero when one is still open).
func taskSpan(ix *history.Index) (from, to time.Time, n int) {
	open := false
	for _, t := range ix.Tasks() {
		n++
		if s := t.Valid.Start; !s.IsZero() && (from.IsZero() || s.Before(from)) {
			from = s
		}
		switch e := t.Valid.End; {
		case e.IsZero():
			open = true
		case e.After(to):
			to = e
		}
	}
	if open {
		to = time.Time{}
	}
	return from, to, n
}

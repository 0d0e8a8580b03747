package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/ec2primary"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
	"github.com/ecsnet/ecsnet/flowlogs/s3source"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/internal/loggroup"
)

// sample is the embedded demo cluster and its flow logs, written by
// internal/gensample.
//
//go:embed sample
var sample embed.FS

type input struct {
	index    *history.Index
	topology attribution.Topology
	title    string
}

func sampleHistory() (input, error) {
	b := history.NewBuilder()
	files, err := fs.Glob(sample, "sample/tasks/*.json")
	if err != nil {
		return input{}, err
	}
	for _, name := range files {
		f, err := sample.Open(name)
		if err != nil {
			return input{}, err
		}
		_, err = b.Load(f, name)
		f.Close()
		if err != nil {
			return input{}, err
		}
	}
	topo, err := sampleTopology()
	if err != nil {
		return input{}, err
	}
	return input{index: b.Index(), topology: topo, title: "ECS task traffic — embedded sample cluster \"demo\""}, nil
}

// sampleFlowLogs reads the embedded sample's S3-layout tree like a
// directory: pruned by the window, through the same counts and checks.
func sampleFlowLogs(ctx context.Context, a *attribution.Attributor, rd *reading) error {
	rd.sources = []string{"the embedded sample"}
	// Listed once, here, as -flowlogs is, and read as it is: the sizes
	// of its files are known, and the progress line (and -export's) says
	// of how many objects and bytes.
	fsrc := &fsSource{fsys: sample, root: "sample/flowlogs", prune: rd.prune()}
	objs, err := fsrc.List(ctx)
	if err != nil {
		return err
	}
	l := &flowLogList{srcs: []source.Source{source.Listed{Source: fsrc, Objects: objs}}, objects: int64(len(objs))}
	for _, o := range objs {
		l.size += max(o.Size, 0)
	}
	return readFlowLogs(ctx, a, l, rd)
}

// fsSource is a source.Source over a tree of an fs.FS (the embedded
// sample), pruned like source.Dir.
type fsSource struct {
	fsys  fs.FS
	root  string
	prune source.Prune
}

func (s *fsSource) List(ctx context.Context) ([]source.Object, error) {
	var objs []source.Object
	err := fs.WalkDir(s.fsys, s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != s.root && !s.prune.KeepDir(p) {
				return fs.SkipDir
			}
			return nil
		}
		k, err := source.ParseKey(p)
		if err != nil || !s.prune.Keep(k) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		objs = append(objs, source.Object{Name: p, Size: info.Size(), Key: k})
		return nil
	})
	sort.Slice(objs, func(i, j int) bool { return objs[i].Name < objs[j].Name })
	return objs, err
}

func (s *fsSource) Open(ctx context.Context, o source.Object) (io.ReadCloser, error) {
	return s.fsys.Open(o.Name)
}

// fileHistory loads task data from files and directories (every *.json and
// *.jsonl file under a directory, in name order).
func fileHistory(paths []string, stderr io.Writer) (input, error) {
	all, err := localFiles("-tasks", paths, ".json", ".jsonl", ".parquet")
	if err != nil {
		return input{}, err
	}
	files := names(all)
	// A file given twice is a mistake in the arguments, as for -flowlogs,
	// though observations given twice merge. So are two copies of a
	// history table, whose rows would be there twice; copies of describe
	// output overlap as any two observations of a task do.
	table := func(r reached) bool { return strings.HasSuffix(r.name, ".parquet") }
	copyOf, err := checkOnce("-tasks", all, table)
	if err != nil {
		return input{}, err
	}
	if len(copyOf) > 0 {
		i := slices.Min(slices.Collect(maps.Keys(copyOf)))
		return input{}, fmt.Errorf("-tasks: %s and %s hold the same bytes, a copy of one history table: give it once", all[copyOf[i]], all[i])
	}
	if tables := parquetFiles(files); len(tables) > 0 {
		if len(tables) < len(files) {
			return input{}, fmt.Errorf("-tasks: %s is a history table (Parquet) and %s is not: give one kind", tables[0], nonParquet(files))
		}
		return tableHistory(tables)
	}
	b := history.NewBuilder()
	// The user's own files: a large cluster's eni snapshot is one JSON
	// value past the library's default bound, which guards readers of
	// input from elsewhere.
	b.MaxValueBytes = maxTaskValue
	st, err := b.LoadFiles(files...)
	if err != nil {
		// A flow log given as task data fails on every line: one line
		// saying so is the answer, not a JSON error per line.
		for _, f := range files {
			if cli.Sniff(f).ID == cli.KindFlowLogText {
				return input{}, fmt.Errorf("-tasks: %s holds flow-log records, not task data: give it to -flowlogs", f)
			}
		}
		// Another kind of file the programs know: one JSON object
		// (describe-subnets output, a price table) keeps the loader's
		// error, which names each file, with a note of what the first is;
		// another (limits, a partial) is said as what it is, not by a
		// JSON error per line.
		for _, f := range files {
			if e := cli.Misfiled(f, err, "task data", taskKinds...); e != nil {
				return input{}, fmt.Errorf("-tasks: %w", e)
			}
		}
		return input{}, fmt.Errorf("-tasks: %w", err)
	}
	if st.Tasks == 0 {
		return input{}, fmt.Errorf("-tasks: no tasks in %s (want describe-tasks output, task events or a record file)", strings.Join(paths, ", "))
	}
	if st.Newer > 0 {
		fmt.Fprintf(stderr, "attribute: note: -tasks: %s skipped: the attribution lacks what they hold (read the file with that ecsnet)\n", history.NewerEvents(st.Newer))
	}
	if st.Unknown > 0 {
		fmt.Fprintf(stderr, "attribute: note: -tasks: %s left out: traffic they would match stays unattributed\n", history.UnknownValues(st.Unknown))
	}
	if st.Failures > 0 {
		fmt.Fprintf(stderr, "attribute: note: -tasks: ECS could not describe %d of the tasks or instances asked for (the describe output's failures; MISSING: stopped too long ago); the history lacks them, so their traffic cannot be attributed\n", st.Failures)
	}
	return input{index: b.Index(), title: "ECS task traffic"}, nil
}

// jsonAsFlowLogs names a JSON file given to -flowlogs (describe output,
// meant for -tasks or -network) as such, when err is its parse error:
// "fewer fields than the format" says what failed, not what
// the file is. (No flow log starts with a brace or a bracket.)
func jsonAsFlowLogs(err error) error {
	var pe *flowlogs.ParseError
	if !errors.As(err, &pe) || pe.Name == "" {
		return err
	}
	// A kind of file the programs know (the history table beside
	// flowlogs.parquet in -export's directory, a record file, a price
	// table): said as what it is, and where it goes.
	flowKinds := []string{cli.KindFlowLogText, cli.KindFlowLogParquet, cli.KindParquet, cli.KindGzip, cli.KindBinary}
	f, ferr := os.Open(pe.Name)
	if ferr != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = bytes.TrimLeft(awswire.TrimBOM(head[:n]), " \t\r\n")
	if len(head) == 0 || head[0] != '{' && head[0] != '[' {
		if wrong := cli.WrongKind(pe.Name, "flow logs", flowKinds...); wrong != "" {
			return fmt.Errorf("-flowlogs: %s", wrong)
		}
		return err
	}
	if e := cli.Misfiled(pe.Name, fmt.Errorf("%s holds JSON, not flow-log records", pe.Name), "flow-log records", flowKinds...); e != nil {
		return fmt.Errorf("-flowlogs: %w", e)
	}
	return fmt.Errorf("-flowlogs: %s holds JSON, not flow-log records (describe-* output goes to -tasks or -network)", pe.Name)
}

// taskKinds are the kinds of file (cli.Sniff) -tasks reads, or that it
// leaves to its own errors.
var taskKinds = []string{cli.KindHistoryJSONL, cli.KindHistoryTable, cli.KindDescribeTasks, cli.KindDescribeInstances,
	cli.KindTaskDefinition, cli.KindEC2Instances, cli.KindSnapshot, cli.KindParquet, cli.KindGzip, cli.KindBinary}

// maxTaskValue bounds one JSON value of a -tasks file.
const maxTaskValue = 1 << 30

// parquetFiles are the .parquet files among files: history tables, as
// -export or intervals.WriteParquet write them.
func parquetFiles(files []string) []string {
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, ".parquet") {
			out = append(out, f)
		}
	}
	return out
}

func nonParquet(files []string) string {
	for _, f := range files {
		if !strings.HasSuffix(f, ".parquet") {
			return f
		}
	}
	return ""
}

// tableHistory rebuilds the history from history tables (the SQL export's
// history.parquet, or a partitioned tree of them).
func tableHistory(files []string) (input, error) {
	var rows []intervals.Row
	for _, f := range files {
		rs, err := intervals.ReadParquetFile(f)
		if err != nil {
			// Flow logs or a partial in Parquet: said as such, not by the
			// metadata key they lack.
			if wrong := cli.WrongKind(f, "task data", cli.KindHistoryTable, cli.KindParquet); wrong != "" {
				return input{}, fmt.Errorf("-tasks: %s", wrong)
			}
			return input{}, fmt.Errorf("-tasks: %w", err)
		}
		rows = append(rows, rs...)
	}
	ix, err := intervals.Index(rows)
	if err != nil {
		return input{}, fmt.Errorf("-tasks %s: %w", strings.Join(files, ", "), err)
	}
	if len(ix.Tasks()) == 0 {
		return input{}, fmt.Errorf("-tasks: no tasks in %s", strings.Join(files, ", "))
	}
	return input{index: ix, title: "ECS task traffic"}, nil
}

// splitS3 splits what follows s3:// into the bucket and the prefix. The
// bucket may be an access point's ARN, as the AWS CLI takes it
// (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME, or Outposts'
// …:outpost/ID/accesspoint/NAME): the "/"s of the ARN are its own, and
// the prefix follows the access point's name.
func splitS3(rest string) (bucket, prefix string) {
	if strings.HasPrefix(rest, "arn:") {
		if i := strings.Index(rest, "accesspoint/"); i >= 0 {
			end := i + len("accesspoint/")
			name, prefix, _ := strings.Cut(rest[end:], "/")
			return rest[:end] + name, prefix
		}
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	return bucket, prefix
}

func hasS3(paths []string) bool {
	for _, p := range paths {
		if strings.HasPrefix(p, "s3://") {
			return true
		}
	}
	return false
}

// flowLogList is what listFlowLogs listed, for readFlowLogs.
type flowLogList struct {
	srcs          []source.Source // each path's source, its listing done
	all           []reached
	copyOf        map[int]int // checkOnce's, of all
	objects, size int64
}

// listFlowLogs lists the -flowlogs paths: local files, directories
// (walked like an S3 delivery tree and pruned to the window:
// delivery-named files, plus any *.log, *.gz, *.txt and *.parquet file;
// hidden files and directories left out, as source.Dir leaves them) and
// s3://bucket/prefix. Every path is listed before any is read (and, with
// -cluster, before the cluster is: see run): the total gives the
// progress line its ETA; a file reached twice is refused before anything
// is read (a copy of one, once its records are counted: see checkOnce);
// and what the listing tells — a wrong bucket or one of another Region,
// archived objects, nothing in the window — is said before a cluster's
// read of minutes, not after it. The read (readFlowLogs) reads this
// list, not another.
func listFlowLogs(ctx context.Context, c *clients, paths []string, rd *reading) (*flowLogList, error) {
	rd.sources = paths
	var (
		srcs          []source.Source
		all           []reached
		objects, size int64
	)
	for _, p := range paths {
		var src source.Source
		rest, s3 := strings.CutPrefix(p, "s3://")
		bucket, prefix := splitS3(rest)
		if s3 {
			if bucket == "" {
				return nil, fmt.Errorf("-flowlogs %q: want s3://bucket/prefix", p)
			}
			src = &s3source.Bucket{Client: c.s3, Bucket: bucket, Prefix: prefix, Prune: rd.prune()}
		} else {
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("-flowlogs: %w", err)
			}
			src = source.Files{p}
			if fi.IsDir() {
				src = &source.Dir{Root: p, Prune: rd.prune(), Match: func(rel string) bool {
					if _, err := source.ParseKey(rel); err == nil {
						return true
					}
					base := path.Base(rel)
					return !strings.HasPrefix(base, ".") && (strings.HasSuffix(base, ".log") || strings.HasSuffix(base, ".gz") ||
						strings.HasSuffix(base, ".txt") || strings.HasSuffix(base, ".parquet"))
				}}
			}
		}
		// List once, here: Records reads the same list.
		objs, err := src.List(ctx)
		if err != nil {
			return nil, fmt.Errorf("-flowlogs %s: %w", p, err)
		}
		for _, o := range objs {
			r := reached{arg: p, name: o.Name}
			if s3 {
				r.name, r.size, r.etag = "s3://"+bucket+"/"+o.Name, o.Size, o.ETag
			} else if r.info, err = os.Stat(o.Name); err != nil {
				return nil, fmt.Errorf("-flowlogs: %w", err)
			} else if r.gathers, err = gatheredInputs(o.Name); err != nil {
				return nil, fmt.Errorf("-flowlogs: %w", err)
			} else if r.gathers != nil {
				rd.gathered(o.Name, r.gathers)
			}
			all = append(all, r)
			size += max(o.Size, 0)
		}
		objects += int64(len(objs))
		srcs = append(srcs, source.Listed{Source: src, Objects: objs})
	}
	copyOf, err := checkOnce("-flowlogs", all, nil)
	if err != nil {
		return nil, err
	}
	copyOf = sameInputs(all, copyOf)
	for i := range copyOf {
		rd.watch(all[i].name)
	}
	if objects == 0 {
		// Nothing to read: checkAnswer's answer after the read, said now.
		return nil, rd.noFiles()
	}
	return &flowLogList{srcs: srcs, all: all, copyOf: copyOf, objects: objects, size: size}, nil
}

// readFlowLogs reads what listFlowLogs listed with every core, in a
// deterministic order.
func readFlowLogs(ctx context.Context, a *attribution.Attributor, l *flowLogList, rd *reading) error {
	rd.progress.Units("", "", "object bytes") // as stored: compressed or not
	rd.progress.Total(l.objects, l.size)
	rd.size = l.size
	for _, src := range l.srcs {
		rd.read = append(rd.read, src)
		if err := a.AddAll(rd.records(ctx, src, parquetsource.WithDecoder())); err != nil {
			return err
		}
	}
	all, copyOf := l.all, l.copyOf
	for i, r := range all {
		if j, ok := copyOf[i]; ok {
			if n := rd.returned(r.name); n > 0 {
				return copyError("-flowlogs", all[j], r, n)
			}
		}
	}
	return nil
}

// liveHistory reads a cluster once: RUNNING and recently STOPPED tasks (ECS
// keeps stopped tasks for about an hour), container instances, task
// definitions of tasks without an ENI, and the instances' primary ENIs from
// EC2. For history older than an hour, run eni/history's Watcher and pass
// its file with -tasks. ECS's failures go to stderr, what was read to info.
func liveHistory(ctx context.Context, c *clients, cluster string, stderr, info io.Writer, stages *cli.Stages) (input, error) {
	b := history.NewBuilder()
	// A cluster of thousands of tasks is many pages and describe calls.
	obs, err := history.Collect(ctx, c.ecs, cluster, b,
		ecsread.WithProgress(func(p ecsread.Progress) { stages.Update(p.Stage, p.Done, p.Total) }))
	stages.Done()
	if err != nil {
		return input{}, err
	}
	for _, f := range obs.Failures {
		fmt.Fprintf(stderr, "attribute: describe failure: %s %s\n", awswire.Plain(deref(f.Arn)), awswire.Plain(deref(f.Reason)))
	}
	var ids []string
	for _, in := range b.Index().Instances() {
		if in.EC2InstanceID != "" {
			ids = append(ids, in.EC2InstanceID)
		}
	}
	if len(ids) > 0 {
		prim, err := ec2primary.Lookup(ctx, c.ec2Instances, ids)
		if err != nil {
			return input{}, err
		}
		for id, p := range prim {
			b.SetPrimaryInterface(id, p)
		}
	}
	topo, err := ec2topology.Load(ctx, c.ec2Network)
	if err != nil {
		return input{}, err
	}
	fmt.Fprintf(info, "attribute: cluster %s: %d tasks, %d container instances, %d subnets, %d load balancer node addresses\n",
		cluster, len(obs.Tasks), len(obs.ContainerInstances), len(topo.Subnets), len(topo.LoadBalancers))
	return input{index: b.Index(), topology: topo.Topology, title: "ECS task traffic — cluster " + cluster}, nil
}

// liveFlowLogs reads a CloudWatch Logs group over the window (the last
// hour by default): by default only the streams of the ENIs in the history
// (one stream per ENI), with the format from -log-format or
// DescribeFlowLogs.
func liveFlowLogs(ctx context.Context, c *clients, a *attribution.Attributor, in input, o options, rd *reading, stderr io.Writer) error {
	rd.sources = []string{"log group " + o.logGroup}
	end := rd.until
	if end.IsZero() {
		end = c.now()
	}
	opts := []cwlogs.Option{cwlogs.WithWindow(rd.since, end)}
	// The read's own counts, as cwlogs draws them: streams, events, and
	// the bytes of their messages.
	rd.progress.Units("streams", "events", "of messages")
	if rd.progress != nil {
		opts = append(opts, cwlogs.WithProgress(func(p cwlogs.Progress) {
			rd.progress.Total(int64(p.StreamsTotal), 0)
			rd.progress.Set(int64(p.StreamsDone), p.Events, p.Bytes)
		}))
	}
	// The options every other source reads with (fields, -log-format,
	// -lenient, the window as a filter: it keeps every record whose event
	// WithWindow keeps, as an event's timestamp is its record's start).
	ropts := rd.readerOptions()
	if rd.format == nil {
		fls, err := ec2format.ForLogGroup(ctx, c.ec2FlowLogs, o.logGroup)
		if err != nil {
			return fmt.Errorf("-log-group %s: %w (give -log-format to skip the lookup)", o.logGroup, err)
		}
		ropts = append(ropts, flowlogs.WithFormats(ec2format.Formats(fls)...))
	}
	opts = append(opts, cwlogs.WithReaderOptions(ropts...))
	if !o.allStreams {
		enis := historyENIs(in.index)
		if len(enis) == 0 {
			return fmt.Errorf("-log-group %s: the history has no ENIs whose streams to read; use -all-streams", o.logGroup)
		}
		opts = append(opts, cwlogs.WithENIs(enis...))
	}
	src := cwlogs.New(c.logs, o.logGroup, opts...)
	err := a.AddAll(src.Records(ctx))
	p := src.Progress()
	// Events counts every event delivered, -lenient's malformed ones
	// too; Records, as a Reader's Stats count them, are those parsed.
	st := flowlogs.Stats{Records: p.Events - p.Malformed, Malformed: p.Malformed}
	rd.tally(o.logGroup, st, src.Malformed())
	rd.mu.Lock()
	rd.objects = int64(p.StreamsDone)
	rd.mu.Unlock()
	// The progress line has the read's own counts (WithProgress) and
	// ends with them, not with them added again.
	rd.progress.Total(int64(p.StreamsTotal), 0)
	rd.progress.Set(int64(p.StreamsDone), p.Events, p.Bytes)
	// Each stream read is an input (one ENI's records: -all-streams and
	// the history's ENIs read some of the same), over the window read: a
	// later hour's partial adds up, the same hour's is refused. A stream
	// read to its end is named even when none of its events was in the
	// window (the cursor does not tell them apart); two partials of one
	// hour that read it hold its records twice or not at all.
	// The group by its name, however given: a partial of the group given
	// by ARN and one of it by name name the same streams, and a merge
	// refuses them as it must. (The same name in two accounts is refused
	// too, the safe side: a name alone does not tell them apart.)
	group, _, perr := loggroup.Parse(o.logGroup)
	if perr != nil {
		group = o.logGroup // not a group's ARN: the read has failed on it
	}
	for stream := range src.Cursor().Streams {
		rd.noteInput(attribution.Input{Name: "logs:" + group + "/" + stream, Since: rd.since, Until: end}, false)
	}
	return err
}

func historyENIs(ix *history.Index) []string {
	seen := map[string]bool{}
	var out []string
	add := func(e string) {
		if e != "" && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	for _, t := range ix.Tasks() {
		add(t.ENI)
	}
	for _, in := range ix.Instances() {
		add(in.ENI)
		add(in.TrunkENI)
	}
	sort.Strings(out)
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// clients are the AWS clients of the live paths (see iamPolicy), behind the
// narrow interfaces the library calls.
type clients struct {
	ecs          history.ECSAPI
	ec2Instances ec2primary.API
	ec2Network   ec2topology.API
	ec2FlowLogs  ec2format.API
	logs         cwlogs.API
	s3           s3source.API
	now          func() time.Time
}

// logGroupRegion refuses a -log-group ARN of another Region than the
// logs client's, which every call would fail on (loggroup.CheckRegion).
func (c *clients) logGroupRegion(group string) error {
	l, ok := c.logs.(interface{ Options() cloudwatchlogs.Options })
	if group == "" || !ok {
		return nil
	}
	if err := loggroup.CheckRegion(group, l.Options().Region); err != nil {
		return fmt.Errorf("-log-group: %w", err)
	}
	return nil
}

// newClients builds the clients from the default AWS configuration
// (environment, shared config and credentials files, SSO, IMDS); tests
// replace it with clients of in-process fakes.
var newClients = func(ctx context.Context) (*clients, error) {
	cfg, err := cli.AWSConfig(ctx)
	if err != nil {
		return nil, err
	}
	ec2c := ec2.NewFromConfig(cfg)
	return &clients{
		ecs:          ecs.NewFromConfig(cfg),
		ec2Instances: ec2c,
		ec2Network:   ec2c,
		ec2FlowLogs:  ec2c,
		logs:         cloudwatchlogs.NewFromConfig(cfg),
		s3:           s3.NewFromConfig(cfg),
		now:          time.Now,
	}, nil
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/flowlogs/s3source"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// writePartial writes p to name (atomically, like every output file):
// with its Tasks, or when tasks is not nil, with those in their place (see
// partials.WriteStream). The line saying so goes to info.
func writePartial(name string, p *attribution.Partial, tasks iter.Seq[*attribution.TaskPart], info io.Writer) error {
	n := len(p.Tasks)
	write := func(w io.Writer) error { return partials.Write(w, p) }
	if tasks != nil {
		write = func(w io.Writer) error {
			return partials.WriteStream(w, p, func(yield func(*attribution.TaskPart) bool) {
				for tp := range tasks {
					n++
					if !yield(tp) {
						return
					}
				}
			})
		}
	}
	err := cli.WriteFile(name, write)
	if err != nil {
		return fmt.Errorf("-partial: %w", err)
	}
	// The options, the topology's digest among them, are what a merge
	// checks: printed, they can be compared with what a fan-out worker
	// logs before its partials are added up with this one.
	noun := "tasks"
	if n == 1 {
		noun = "task"
	}
	fmt.Fprintf(info, "attribute: wrote %s (%d %s, %d records, %s; %s)\n", name, n, noun, p.Total.Records, inputsNamed(p.Inputs), p.Config)
	return nil
}

// inputsNamed says how many inputs a partial names.
func inputsNamed(ins []attribution.Input) string {
	switch len(ins) {
	case 0:
		return "no inputs named"
	case 1:
		return "1 input"
	}
	return fmt.Sprintf("%d inputs", len(ins))
}

// mergeOutsideInputs refuses a merged partial written into a directory
// (or over a file) the merge reads: the next -merge of that directory
// would add the sum to its own parts again. Their inputs overlap, so that
// merge would refuse them, but only after reading; and a sum that holds
// a partial naming no inputs names none either, so it would count their
// records twice with only a note. Written over one of its inputs, it
// would also lose that part.
func mergeOutsideInputs(out string, inputs []string) error {
	if in := inputHolding(out, inputs); in != "" {
		return fmt.Errorf("-partial %s lies in -merge input %s: a later merge of %s would add the sum to its own parts again; write it elsewhere", out, in, in)
	}
	return nil
}

// partialOutsideInputs refuses a partial written over a file the run
// reads, or into a directory it reads: the input would be lost (the
// partial replaces a flow-log or history file whole), or a later run over
// that directory would read the partial as flow logs or task data.
func partialOutsideInputs(o options) error {
	for _, f := range []struct {
		name   string
		inputs []string
	}{{"-flowlogs", o.flowlogs}, {"-tasks", o.tasks}, {"-network", o.network}} {
		if in := inputHolding(o.partial, f.inputs); in != "" {
			return fmt.Errorf("-partial %s lies in %s input %s: it would replace that input, or be read with it by a later run; write it elsewhere", o.partial, f.name, in)
		}
	}
	return nil
}

// inputHolding is the local input among inputs that is the file out or a
// directory holding it, "" for none. Paths are compared as spelled, and
// as the file system sees them (os.SameFile): a directory reached through
// a symbolic link, or spelled in another case on a file system that
// ignores case, is the same directory.
func inputHolding(out string, inputs []string) string {
	if out == "" {
		return ""
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "" // the write will say what is wrong with the name
	}
	// The name out is (not followed: a rename replaces a link, not what
	// it points to) and the folders above it (followed: the rename goes
	// where they lead), those that exist.
	var at []os.FileInfo
	if fi, err := os.Lstat(abs); err == nil {
		at = append(at, fi)
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil {
			at = append(at, fi)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, in := range inputs {
		if strings.HasPrefix(in, "s3://") {
			continue
		}
		dir, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(dir, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return in
		}
		if fi, err := os.Stat(in); err == nil {
			for _, a := range at {
				if os.SameFile(fi, a) {
					return in
				}
			}
		}
	}
	return ""
}

// htmlOutsideInputs refuses an -html report written over a file the run
// reads (it would replace that input once read), given by flag or found
// in a directory given, or into a directory the run reads under a name
// other than .html or .htm (no walk reads those: a later run over the
// directory would read the report as flow logs, task data or a partial;
// a report of an earlier run there is no input).
func htmlOutsideInputs(html string, inputs ...flagInputs) error {
	if html == "" {
		return nil
	}
	for _, f := range inputs {
		in := inputHolding(html, f.inputs)
		if in == "" {
			continue
		}
		if fi, err := os.Stat(in); err == nil && fi.IsDir() {
			if ext := strings.ToLower(filepath.Ext(html)); ext == ".html" || ext == ".htm" {
				continue
			}
			return fmt.Errorf("-html %s lies in %s input directory %s under a name its walk may read: write it elsewhere, or name it .html", html, f.flag, in)
		}
		return fmt.Errorf("-html %s is %s input %s: the report would replace it; write it elsewhere", html, f.flag, in)
	}
	return nil
}

// flagInputs are the inputs a flag names.
type flagInputs struct {
	flag   string
	inputs []string
}

// mergeFlags checks the flags given with -merge: the partials carry their
// inputs and options, so the flags that choose or shape them do not apply.
func mergeFlags(o options, set map[string]bool) error {
	for _, f := range []string{"flowlogs", "tasks", "network", "cluster", "log-group", "log-format", "since", "until",
		"all-streams", "ip-fallback", "lenient", "export", "overwrite", "step"} {
		if set[f] {
			return fmt.Errorf("-%s does not apply to -merge: the partials were made with their own inputs and options", f)
		}
	}
	if len(o.merge) == 0 {
		return errors.New("-merge needs the partial files (or directories, or s3://bucket/prefix) as arguments")
	}
	return nil
}

// runMerge reads the partials, merges them and renders the result (or
// writes it with -partial).
func runMerge(ctx context.Context, o options, stdout, stderr io.Writer) error {
	var aws *clients
	if hasS3(o.merge) {
		var err error
		if aws, err = newClients(ctx); err != nil {
			return fmt.Errorf("AWS configuration: %w", err)
		}
	}
	if err := mergeOutsideInputs(o.partial, o.merge); err != nil {
		return err
	}
	if err := htmlOutsideInputs(o.html, flagInputs{"-merge", o.merge}); err != nil {
		return err
	}
	var (
		parts []part
		all   []reached
	)
	for _, arg := range o.merge {
		if rest, ok := strings.CutPrefix(arg, "s3://"); ok {
			bucket, prefix := splitS3(rest)
			if bucket == "" {
				return fmt.Errorf("-merge %q: want s3://bucket/prefix", arg)
			}
			b := &s3source.Bucket{Client: aws.s3, Bucket: bucket, Prefix: prefix,
				Match: func(key string) bool { return strings.HasSuffix(key, ".parquet") }}
			objs, err := b.List(ctx)
			if err != nil {
				return fmt.Errorf("-merge %s: %w", arg, err)
			}
			if len(objs) == 0 {
				return fmt.Errorf("-merge %s: no .parquet objects under it", arg)
			}
			for _, obj := range objs {
				name := "s3://" + bucket + "/" + obj.Name
				parts = append(parts, part{name: name, size: obj.Size,
					read: func(ctx context.Context) (*attribution.Partial, error) { return readObject(ctx, b, obj, name) }})
				all = append(all, reached{arg: arg, name: name, size: obj.Size, etag: obj.ETag})
			}
			continue
		}
		files, err := localFiles("-merge", []string{arg}, ".parquet")
		if err != nil {
			return err
		}
		for _, f := range files {
			parts = append(parts, part{name: f.name, size: f.info.Size(), read: func(context.Context) (*attribution.Partial, error) { return readPartialFile(f.name) }})
		}
		all = append(all, files...)
	}
	copyOf, err := checkOnce("-merge", all, nil)
	if err != nil {
		return err
	}
	for i, j := range copyOf {
		parts[i].copied = &[2]reached{all[j], all[i]}
	}

	progress := cli.NewProgress(stderr, "partials", o.quiet)
	var total int64
	for _, p := range parts {
		total += p.size
	}
	progress.Total(int64(len(parts)), total)
	// A Merger adds each partial in place: the sum is held once, and each
	// partial only while it is added. The next few are read meanwhile:
	// reading a partial costs more than adding it.
	var m attribution.Merger
	// Which partial named each input first, to name both when one is
	// named twice.
	namedBy := map[attribution.Input]string{}
	// The partials that hold no records, by name: of two that name one
	// input, such a one has nothing another could hold too.
	emptyOnes := map[string]bool{}
	var unnamed []string // partials with records that name no inputs
	var oe *attribution.OverlapError
	err = readAhead(ctx, parts, max(2, runtime.GOMAXPROCS(0)), readAheadBytes, func(p part, q *attribution.Partial) error {
		if p.copied != nil && q.Total.Records > 0 {
			return copyError("-merge", p.copied[0], p.copied[1], int64(q.Total.Records))
		}
		err := m.Add(q)
		if errors.As(err, &oe) && q.Total.Records == 0 {
			// It holds no record to count twice, but names an input
			// another partial names: a copy of one, or of one input.
			return fmt.Errorf("-merge %s: names an input that %s names too (it read %s, and that one %s), though it holds no records: a copy of a partial, or two partials of one input; merge each input once",
				p.name, namedBy[oe.Other], oe.Input, oe.Other)
		}
		if errors.As(err, &oe) && emptyOnes[namedBy[oe.Other]] {
			return fmt.Errorf("-merge %s: names an input that %s names too (it read %s, and that one %s), which holds no records: two partials of one input; merge each input once",
				p.name, namedBy[oe.Other], oe.Input, oe.Other)
		}
		if errors.As(err, &oe) {
			return fmt.Errorf("-merge %s: holds records that %s holds too (it read %s, and that one %s): a merged partial beside its own parts, or two partials of one input, would count them twice; merge each input's records once",
				p.name, namedBy[oe.Other], oe.Input, oe.Other)
		}
		if err == nil {
			for _, in := range q.Inputs {
				namedBy[in] = p.name
			}
			if q.Total.Records == 0 {
				emptyOnes[p.name] = true
			}
			if len(q.Inputs) == 0 && q.Total.Records > 0 {
				unnamed = append(unnamed, p.name)
			}
		}
		if errors.Is(err, attribution.ErrIncompatible) {
			return fmt.Errorf("-merge %s: made with other options than the partials before it (%s): partials add up only when made alike (-step, -ip-fallback, -network and the library's options)",
				p.name, strings.Join(q.Config.Differences(m.Partial().Config), "; "))
		} else if err != nil {
			return fmt.Errorf("-merge %s: %s", p.name, cli.OnePrefix(err.Error()))
		}
		progress.Add(1, int64(q.Total.Records), p.size)
		return nil
	})
	if err != nil {
		progress.Done()
		return err
	}
	progress.Done()
	merged := m.Partial()
	if len(unnamed) > 0 {
		// Made by code that does not name its inputs (a library user's,
		// or this program before partials had them): nothing tells
		// whether their records are in another part too.
		names := strings.Join(unnamed[:min(len(unnamed), 3)], ", ")
		if len(unnamed) > 3 {
			names += fmt.Sprintf(" and %d more", len(unnamed)-3)
		}
		fmt.Fprintf(stderr, "attribute: note: %d of the partials name no inputs (%s): -merge cannot tell whether another partial holds their records too\n",
			len(unnamed), names)
	}

	// The deliveries the partials name, by flow log: objects, not
	// records, are what a partial's inputs tell.
	flowLogs := map[[2]string]map[string]int64{}
	for i, in := range merged.Inputs {
		if i > 0 && merged.Inputs[i-1].Name == in.Name {
			continue // another window of the object (Inputs are by name)
		}
		// A delivery is named by its file name without extensions
		// (source.Key.DeliveryName), which ParseKey reads with one.
		if k, err := source.ParseKey(in.Name + ".log"); err == nil {
			at := [2]string{k.Account, k.Region}
			if flowLogs[at] == nil {
				flowLogs[at] = map[string]int64{}
			}
			flowLogs[at][k.FlowLogID]++
		}
	}
	severalFlowLogs(stderr, flowLogs, "objects")

	// As -partial refuses an input without records, a merge of partials
	// without any neither writes nor renders a sum of nothing.
	if merged.Total.Records == 0 {
		return fmt.Errorf("the %d partials hold no flow-log records", len(parts))
	}
	if o.partial != "" {
		return writePartial(o.partial, merged, nil, o.info(stderr))
	}
	r, groups := takeResult(o, merged)
	if r.Total.Records == r.UnattributedTotal().Records {
		var why []string
		for _, u := range r.Unattributed {
			why = append(why, fmt.Sprintf("%s %d", u.Reason, u.Records))
		}
		return fmt.Errorf("no record of the %d partials was attributed to a task (%d records starting %s; unattributed: %s)",
			len(parts), r.Total.Records, cli.Span(r.First, r.Last), strings.Join(why, ", "))
	}
	return writeReport(o, r, groups, fmt.Sprintf("ECS task traffic — merged from %d partials", len(parts)), stdout, stderr)
}

// readAheadBytes bounds the partial files -merge reads ahead of the one it
// adds: a partial takes a few times its file's size in memory.
const readAheadBytes = 4 << 20

// part is one partial file or object to merge.
type part struct {
	name string
	read func(context.Context) (*attribution.Partial, error) // an S3 read stops when the context ends
	size int64
	// copied are the earlier file with this one's bytes, and this one:
	// a copy, refused if it holds records (see checkOnce).
	copied *[2]reached
}

// readAhead reads the parts, up to n at a time and up to aheadBytes of
// their files, and calls add with each in order as soon as it and those
// before it are read. Parts are read (or being read) ahead of the one add
// has only within those bounds, so memory stays a few partials whatever
// their number: many small ones (a worker's per object) are read a core
// each, large ones (a merge of merges) one ahead. It returns the first
// error in part order, a read's ("-merge: …") or add's.
func readAhead(ctx context.Context, parts []part, n int, aheadBytes int64, add func(part, *attribution.Partial) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type read struct {
		q   *attribution.Partial
		err error
	}
	results := make([]chan read, len(parts))
	for i := range results {
		results[i] = make(chan read, 1) // a read never waits for add
	}
	// A part holds a count and its size (at most all of aheadBytes) from
	// its read until add has it.
	slots := semaphore.NewWeighted(int64(n))
	budget := semaphore.NewWeighted(aheadBytes)
	weight := func(p part) int64 { return min(max(p.size, 1), aheadBytes) }
	var g errgroup.Group
	g.Go(func() error {
		for i := range parts {
			if slots.Acquire(ctx, 1) != nil {
				return nil
			}
			if budget.Acquire(ctx, weight(parts[i])) != nil {
				slots.Release(1)
				return nil
			}
			g.Go(func() error {
				q, err := parts[i].read(ctx)
				results[i] <- read{q, err}
				return nil
			})
		}
		return nil
	})
	var err error
reading:
	for i := range parts {
		var r read
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			// The caller's context ended (an interrupt): the reads not
			// started will never deliver.
			err = fmt.Errorf("-merge: %w", context.Cause(ctx))
			break reading
		}
		slots.Release(1)
		budget.Release(weight(parts[i]))
		if r.err != nil {
			err = fmt.Errorf("-merge: %w", r.err)
			break
		}
		if err = add(parts[i], r.q); err != nil {
			break
		}
	}
	cancel()
	g.Wait() // no new read starts; those under way from S3 stop, local ones finish
	return err
}

// readObject reads one partial from S3 whole: the Parquet reader needs
// random access, and a partial is small (partials.MaxSize bounds it).
func readObject(ctx context.Context, b *s3source.Bucket, obj source.Object, name string) (*attribution.Partial, error) {
	if obj.Size > partials.MaxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes: not a partial", name, partials.MaxSize)
	}
	rc, err := b.Open(ctx, obj)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// Room for the size the listing gave, read in one piece.
	buf := bytes.NewBuffer(make([]byte, 0, max(obj.Size, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(rc, partials.MaxSize+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	data := buf.Bytes()
	if len(data) > partials.MaxSize {
		return nil, fmt.Errorf("%s: larger than %d bytes: not a partial", name, partials.MaxSize)
	}
	return partials.Read(bytes.NewReader(data), int64(len(data)), name)
}

// readPartialFile reads a local partial; a file of another kind the
// programs know (flow logs, the history table) is said as such, not by
// the Parquet magic or metadata key it lacks.
func readPartialFile(name string) (*attribution.Partial, error) {
	p, err := partials.ReadFile(name)
	if err != nil {
		if wrong := cli.WrongKind(name, "a partial result", cli.KindPartial, cli.KindParquet, cli.KindBinary, cli.KindGzip); wrong != "" {
			return nil, errors.New(wrong)
		}
	}
	return p, err
}

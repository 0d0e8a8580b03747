package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/ec2primary"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs"
	"github.com/ecsnet/ecsnet/flowlogs/cwlogs/ec2format"
	"github.com/ecsnet/ecsnet/flowlogs/source"
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

func sampleFlowLogs(a *attribution.Attributor, opts []flowlogs.Option) error {
	var names []string
	err := fs.WalkDir(sample, "sample/flowlogs", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := readFlowLog(a, name, func() (io.ReadCloser, error) { return sample.Open(name) }, opts); err != nil {
			return err
		}
	}
	return nil
}

func readFlowLog(a *attribution.Attributor, name string, open func() (io.ReadCloser, error), opts []flowlogs.Option) error {
	f, err := open()
	if err != nil {
		return err
	}
	defer f.Close()
	r := flowlogs.NewReader(f, append([]flowlogs.Option{flowlogs.WithSource(path.Base(name))}, opts...)...)
	defer r.Close()
	return a.AddAll(r.All())
}

func fileHistory(paths []string) (input, error) {
	b := history.NewBuilder()
	st, err := b.LoadFiles(paths...)
	if err != nil {
		return input{}, err
	}
	if st.Tasks == 0 {
		return input{}, fmt.Errorf("-tasks: no tasks in %s", strings.Join(paths, ", "))
	}
	return input{index: b.Index(), title: "ECS task traffic"}, nil
}

// fileFlowLogs reads local files and directories (a directory is walked
// like an S3 delivery tree: delivery-named files, plus any *.log, *.gz,
// *.txt file) with every core, in a deterministic order.
func fileFlowLogs(ctx context.Context, a *attribution.Attributor, paths []string, opts []flowlogs.Option) error {
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("-flowlogs: %w", err)
		}
		var src source.Source = source.Files{p}
		if fi.IsDir() {
			src = &source.Dir{Root: p, Match: func(rel string) bool {
				if _, err := source.ParseKey(rel); err == nil {
					return true
				}
				base := path.Base(rel)
				return !strings.HasPrefix(base, ".") &&
					(strings.HasSuffix(base, ".log") || strings.HasSuffix(base, ".gz") || strings.HasSuffix(base, ".txt"))
			}}
		}
		if err := a.AddAll(source.Records(ctx, src, source.ReaderOptions(opts...))); err != nil {
			return err
		}
	}
	return nil
}

// liveHistory reads a cluster once: RUNNING and recently STOPPED tasks (ECS
// keeps stopped tasks for about an hour), container instances, task
// definitions of tasks without an ENI, and the instances' primary ENIs from
// EC2. For history older than an hour, run eni/history's Watcher and pass
// its file with -tasks.
func liveHistory(ctx context.Context, c *clients, cluster string, stderr io.Writer) (input, error) {
	b := history.NewBuilder()
	obs, err := history.Collect(ctx, c.ecs, cluster, b)
	if err != nil {
		return input{}, err
	}
	for _, f := range obs.Failures {
		fmt.Fprintf(stderr, "attribute: describe failure: %s %s\n", deref(f.Arn), deref(f.Reason))
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
	fmt.Fprintf(stderr, "attribute: cluster %s: %d tasks, %d container instances, %d subnets\n", cluster, len(obs.Tasks), len(obs.ContainerInstances), len(topo.Subnets))
	return input{index: b.Index(), topology: topo, title: "ECS task traffic — cluster " + cluster}, nil
}

// liveFlowLogs reads a CloudWatch Logs group over the last -since: by
// default only the streams of the ENIs in the history (one stream per ENI),
// with the format from -log-format or DescribeFlowLogs.
func liveFlowLogs(ctx context.Context, c *clients, a *attribution.Attributor, in input, o options, format *flowlogs.Format, stderr io.Writer) error {
	end := c.now()
	opts := []cwlogs.Option{
		cwlogs.Window(end.Add(-o.since), end),
		cwlogs.OnProgress(func(p cwlogs.Progress) {
			fmt.Fprintf(stderr, "\rattribute: %s: streams %d/%d, %d events, %d requests, %d throttled, %s ",
				o.logGroup, p.StreamsDone, p.StreamsTotal, p.Events, p.Requests, p.Throttles, p.Elapsed.Round(time.Second))
		}),
	}
	if format != nil {
		opts = append(opts, cwlogs.Formats(format))
	} else {
		fls, err := ec2format.ForLogGroup(ctx, c.ec2FlowLogs, o.logGroup)
		if err != nil {
			return err
		}
		opts = append(opts, cwlogs.Formats(ec2format.Formats(fls)...))
	}
	if o.lenient {
		opts = append(opts, cwlogs.Lenient(5))
	}
	if !o.allStreams {
		enis := historyENIs(in.index)
		if len(enis) == 0 {
			return errors.New("-log-group: the history has no ENIs to read; use -all-streams")
		}
		opts = append(opts, cwlogs.ENIs(enis...))
	}
	src := cwlogs.New(c.logs, o.logGroup, opts...)
	err := a.AddAll(src.Records(ctx))
	fmt.Fprintln(stderr)
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
	now          func() time.Time
}

// newClients builds the clients from the default AWS configuration
// (environment, shared config and credentials files, SSO, IMDS); tests
// replace it with clients of in-process fakes.
var newClients = func(ctx context.Context) (*clients, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
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
		now:          time.Now,
	}, nil
}

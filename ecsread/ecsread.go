// Package ecsread reads an Amazon ECS cluster with the ECS API: tasks,
// container instances and task definitions, listed with the SDK's
// paginators and described in batches of [MaxDescribeBatch] with bounded
// concurrency (errgroup), keeping every batch's `failures`. Throttling and
// 5xx answers are retried by the SDK client's retryer, and a call it gives
// up on (its attempts, 3 by default, or its retry quota spent) or whose
// answer was cut is made again, up to 8 calls in all over about a minute, so
// that a busy moment does not lose a read of many pages. It is what both the
// ENI budgets (package eni) and the task history (package eni/history)
// read a live cluster with, through narrow interfaces any *ecs.Client
// implements.
//
// A cluster given by an ARN of another Region than the client's, which
// ECS answers only InvalidParameterException "Invalid Region in ARN", is
// refused before any call, saying the Region to use ([ErrOtherRegion]).
//
// Every call is read-only: ecs:ListTasks, ecs:DescribeTasks,
// ecs:ListContainerInstances, ecs:DescribeContainerInstances and
// ecs:DescribeTaskDefinition; [ClusterARN] calls ecs:DescribeClusters.
package ecsread

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	smithy "github.com/aws/smithy-go"
	"github.com/ecsnet/ecsnet/internal/awscall"
	"golang.org/x/sync/errgroup"
)

// TaskAPI is the part of *ecs.Client that lists and describes tasks.
type TaskAPI interface {
	ListTasks(ctx context.Context, in *ecs.ListTasksInput, optFns ...func(*ecs.Options)) (*ecs.ListTasksOutput, error)
	DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, optFns ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error)
}

// ContainerInstanceAPI is the part of *ecs.Client that lists and describes
// container instances.
type ContainerInstanceAPI interface {
	ListContainerInstances(ctx context.Context, in *ecs.ListContainerInstancesInput, optFns ...func(*ecs.Options)) (*ecs.ListContainerInstancesOutput, error)
	DescribeContainerInstances(ctx context.Context, in *ecs.DescribeContainerInstancesInput, optFns ...func(*ecs.Options)) (*ecs.DescribeContainerInstancesOutput, error)
}

// TaskDefinitionAPI is the part of *ecs.Client that describes task
// definitions.
type TaskDefinitionAPI interface {
	DescribeTaskDefinition(ctx context.Context, in *ecs.DescribeTaskDefinitionInput, optFns ...func(*ecs.Options)) (*ecs.DescribeTaskDefinitionOutput, error)
}

// ClusterAPI is the part of *ecs.Client that describes clusters.
type ClusterAPI interface {
	DescribeClusters(ctx context.Context, in *ecs.DescribeClustersInput, optFns ...func(*ecs.Options)) (*ecs.DescribeClustersOutput, error)
}

// ClusterARN returns the ARN of cluster (a name or an ARN; "" is the
// default cluster) as the client's region and account know it, with
// DescribeClusters, retried as the package doc says. ECS clusters are
// region specific: "prod" of another region or account is another ARN,
// and one ECS does not know (failure reason MISSING) is an error.
func ClusterARN(ctx context.Context, api ClusterAPI, cluster string) (string, error) {
	if err := checkRegion(api, cluster); err != nil {
		return "", err
	}
	in := &ecs.DescribeClustersInput{}
	if cluster != "" {
		in.Clusters = []string{cluster}
	}
	var out *ecs.DescribeClustersOutput
	err := retryPolicy.Do(ctx, func() (err error) {
		out, err = api.DescribeClusters(ctx, in)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("ecsread: DescribeClusters %s: %w", cluster, err)
	}
	for _, c := range out.Clusters {
		if a := aws.ToString(c.ClusterArn); a != "" {
			return a, nil
		}
	}
	if len(out.Failures) > 0 {
		f := out.Failures[0]
		return "", fmt.Errorf("ecsread: DescribeClusters %s: %s %s", cluster, aws.ToString(f.Arn), aws.ToString(f.Reason))
	}
	return "", fmt.Errorf("ecsread: DescribeClusters %s: no cluster in the answer", cluster)
}

// API is every ECS call the package makes; *ecs.Client implements it. All
// are read-only.
type API interface {
	TaskAPI
	ContainerInstanceAPI
	TaskDefinitionAPI
}

// MaxDescribeBatch is how many ARNs one DescribeTasks or
// DescribeContainerInstances call takes (ECS's limit).
const MaxDescribeBatch = 100

// DefaultConcurrency bounds the Describe calls in flight.
const DefaultConcurrency = 4

// Option tunes the reads. The zero set of options reads with
// [DefaultConcurrency], no progress reports, no optional task fields, only
// tasks desired RUNNING in [ReadTasks], and strict task definitions.
type Option func(*readOptions)

type readOptions struct {
	concurrency int
	progress    func(Progress)
	include     []types.TaskField
	stopping    bool
	lenient     bool
	mu          sync.Mutex
}

// WithConcurrency bounds how many Describe calls run at once (default
// [DefaultConcurrency]); values below 1 are clamped to 1.
func WithConcurrency(n int) Option {
	return func(o *readOptions) {
		if n < 1 {
			n = 1
		}
		o.concurrency = n
	}
}

// WithProgress calls f after every page or batch read, from one goroutine
// at a time, so a long live read can show progress.
func WithProgress(f func(Progress)) Option { return func(o *readOptions) { o.progress = f } }

// WithTaskInclude asks DescribeTasks for optional fields (e.g. TAGS).
func WithTaskInclude(fields ...types.TaskField) Option {
	return func(o *readOptions) { o.include = fields }
}

// WithStoppingTasks makes [ReadTasks] also read the tasks ECS has told to
// stop but that have not yet stopped (DEACTIVATING, STOPPING,
// DEPROVISIONING): an awsvpc task keeps its ENI until it is deleted. It
// costs listing and describing every STOPPED-desired task ECS still shows
// (about the last hour's), so it is off by default.
func WithStoppingTasks() Option { return func(o *readOptions) { o.stopping = true } }

// WithLenient makes [DescribeTaskDefinitions] report a task definition ECS
// refuses to describe (a ClientException, e.g. for a deleted one) as a
// Failure instead of failing, so one odd task does not stop a cluster read.
func WithLenient() Option { return func(o *readOptions) { o.lenient = true } }

// Progress reports how far a read has come. Total is 0 while unknown
// (during listing).
type Progress struct {
	Stage string // "list container instances", "describe tasks", ...
	Done  int
	Total int
}

// retryPolicy is how every call is tried again after the SDK's retryer
// gives up, or on a cut answer (package awscall): a cluster read is many
// calls, and one busy moment of ECS's throttling (a token bucket per
// account and action, shared with every other caller) must not lose the
// pages already read. Tests shorten it.
var retryPolicy = awscall.Default

func newReadOptions(opts []Option) *readOptions {
	o := &readOptions{concurrency: DefaultConcurrency}
	for _, f := range opts {
		f(o)
	}
	return o
}

func (o *readOptions) report(p Progress) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reportLocked(p)
}

// reportLocked reports with o.mu held, so that Done never goes backwards.
func (o *readOptions) reportLocked(p Progress) {
	if o.progress != nil {
		o.progress(p)
	}
}

// ListTaskARNs lists the task ARNs matching in (Cluster, DesiredStatus
// RUNNING or STOPPED, ContainerInstance, Family, ServiceName, ...) with the
// SDK paginator. ECS's default for DesiredStatus is RUNNING; STOPPED tasks
// stay listed for at least an hour after they stop.
func ListTaskARNs(ctx context.Context, api TaskAPI, in ecs.ListTasksInput, opts ...Option) ([]string, error) {
	if err := checkRegion(api, aws.ToString(in.Cluster)); err != nil {
		return nil, err
	}
	o := newReadOptions(opts)
	var arns []string
	p := ecs.NewListTasksPaginator(api, &in)
	for p.HasMorePages() {
		var page *ecs.ListTasksOutput
		err := retryPolicy.Do(ctx, func() (err error) { page, err = p.NextPage(ctx); return err })
		if err != nil {
			return nil, fmt.Errorf("ecsread: ListTasks %s %s: %w", aws.ToString(in.Cluster), in.DesiredStatus, err)
		}
		arns = append(arns, page.TaskArns...)
		o.report(Progress{Stage: "list tasks " + string(in.DesiredStatus), Done: len(arns)})
	}
	return arns, nil
}

// DescribeTasks describes tasks of a cluster in batches of
// [MaxDescribeBatch], at most the configured number at once. Tasks come
// back batch by batch in the order of arns, each batch in the order ECS
// answers it (which the API reference does not promise to be the
// request's); a task ECS reports in failures is absent;
// failures collects every batch's `failures` (reason MISSING for a task
// that is gone). Calls are retried as the package doc says.
func DescribeTasks(ctx context.Context, api TaskAPI, cluster string, arns []string, opts ...Option) ([]types.Task, []types.Failure, error) {
	if err := checkRegion(api, cluster); err != nil {
		return nil, nil, err
	}
	o := newReadOptions(opts)
	return describeInBatches(ctx, o, arns, "describe tasks", func(ctx context.Context, b []string) ([]types.Task, []types.Failure, error) {
		var out *ecs.DescribeTasksOutput
		err := retryPolicy.Do(ctx, func() (err error) {
			out, err = api.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(cluster), Tasks: b, Include: o.include})
			return err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("ecsread: DescribeTasks %s: %w", cluster, err)
		}
		return out.Tasks, out.Failures, nil
	})
}

// describeInBatches calls describe for arns in batches of
// [MaxDescribeBatch], at most o.concurrency at once, and returns the
// results batch by batch, in the order of arns' batches, with every
// batch's failures.
func describeInBatches[T any](ctx context.Context, o *readOptions, arns []string, stage string,
	describe func(ctx context.Context, batch []string) ([]T, []types.Failure, error)) ([]T, []types.Failure, error) {
	type result struct {
		items    []T
		failures []types.Failure
	}
	batches := batch(arns)
	results := make([]result, len(batches))
	var done int
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(o.concurrency)
	for i, b := range batches {
		g.Go(func() error {
			items, failures, err := describe(ctx, b)
			if err != nil {
				return fmt.Errorf("%w (batch %d of %d)", err, i+1, len(batches))
			}
			results[i] = result{items, failures}
			o.mu.Lock()
			done += len(b)
			o.reportLocked(Progress{Stage: stage, Done: done, Total: len(arns)})
			o.mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	var items []T
	var failures []types.Failure
	for _, r := range results {
		items = append(items, r.items...)
		failures = append(failures, r.failures...)
	}
	return items, failures, nil
}

// ListAndDescribeTasks lists a cluster's tasks with the given desired
// status and describes them: [ListTaskARNs] then [DescribeTasks].
func ListAndDescribeTasks(ctx context.Context, api TaskAPI, cluster string, desired types.DesiredStatus, opts ...Option) ([]types.Task, []types.Failure, error) {
	arns, err := ListTaskARNs(ctx, api, ecs.ListTasksInput{Cluster: aws.String(cluster), DesiredStatus: desired}, opts...)
	if err != nil {
		return nil, nil, err
	}
	if len(arns) == 0 {
		return nil, nil, nil
	}
	return DescribeTasks(ctx, api, cluster, arns, opts...)
}

// ReadTasks reads the tasks of a cluster that hold, or may still hold, its
// network resources: those with desired status RUNNING (which includes
// tasks still PROVISIONING or PENDING) and, with [WithStoppingTasks], those
// told to stop that have not stopped yet. A task described fully stopped
// (STOPPED, or DELETED after it) holds nothing and is left out, whichever
// list named it: one listed as desired RUNNING can have stopped by the
// time it is described.
//
// Each task is in the result once. With [WithStoppingTasks] the two lists
// are read one after the other, and a task ECS tells to stop in between (a
// deployment, a scale-in) is listed by both; its desired-STOPPED
// description is the later read and the newer state by
// [TaskState.AtLeastAsNewAs], so it replaces the earlier one (and drops
// the task if it has stopped by then).
func ReadTasks(ctx context.Context, api TaskAPI, cluster string, opts ...Option) ([]types.Task, []types.Failure, error) {
	tasks, failures, err := ListAndDescribeTasks(ctx, api, cluster, types.DesiredStatusRunning, opts...)
	if err != nil {
		return nil, nil, err
	}
	if !newReadOptions(opts).stopping {
		return latestByARN(tasks), failures, nil
	}
	stopped, f, err := ListAndDescribeTasks(ctx, api, cluster, types.DesiredStatusStopped, opts...)
	if err != nil {
		return nil, nil, err
	}
	failures = append(failures, f...)
	return latestByARN(append(tasks, stopped...)), failures, nil
}

// latestByARN keeps the newest description of each task ARN by
// [TaskState.AtLeastAsNewAs] (the later read when they are the same
// state), at the place of that description, and drops it when it is
// fully stopped (STOPPED or DELETED, [StatusRank]): the task holds nothing
// any more. Tasks without an ARN are not deduplicated.
func latestByARN(tasks []types.Task) []types.Task {
	newest := make(map[string]int, len(tasks))
	for i := range tasks {
		a := aws.ToString(tasks[i].TaskArn)
		if a == "" {
			continue
		}
		if j, seen := newest[a]; !seen || StateOf(&tasks[i]).AtLeastAsNewAs(StateOf(&tasks[j])) {
			newest[a] = i
		}
	}
	out := make([]types.Task, 0, len(tasks))
	for i, t := range tasks {
		if a := aws.ToString(t.TaskArn); a != "" && newest[a] != i {
			continue // another description of the same task is newer
		}
		if Stopped(aws.ToString(t.LastStatus)) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// ListContainerInstanceARNs lists a cluster's container instances (all
// but INACTIVE, ECS's default) with the SDK paginator.
func ListContainerInstanceARNs(ctx context.Context, api ContainerInstanceAPI, cluster string, opts ...Option) ([]string, error) {
	if err := checkRegion(api, cluster); err != nil {
		return nil, err
	}
	o := newReadOptions(opts)
	var arns []string
	p := ecs.NewListContainerInstancesPaginator(api, &ecs.ListContainerInstancesInput{Cluster: aws.String(cluster)})
	for p.HasMorePages() {
		var page *ecs.ListContainerInstancesOutput
		err := retryPolicy.Do(ctx, func() (err error) { page, err = p.NextPage(ctx); return err })
		if err != nil {
			return nil, fmt.Errorf("ecsread: ListContainerInstances %s: %w", cluster, err)
		}
		arns = append(arns, page.ContainerInstanceArns...)
		o.report(Progress{Stage: "list container instances", Done: len(arns)})
	}
	return arns, nil
}

// DescribeContainerInstances describes container instances in batches of
// [MaxDescribeBatch] with bounded concurrency, batch by batch as
// DescribeTasks, and collects the `failures`.
func DescribeContainerInstances(ctx context.Context, api ContainerInstanceAPI, cluster string, arns []string, opts ...Option) ([]types.ContainerInstance, []types.Failure, error) {
	if err := checkRegion(api, cluster); err != nil {
		return nil, nil, err
	}
	o := newReadOptions(opts)
	return describeInBatches(ctx, o, arns, "describe container instances", func(ctx context.Context, b []string) ([]types.ContainerInstance, []types.Failure, error) {
		var out *ecs.DescribeContainerInstancesOutput
		err := retryPolicy.Do(ctx, func() (err error) {
			out, err = api.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String(cluster), ContainerInstances: b})
			return err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("ecsread: DescribeContainerInstances %s: %w", cluster, err)
		}
		return out.ContainerInstances, out.Failures, nil
	})
}

// DescribeTaskDefinitions describes each distinct task definition ARN once,
// with bounded concurrency, in the order of first appearance. With
// [WithLenient], the ones ECS refuses to describe are failures, not an
// error. On an error the definitions described before it come back with it
// (the calls still in flight are canceled): a caller that can use some of
// them need not lose all.
func DescribeTaskDefinitions(ctx context.Context, api TaskDefinitionAPI, arns []string, opts ...Option) ([]types.TaskDefinition, []types.Failure, error) {
	o := newReadOptions(opts)
	var uniq []string
	seen := map[string]bool{}
	for _, a := range arns {
		if a != "" && !seen[a] {
			seen[a] = true
			uniq = append(uniq, a)
		}
	}
	out := make([]*types.TaskDefinition, len(uniq))
	fails := make([]*types.Failure, len(uniq))
	var done int
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(o.concurrency)
	for i, a := range uniq {
		g.Go(func() error {
			var r *ecs.DescribeTaskDefinitionOutput
			err := retryPolicy.Do(ctx, func() (err error) {
				r, err = api.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(a)})
				return err
			})
			var ae smithy.APIError
			switch {
			case err != nil && o.lenient && errors.As(err, &ae) && ae.ErrorCode() == "ClientException":
				fails[i] = &types.Failure{Arn: aws.String(a), Reason: aws.String("DescribeTaskDefinition: " + ae.ErrorCode()), Detail: aws.String(ae.ErrorMessage())}
			case err != nil:
				return fmt.Errorf("ecsread: DescribeTaskDefinition %s: %w", a, err)
			case r.TaskDefinition == nil:
				return fmt.Errorf("ecsread: DescribeTaskDefinition %s: empty answer", a)
			default:
				out[i] = r.TaskDefinition
			}
			o.mu.Lock()
			done++
			o.reportLocked(Progress{Stage: "describe task definitions", Done: done, Total: len(uniq)})
			o.mu.Unlock()
			return nil
		})
	}
	err := g.Wait()
	var tds []types.TaskDefinition
	var failures []types.Failure
	for i := range uniq {
		if out[i] != nil {
			tds = append(tds, *out[i])
		}
		if fails[i] != nil {
			failures = append(failures, *fails[i])
		}
	}
	return tds, failures, err
}

func batch(arns []string) [][]string {
	var out [][]string
	for len(arns) > 0 {
		n := min(len(arns), MaxDescribeBatch)
		out = append(out, arns[:n:n])
		arns = arns[n:]
	}
	return out
}

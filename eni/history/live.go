package history

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/netmode"
)

// ECSAPI is the part of *ecs.Client the history reads with: ListTasks,
// DescribeTasks, ListContainerInstances, DescribeContainerInstances. If the
// value also has DescribeTaskDefinition ([ecsread.TaskDefinitionAPI]), the
// network mode of tasks without an ENI is resolved from their task
// definitions. A [Watcher] whose API also has DescribeClusters
// ([ecsread.ClusterAPI]) asks it for its cluster's ARN when nothing listed
// tells it.
//
// IAM: ecs:ListTasks, ecs:DescribeTasks, ecs:ListContainerInstances,
// ecs:DescribeContainerInstances (and ecs:DescribeTaskDefinition, and for
// the Watcher ecs:DescribeClusters).
type ECSAPI interface {
	ecsread.TaskAPI
	ecsread.ContainerInstanceAPI
}

// Observation is one read of a cluster.
type Observation struct {
	Cluster            string       // as given to Observe (name or ARN)
	Tasks              []types.Task // desired RUNNING and desired STOPPED
	ContainerInstances []types.ContainerInstance
	NetworkModes       map[string]netmode.Mode // task definition ARN → network mode, when resolved
	// Failures are Describe* failures (typically MISSING: a stopped task
	// that aged out between List and Describe; a task definition ECS
	// will not describe, deleted or not visible: ClientException).
	Failures []types.Failure
	// NetworkModesErr is why not every network mode was resolved, when
	// DescribeTaskDefinition failed otherwise (not allowed, throttled past
	// the retries); NetworkModes holds those described before it. The
	// tasks and instances were read all the same: the network mode of
	// tasks without an ENI is an addition to them, and one task definition
	// must not cost the record of every task.
	NetworkModesErr error
}

// Observe reads a cluster once: ListTasks for desired status RUNNING and
// STOPPED (stopped tasks stay visible for at least an hour), DescribeTasks
// in batches of 100 with bounded concurrency, and the container instances:
// those ListContainerInstances lists (all but INACTIVE) and those of the
// tasks read, deregistered or not.
// opts tune concurrency and progress (see package ecsread).
func Observe(ctx context.Context, api ECSAPI, cluster string, opts ...ecsread.Option) (*Observation, error) {
	o := &Observation{Cluster: cluster}
	for _, ds := range []types.DesiredStatus{types.DesiredStatusRunning, types.DesiredStatusStopped} {
		ts, fs, err := ecsread.ListAndDescribeTasks(ctx, api, cluster, ds, opts...)
		if err != nil {
			return nil, err
		}
		o.Tasks = append(o.Tasks, ts...)
		o.Failures = append(o.Failures, fs...)
	}
	arns, err := ecsread.ListContainerInstanceARNs(ctx, api, cluster, opts...)
	if err != nil {
		return nil, err
	}
	// ListContainerInstances leaves out INACTIVE (deregistered) instances,
	// but a task that stopped with its instance is still listed for an
	// hour or more: its instance, described by ARN, is recorded with it
	// (its host ports are that instance's).
	listed := make(map[string]bool, len(arns))
	for _, a := range arns {
		listed[a] = true
	}
	arns = append(arns, instancesNamed(o.Tasks, listed)...)
	if len(arns) > 0 {
		cis, fs, err := ecsread.DescribeContainerInstances(ctx, api, cluster, arns, opts...)
		if err != nil {
			return nil, err
		}
		o.ContainerInstances = cis
		o.Failures = append(o.Failures, fs...)
	}
	if tdAPI, ok := api.(ecsread.TaskDefinitionAPI); ok {
		var tds []string
		for i := range o.Tasks {
			t := &o.Tasks[i]
			if hasENIAttachment(t) || t.TaskDefinitionArn == nil {
				continue
			}
			tds = append(tds, *t.TaskDefinitionArn)
		}
		slices.Sort(tds)
		tds = slices.Compact(tds)
		if len(tds) > 0 {
			defs, fs, err := ecsread.DescribeTaskDefinitions(ctx, tdAPI, tds, append(opts[:len(opts):len(opts)], ecsread.WithLenient())...)
			if err != nil {
				if ctx.Err() != nil {
					return nil, err
				}
				o.NetworkModesErr = err
			}
			o.Failures = append(o.Failures, fs...)
			o.NetworkModes = map[string]netmode.Mode{}
			for _, d := range defs {
				if m, _ := netmode.ModeOf(&d); d.TaskDefinitionArn != nil && m != netmode.ModeUnknown {
					o.NetworkModes[*d.TaskDefinitionArn] = m
				}
			}
		}
	}
	return o, nil
}

// instancesNamed returns the container instances tasks name that known
// does not hold, in the tasks' order, each once (and adds them to known).
func instancesNamed(tasks []types.Task, known map[string]bool) []string {
	var out []string
	for i := range tasks {
		if a := deref(tasks[i].ContainerInstanceArn); a != "" && !known[a] {
			known[a] = true
			out = append(out, a)
		}
	}
	return out
}

func hasENIAttachment(t *types.Task) bool {
	for _, a := range t.Attachments {
		if isENIAttachment(deref(a.Type)) {
			return true
		}
	}
	return false
}

// AddObservation records an observation; it returns how many tasks and
// instances changed.
func (b *Builder) AddObservation(o *Observation) (changed int, err error) {
	for td, m := range o.NetworkModes {
		b.SetNetworkMode(td, m)
	}
	changed, err = b.AddTasks(o.Tasks...)
	clusters := instanceClusters(o)
	for i := range o.ContainerInstances {
		n, ierr := instanceFromSDK(clusterOfInstance(&o.ContainerInstances[i], o, clusters), &o.ContainerInstances[i])
		if ierr != nil {
			err = errors.Join(err, ierr)
			continue
		}
		if b.mergeInstance(n) {
			changed++
		}
	}
	return changed, err
}

// clusterOfInstance takes the cluster ARN from the tasks on the instance
// (DescribeContainerInstances does not repeat it): the first of o's tasks
// on it that has one, by instanceClusters(o), else o.Cluster.
func clusterOfInstance(ci *types.ContainerInstance, o *Observation, clusters map[string]string) string {
	if c, ok := clusters[deref(ci.ContainerInstanceArn)]; ok {
		return c
	}
	return o.Cluster
}

// instanceClusters maps each container instance ARN of o's tasks to the
// cluster ARN of the first of them on it that has one. Built once for
// all of o's instances: a scan of every task for each instance took a
// third of a second of each poll of 5,000 instances running 50,000 tasks.
func instanceClusters(o *Observation) map[string]string {
	m := map[string]string{}
	for i := range o.Tasks {
		t := &o.Tasks[i]
		if t.ClusterArn == nil {
			continue
		}
		a := deref(t.ContainerInstanceArn)
		if _, ok := m[a]; !ok {
			m[a] = *t.ClusterArn
		}
	}
	return m
}

// Collect reads a cluster once ([Observe]) into b. Values that could not
// be used (*FieldError) and the Observation's NetworkModesErr come back
// with the Observation, after what could be used was recorded.
func Collect(ctx context.Context, api ECSAPI, cluster string, b *Builder, opts ...ecsread.Option) (*Observation, error) {
	o, err := Observe(ctx, api, cluster, opts...)
	if err != nil {
		return nil, err
	}
	_, err = b.AddObservation(o)
	return o, errors.Join(o.NetworkModesErr, err)
}

package eni

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/netmode"
)

// Container instance attributes ECS sets (DescribeContainerInstances).
const (
	// AttrTaskENI is present when the agent can run awsvpc tasks: the
	// Linux agent registers it with task networking on
	// (ECS_ENABLE_TASK_ENI=true; [DG] ecs-agent-config.md), the Windows
	// agent when bootstrapped with -EnableTaskENI ([DG]
	// task-networking-awsvpc.md, bootstrap_windows_container_instance.md).
	AttrTaskENI      = "ecs.capability.task-eni"
	AttrInstanceType = "ecs.instance-type"
	AttrOSType       = "ecs.os-type"
	// AttrTrunkID is present on instances registered with ENI trunking:
	// "If this attribute exists, the instance has a trunk network
	// interface" ([DG] task-placement-constraints.md#ecs-optional-attributes).
	// Its value is an identifier ECS gives the trunk (UUID-like), not the
	// trunk ENI's ID, and it is the attribute's presence that counts.
	AttrTrunkID = "ecs.awsvpc-trunk-id"
)

// ModeCounts counts tasks by network mode.
type ModeCounts struct {
	AWSVPC  int `json:"awsvpc"`
	Bridge  int `json:"bridge"`
	Host    int `json:"host"`
	None    int `json:"none"`
	Default int `json:"default"` // Windows NAT
	Unknown int `json:"unknown"` // task definition not in the snapshot
}

func (c *ModeCounts) add(m netmode.Mode) {
	switch m {
	case netmode.ModeAWSVPC:
		c.AWSVPC++
	case netmode.ModeBridge:
		c.Bridge++
	case netmode.ModeHost:
		c.Host++
	case netmode.ModeNone:
		c.None++
	case netmode.ModeDefault:
		c.Default++
	default:
		c.Unknown++
	}
}

func (c *ModeCounts) plus(o ModeCounts) {
	c.AWSVPC += o.AWSVPC
	c.Bridge += o.Bridge
	c.Host += o.Host
	c.None += o.None
	c.Default += o.Default
	c.Unknown += o.Unknown
}

// Total is the number of tasks counted.
func (c ModeCounts) Total() int { return c.AWSVPC + c.Bridge + c.Host + c.None + c.Default + c.Unknown }

// InstanceReport is the ENI budget of one container instance.
type InstanceReport struct {
	ContainerInstanceARN string
	EC2InstanceID        string
	InstanceType         string
	Windows              bool
	Status               string
	// Trunk is true when the instance has a trunk network interface (it
	// registered with ENI trunking): it has the ecs.awsvpc-trunk-id
	// attribute, with or without a value (see AttrTrunkID).
	Trunk bool
	// TrunkID is that attribute's value: an identifier ECS gives the trunk,
	// not an ENI ID (the trunk ENI's eni- ID is not in the attribute). It
	// may be empty when Trunk is true.
	TrunkID string
	// Budget is the instance type's awsvpc budget with the instance's
	// trunking state. Zero when Err is set, and ECSTasks is 0 (with a
	// note) on an instance whose agent does not run awsvpc tasks (no
	// ecs.capability.task-eni attribute).
	Budget Budget
	// Tasks counts the tasks ECS wants running on the instance, by mode.
	Tasks ModeCounts
	// ENIsInUse is the awsvpc tasks holding (or being given) an ENI slot:
	// every awsvpc task not described fully stopped (STOPPED, DELETED)
	// whose ENI attachment is not DELETED or FAILED.
	ENIsInUse int
	// ENIsLeft is Budget.ECSTasks - ENIsInUse: more awsvpc tasks ECS will
	// place here. Never negative; 0 without ecs.capability.task-eni, on
	// an instance that is not ACTIVE (DRAINING, REGISTERING, ...) and on
	// one whose agent is not connected, where ECS places no new task.
	ENIsLeft int
	// Provisioning is the awsvpc tasks still waiting for their ENI
	// (PROVISIONING, attachment PRECREATED, CREATED or ATTACHING).
	Provisioning int
	// Stopping is the awsvpc tasks told to stop that still hold their ENI
	// (in the snapshot only when read with WithStoppingTasks); they are
	// part of ENIsInUse.
	Stopping int
	// PendingTasks is ECS's pendingTasksCount for the instance (tasks
	// placed but not yet RUNNING, any mode).
	PendingTasks     int
	RegisteredCPU    int
	RemainingCPU     int
	RegisteredMemory int
	RemainingMemory  int
	// Err says why no budget could be computed (unknown instance type ...).
	Err string
}

// ClusterReport is the ENI budget of a cluster.
type ClusterReport struct {
	Cluster   string
	TakenAt   time.Time
	Instances []InstanceReport // sorted by container instance ARN
	// Totals over the ACTIVE and DRAINING instances with a budget (a
	// note names the others, which are not capacity of the cluster);
	// Left counts only ACTIVE instances with a connected agent (ECS
	// places nothing new on DRAINING ones, or where the agent is
	// disconnected). Tasks counts the tasks of every instance.
	Budget, InUse, Left, Provisioning, Stopping int
	Tasks                                       ModeCounts
	// Failures are the Describe calls' failures, as ECS gave them.
	Failures []types.Failure
	// Notes hold caveats that apply to the whole report.
	Notes []string
}

// Notes that every report carries: what the numbers can't see.
var reportNotes = []string{
	"ECS counts only the ENIs it attached; ENIs attached by hand or by other software are not subtracted (see BudgetOptions.OtherENIs).",
	"Tasks that ECS cannot place for lack of ENIs never exist as tasks: look for RESOURCE:ENI in service events.",
	"Tasks told to stop still hold their ENI until it is deleted; they are counted (Stopping) only in snapshots read with WithStoppingTasks.",
}

// Analyze computes each container instance's and the cluster's ENI budget
// from a snapshot. Instance types come from the ecs.instance-type
// attribute and are looked up in l; an unknown type is reported on its
// instance (InstanceReport.Err), not as an error. Network modes come from
// the task definitions in the snapshot; an omitted networkMode is bridge
// on a Linux instance and default on a Windows one. A task or a container
// instance that is in the snapshot more than once (by ARN) is counted
// once, by its latest description, and a report note says how many were.
func Analyze(ctx context.Context, s *Snapshot, l Limits) (*ClusterReport, error) {
	switch {
	case s == nil:
		return nil, errors.New("eni: analyze: nil snapshot")
	case l == nil:
		return nil, errors.New("eni: analyze: nil Limits (Builtin() is the built-in table)")
	}
	r := &ClusterReport{Cluster: s.Cluster, TakenAt: s.TakenAt, Failures: s.Failures, Notes: append([]string(nil), reportNotes...)}
	modes := taskModes(s)
	tasks, dups := uniqueTasks(s.Tasks)
	if dups > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d task%s appeared more than once in the snapshot and %s counted once, by the latest description "+
			"(highest version; then the later lifecycle status; then desired STOPPED over RUNNING; then the later one).", dups, plural(dups, "", "s"), plural(dups, "was", "were")))
	}
	// Tasks by the instance they ran on; those on none (Fargate) are no
	// instance's, not even one without an ARN (a hand-made snapshot). A
	// task described fully stopped (STOPPED, or DELETED after it) holds
	// nothing, whatever its desired status, as ecsread.ReadTasks leaves
	// it out: a snapshot file put together by hand can still hold one.
	byCI := map[string][]types.Task{}
	for _, t := range tasks {
		if ecsread.Stopped(aws.ToString(t.LastStatus)) {
			continue
		}
		if a := aws.ToString(t.ContainerInstanceArn); a != "" {
			byCI[a] = append(byCI[a], t)
		}
	}
	cis, ciDups := uniqueInstances(s.ContainerInstances)
	if ciDups > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d container instance%s appeared more than once in the snapshot and %s counted once, by the latest "+
			"description (highest version; then the later one).", ciDups, plural(ciDups, "", "s"), plural(ciDups, "was", "were")))
	}
	sort.SliceStable(cis, func(i, j int) bool {
		return aws.ToString(cis[i].ContainerInstanceArn) < aws.ToString(cis[j].ContainerInstanceArn)
	})
	var outside, unknown []string
	for i := range cis {
		ir, err := analyzeInstance(ctx, &cis[i], byCI[aws.ToString(cis[i].ContainerInstanceArn)], modes, l)
		if err != nil {
			return nil, err
		}
		r.Instances = append(r.Instances, ir)
		r.Tasks.plus(ir.Tasks)
		if !inClusterCapacity(ir.Status) {
			outside = append(outside, shortARN(ir.ContainerInstanceARN)+" "+ir.Status)
			continue
		}
		if ir.Err != "" {
			unknown = append(unknown, shortARN(ir.ContainerInstanceARN))
		} else {
			r.Budget += ir.Budget.ECSTasks
			r.InUse += ir.ENIsInUse
			r.Left += ir.ENIsLeft
			r.Provisioning += ir.Provisioning
			r.Stopping += ir.Stopping
		}
	}
	// Tasks placed on an instance the snapshot does not describe (ECS
	// answered MISSING for it, or it was deregistered between the reads)
	// are on no instance report: say so rather than drop them silently.
	// Tasks on no container instance (Fargate) are not the EC2 budget's.
	described := make(map[string]bool, len(cis))
	for i := range cis {
		described[aws.ToString(cis[i].ContainerInstanceArn)] = true
	}
	var lost []string
	nLost := 0
	for a, ts := range byCI {
		if !described[a] {
			lost = append(lost, shortARN(a))
			nLost += len(ts)
		}
	}
	if nLost > 0 {
		sort.Strings(lost)
		r.Notes = append(r.Notes, fmt.Sprintf("%d task%s on %d container instance%s not in the snapshot (%s) %s not counted, nor "+
			"the ENIs of its awsvpc tasks: the instance was not described (see the failures) or left the cluster between the reads.",
			nLost, plural(nLost, "", "s"), len(lost), plural(len(lost), "", "s"), strings.Join(lost, ", "), plural(nLost, "is", "are")))
	}
	if len(unknown) > 0 {
		// Their rows show the ENIs in use; the totals cannot hold a
		// budget or a left of theirs, so they hold none of the three.
		r.Notes = append(r.Notes, fmt.Sprintf("%d container instance%s whose ENI budget is unknown (%s) %s left out of the cluster's "+
			"budget, in use and left, which are then those of the other instances: see %s error.",
			len(unknown), plural(len(unknown), "", "s"), strings.Join(unknown, ", "), plural(len(unknown), "is", "are"),
			plural(len(unknown), "its", "their")))
	}
	if len(outside) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d container instance%s neither ACTIVE nor DRAINING (%s) %s left out of the cluster's "+
			"budget, in use and left: an instance still registering, failed to register, deregistering or deregistered is not "+
			"capacity of the cluster ([API] ContainerInstance.status).", len(outside), plural(len(outside), "", "s"),
			strings.Join(outside, ", "), plural(len(outside), "is", "are")))
	}
	return r, nil
}

// inClusterCapacity reports whether an instance of this status counts in
// the cluster's totals: ACTIVE takes tasks, DRAINING still runs its own.
// REGISTERING (its trunk ENI still being provisioned), REGISTRATION_FAILED,
// DEREGISTERING and INACTIVE are not, or no longer, capacity of the
// cluster ([API] ContainerInstance.status). No status (a hand-made
// snapshot) counts as ACTIVE, as everywhere else.
func inClusterCapacity(status string) bool {
	return status == "" || status == "ACTIVE" || status == "DRAINING"
}

// uniqueTasks returns tasks with each task ARN once, and how many ARNs
// were there more than once. A snapshot put together by hand from several
// describe-tasks outputs, or read by an older ReadCluster with
// WithStoppingTasks, can describe a task twice, from two moments; counting
// both would count its ENI twice. The copy kept is the newest state by
// [ecsread.TaskState.AtLeastAsNewAs], the rule ecsread.ReadTasks and the
// history keep too (the later copy in the snapshot when they are the
// same state). The kept copy takes the place of the first; tasks without
// an ARN are all kept.
func uniqueTasks(tasks []types.Task) ([]types.Task, int) {
	return unique(tasks, func(t *types.Task) *string { return t.TaskArn }, func(t, kept *types.Task) bool {
		return ecsread.StateOf(t).AtLeastAsNewAs(ecsread.StateOf(kept))
	})
}

// uniqueInstances returns a copy of cis with each container instance ARN
// once, and how many ARNs were there more than once. A snapshot put
// together from several describe-container-instances outputs can describe
// an instance twice; counting both would count its budget, and its tasks,
// twice. The copy kept is the one with the highest version (ECS increments
// it on every change, [API] ContainerInstance.version), the later one on
// equal versions. Instances without an ARN are all kept.
func uniqueInstances(cis []types.ContainerInstance) ([]types.ContainerInstance, int) {
	return unique(cis, func(ci *types.ContainerInstance) *string { return ci.ContainerInstanceArn }, func(ci, kept *types.ContainerInstance) bool {
		return ci.Version >= kept.Version
	})
}

// unique returns a copy of xs with each ARN once, the copy kept in the
// place of the first, replaced by a later one that replaces(later, kept),
// and how many ARNs were there more than once; those without an ARN are
// all kept.
func unique[T any](xs []T, arn func(*T) *string, replaces func(later, kept *T) bool) ([]T, int) {
	at := make(map[string]int, len(xs)) // ARN → index in out
	out := make([]T, 0, len(xs))
	dups := map[string]bool{}
	for i := range xs {
		a := aws.ToString(arn(&xs[i]))
		j, seen := at[a]
		if a == "" || !seen {
			at[a] = len(out)
			out = append(out, xs[i])
			continue
		}
		dups[a] = true
		if replaces(&xs[i], &out[j]) {
			out[j] = xs[i]
		}
	}
	return out, len(dups)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// tdMode is a task definition's network mode as far as it is known
// without the instance: byOS is set when networkMode is omitted and
// runtimePlatform names no OS family, so that the mode is the default of
// the instance's OS.
type tdMode struct {
	mode netmode.Mode
	byOS bool
}

// on returns the mode on an instance of the given OS.
func (m tdMode) on(os netmode.OSFamily) netmode.Mode {
	if m.byOS {
		mode, _ := netmode.ParseMode("", os)
		return mode
	}
	return m.mode
}

// modeOf reads a task definition's network mode. runtimePlatform is
// optional on EC2 ("A platform family is specified only for tasks using
// the Fargate launch type", [API] TaskDefinition.runtimePlatform) and
// ECS's own Windows EC2 task definitions omit it, so a missing
// operatingSystemFamily does not make the task a Linux task: with
// networkMode omitted too, the task runs in bridge mode on a Linux
// instance and in default (NAT) mode on a Windows one ([DG]
// task_definition_parameters.md#network_mode, reference §1).
func modeOf(td *types.TaskDefinition) (tdMode, error) {
	mode, err := netmode.ModeOf(td)
	if err != nil {
		return tdMode{}, err
	}
	_, osSet := taskOS(td)
	return tdMode{mode: mode, byOS: td.NetworkMode == "" && !osSet}, nil
}

// taskOS is the OS family runtimePlatform names, and whether it names one.
func taskOS(td *types.TaskDefinition) (netmode.OSFamily, bool) {
	if td.RuntimePlatform == nil || td.RuntimePlatform.OperatingSystemFamily == "" {
		return netmode.Linux, false
	}
	return netmode.OSFamilyOf(td.RuntimePlatform), true
}

// taskModes maps task definition ARN → network mode.
func taskModes(s *Snapshot) map[string]tdMode {
	m := map[string]tdMode{}
	for i := range s.TaskDefinitions {
		td := &s.TaskDefinitions[i]
		if mode, err := modeOf(td); err == nil {
			m[aws.ToString(td.TaskDefinitionArn)] = mode
		}
	}
	return m
}

func attribute(ci *types.ContainerInstance, name string) (string, bool) {
	for _, a := range ci.Attributes {
		if aws.ToString(a.Name) == name {
			return aws.ToString(a.Value), true
		}
	}
	return "", false
}

func intResource(rs []types.Resource, name string) int {
	for _, r := range rs {
		if aws.ToString(r.Name) == name {
			return int(r.IntegerValue)
		}
	}
	return 0
}

func isWindows(ci *types.ContainerInstance) bool {
	os, _ := attribute(ci, AttrOSType)
	return strings.EqualFold(os, "windows")
}

// osFamily is the OS of an instance (InstanceReport.Windows).
func osFamily(windows bool) netmode.OSFamily {
	if windows {
		return netmode.Windows
	}
	return netmode.Linux
}

// eniAttachment is the task's ENI attachment, if any.
func eniAttachment(t *types.Task) *types.Attachment {
	for i := range t.Attachments {
		if aws.ToString(t.Attachments[i].Type) == "ElasticNetworkInterface" {
			return &t.Attachments[i]
		}
	}
	return nil
}

func analyzeInstance(ctx context.Context, ci *types.ContainerInstance, tasks []types.Task, modes map[string]tdMode, l Limits) (InstanceReport, error) {
	ir := InstanceReport{
		ContainerInstanceARN: aws.ToString(ci.ContainerInstanceArn),
		EC2InstanceID:        aws.ToString(ci.Ec2InstanceId),
		Status:               aws.ToString(ci.Status),
		PendingTasks:         int(ci.PendingTasksCount),
		Windows:              isWindows(ci),
		RegisteredCPU:        intResource(ci.RegisteredResources, "CPU"),
		RemainingCPU:         intResource(ci.RemainingResources, "CPU"),
		RegisteredMemory:     intResource(ci.RegisteredResources, "MEMORY"),
		RemainingMemory:      intResource(ci.RemainingResources, "MEMORY"),
	}
	ir.InstanceType, _ = attribute(ci, AttrInstanceType)
	ir.TrunkID, ir.Trunk = attribute(ci, AttrTrunkID)
	for i := range tasks {
		t := &tasks[i]
		tdm, ok := modes[aws.ToString(t.TaskDefinitionArn)]
		mode := tdm.on(osFamily(ir.Windows))
		att := eniAttachment(t)
		if !ok && att != nil {
			mode, ok = netmode.ModeAWSVPC, true // only awsvpc tasks get an ENI attachment
		}
		if !ok {
			mode = netmode.ModeUnknown
		}
		stopping := aws.ToString(t.DesiredStatus) == "STOPPED"
		if !stopping {
			ir.Tasks.add(mode)
		}
		if mode != netmode.ModeAWSVPC {
			continue
		}
		st := ""
		if att != nil {
			st = aws.ToString(att.Status)
		}
		switch st {
		case "DELETED", "FAILED":
			continue
		}
		ir.ENIsInUse++
		if stopping {
			ir.Stopping++
			continue
		}
		if aws.ToString(t.LastStatus) == "PROVISIONING" || st == "PRECREATED" || st == "ATTACHING" || st == "CREATED" {
			ir.Provisioning++
		}
	}
	if ir.InstanceType == "" {
		ir.Err = "no " + AttrInstanceType + " attribute"
		return ir, nil
	}
	it, err := l.Lookup(ctx, ir.InstanceType)
	if err != nil {
		var ue *UnknownTypeError
		if errors.As(err, &ue) {
			ir.Err = err.Error()
			return ir, nil
		}
		return ir, fmt.Errorf("eni: container instance %s: %w", ir.ContainerInstanceARN, err)
	}
	ir.Budget = TypeBudget(it, BudgetOptions{Trunking: ir.Trunk, Windows: ir.Windows})
	if _, ok := attribute(ci, AttrTaskENI); !ok {
		// The agent does not run awsvpc tasks here (task networking off on
		// Linux, or Windows without -EnableTaskENI): ECS places none,
		// whatever the type's ENIs. WhatIf skips such an instance for
		// awsvpc tasks too.
		noTaskENI(&ir.Budget)
	} else if ir.Trunk && !ir.Budget.Trunking {
		ir.Budget.note("the instance has a trunk network interface (%s attribute) but no trunking limit is known for its type", AttrTrunkID)
	}
	ir.ENIsLeft = ir.Budget.ECSTasks - ir.ENIsInUse
	if ir.ENIsLeft < 0 {
		ir.Budget.note("%d awsvpc tasks hold ENIs, more than the budget of %d", ir.ENIsInUse, ir.Budget.ECSTasks)
		ir.ENIsLeft = 0
	}
	if ir.Status != "" && ir.Status != "ACTIVE" && ir.ENIsLeft > 0 {
		// [API] ContainerInstance.status: ECS places new tasks on ACTIVE
		// instances only; a DRAINING one's free slots take none. Say so,
		// as for a disconnected agent, or "left 0" of a free budget
		// cannot be traced.
		ir.Budget.note("status %s: ECS places new tasks on ACTIVE instances only, so the %d free slots take none", ir.Status, ir.ENIsLeft)
		ir.ENIsLeft = 0
	}
	if !ci.AgentConnected && ir.ENIsLeft > 0 {
		// [API] ContainerInstance.agentConnected: "Only instances
		// connected to an agent can accept task placement requests."
		ir.Budget.note("the agent is not connected (agentConnected false): ECS places no new tasks here until it reconnects")
		ir.ENIsLeft = 0
	}
	return ir, nil
}

// noTaskENI makes b the budget of an instance whose agent runs no awsvpc
// tasks: none, and only the primary ENI (and OtherENIs) attached.
func noTaskENI(b *Budget) {
	b.Trunking = false
	b.ECSTasks, b.Tasks = 0, 0
	b.InstanceENIs = 1 + b.OtherENIs
	b.note("no %s attribute: the agent does not run awsvpc tasks here (ECS_ENABLE_TASK_ENI not true on Linux, or a Windows "+
		"instance bootstrapped without -EnableTaskENI), so ECS places none", AttrTaskENI)
}

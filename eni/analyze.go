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

	"github.com/ecsnet/ecsnet/netmode"
)

// Container instance attributes ECS sets (DescribeContainerInstances).
const (
	// AttrTaskENI is present when the agent can run awsvpc tasks.
	AttrTaskENI      = "ecs.capability.task-eni"
	AttrInstanceType = "ecs.instance-type"
	AttrOSType       = "ecs.os-type"
	// AttrTrunkID is present on instances registered with ENI trunking.
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
	// TrunkENI is the ecs.awsvpc-trunk-id attribute: set when the instance
	// registered with ENI trunking.
	TrunkENI string
	// Budget is the instance type's awsvpc budget with the instance's
	// trunking state. Zero when Err is set.
	Budget Budget
	// Tasks counts the tasks ECS wants running on the instance, by mode.
	Tasks ModeCounts
	// ENIsInUse is the awsvpc tasks holding (or being given) an ENI slot:
	// every awsvpc task whose ENI attachment is not DELETED or FAILED.
	ENIsInUse int
	// ENIsLeft is Budget.ECSTasks - ENIsInUse: more awsvpc tasks ECS will
	// place here. Never negative.
	ENIsLeft int
	// Provisioning is the awsvpc tasks still waiting for their ENI
	// (PROVISIONING, attachment PRECREATED or ATTACHING).
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
	// Totals over the instances with a budget; Left counts only ACTIVE
	// instances (ECS places nothing new on DRAINING ones).
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
// the task definitions in the snapshot.
func Analyze(ctx context.Context, s *Snapshot, l Limits) (*ClusterReport, error) {
	r := &ClusterReport{Cluster: s.Cluster, TakenAt: s.TakenAt, Failures: s.Failures, Notes: append([]string(nil), reportNotes...)}
	modes := taskModes(s)
	byCI := map[string][]types.Task{}
	for _, t := range s.Tasks {
		a := aws.ToString(t.ContainerInstanceArn)
		byCI[a] = append(byCI[a], t)
	}
	cis := append([]types.ContainerInstance(nil), s.ContainerInstances...)
	sort.SliceStable(cis, func(i, j int) bool {
		return aws.ToString(cis[i].ContainerInstanceArn) < aws.ToString(cis[j].ContainerInstanceArn)
	})
	for i := range cis {
		ir, err := analyzeInstance(ctx, &cis[i], byCI[aws.ToString(cis[i].ContainerInstanceArn)], modes, l)
		if err != nil {
			return nil, err
		}
		r.Instances = append(r.Instances, ir)
		r.Tasks.plus(ir.Tasks)
		if ir.Err == "" {
			r.Budget += ir.Budget.ECSTasks
			r.InUse += ir.ENIsInUse
			if ir.Status == "" || ir.Status == "ACTIVE" {
				r.Left += ir.ENIsLeft
			}
			r.Provisioning += ir.Provisioning
			r.Stopping += ir.Stopping
		}
	}
	return r, nil
}

// taskModes maps task definition ARN → network mode.
func taskModes(s *Snapshot) map[string]netmode.Mode {
	m := map[string]netmode.Mode{}
	for i := range s.TaskDefinitions {
		td := &s.TaskDefinitions[i]
		if mode, err := netmode.ModeOf(td); err == nil {
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

// eniAttachment is the task's ENI attachment, if any.
func eniAttachment(t *types.Task) *types.Attachment {
	for i := range t.Attachments {
		if aws.ToString(t.Attachments[i].Type) == "ElasticNetworkInterface" {
			return &t.Attachments[i]
		}
	}
	return nil
}

func analyzeInstance(ctx context.Context, ci *types.ContainerInstance, tasks []types.Task, modes map[string]netmode.Mode, l Limits) (InstanceReport, error) {
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
	ir.TrunkENI, _ = attribute(ci, AttrTrunkID)
	for i := range tasks {
		t := &tasks[i]
		mode, ok := modes[aws.ToString(t.TaskDefinitionArn)]
		att := eniAttachment(t)
		if !ok && att != nil {
			mode, ok = netmode.ModeAWSVPC, true // only awsvpc tasks get an ENI attachment
		}
		if !ok {
			mode = netmode.ModeUnknown
		}
		stopping := aws.ToString(t.DesiredStatus) == "STOPPED"
		if stopping && aws.ToString(t.LastStatus) == "STOPPED" {
			continue
		}
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
	ir.Budget = TypeBudget(it, BudgetOptions{Trunking: ir.TrunkENI != "", Windows: ir.Windows})
	if ir.TrunkENI != "" && !ir.Budget.Trunking {
		ir.Budget.note("the instance has a trunk ENI (%s) but no trunking limit is known for its type", ir.TrunkENI)
	}
	ir.ENIsLeft = ir.Budget.ECSTasks - ir.ENIsInUse
	if ir.ENIsLeft < 0 {
		ir.Budget.note("%d awsvpc tasks hold ENIs, more than the budget of %d", ir.ENIsInUse, ir.Budget.ECSTasks)
		ir.ENIsLeft = 0
	}
	return ir, nil
}

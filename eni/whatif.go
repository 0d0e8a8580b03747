package eni

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

// TrunkingChoice says how a what-if treats ENI trunking.
type TrunkingChoice uint8

const (
	// TrunkingAsIs uses each instance as registered (trunk ENI or not).
	TrunkingAsIs TrunkingChoice = iota
	// TrunkingOff computes as if no instance used trunking.
	TrunkingOff
	// TrunkingOn computes as if every instance had been launched after
	// opting in to awsvpcTrunking, where its type and OS support it.
	TrunkingOn
)

func (c TrunkingChoice) String() string {
	switch c {
	case TrunkingOff:
		return "off"
	case TrunkingOn:
		return "on"
	default:
		return "as-is"
	}
}

// MarshalText gives "as-is", "off" or "on".
func (c TrunkingChoice) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Constraint names, in the order used to break ties.
const (
	LimitENI    = "ENI"
	LimitPorts  = "ports"
	LimitCPU    = "CPU"
	LimitMemory = "memory"
	LimitNone   = "none"
)

// NoLimit marks a resource that does not limit the copies.
const NoLimit = -1

// InstanceFit is how many more copies of a task fit on one instance, per
// resource and overall.
type InstanceFit struct {
	ContainerInstanceARN string
	InstanceType         string
	// Copies that fit by each resource alone; NoLimit when it does not
	// limit the task (ports for awsvpc, ENIs for bridge, ...).
	ByENI, ByPorts, ByCPU, ByMemory int
	// Fits is the smallest of the above; Binding names it (ties go to ENI,
	// then ports, CPU, memory) and Reason explains it.
	Fits    int
	Binding string
	Reason  string
	// Placed is how many of the requested copies this instance takes when
	// instances are filled in ARN order. ECS's own placement strategy may
	// spread them differently; the totals are the same.
	Placed int
	// Skipped says why the instance takes nothing (not ACTIVE, other OS,
	// unknown ENI limits); Fits is 0 then.
	Skipped string
}

// TypeNeed is what one more empty instance of a type would hold.
type TypeNeed struct {
	InstanceType string
	// Candidate is true for an entry from WhatIfOptions.Candidates.
	Candidate   bool
	PerInstance int
	Binding     string
	Reason      string
	// Instances needed for the copies that do not fit; 0 when all fit or
	// when the type can hold none (PerInstance 0).
	Instances int
}

// WhatIfResult answers "can N more copies of this task definition be
// placed in the cluster?".
type WhatIfResult struct {
	TaskDefinition string // family:revision
	Mode           netmode.Mode
	Trunking       TrunkingChoice
	CPU, Memory    int // reserved per copy (CPU units, MiB)
	Requested      int
	Fits           int // copies that fit on the existing instances
	Placed         int // min(Requested, Fits)
	Short          int // Requested - Placed
	Instances      []InstanceFit
	// ForTheRest has one entry per instance type in the cluster: how many
	// more instances of it the Short copies need, fewest first.
	ForTheRest []TypeNeed
	Notes      []string
}

// WhatIfOptions tune [WhatIf].
type WhatIfOptions struct {
	// Mode overrides the task definition's network mode (ModeUnknown keeps
	// it): the bridge → awsvpc migration question.
	Mode     netmode.Mode
	Trunking TrunkingChoice
	// Candidates are instance types to size the rest with besides the
	// types already in the cluster.
	Candidates []Candidate
}

// Candidate is an instance type that is not (or not necessarily) in the
// cluster, described by what it would register with ECS.
type Candidate struct {
	InstanceType string
	// CPU (1024 units per vCPU) and Memory (MiB) the instance would
	// register; ECS registers less memory than the type has, so use a
	// number from a running instance of the type when you can.
	CPU, Memory int
	Windows     bool
	// Trunking: launched with awsvpcTrunking on (used with TrunkingAsIs).
	Trunking bool
}

// WhatIf computes how many more copies of td fit on the snapshot's
// container instances, each bounded by ENIs (awsvpc), host ports (bridge,
// host, Windows default: netmode's port plan), CPU and memory, and how many
// instances of each type in the cluster the rest would need. The result is
// deterministic: instances in ARN order, ties broken in a fixed order.
func WhatIf(ctx context.Context, s *Snapshot, l Limits, td *types.TaskDefinition, n int, opt WhatIfOptions) (*WhatIfResult, error) {
	if td == nil {
		return nil, errors.New("eni: what-if: nil task definition")
	}
	if n < 0 {
		return nil, fmt.Errorf("eni: what-if: count %d is negative", n)
	}
	tdOS := netmode.OSFamilyOf(td.RuntimePlatform)
	mode, err := netmode.ModeOf(td)
	if err != nil {
		return nil, fmt.Errorf("eni: what-if: %w", err)
	}
	work := *td
	if opt.Mode != netmode.ModeUnknown && opt.Mode != mode {
		if tdOS == netmode.Windows && opt.Mode != netmode.ModeAWSVPC && opt.Mode != netmode.ModeDefault {
			return nil, fmt.Errorf("eni: what-if: Windows tasks run only in awsvpc or default mode, not %s", opt.Mode)
		}
		if tdOS == netmode.Linux && opt.Mode == netmode.ModeDefault {
			return nil, errors.New("eni: what-if: default (NAT) mode is Windows only")
		}
		mode = opt.Mode
		work.NetworkMode = mode.APIValue()
	}
	cpu, mem, err := taskSize(&work)
	if err != nil {
		return nil, err
	}
	r := &WhatIfResult{
		TaskDefinition: fmt.Sprintf("%s:%d", aws.ToString(td.Family), td.Revision),
		Mode:           mode, Trunking: opt.Trunking, CPU: cpu, Memory: mem, Requested: n,
	}
	rep, err := Analyze(ctx, s, l)
	if err != nil {
		return nil, err
	}
	byARN := map[string]*types.ContainerInstance{}
	for i := range s.ContainerInstances {
		byARN[aws.ToString(s.ContainerInstances[i].ContainerInstanceArn)] = &s.ContainerInstances[i]
	}
	notes := map[string]bool{}
	addNote := func(n string) {
		if !notes[n] {
			notes[n] = true
			r.Notes = append(r.Notes, n)
		}
	}
	firstOfType := map[string]*InstanceReport{}
	var types_ []string
	for i := range rep.Instances {
		ir := &rep.Instances[i]
		ci := byARN[ir.ContainerInstanceARN]
		f := fitOn(ctx, ci, ir, &work, mode, tdOS, cpu, mem, l, opt.Trunking, false, addNote)
		r.Instances = append(r.Instances, f)
		r.Fits += f.Fits
		if ir.InstanceType != "" && f.Skipped == "" && firstOfType[ir.InstanceType] == nil {
			firstOfType[ir.InstanceType] = ir
			types_ = append(types_, ir.InstanceType)
		}
	}
	left := n
	for i := range r.Instances {
		p := min(left, r.Instances[i].Fits)
		r.Instances[i].Placed = p
		left -= p
	}
	r.Placed = n - left
	r.Short = left
	for _, t := range types_ {
		ir := firstOfType[t]
		fresh := freshInstance(byARN[ir.ContainerInstanceARN])
		fir := *ir
		fir.ENIsInUse, fir.RemainingCPU, fir.RemainingMemory = 0, ir.RegisteredCPU, ir.RegisteredMemory
		f := fitOn(ctx, fresh, &fir, &work, mode, tdOS, cpu, mem, l, opt.Trunking, true, addNote)
		need := TypeNeed{InstanceType: t, PerInstance: f.Fits, Binding: f.Binding, Reason: f.Reason}
		if f.Fits > 0 && r.Short > 0 {
			need.Instances = (r.Short + f.Fits - 1) / f.Fits
		}
		r.ForTheRest = append(r.ForTheRest, need)
	}
	for _, c := range opt.Candidates {
		ci, ir := candidateInstance(c)
		f := fitOn(ctx, ci, ir, &work, mode, tdOS, cpu, mem, l, opt.Trunking, true, addNote)
		need := TypeNeed{InstanceType: c.InstanceType, Candidate: true, PerInstance: f.Fits, Binding: f.Binding, Reason: f.Reason}
		if f.Skipped != "" {
			need.PerInstance, need.Reason = 0, f.Skipped
		}
		if need.PerInstance > 0 && r.Short > 0 {
			need.Instances = (r.Short + need.PerInstance - 1) / need.PerInstance
		}
		r.ForTheRest = append(r.ForTheRest, need)
	}
	sort.SliceStable(r.ForTheRest, func(i, j int) bool {
		a, b := r.ForTheRest[i], r.ForTheRest[j]
		if (a.PerInstance == 0) != (b.PerInstance == 0) {
			return b.PerInstance == 0
		}
		if a.Instances != b.Instances {
			return a.Instances < b.Instances
		}
		if a.InstanceType != b.InstanceType {
			return a.InstanceType < b.InstanceType
		}
		return !a.Candidate && b.Candidate
	})
	if len(r.ForTheRest) > len(opt.Candidates) {
		addNote("Instances needed are computed for types already in the cluster, with the CPU and memory an instance of that type registered.")
	}
	return r, nil
}

// candidateInstance is an empty container instance of a candidate type with
// the agent's default reserved ports.
func candidateInstance(c Candidate) (*types.ContainerInstance, *InstanceReport) {
	osName, os := "linux", netmode.Linux
	if c.Windows {
		osName, os = "windows", netmode.Windows
	}
	var ports []string
	for _, p := range netmode.DefaultReservedPorts(os) {
		ports = append(ports, strconv.Itoa(int(p)))
	}
	res := []types.Resource{
		{Name: aws.String("CPU"), Type: aws.String("INTEGER"), IntegerValue: int32(c.CPU)},
		{Name: aws.String("MEMORY"), Type: aws.String("INTEGER"), IntegerValue: int32(c.Memory)},
		{Name: aws.String("PORTS"), Type: aws.String("STRINGSET"), StringSetValue: ports},
		{Name: aws.String("PORTS_UDP"), Type: aws.String("STRINGSET"), StringSetValue: []string{}},
	}
	ci := &types.ContainerInstance{
		ContainerInstanceArn: aws.String("candidate/" + c.InstanceType),
		Status:               aws.String("ACTIVE"),
		Attributes: []types.Attribute{
			{Name: aws.String(AttrInstanceType), Value: aws.String(c.InstanceType)},
			{Name: aws.String(AttrOSType), Value: aws.String(osName)},
			{Name: aws.String(AttrTaskENI)},
		},
		RegisteredResources: res,
		RemainingResources:  res,
	}
	ir := &InstanceReport{ContainerInstanceARN: *ci.ContainerInstanceArn, InstanceType: c.InstanceType, Windows: c.Windows,
		Status: "ACTIVE", RegisteredCPU: c.CPU, RemainingCPU: c.CPU, RegisteredMemory: c.Memory, RemainingMemory: c.Memory}
	if c.Trunking {
		ir.TrunkENI = "candidate"
	}
	return ci, ir
}

// freshInstance is ci as it was with no tasks: remaining = registered.
func freshInstance(ci *types.ContainerInstance) *types.ContainerInstance {
	c := *ci
	c.RemainingResources = append([]types.Resource(nil), ci.RegisteredResources...)
	return &c
}

func fitOn(ctx context.Context, ci *types.ContainerInstance, ir *InstanceReport, td *types.TaskDefinition, mode netmode.Mode,
	tdOS netmode.OSFamily, cpu, mem int, l Limits, trunk TrunkingChoice, fresh bool, addNote func(string)) InstanceFit {
	f := InstanceFit{ContainerInstanceARN: ir.ContainerInstanceARN, InstanceType: ir.InstanceType,
		ByENI: NoLimit, ByPorts: NoLimit, ByCPU: NoLimit, ByMemory: NoLimit}
	ciOS := netmode.Linux
	if ir.Windows {
		ciOS = netmode.Windows
	}
	switch {
	case ir.Status != "" && ir.Status != "ACTIVE" && !fresh:
		f.Skipped = "status " + ir.Status + ": ECS places no new tasks here"
	case ciOS != tdOS:
		f.Skipped = fmt.Sprintf("a %s instance; the task definition is for %s", ciOS, tdOS)
	}
	if f.Skipped != "" {
		f.Binding = LimitNone
		f.Reason = f.Skipped
		return f
	}
	var reasons [4]string
	if mode == netmode.ModeAWSVPC {
		if _, ok := attribute(ci, AttrTaskENI); !ok {
			f.Skipped = "no " + AttrTaskENI + " attribute: the agent does not run awsvpc tasks here"
			f.Binding, f.Reason = LimitNone, f.Skipped
			return f
		}
		it, err := l.Lookup(ctx, ir.InstanceType)
		if err != nil {
			var ue *UnknownTypeError
			if !errors.As(err, &ue) {
				f.Skipped = "ENI limits: " + err.Error()
			} else {
				f.Skipped = "ENI limits of " + ir.InstanceType + " unknown (supply them: eni.ParseLimitsTSV, package ec2limits)"
			}
			f.Binding, f.Reason = LimitNone, f.Skipped
			return f
		}
		on := ir.TrunkENI != ""
		switch trunk {
		case TrunkingOff:
			on = false
		case TrunkingOn:
			on = true
		}
		b := TypeBudget(it, BudgetOptions{Trunking: on, Windows: ir.Windows})
		f.ByENI = max(0, b.ECSTasks-ir.ENIsInUse)
		kind := "ENIs (max ENIs - 1)"
		if b.Trunking {
			kind = "trunk branch ENIs"
		}
		reasons[0] = fmt.Sprintf("%d of %d %s left, %d held by awsvpc tasks", f.ByENI, b.ECSTasks, kind, ir.ENIsInUse)
		if ir.ENIsInUse > b.ECSTasks {
			addNote(fmt.Sprintf("%s: its %d awsvpc tasks already need more than the %d %s this budget allows", shortARN(ir.ContainerInstanceARN), ir.ENIsInUse, b.ECSTasks, kind))
		}
		if on && !b.Trunking && len(b.Notes) > 0 {
			addNote(b.InstanceType + ": " + b.Notes[len(b.Notes)-1])
		}
	}
	host, err := netmode.HostFromContainerInstance(ci)
	if err == nil {
		var plan netmode.Plan
		plan, err = netmode.PlanPorts(td, host)
		if err == nil {
			if plan.Bounded() {
				f.ByPorts = plan.Copies
				reasons[1] = plan.Reason
			}
			for _, n := range plan.Notes {
				addNote(r2(td) + ": " + n)
			}
		}
	}
	if err != nil {
		f.ByPorts = 0
		reasons[1] = "port plan failed: " + err.Error()
	}
	if cpu > 0 {
		f.ByCPU = max(0, ir.RemainingCPU/cpu)
		reasons[2] = fmt.Sprintf("%d CPU units left, %d per copy", ir.RemainingCPU, cpu)
	}
	if mem > 0 {
		f.ByMemory = max(0, ir.RemainingMemory/mem)
		reasons[3] = fmt.Sprintf("%d MiB left, %d per copy", ir.RemainingMemory, mem)
	}
	f.Fits, f.Binding, f.Reason = NoLimit, LimitNone, "nothing limits this task"
	for i, v := range []int{f.ByENI, f.ByPorts, f.ByCPU, f.ByMemory} {
		if v != NoLimit && (f.Fits == NoLimit || v < f.Fits) {
			f.Fits, f.Binding, f.Reason = v, []string{LimitENI, LimitPorts, LimitCPU, LimitMemory}[i], reasons[i]
		}
	}
	if f.Fits == NoLimit {
		// Cannot happen for a valid EC2 task definition (memory is required);
		// be explicit instead of reporting an infinite number.
		f.Fits = 0
		f.Reason = "the task definition reserves no CPU or memory and takes no ENI or port: not counted"
	}
	return f
}

func shortARN(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func r2(td *types.TaskDefinition) string {
	return fmt.Sprintf("%s:%d", aws.ToString(td.Family), td.Revision)
}

// taskSize is the CPU units and MiB of memory one copy reserves: the
// task-level values when set, else the containers' sums (memory
// reservation when set, else the hard limit, as ECS places by).
func taskSize(td *types.TaskDefinition) (cpu, mem int, err error) {
	if s := aws.ToString(td.Cpu); s != "" {
		if cpu, err = parseSize(s, "vcpu"); err != nil {
			return 0, 0, fmt.Errorf("eni: task definition cpu %q: %w", s, err)
		}
	} else {
		for _, c := range td.ContainerDefinitions {
			cpu += int(c.Cpu)
		}
	}
	if s := aws.ToString(td.Memory); s != "" {
		if mem, err = parseSize(s, "gb"); err != nil {
			return 0, 0, fmt.Errorf("eni: task definition memory %q: %w", s, err)
		}
	} else {
		for _, c := range td.ContainerDefinitions {
			switch {
			case c.MemoryReservation != nil:
				mem += int(*c.MemoryReservation)
			case c.Memory != nil:
				mem += int(*c.Memory)
			}
		}
	}
	return cpu, mem, nil
}

// parseSize reads "1024" or "1 vCPU" / "2 GB" (×1024), the forms
// RegisterTaskDefinition accepts.
func parseSize(s, unit string) (int, error) {
	t := strings.TrimSpace(strings.ToLower(s))
	mul := 1.0
	if strings.HasSuffix(t, unit) {
		t = strings.TrimSpace(strings.TrimSuffix(t, unit))
		mul = 1024
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("not a number of units or %s", unit)
	}
	return int(v * mul), nil
}

// ModeWhatIf is the migration question: the same copies with the network
// mode overridden, with and without trunking, next to the mode as is.
type ModeWhatIf struct {
	From, To netmode.Mode
	// Current is the task definition as it is, instances as registered.
	Current *WhatIfResult
	// WithoutTrunking and WithTrunking use the new mode; for a mode other
	// than awsvpc trunking does not matter and WithTrunking is nil.
	WithoutTrunking *WhatIfResult
	WithTrunking    *WhatIfResult
}

// WhatIfMode answers "what if this task definition ran in mode to?" —
// typically bridge → awsvpc, which frees the task from port juggling and
// spends ENIs.
//
// Candidates, if any, are sized as in [WhatIfOptions].
func WhatIfMode(ctx context.Context, s *Snapshot, l Limits, td *types.TaskDefinition, n int, to netmode.Mode, candidates ...Candidate) (*ModeWhatIf, error) {
	from, err := netmode.ModeOf(td)
	if err != nil {
		return nil, fmt.Errorf("eni: what-if: %w", err)
	}
	w := &ModeWhatIf{From: from, To: to}
	if w.Current, err = WhatIf(ctx, s, l, td, n, WhatIfOptions{Candidates: candidates}); err != nil {
		return nil, err
	}
	if w.WithoutTrunking, err = WhatIf(ctx, s, l, td, n, WhatIfOptions{Mode: to, Trunking: TrunkingOff, Candidates: candidates}); err != nil {
		return nil, err
	}
	if to == netmode.ModeAWSVPC {
		if w.WithTrunking, err = WhatIf(ctx, s, l, td, n, WhatIfOptions{Mode: to, Trunking: TrunkingOn, Candidates: candidates}); err != nil {
			return nil, err
		}
	}
	return w, nil
}

package eni

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
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
	// Skipped says why the instance takes nothing (not ACTIVE, agent not
	// connected, other OS, a mode its OS does not run, a placement
	// constraint not met, no awsvpc capability, unknown ENI limits, a task
	// definition not for EC2); Fits is 0 then.
	Skipped string
}

// TypeNeed is what one more empty instance of a type would hold.
type TypeNeed struct {
	InstanceType string
	// Candidate is true for an entry from WhatIfOptions.Candidates.
	Candidate bool
	// Windows: the entry is for Windows instances of the type. A type with
	// instances of both OSes in the cluster has an entry for each: what an
	// instance holds depends on its OS (no trunking and no bridge mode on
	// Windows), not only on its type.
	Windows     bool
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
	// Mode is the task's network mode. With networkMode omitted and no
	// runtimePlatform OS family it depends on the instance (bridge on
	// Linux, default on Windows): default when every instance in the
	// snapshot is Windows, else bridge, with a note if they are mixed.
	Mode        netmode.Mode
	Trunking    TrunkingChoice
	CPU, Memory int // reserved per copy (CPU units, MiB)
	Requested   int
	Fits        int // copies that fit on the existing instances
	Placed      int // min(Requested, Fits)
	Short       int // Requested - Placed
	Instances   []InstanceFit
	// ForTheRest has one entry per instance type (and OS, see
	// TypeNeed.Windows) with an instance in the cluster that can take the
	// task, and one per candidate: how many
	// more instances of it the Short copies need, fewest first. It is
	// empty when no instance can take the task and there are no candidates.
	ForTheRest []TypeNeed
	Notes      []string
}

// WhatIfOptions tune [WhatIf].
type WhatIfOptions struct {
	// Mode overrides the task definition's network mode (ModeUnknown keeps
	// it): the bridge → awsvpc migration question. A mode given here is
	// the mode on every instance, even where an omitted networkMode would
	// depend on the instance's OS.
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
//
// Where ECS would not place the task at all, an instance takes none
// (InstanceFit.Skipped says why): an instance not ACTIVE; one whose agent
// is not connected (agentConnected false); one whose OS is not the
// runtimePlatform's operatingSystemFamily (only when the task
// definition sets one: on EC2 it is optional, and without it ECS places the
// task on Linux and Windows instances alike); one whose OS does not run the
// network mode; one that fails a memberOf placementConstraint of the task
// definition; for awsvpc, one without ecs.capability.task-eni. A task
// definition whose requiresCompatibilities lacks EC2 fits nowhere.
//
// Of the cluster query language, placement constraints are evaluated when
// they compare container instance attributes: attribute:NAME with ==
// (equals), != (not_equals), in [...], !in (not_in), exists and !exists
// (not_exists), joined by and (&&), values quoted or not. An instance
// without the attribute meets none of the comparisons. Other expressions
// (or, not, parentheses, =~, task:group, agentVersion, ...) are listed in
// Notes as not evaluated and do not restrict the count. Constraints given
// to a service or to RunTask are not in the task definition and are not
// applied.
func WhatIf(ctx context.Context, s *Snapshot, l Limits, td *types.TaskDefinition, n int, opt WhatIfOptions) (*WhatIfResult, error) {
	switch {
	case td == nil:
		return nil, errors.New("eni: what-if: nil task definition")
	case s == nil:
		return nil, errors.New("eni: what-if: nil snapshot")
	case l == nil:
		return nil, errors.New("eni: what-if: nil Limits (Builtin() is the built-in table)")
	}
	if n < 0 {
		return nil, fmt.Errorf("eni: what-if: count %d is negative", n)
	}
	tdm, err := modeOf(td)
	if err != nil {
		return nil, fmt.Errorf("eni: what-if: %w", err)
	}
	tdOS, osSet := taskOS(td)
	work := *td
	var moveNotes []string
	if opt.Mode != netmode.ModeUnknown && (opt.Mode != tdm.mode || tdm.byOS) {
		if osSet && tdOS == netmode.Windows && opt.Mode != netmode.ModeAWSVPC && opt.Mode != netmode.ModeDefault {
			return nil, fmt.Errorf("eni: what-if: Windows tasks run only in awsvpc or default mode, not %s", opt.Mode)
		}
		if osSet && tdOS == netmode.Linux && opt.Mode == netmode.ModeDefault {
			return nil, errors.New("eni: what-if: default (NAT) mode is Windows only")
		}
		// An explicit mode is the same on every instance.
		tdm = tdMode{mode: opt.Mode}
		work.NetworkMode = opt.Mode.APIValue()
		moveNotes = movePorts(&work, opt.Mode)
		// What ECS would still not register fits nowhere.
		var ps netmode.Problems
		if err := netmode.Validate(&work); errors.As(err, &ps) && ps.HasErrors() {
			return nil, fmt.Errorf("eni: what-if: in %s mode, ECS would refuse to register the task definition: %w", opt.Mode, ps.Filter(netmode.SeverityError))
		}
	}
	cpu, mem, err := taskSize(&work)
	if err != nil {
		return nil, err
	}
	r := &WhatIfResult{
		TaskDefinition: r2(td),
		Mode:           tdm.mode, Trunking: opt.Trunking, CPU: cpu, Memory: mem, Requested: n,
	}
	rep, err := Analyze(ctx, s, l)
	if err != nil {
		return nil, err
	}
	// The instances Analyze reported on: each ARN once, by its latest
	// description.
	cis, _ := uniqueInstances(s.ContainerInstances)
	byARN := map[string]*types.ContainerInstance{}
	for i := range cis {
		byARN[aws.ToString(cis[i].ContainerInstanceArn)] = &cis[i]
	}
	notes := map[string]bool{}
	addNote := func(n string) {
		if !notes[n] {
			notes[n] = true
			r.Notes = append(r.Notes, n)
		}
	}
	for _, n := range moveNotes {
		addNote(n)
	}
	job := &fitJob{td: &work, mode: tdm, os: tdOS, osSet: osSet, cpu: cpu, mem: mem, l: l, trunk: opt.Trunking, addNote: addNote}
	job.placementRules(td)
	// One representative per instance type and OS (see TypeNeed.Windows).
	type typeOS struct {
		name    string
		windows bool
	}
	firstOfType := map[typeOS]*InstanceReport{}
	var types_ []typeOS
	fitOS := map[netmode.OSFamily]bool{}
	var linux, windows int
	for i := range rep.Instances {
		ir := &rep.Instances[i]
		ci := byARN[ir.ContainerInstanceARN]
		f := job.fitOn(ctx, ci, ir, false, false)
		r.Instances = append(r.Instances, f)
		r.Fits += f.Fits
		if ir.Windows {
			windows++
		} else {
			linux++
		}
		if f.Skipped == "" {
			fitOS[osFamily(ir.Windows)] = true
		}
		if k := (typeOS{ir.InstanceType, ir.Windows}); ir.InstanceType != "" && f.Skipped == "" && firstOfType[k] == nil {
			firstOfType[k] = ir
			types_ = append(types_, k)
		}
	}
	if len(job.untrunked) > 0 {
		// [DG] container-instance-eni.md: previously launched instances
		// never get a trunk, whatever is done to them.
		addNote(fmt.Sprintf("Counted with trunking, %d instance%s without a trunk network interface (%s): ECS gives the trunk, and the "+
			"trunking limit, only to instances launched after opting in to awsvpcTrunking, never to ones already running, so the copies "+
			"counted there fit only once %s replaced.", len(job.untrunked), plural(len(job.untrunked), "", "s"),
			strings.Join(job.untrunked, ", "), plural(len(job.untrunked), "it is", "they are")))
	}
	if tdm.byOS {
		switch {
		case windows > 0 && linux == 0:
			r.Mode = tdm.on(netmode.Windows)
		case windows > 0 && linux > 0:
			addNote(fmt.Sprintf("networkMode is omitted and runtimePlatform names no OS family: the task runs in %s mode on Linux "+
				"instances and in %s (NAT) mode on Windows ones; the mode shown is Linux's.", tdm.on(netmode.Linux), tdm.on(netmode.Windows)))
		}
	}
	if !osSet && fitOS[netmode.Linux] && fitOS[netmode.Windows] {
		// [DG] ECS_Windows.md#windows_caveats: ECS keeps a task definition
		// to Windows instances only with a placement constraint.
		addNote("runtimePlatform names no OS family, so copies are counted on Linux and Windows instances alike, as ECS places them; " +
			"a Linux image cannot run on Windows or the other way round: keep the task to one OS with the placement constraint " +
			"attribute:ecs.os-type == linux (or windows).")
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
		f := job.fitOn(ctx, fresh, &fir, true, false)
		need := TypeNeed{InstanceType: t.name, Windows: t.windows, PerInstance: f.Fits, Binding: f.Binding, Reason: f.Reason}
		if f.Fits > 0 && r.Short > 0 {
			need.Instances = (r.Short + f.Fits - 1) / f.Fits
		}
		r.ForTheRest = append(r.ForTheRest, need)
	}
	for _, c := range opt.Candidates {
		ci, ir := candidateInstance(c)
		f := job.fitOn(ctx, ci, ir, true, true)
		need := TypeNeed{InstanceType: c.InstanceType, Candidate: true, Windows: c.Windows, PerInstance: f.Fits, Binding: f.Binding, Reason: f.Reason}
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
		if a.Candidate != b.Candidate {
			return !a.Candidate
		}
		return !a.Windows && b.Windows
	})
	if len(r.ForTheRest) > len(opt.Candidates) {
		addNote("Instances needed are computed for types already in the cluster, with the CPU and memory an instance of that type registered.")
	}
	if r.Short > 0 && len(r.ForTheRest) > 0 {
		// [DG] ecs_services.md, daemon scheduling: a DAEMON service runs
		// one task on every container instance that meets its
		// constraints, a new one included. The snapshot holds tasks,
		// not services, so which tasks are daemons is not known here.
		addNote("A new instance also runs one task of each DAEMON service, which the instances needed do not subtract: " +
			"each awsvpc daemon task takes one of its ENIs, and each daemon its CPU, memory and host ports.")
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
		// As ECS registers it, so that placement constraints on it are
		// judged as they would be (its value, an ECS id, is not known).
		ci.Attributes = append(ci.Attributes, types.Attribute{Name: aws.String(AttrTrunkID)})
		ir.Trunk = true
	}
	return ci, ir
}

// freshInstance is ci as it was with no tasks: remaining = registered.
func freshInstance(ci *types.ContainerInstance) *types.ContainerInstance {
	c := *ci
	c.RemainingResources = append([]types.Resource(nil), ci.RegisteredResources...)
	return &c
}

// fitJob is what fitOn needs about the task: the same for every instance.
type fitJob struct {
	td          *types.TaskDefinition // with the what-if's network mode
	mode        tdMode
	os          netmode.OSFamily // runtimePlatform's family, when osSet
	osSet       bool
	cpu, mem    int
	l           Limits
	trunk       TrunkingChoice
	constraints []placementConstraint
	// noEC2 says why ECS runs the task on no container instance, or is "".
	noEC2   string
	addNote func(string)
	// untrunked lists the existing instances counted with trunking that
	// have no trunk network interface (TrunkingOn).
	untrunked []string
}

// placementRules reads td's requiresCompatibilities and
// placementConstraints into the job, with notes for what is not evaluated.
func (j *fitJob) placementRules(td *types.TaskDefinition) {
	if rc := td.RequiresCompatibilities; len(rc) > 0 && !slices.Contains(rc, types.CompatibilityEc2) {
		// requiresCompatibilities lists "the task launch types the task
		// definition was validated against" ([API] TaskDefinition); EC2
		// container instances take tasks of launch type EC2 only.
		var names []string
		for _, c := range rc {
			names = append(names, string(c))
		}
		j.noEC2 = "requiresCompatibilities is " + strings.Join(names, ", ") + ", without EC2: ECS does not run it on EC2 container instances"
		j.addNote("The task definition's " + j.noEC2 + ", so no copy fits anywhere.")
	}
	if len(td.PlacementConstraints) == 0 {
		return
	}
	var unsupported []string
	j.constraints, unsupported = parseConstraints(td.PlacementConstraints)
	for _, e := range unsupported {
		j.addNote(fmt.Sprintf("placement constraint %q was not evaluated (only attribute:NAME with ==, !=, in, not_in, exists "+
			"or not_exists, joined by and, are): copies are counted as if every instance met it.", e))
	}
	j.addNote("The task definition's placement constraints are checked against each instance's attributes; constraints and " +
		"strategies given to the service or to RunTask are not in the task definition and are not applied.")
}

// fitOn computes how many copies fit on one instance. fresh is an empty
// instance (of a type in the cluster, or a candidate type), which is sized
// whatever its status; a candidate has only the attributes it was given.
func (j *fitJob) fitOn(ctx context.Context, ci *types.ContainerInstance, ir *InstanceReport, fresh, candidate bool) InstanceFit {
	f := InstanceFit{ContainerInstanceARN: ir.ContainerInstanceARN, InstanceType: ir.InstanceType,
		ByENI: NoLimit, ByPorts: NoLimit, ByCPU: NoLimit, ByMemory: NoLimit}
	ciOS := osFamily(ir.Windows)
	mode := j.mode.on(ciOS)
	platform := netmode.EC2Linux
	if ciOS == netmode.Windows {
		platform = netmode.EC2Windows
	}
	switch {
	case j.noEC2 != "":
		f.Skipped = "the task definition's " + j.noEC2
	case ir.Status != "" && ir.Status != "ACTIVE" && !fresh:
		f.Skipped = "status " + ir.Status + ": ECS places no new tasks here"
	case !fresh && !ci.AgentConnected:
		// [API] ContainerInstance.agentConnected: "Only instances
		// connected to an agent can accept task placement requests."
		f.Skipped = "agent not connected: ECS places no new tasks here"
	case j.osSet && ciOS != j.os:
		f.Skipped = fmt.Sprintf("a %s instance; the task definition is for %s", ciOS, j.os)
	case !mode.Properties().RunsOn.Has(platform):
		// Windows EC2 runs awsvpc and default only, Linux no default
		// (reference §1; netmode's mode properties).
		f.Skipped = fmt.Sprintf("a %s instance; %s tasks run only on %s", ciOS, mode, mode.Properties().RunsOn)
	}
	if f.Skipped == "" {
		for k := range j.constraints {
			c := &j.constraints[k]
			switch res, why := c.eval(instanceAttrs(ci, !candidate)); res {
			case cqlNotMet:
				f.Skipped = fmt.Sprintf("placement constraint %q is not met: %s", c.expr, why)
			case cqlUnknown:
				j.addNote(fmt.Sprintf("%s (candidate): placement constraint %q names attributes a candidate does not describe; "+
					"it is counted as met.", ir.InstanceType, c.expr))
			}
			if f.Skipped != "" {
				break
			}
		}
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
		if ir.InstanceType == "" {
			// Nothing to look up (and no call to make to EC2 for "").
			f.Skipped = "ENI limits unknown: the instance has no " + AttrInstanceType + " attribute"
			f.Binding, f.Reason = LimitNone, f.Skipped
			return f
		}
		it, err := j.l.Lookup(ctx, ir.InstanceType)
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
		on := ir.Trunk
		switch j.trunk {
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
		if b.Trunking && !ir.Trunk && !fresh {
			// TrunkingOn on an instance without a trunk network interface:
			// "Only new Amazon EC2 instances launched after opting in to
			// awsvpcTrunking receive the increased ENI limits and the trunk
			// network interface. Previously launched instances do not
			// receive these features regardless of the actions taken"
			// ([DG] container-instance-eni.md). These copies fit only on
			// an instance that replaces it.
			reasons[0] += " (as if replaced: this instance has no trunk network interface)"
			j.untrunked = append(j.untrunked, shortARN(ir.ContainerInstanceARN))
		}
		if ir.ENIsInUse > b.ECSTasks {
			j.addNote(fmt.Sprintf("%s: its %d awsvpc tasks already need more than the %d %s this budget allows", shortARN(ir.ContainerInstanceARN), ir.ENIsInUse, b.ECSTasks, kind))
		}
		if on && !b.Trunking && len(b.Notes) > 0 {
			j.addNote(b.InstanceType + ": " + b.Notes[len(b.Notes)-1])
		}
	}
	host, err := netmode.HostFromContainerInstance(ci)
	if err == nil {
		var plan netmode.Plan
		plan, err = netmode.PlanPorts(j.td, host)
		if err == nil {
			if plan.Bounded() {
				f.ByPorts = plan.Copies
				reasons[1] = plan.Reason
			}
			for _, n := range plan.Notes {
				j.addNote(r2(j.td) + ": " + n)
			}
		}
	}
	switch {
	case err == nil:
	case mode == netmode.ModeAWSVPC || mode == netmode.ModeNone:
		// The task takes no port of the instance's (awsvpc: its ports
		// live on its own ENI; none: no ports): the instance's port
		// lists, unreadable or not, do not limit it.
		j.addNote(fmt.Sprintf("%s: the instance's ports could not be read (%v); a task in %s mode uses none of them, so they do not limit it.",
			shortARN(ir.ContainerInstanceARN), err, mode))
	default:
		f.ByPorts = 0
		reasons[1] = "port plan failed: " + err.Error()
	}
	if j.cpu > 0 {
		f.ByCPU = max(0, ir.RemainingCPU/j.cpu)
		reasons[2] = fmt.Sprintf("%d CPU units left, %d per copy", ir.RemainingCPU, j.cpu)
	}
	if j.mem > 0 {
		f.ByMemory = max(0, ir.RemainingMemory/j.mem)
		reasons[3] = fmt.Sprintf("%d MiB left, %d per copy", ir.RemainingMemory, j.mem)
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

// r2 names a task definition "family:revision", or "family" for one not
// registered (a file's, revision 0), as netmode's programs name it.
func r2(td *types.TaskDefinition) string {
	if td.Revision <= 0 {
		return aws.ToString(td.Family)
	}
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
	// !(v >= 0) also refuses NaN ("nan" parses); a value past any
	// instance (and +Inf) would convert to a nonsense int (on amd64,
	// math.MinInt64 MiB per copy).
	if err != nil || !(v >= 0) {
		return 0, fmt.Errorf("not a number of units or %s", unit)
	}
	if v*mul > math.MaxInt32 {
		return 0, errors.New("too large for any instance")
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
	w := &ModeWhatIf{To: to}
	var err error
	if w.Current, err = WhatIf(ctx, s, l, td, n, WhatIfOptions{Candidates: candidates}); err != nil {
		return nil, err
	}
	// The mode as is: with networkMode and the OS family both omitted, it
	// depends on the instances' OS, and WhatIf has resolved it.
	w.From = w.Current.Mode
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

// movePorts rewrites the port mappings of td, a copy whose network mode is
// now to, as the mode requires them to be registered ([API] PortMapping:
// in awsvpc and host mode "host ports must either be undefined or match
// the container port"; in none mode there are none), and says what it
// changed: moving a task from bridge changes its mappings too, and a
// count of the task as it was would be of one ECS refuses. td's container
// definitions are copied, not changed.
func movePorts(td *types.TaskDefinition, to netmode.Mode) []string {
	var dropped, remapped []string
	cds := slices.Clone(td.ContainerDefinitions)
	for i := range cds {
		c := &cds[i]
		if len(c.PortMappings) == 0 {
			continue
		}
		name := aws.ToString(c.Name)
		if to == netmode.ModeNone {
			dropped = append(dropped, fmt.Sprintf("%s (%d)", name, len(c.PortMappings)))
			c.PortMappings = nil
			continue
		}
		if to != netmode.ModeAWSVPC && to != netmode.ModeHost {
			continue
		}
		pms := slices.Clone(c.PortMappings)
		for j := range pms {
			pm := &pms[j]
			if pm.HostPort == nil || pm.ContainerPort == nil || *pm.HostPort == *pm.ContainerPort {
				continue
			}
			if *pm.HostPort != 0 {
				remapped = append(remapped, fmt.Sprintf("%s's host port %d as %d", name, *pm.HostPort, *pm.ContainerPort))
			}
			// Undefined: the container port, in either mode.
			pm.HostPort = nil
		}
		c.PortMappings = pms
	}
	td.ContainerDefinitions = cds
	var notes []string
	if len(dropped) > 0 {
		notes = append(notes, fmt.Sprintf("none mode has no port mappings: counted without the port mappings of %s.", strings.Join(dropped, ", ")))
	}
	if len(remapped) > 0 {
		notes = append(notes, fmt.Sprintf("in %s mode a host port is its container port: counted with %s (clients and load balancer targets move to the container port).",
			to, strings.Join(remapped, ", ")))
	}
	return notes
}

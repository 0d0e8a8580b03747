// Command netmodes prints the ECS network modes side by side, then validates
// a task definition and plans its host ports on one container instance.
//
//	go run ./examples/netmodes                      # the embedded, valid "web" sample
//	go run ./examples/netmodes -sample broken       # an embedded sample full of mistakes
//	go run ./examples/netmodes a.json b.json        # your own files, one report each
//	go run ./examples/netmodes -format json a.json  # a JSON array, one object per file
//
// The file may be `aws ecs describe-task-definition` output (whole, or just
// its taskDefinition) or a `register-task-definition --cli-input-json` file.
// Describe the instance with the agent's own settings:
//
//	-reserved '[22, 2375, 2376, 51678, 51679]'   ECS_RESERVED_PORTS (a non-empty list replaces the default list)
//	-reserved-udp '[53]'                         ECS_RESERVED_PORTS_UDP
//	-dynamic-range 32768-60999                   ECS_DYNAMIC_HOST_PORT_RANGE
//	-in-use 8080,8125/udp                        static host ports already taken (remainingResources PORTS)
//
// or plan on a registered container instance, saved with `aws ecs
// describe-container-instances` (the whole output, its containerInstances,
// or one of them), as netmode.HostFromContainerInstance reads it: its
// registeredResources PORTS and PORTS_UDP are the reserved ports, its
// remainingResources the ports in use, its ecs.os-type attribute the OS:
//
//	-instance ci.json                            the instance; a file of several needs -instance-id
//	-instance-id i-0f1e2d3c4b5a69788             which one: its container instance ARN, ID, or EC2 instance ID
//
// -instance says what -reserved, -reserved-udp and -in-use say, so they
// are refused beside it (exit 2, both flags named); -dynamic-range is not
// in the API, and applies to the instance as it does without -instance
// (the OS default otherwise). The instance runs tasks of its own OS only:
// a task definition for another OS is refused (exit 2); one whose
// runtimePlatform names no OS family (optional on EC2) is checked as a
// task of the instance's OS, as ECS places it.
//
// Check it for where it is meant to run, as if requiresCompatibilities
// also listed that launch type (netmode.WithCompatibilities):
//
//	-launch-type FARGATE                         EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES (comma-separated, or repeated)
//
// The default sample is valid, so a first run exits 0; the exit status is 1
// when a task definition has problems (errors or warnings) and 2 when one
// can't be read, a flag is wrong or the report can't be written (stdout
// full or closed); -h prints the usage and exits 0.
package main

import (
	"bufio"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/netmode"
)

//go:embed samples/*.json
var samples embed.FS

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// report is one task definition checked: the JSON output is an array of
// them. Fields are only ever added.
type report struct {
	File           string       `json:"file"`
	TaskDefinition string       `json:"taskDefinition"`
	NetworkMode    string       `json:"networkMode"`
	OS             string       `json:"os"`
	LaunchTypes    []string     `json:"launchTypes,omitempty"` // -launch-type: checked as if requiresCompatibilities listed them
	Instance       *instanceDoc `json:"instance,omitempty"`    // -instance: the container instance planned on
	Errors         int          `json:"errors"`
	Warnings       int          `json:"warnings"`
	Problems       []problemDoc `json:"problems"`
	Plan           planDoc      `json:"plan"`
}

type problemDoc struct {
	Severity string `json:"severity"`
	Path     string `json:"path"`
	Message  string `json:"message"`
	Code     string `json:"code"`
}

type planDoc struct {
	Static       []bindingDoc `json:"static"`
	Dynamic      []bindingDoc `json:"dynamic"`
	DynamicRange string       `json:"dynamicRange"`
	ReservedTCP  []uint16     `json:"reservedTcp"`
	Registered   int          `json:"registered"`
	PortLimit    int          `json:"portLimit"`
	Copies       int          `json:"copies"` // -1: host ports do not limit the copies
	Constraint   string       `json:"constraint"`
	Reason       string       `json:"reason"`
	Notes        []string     `json:"notes"`
}

type bindingDoc struct {
	Container string `json:"container"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	Ports     string `json:"ports"`
	Count     int    `json:"count"`
}

// run returns the exit status: 0 when every task definition is clean, 1
// when one has problems, 2 when one can't be read, a flag is wrong or the
// report can't be written.
func run(args []string, stdout, stderr io.Writer) (code int) {
	// The report is printed with unchecked writes: the first error is
	// kept, and a report cut short is a failure, not exit 0 or 1.
	out := &cli.CheckedWriter{W: stdout}
	stdout = out
	defer func() {
		if out.Err() != nil && code != 2 {
			fmt.Fprintf(stderr, "netmodes: writing the report: %v\n", out.Err())
			code = 2
		}
	}()
	fs := flag.NewFlagSet("netmodes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sample := fs.String("sample", "web", "embedded `sample` to use when no file is given: "+strings.Join(sampleNames(), ", "))
	reserved := fs.String("reserved", "", "ECS_RESERVED_PORTS of the instance, a JSON `array` that replaces the agent's list for the task's OS; '[]' keeps that list, as the agent does")
	reservedUDP := fs.String("reserved-udp", "", "ECS_RESERVED_PORTS_UDP of the instance, a JSON `array`")
	dynamic := fs.String("dynamic-range", "", "ECS_DYNAMIC_HOST_PORT_RANGE of the instance, a `range`, e.g. 40000-49999 (default: the OS default)")
	var inUseFlag repeated
	fs.Var(&inUseFlag, "in-use", "static host `ports` already in use on the instance, e.g. 8080,8125/udp (comma-separated, or repeated)")
	instanceFile := fs.String("instance", "", "plan on the container instance a `file` of aws ecs describe-container-instances output holds (the whole output, its containerInstances, or one of them); not with -reserved, -reserved-udp or -in-use, which it says")
	pickID := fs.String("instance-id", "", "with -instance: the container instance to plan on, when the file holds several: its container instance ARN, its `ID`, or its EC2 instance ID")
	var launchTypes cli.List
	fs.Var(&launchTypes, "launch-type", "also validate for this launch `type`, as if requiresCompatibilities listed it: "+strings.Join(launchTypeNames(), ", ")+" (comma-separated, or repeated)")
	table := fs.Bool("table", true, "with -format table: print the side-by-side mode table first")
	format := fs.String("format", "table", "output `format`: table|json")
	// Every program takes -q, so that a script can pass it to any of
	// them; netmodes has no progress or info lines to silence.
	fs.Bool("q", false, "no progress or info lines on stderr (netmodes prints none); problems still shown")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: netmodes [flags] [taskdef.json ...]\n\nExit status: 0 no problems, 1 problems found, 2 a file can't be read or a flag is wrong.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	// Flags may follow the files, as in the other programs.
	args, err := cli.ParseAll(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	set := cli.Set(fs)
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "netmodes: %s\n", cli.PlainLines(cli.OnePrefix(fmt.Sprintf(format, a...))))
		return 2
	}
	// Empty would mean the agent's default, not the instance described: an
	// unset shell variable, most likely. ('[]' is accepted, and is the
	// agent's default too: the agent treats an empty list as unset, so an
	// empty list cannot clear the defaults; see netmode.ParseReservedPorts.)
	agent := "without it, the agent's default"
	if err := cli.NoEmptyFlagsHint(fs, map[string]string{
		"in-use":      "leave it out when no static host port is in use",
		"launch-type": "without it, the task definition's own requiresCompatibilities",
		"reserved":    agent, "reserved-udp": agent, "dynamic-range": agent,
		"instance":    "without it, the instance the other flags describe",
		"instance-id": "leave it out when the -instance file holds one container instance",
	}); err != nil {
		return fail("%v", err)
	}
	// In any case, as attribute's -format.
	f, err := cli.Format(*format, "table", "json")
	if err != nil {
		return fail("%v", err)
	}
	*format = f
	compat, err := parseLaunchTypes(launchTypes.Items)
	if err != nil {
		return fail("%v", err)
	}
	if set["instance-id"] && !set["instance"] {
		return fail("-instance-id applies with -instance only")
	}
	if set["instance"] {
		// The instance file says these; a second word on them would be
		// one of two instances, and which wins a guess.
		for _, f := range []string{"reserved", "reserved-udp", "in-use"} {
			if set[f] {
				return fail("-%s and -instance both describe the instance (-instance reads %s): give one", f, instanceSays[f])
			}
		}
		// Fargate places tasks on no container instance: a plan on one
		// answers only for a launch type that has them.
		if len(compat) == 1 && compat[0] == types.CompatibilityFargate {
			return fail("-instance does not apply to -launch-type FARGATE: Fargate runs tasks on no container instance (give EC2, EXTERNAL or MANAGED_INSTANCES beside it to plan on one)")
		}
	}
	if len(args) > 0 && set["sample"] {
		return fail("-sample applies when no file is given")
	}
	if *format == "json" && set["table"] {
		return fail("-table applies to -format table only")
	}
	// The sample is for a run with no file at all: an empty argument (an
	// unset shell variable, say) is a mistake, not a request for it.
	for i, file := range args {
		if file == "" {
			return fail("argument %d is an empty file name (give a task definition file, or no argument for the embedded sample)", i+1)
		}
	}
	var inst *instanceHost
	if set["instance"] {
		if inst, err = loadInstance(*instanceFile, *pickID); err != nil {
			return fail("%v", err)
		}
	}
	// No file: the sample, named "" below.
	files := args
	if len(files) == 0 {
		files = []string{""}
	}

	// Read and check every file first: a file that can't be read stops
	// the run before anything is printed.
	type checked struct {
		td       *types.TaskDefinition
		source   string
		problems netmode.Problems
		plan     netmode.Plan
		host     netmode.Host
	}
	var all []checked
	status := 0
	for _, file := range files {
		var td *types.TaskDefinition
		source, err := file, error(nil)
		if file == "" {
			td, source, err = loadSample(*sample)
		} else {
			td, err = loadFile(file)
		}
		if err != nil {
			return fail("%v", err)
		}
		if len(td.ContainerDefinitions) == 0 {
			err := fmt.Errorf("%s: no containerDefinitions (%s)", source, tdForms)
			if e := cli.Misfiled(file, err, "a task definition", cli.KindTaskDefinition); e != nil {
				err = e
			}
			return fail("%v", err)
		}
		// runtimePlatform is optional on EC2 (ECS's own Windows task
		// definitions omit it): ECS places a task that names no OS family
		// on an instance of either OS, as a task of that OS.
		onInstanceOS := inst != nil && inst.host.OS == netmode.Windows && !namesOS(td)
		if onInstanceOS {
			td = asWindows(td)
		}
		host, err := hostFromFlags(netmode.OSFamilyOf(td.RuntimePlatform), *reserved, *reservedUDP, *dynamic, inUseFlag.String())
		if err != nil {
			return fail("%v", err)
		}
		if inst != nil {
			// The instance's own ports and OS; the range as given, or
			// the OS default (the API does not carry it).
			h := inst.host
			h.DynamicRange = host.DynamicRange
			if tdOS := netmode.OSFamilyOf(td.RuntimePlatform); tdOS != h.OS {
				return fail("%s: task definition %s is for %s, and container instance %s of -instance %s runs %s (%s): ECS places no task on an instance of another OS",
					source, name(td), tdOS, inst.name(), inst.file, h.OS, inst.osSays())
			}
			host = h
		}
		var problems netmode.Problems
		switch err := netmode.Validate(td, netmode.WithHost(host), netmode.WithCompatibilities(compat...)); {
		case err == nil:
		case errors.As(err, &problems):
			status = 1
		default:
			return fail("%s: %v", source, err)
		}
		plan, err := netmode.PlanPorts(td, host)
		if err != nil {
			return fail("%s: %v", source, err)
		}
		if onInstanceOS {
			plan.Notes = append(plan.Notes, "runtimePlatform names no OS family: checked and planned as a windows task, the OS of the -instance container instance, where ECS places it as one")
		}
		all = append(all, checked{td, source, problems, plan, host})
	}
	// The instance's host ports are nothing to tasks that take none
	// (awsvpc binds on the task's own ENI, none has no ports): given
	// with only such task definitions, a flag describing them changed
	// nothing, and is a mistake like -sample with a file.
	takesHostPorts := false
	for _, c := range all {
		if c.plan.Mode != netmode.ModeAWSVPC && c.plan.Mode != netmode.ModeNone {
			takesHostPorts = true
		}
	}
	if !takesHostPorts {
		for _, f := range []string{"in-use", "reserved", "reserved-udp", "dynamic-range", "instance"} {
			if set[f] {
				return fail("-%s does not apply: every task definition given is in network mode awsvpc or none, whose tasks take no instance host ports", f)
			}
		}
	}
	if *format == "json" {
		reports := []report{}
		for _, c := range all {
			reports = append(reports, toReport(c.td, c.source, c.problems, c.plan, c.host, inst, compat))
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(reports); err != nil {
			return fail("%v", err)
		}
		return status
	}
	if *table {
		fmt.Fprintln(stdout, "ECS network modes")
		fmt.Fprintln(stdout)
		if err := netmode.WriteTable(stdout); err != nil {
			return fail("%v", err)
		}
		fmt.Fprintln(stdout)
	}
	for i, c := range all {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		printReport(stdout, c.td, c.source, c.problems, c.plan, c.host, inst, compat)
	}
	return status
}

func printReport(w io.Writer, td *types.TaskDefinition, source string, problems netmode.Problems, plan netmode.Plan, host netmode.Host, inst *instanceHost, compat []types.Compatibility) {
	mode, _ := netmode.ModeOf(td) // Load has checked it
	checkedFor := ""
	switch len(compat) {
	case 0:
	case 1:
		checkedFor = ", also checked for launch type " + string(compat[0])
	default:
		names := compatNames(compat)
		checkedFor = ", also checked for launch types " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	fmt.Fprintf(w, "Task definition %s (%s), network mode %s, %s%s\n\n", name(td), awswire.Plain(source), mode, netmode.OSFamilyOf(td.RuntimePlatform), checkedFor)
	if len(problems) == 0 {
		fmt.Fprintln(w, "Validation: no problems.")
	} else {
		errs := len(problems.Filter(netmode.SeverityError))
		fmt.Fprintf(w, "Validation: %s, %s\n", count(errs, "error"), count(len(problems)-errs, "warning"))
		for _, p := range problems {
			fmt.Fprintf(w, "  %-7s %s\n          %s [%s]\n", p.Severity, awswire.Plain(p.Path), awswire.Plain(p.Message), p.Code)
		}
	}
	fmt.Fprintln(w)
	printPlan(w, plan, host, inst)
}

func toReport(td *types.TaskDefinition, source string, problems netmode.Problems, plan netmode.Plan, host netmode.Host, inst *instanceHost, compat []types.Compatibility) report {
	mode, _ := netmode.ModeOf(td)
	r := report{File: source, TaskDefinition: name(td), NetworkMode: mode.String(), OS: netmode.OSFamilyOf(td.RuntimePlatform).String(),
		LaunchTypes: compatNames(compat), Problems: []problemDoc{}}
	for _, p := range problems {
		if p.Severity == netmode.SeverityError {
			r.Errors++
		} else {
			r.Warnings++
		}
		r.Problems = append(r.Problems, problemDoc{p.Severity.String(), p.Path, p.Message, string(p.Code)})
	}
	reserved := host.ReservedTCP
	if reserved == nil {
		reserved = netmode.DefaultReservedPorts(host.OS)
	}
	r.Plan = planDoc{Static: bindings(plan.Static), Dynamic: bindings(plan.Dynamic), DynamicRange: plan.DynamicRange.String(),
		ReservedTCP: reserved, Registered: plan.Registered, PortLimit: plan.PortLimit, Copies: -1,
		Constraint: plan.Constraint.String(), Reason: plan.Reason, Notes: notes(plan, inst)}
	if inst != nil {
		r.Instance = inst.doc()
	}
	if plan.Bounded() {
		r.Plan.Copies = plan.Copies
	}
	return r
}

func bindings(bs []netmode.Binding) []bindingDoc {
	out := []bindingDoc{}
	for _, b := range bs {
		out = append(out, bindingDoc{b.Container, b.Path, b.Protocol.String(), b.Ports.String(), b.Count()})
	}
	return out
}

// repeated is a list flag's value given whole, its repeats joined with
// commas as if given in one ("-in-use 8080 -in-use 53/udp" is "-in-use
// 8080,53/udp"), as the other programs' list flags (cli.List) take
// them; a repeat that names nothing is then an empty item, refused as
// "8080," is.
type repeated struct{ values []string }

func (r *repeated) String() string { return strings.Join(r.values, ",") }

func (r *repeated) Set(v string) error {
	r.values = append(r.values, v)
	return nil
}

// launchTypeNames are the values -launch-type takes: ECS's launch types,
// which are also the values of requiresCompatibilities.
func launchTypeNames() []string {
	return compatNames(types.Compatibility("").Values())
}

func compatNames(cs []types.Compatibility) []string {
	var names []string
	for _, c := range cs {
		names = append(names, string(c))
	}
	return names
}

// parseLaunchTypes reads -launch-type's values, in any case (as -format),
// each once, in the order given.
func parseLaunchTypes(vs []string) ([]types.Compatibility, error) {
	var out []types.Compatibility
	seen := map[types.Compatibility]bool{}
	for _, v := range vs {
		n, err := cli.Keyword("launch-type", v, launchTypeNames()...)
		if err != nil {
			return nil, err
		}
		if c := types.Compatibility(n); !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// tdForms is what a task definition file holds, for errors.
const tdForms = "want " + cli.TaskDefForms

// loadFile is netmode.LoadFile, except that a file with nothing in it is
// said to be empty, as enibudget says for -whatif, not "F: line 1,
// column 1: unexpected end of JSON", which reads as a syntax error at a
// place in the file, and that a place is said as enibudget says it
// (cli.TaskDefError). Whether it is empty is looked at only when the load
// failed.
func loadFile(path string) (*types.TaskDefinition, error) {
	td, err := netmode.LoadFile(path)
	if err != nil && blankFile(path) {
		return nil, fmt.Errorf("%s: the file is empty (%s)", path, tdForms)
	}
	if err != nil {
		// Placed as enibudget -whatif places the same file's errors.
		err = cli.TaskDefError(path, err)
		if e := cli.Misfiled(path, err, "a task definition", cli.KindTaskDefinition); e != nil {
			err = e // another kind of file the programs know
		}
		return nil, err
	}
	return td, nil
}

// blankFile reports whether the file holds only JSON white space (after a
// byte order mark, as some Windows tools write). It stops at the first
// other byte, so it reads little of any file that is not blank.
func blankFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	r := bufio.NewReader(f)
	if bom, _ := r.Peek(len(awswire.BOM)); string(bom) == awswire.BOM {
		r.Discard(len(bom))
	}
	for {
		c, err := r.ReadByte()
		if err != nil {
			return err == io.EOF
		}
		switch c {
		case ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
}

// loadSample is what a run without files reports on (-sample NAME).
func loadSample(sample string) (*types.TaskDefinition, string, error) {
	path := "samples/" + sample + ".json"
	data, err := samples.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("no embedded sample %q (have %s)", sample, strings.Join(sampleNames(), ", "))
	}
	td, err := netmode.Load(data, path)
	return td, "embedded " + path, err
}

func sampleNames() []string {
	entries, _ := samples.ReadDir("samples")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}

func name(td *types.TaskDefinition) string {
	if td.Family == nil {
		return "(no family)"
	}
	if td.Revision > 0 {
		return fmt.Sprintf("%s:%d", awswire.Plain(*td.Family), td.Revision)
	}
	return awswire.Plain(*td.Family)
}

// hostFromFlags describes the container instance the way its agent is
// configured.
func hostFromFlags(os netmode.OSFamily, reserved, reservedUDP, dynamic, inUse string) (netmode.Host, error) {
	h := netmode.Host{OS: os}
	var err error
	if h.ReservedTCP, err = netmode.ParseReservedPorts(reserved); err != nil {
		return h, fmt.Errorf("-reserved: %w", err)
	}
	if h.ReservedUDP, err = netmode.ParseReservedPorts(reservedUDP); err != nil {
		return h, fmt.Errorf("-reserved-udp: %w", err)
	}
	if dynamic != "" {
		if h.DynamicRange, err = netmode.ParseDynamicHostPortRange(dynamic); err != nil {
			return h, fmt.Errorf("-dynamic-range: %w", err)
		}
	}
	// Commas and spaces separate ports; an item between commas that names
	// nothing ("$A,8080" with A unset) is refused, as cli.List refuses it
	// in the other programs' list flags: dropped, it would describe an
	// instance with fewer ports in use than meant.
	// (Not given, inUse is empty; given empty, it is refused in run.)
	var items []string
	if inUse != "" {
		for _, part := range strings.Split(inUse, ",") {
			fields := strings.Fields(part)
			if len(fields) == 0 {
				return h, fmt.Errorf("-in-use %q: an empty item (an unset variable?); want PORT or PORT/udp, comma-separated", inUse)
			}
			items = append(items, fields...)
		}
	}
	for _, f := range items {
		port, proto, slash := strings.Cut(f, "/")
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || n == 0 {
			return h, fmt.Errorf("-in-use %q: want PORT or PORT/udp", f)
		}
		if !slash {
			proto = "tcp"
		}
		switch proto {
		case "tcp":
			h.InUseTCP = append(h.InUseTCP, uint16(n))
		case "udp":
			h.InUseUDP = append(h.InUseUDP, uint16(n))
		default:
			return h, fmt.Errorf("-in-use %q: protocol must be tcp or udp", f)
		}
	}
	return h, nil
}

func printPlan(w io.Writer, p netmode.Plan, h netmode.Host, inst *instanceHost) {
	fmt.Fprintln(w, "Host-port plan for one container instance")
	reserved := h.ReservedTCP
	if reserved == nil {
		reserved = netmode.DefaultReservedPorts(h.OS)
	}
	if inst == nil {
		fmt.Fprintf(w, "  instance: %s, reserved ports %v, dynamic range %s, %d of %d reserved-port slots used\n",
			h.OS, reserved, p.DynamicRange, p.Registered, p.PortLimit)
	} else {
		fmt.Fprintf(w, "  instance: %s from -instance %s: %s, reserved ports %v, in use %s, dynamic range %s%s, %d of %d reserved-port slots used\n",
			inst.name(), awswire.Plain(inst.file), h.OS, reserved, inst.inUse(), p.DynamicRange, inst.rangeSays(h), p.Registered, p.PortLimit)
	}
	if len(p.Static) == 0 && len(p.Dynamic) == 0 {
		fmt.Fprintln(w, "  one copy takes no host ports")
	}
	for _, b := range p.Static {
		fmt.Fprintf(w, "  static   %-12s %s\n", b.Ports.String()+"/"+b.Protocol.String(), b.Path+" ("+awswire.Plain(b.Container)+")")
	}
	for _, b := range p.Dynamic {
		what := "1 port"
		if b.Count() > 1 {
			what = fmt.Sprintf("%d ports", b.Count())
		}
		fmt.Fprintf(w, "  dynamic  %-12s %s -> container %s/%s (%s)\n", what, b.Path, b.Ports, b.Protocol, awswire.Plain(b.Container))
	}
	copies := "unbounded by ports"
	if p.Bounded() {
		copies = strconv.Itoa(p.Copies)
	}
	fmt.Fprintf(w, "  copies that fit: %s\n  binding constraint: %s: %s\n", copies, p.Constraint, p.Reason)
	for _, n := range notes(p, inst) {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// protocolNote says how TCP and UDP host ports are counted, where the plan
// counts any: as separate ports that never collide with each other, and
// both towards the reserved-port limit, which ECS does not say is shared or
// separate (the conservative reading; see netmode's Plan.Registered).
const protocolNote = "TCP and UDP host ports are counted separately: 53/tcp and 53/udp are two ports and never collide; " +
	"the reserved-port count above adds both, as ECS does not document whether TCP and UDP share the limit"

func notes(p netmode.Plan, inst *instanceHost) []string {
	out := append([]string{}, p.Notes...)
	if inst != nil {
		out = append(out, inst.notes()...)
	}
	if len(p.Static) > 0 || len(p.Dynamic) > 0 {
		out = append(out, protocolNote)
	}
	return out
}

// count is "1 error", "2 errors".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

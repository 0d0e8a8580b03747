// Command netmodes prints the ECS network modes side by side, then validates
// a task definition and plans its host ports on one container instance.
//
//	go run ./examples/netmodes                      # the embedded, valid "web" sample
//	go run ./examples/netmodes -sample broken       # an embedded sample full of mistakes
//	go run ./examples/netmodes taskdef.json         # your own file
//
// The file may be `aws ecs describe-task-definition` output (whole, or just
// its taskDefinition) or a `register-task-definition --cli-input-json` file.
// Describe the instance with the agent's own settings:
//
//	-reserved '[22, 2375, 2376, 51678, 51679]'   ECS_RESERVED_PORTS (replaces the default list)
//	-reserved-udp '[]'                           ECS_RESERVED_PORTS_UDP
//	-dynamic-range 32768-60999                   ECS_DYNAMIC_HOST_PORT_RANGE
//	-in-use 8080,8125/udp                        static host ports already taken (remainingResources PORTS)
//
// The default sample is valid, so a first run exits 0; the exit status is 1
// when the task definition has problems (errors or warnings) and 2 when it
// can't be read.
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

//go:embed samples/*.json
var samples embed.FS

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("netmodes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sample := fs.String("sample", "web", "embedded sample to use when no file is given: "+strings.Join(sampleNames(), ", "))
	reserved := fs.String("reserved", "", "ECS_RESERVED_PORTS of the instance, a JSON array (default: the agent's list for the task's OS)")
	reservedUDP := fs.String("reserved-udp", "", "ECS_RESERVED_PORTS_UDP of the instance, a JSON array")
	dynamic := fs.String("dynamic-range", "", "ECS_DYNAMIC_HOST_PORT_RANGE of the instance, e.g. 40000-49999 (default: the OS default)")
	inUse := fs.String("in-use", "", "static host ports already in use on the instance, e.g. 8080,8125/udp")
	table := fs.Bool("table", true, "print the side-by-side mode table first")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: netmodes [flags] [taskdef.json]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}

	td, source, err := load(fs.Arg(0), *sample)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	host, err := hostFromFlags(netmode.OSFamilyOf(td.RuntimePlatform), *reserved, *reservedUDP, *dynamic, *inUse)
	if err != nil {
		fmt.Fprintln(stderr, "netmodes:", err)
		return 2
	}

	if *table {
		fmt.Fprintln(stdout, "ECS network modes")
		fmt.Fprintln(stdout)
		if err := netmode.WriteTable(stdout); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		fmt.Fprintln(stdout)
	}

	mode, _ := netmode.ModeOf(td) // Load has checked it
	fmt.Fprintf(stdout, "Task definition %s (%s), network mode %s, %s\n\n", name(td), source, mode, netmode.OSFamilyOf(td.RuntimePlatform))

	status := 0
	err = netmode.Validate(td, netmode.WithHost(host))
	var problems netmode.Problems
	switch {
	case err == nil:
		fmt.Fprintln(stdout, "Validation: no problems.")
	case errors.As(err, &problems):
		status = 1
		errs := len(problems.Filter(netmode.SeverityError))
		fmt.Fprintf(stdout, "Validation: %d errors, %d warnings\n", errs, len(problems)-errs)
		for _, p := range problems {
			fmt.Fprintf(stdout, "  %-7s %s\n          %s [%s]\n", p.Severity, p.Path, p.Message, p.Code)
		}
	default:
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintln(stdout)

	plan, err := netmode.PlanPorts(td, host)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	printPlan(stdout, plan, host)
	return status
}

// load reads the named file, or the embedded sample when file is "".
func load(file, sample string) (*types.TaskDefinition, string, error) {
	if file != "" {
		td, err := netmode.LoadFile(file)
		return td, file, err
	}
	path := "samples/" + sample + ".json"
	data, err := samples.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("netmodes: no embedded sample %q (have %s)", sample, strings.Join(sampleNames(), ", "))
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
		return fmt.Sprintf("%s:%d", *td.Family, td.Revision)
	}
	return *td.Family
}

// hostFromFlags describes the container instance the way its agent is
// configured.
func hostFromFlags(os netmode.OSFamily, reserved, reservedUDP, dynamic, inUse string) (netmode.Host, error) {
	h := netmode.Host{OS: os}
	var err error
	if h.ReservedTCP, err = netmode.ParseReservedPorts(reserved); err != nil {
		return h, err
	}
	if h.ReservedUDP, err = netmode.ParseReservedPorts(reservedUDP); err != nil {
		return h, err
	}
	if dynamic != "" {
		if h.DynamicRange, err = netmode.ParseDynamicHostPortRange(dynamic); err != nil {
			return h, err
		}
	}
	for _, f := range strings.FieldsFunc(inUse, func(r rune) bool { return r == ',' || r == ' ' }) {
		port, proto, _ := strings.Cut(f, "/")
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || n == 0 {
			return h, fmt.Errorf("-in-use %q: want PORT or PORT/udp", f)
		}
		switch proto {
		case "", "tcp":
			h.InUseTCP = append(h.InUseTCP, uint16(n))
		case "udp":
			h.InUseUDP = append(h.InUseUDP, uint16(n))
		default:
			return h, fmt.Errorf("-in-use %q: protocol must be tcp or udp", f)
		}
	}
	return h, nil
}

func printPlan(w io.Writer, p netmode.Plan, h netmode.Host) {
	fmt.Fprintln(w, "Host-port plan for one container instance")
	reserved := h.ReservedTCP
	if reserved == nil {
		reserved = netmode.DefaultReservedPorts(h.OS)
	}
	fmt.Fprintf(w, "  instance: %s, reserved ports %v, dynamic range %s, %d of %d reserved-port slots used\n",
		h.OS, reserved, p.DynamicRange, p.Registered, p.PortLimit)
	if len(p.Static) == 0 && len(p.Dynamic) == 0 {
		fmt.Fprintln(w, "  one copy takes no host ports")
	}
	for _, b := range p.Static {
		fmt.Fprintf(w, "  static   %-12s %s\n", b.Ports.String()+"/"+b.Protocol.String(), b.Path+" ("+b.Container+")")
	}
	for _, b := range p.Dynamic {
		what := "1 port"
		if b.Count() > 1 {
			what = fmt.Sprintf("%d ports", b.Count())
		}
		fmt.Fprintf(w, "  dynamic  %-12s %s -> container %s/%s (%s)\n", what, b.Path, b.Ports, b.Protocol, b.Container)
	}
	copies := "unbounded by ports"
	if p.Bounded() {
		copies = strconv.Itoa(p.Copies)
	}
	fmt.Fprintf(w, "  copies that fit: %s\n  binding constraint: %s: %s\n", copies, p.Constraint, p.Reason)
	for _, n := range p.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

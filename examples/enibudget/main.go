// Command enibudget shows how many awsvpc tasks (ENIs) an ECS cluster's
// container instances can still take, and whether N more copies of a task
// definition fit — as it is, or moved to another network mode.
//
// Usage:
//
//	enibudget                                  # the embedded sample cluster, offline
//	enibudget -snapshot FILE                   # a snapshot saved with -save (or put together from aws ecs describe-* output)
//	enibudget -cluster NAME [-save FILE] [-stopping]  # read a live cluster (default AWS config; progress on stderr)
//	enibudget -instance-type c5.large [-trunking] [-windows] [-other-enis N]
//	enibudget -whatif TASKDEF.json -count N [-mode awsvpc] [-candidate m6i.large:2048:7680]
//	                                           # -whatif sample uses an embedded bridge task definition
//	enibudget -limits FILE                     # your own limits (TSV/JSON, built-in columns) over the built-in table
//	                                           # (and, with -cluster, over EC2's live ones: a note says where they differ)
//	enibudget -format json ...                 # JSON instead of a text table (-json is the same)
//	enibudget -save FILE ...                   # also write the snapshot used (sample, file or live) to FILE
//	enibudget -q ...                           # no progress or info lines on stderr; problems still shown
//	enibudget -iam-policy                      # print the IAM policy -cluster needs
//
// A live read (-cluster) needs the read-only IAM policy eni.IAMPolicy() returns
// (-iam-policy prints it): ecs:ListContainerInstances,
// ecs:DescribeContainerInstances, ecs:ListTasks, ecs:DescribeTasks,
// ecs:DescribeTaskDefinition and ec2:DescribeInstanceTypes (live ENI
// limits, over the built-in table).
//
// # JSON output
//
// The shape is stable; fields are only ever added. Counts of copies use -1
// for "does not limit". With -instance-type:
//
//	{"budget": {"instanceType", "maxENIs", "trunking", "trunkingStatus", "ecsTasks", "tasks",
//	            "instanceENIs", "otherENIs", "source" (where the limits came from), "notes": [...]},
//	 "limits": {"instanceType", "maxENIs", "defaultCardENIs" (0 unknown), "networkCards", "defaultCardIndex",
//	            "ipv4PerENI" (0 unknown), "ipv6PerENI" (-1 unknown), "hypervisor", "bareMetal", "trunkingStatus",
//	            "publishedTasksWithTrunking", "publishedTasksWithoutTrunking", "flags": [...], "source",
//	            "dataAsOf" (the built-in table's dates; only for numbers from it)}}
//
// For a cluster:
//
//	{"cluster": {"name", "takenAt", "budget", "inUse", "left", "provisioning", "stopping",
//	             "tasks": {"awsvpc", "bridge", "host", "none", "default", "unknown"},
//	             "instances": [{"containerInstanceArn", "ec2InstanceId", "instanceType", "os", "status",
//	                            "trunkEni", "budget", "inUse", "left", "provisioning", "stopping", "tasks": {...},
//	                            "remainingCpu", "remainingMemory", "notes": [...], "error", "trunk", "trunkId"}],
//	             "failures": [{"arn", "reason", "detail"}], "notes": [...]}}
//
// "trunk" is true when the instance has a trunk network interface (the
// ecs.awsvpc-trunk-id attribute is present); "trunkId" is that attribute's
// value, an identifier ECS gives the trunk, not an ENI ID. "trunkEni" holds
// the same value as "trunkId" and is kept only for compatibility: despite its
// name it is not an ENI ID, and it can be empty on a trunked instance.
//
// With -whatif, "whatif" holds one or more results (as is; with -mode also
// the new mode without and, for awsvpc, with trunking):
//
//	{"whatif": [{"label", "taskDefinition", "mode", "trunking", "cpu", "memory", "requested", "fits",
//	             "placed", "short",
//	             "instances": [{"containerInstanceArn", "instanceType", "byEni", "byPorts", "byCpu",
//	                            "byMemory", "fits", "binding", "reason", "placed", "skipped"}],
//	             "forTheRest": [{"instanceType", "candidate", "perInstance", "binding", "reason", "instances",
//	                             "windows" (the entry is for Windows instances of the type)}],
//	             "notes": [...]}]}
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/eni/ec2limits"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/netmode"
)

// iamPolicy is what -iam-policy prints: -cluster's calls are eni's live
// paths (eni.ReadCluster and the live limits of package ec2limits), whose
// policy eni keeps tested complete and minimal.
var iamPolicy = eni.IAMPolicy()

//go:embed sample-snapshot.json
var sampleSnapshot []byte

//go:embed sample-taskdef.json
var sampleTaskDef []byte

func main() {
	ctx, stop := cli.StopContext()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	cli.Exit("enibudget", err)
}

type options struct {
	snapshot, cluster, save, instanceType, whatif, mode, limits string
	trunking, windows, json, stopping, quiet, policy            bool
	otherENIs, count                                            int
	candidates                                                  candidateList
}

// candidateList collects -candidate TYPE:CPU:MEMORY[:windows][:trunking].
type candidateList struct {
	list  []eni.Candidate
	specs []string // as given, to quote in messages
	empty bool     // a -candidate named nothing (an unset variable): see cli.EmptyFlags
}

func (c *candidateList) String() string {
	if c.empty {
		return ""
	}
	return fmt.Sprint(len(c.list), " candidates")
}

func (c *candidateList) Set(v string) error {
	if strings.TrimSpace(v) == "" {
		c.empty = true
		return nil
	}
	parts := strings.Split(v, ":")
	if len(parts) < 3 {
		return fmt.Errorf("want TYPE:CPU:MEMORY[:windows][:trunking], e.g. m6i.large:2048:7680")
	}
	var cand eni.Candidate
	cand.InstanceType = parts[0]
	// Whole numbers, all of them: Sscanf stopped at "GB" in 2048:8GB and
	// read an instance of 8 MiB.
	cpu, errCPU := strconv.Atoi(parts[1])
	mem, errMem := strconv.Atoi(parts[2])
	if errCPU != nil || errMem != nil || cpu <= 0 || mem <= 0 {
		return fmt.Errorf("CPU units and memory MiB must be positive whole numbers in %q", v)
	}
	cand.CPU, cand.Memory = cpu, mem
	for _, p := range parts[3:] {
		switch p {
		case "windows":
			cand.Windows = true
		case "trunking":
			cand.Trunking = true
		default:
			return fmt.Errorf("unknown flag %q in %q (windows, trunking)", p, v)
		}
	}
	c.list = append(c.list, cand)
	c.specs = append(c.specs, v)
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	// The reports' lines are written with unchecked writes (only the
	// tables' Flush said a failure): the first error is kept, and a
	// report cut short is the run's error.
	out := &cli.CheckedWriter{W: stdout}
	stdout = out
	defer func() {
		if err == nil && out.Err() != nil {
			err = fmt.Errorf("writing the report: %w", out.Err())
		}
	}()
	var o options
	fs := flag.NewFlagSet("enibudget", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.snapshot, "snapshot", "", "cluster snapshot JSON `file` (default: the embedded sample)")
	fs.StringVar(&o.cluster, "cluster", "", "read this live `cluster` with the default AWS config")
	fs.StringVar(&o.save, "save", "", "also write the snapshot used (the sample, -snapshot or -cluster) to `file`")
	fs.BoolVar(&o.stopping, "stopping", false, "with -cluster: also read tasks told to stop that still hold their ENI")
	fs.StringVar(&o.instanceType, "instance-type", "", "show the budget of one instance `type`")
	fs.BoolVar(&o.trunking, "trunking", false, "with -instance-type: ENI trunking on")
	fs.BoolVar(&o.windows, "windows", false, "with -instance-type: a Windows instance")
	fs.Var((*cli.Int)(&o.otherENIs), "other-enis", "with -instance-type: `n` ENIs attached by hand or other software")
	fs.StringVar(&o.whatif, "whatif", "", "task definition JSON `file` to place ("+cli.TaskDefForms+"); \"sample\" for the embedded one")
	o.count = 1
	fs.Var((*cli.Int)(&o.count), "count", "with -whatif: `n` copies to place")
	fs.Var(&o.candidates, "candidate", "with -whatif: also size the rest with a type not in the cluster, `TYPE:CPU:MEMORY[:windows][:trunking]`: "+
		"a TYPE the built-in table (or -limits) knows, with the CPU units and MiB an instance of it registers with ECS (repeatable)")
	fs.StringVar(&o.mode, "mode", "", "with -whatif: network `mode` to compare with, other than the task definition's (e.g. awsvpc); for one already in awsvpc, -mode awsvpc compares trunking off and on")
	fs.StringVar(&o.limits, "limits", "", "your own instance-type limits `file` (.tsv or .json, built-in columns); for the types it lists, used over the built-in table and over EC2's live numbers (-cluster)")
	format := fs.String("format", "table", "output `format`: table|json")
	fs.BoolVar(&o.json, "json", false, "same as -format json")
	fs.BoolVar(&o.quiet, "q", false, "no progress or info lines on stderr (only -cluster draws progress, and only on a terminal); problems still shown")
	fs.BoolVar(&o.policy, "iam-policy", false, "print the IAM policy -cluster needs, and exit")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: enibudget [-snapshot FILE | -cluster NAME [-stopping]] [-save FILE] [-limits FILE] [-format json]\n"+
			"       enibudget -instance-type TYPE [-trunking] [-windows] [-other-enis N] [-limits FILE]\n"+
			"       enibudget -whatif TASKDEF.json|sample [-count N] [-mode MODE] [-candidate TYPE:CPU:MEMORY]... [cluster flags]\n"+
			"       enibudget -iam-policy\n\n"+
			"With no flags, shows the embedded sample cluster.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := cli.NoArgs(fs); err != nil {
		return err
	}
	if err := noEmptyValues(fs); err != nil {
		return err
	}
	set := cli.Set(fs)
	if o.policy {
		if !cli.Alone(set, "iam-policy") {
			return errors.New("-iam-policy prints the policy and exits: give it alone")
		}
		_, err := io.WriteString(stdout, iamPolicy)
		return err
	}
	if err := checkFlags(&o, *format, set); err != nil {
		return err
	}
	// -save replaces its file whole, once the inputs are read: over
	// -limits or -whatif, it would put the snapshot in place of the
	// user's table or task definition.
	for _, in := range []struct{ flag, name string }{{"-limits", o.limits}, {"-whatif", o.whatif}} {
		if !(in.flag == "-whatif" && in.name == "sample") && cli.SameFile(o.save, in.name) {
			return fmt.Errorf("-save %s is the %s file: the snapshot would replace it; save it elsewhere", o.save, in.flag)
		}
	}
	limits, file, err := loadLimits(o.limits)
	if err != nil {
		return err
	}
	if o.instanceType != "" {
		it, err := limits.Lookup(ctx, o.instanceType)
		if err != nil {
			return unknownType(err)
		}
		b := eni.TypeBudget(it, eni.BudgetOptions{Trunking: o.trunking, Windows: o.windows, OtherENIs: o.otherENIs})
		if err := checkOtherENIs(it, b); err != nil {
			return err
		}
		if err := checkLimitsUsed(file, o.limits, []string{o.instanceType}); err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, map[string]any{"limits": limitsJSON(it), "budget": budgetJSON(b)})
		}
		return writeBudget(stdout, it, b)
	}
	// What -whatif needs is read before the cluster, which may be a long
	// live read, and before -save writes anything.
	var td *types.TaskDefinition
	to := netmode.ModeUnknown
	if o.whatif != "" {
		if td, err = loadTaskDef(o.whatif); err != nil {
			return err
		}
		if o.mode != "" {
			// In any case, as every keyword flag (cli.Keyword); a name
			// that is no mode is left for ParseMode's message.
			for _, m := range netmode.Modes() {
				if strings.EqualFold(o.mode, m.String()) {
					o.mode = m.String()
				}
			}
			if to, err = netmode.ParseMode(o.mode, netmode.OSFamilyOf(td.RuntimePlatform)); err != nil {
				return fmt.Errorf("-mode: %w", err)
			}
			// Said now, of the flag, not by the what-if after a live read
			// and -save (and -mode default can't be given: ParseMode has
			// refused it).
			if rp := td.RuntimePlatform; rp != nil && rp.OperatingSystemFamily != "" && netmode.OSFamilyOf(rp) == netmode.Windows && to != netmode.ModeAWSVPC {
				return fmt.Errorf("-mode %s: the task definition is for Windows (runtimePlatform %s), whose tasks run only in awsvpc or default mode; try -mode awsvpc",
					o.mode, rp.OperatingSystemFamily)
			}
			if err := checkModeDiffers(o.mode, td, to, nil); err != nil {
				return err
			}
		}
	}
	snap, limits, limitNotes, err := loadSnapshot(ctx, o, limits, file, stderr)
	if err != nil {
		return err
	}
	if o.whatif != "" && o.mode != "" {
		if err := checkModeDiffers(o.mode, td, to, snap); err != nil {
			return err
		}
	}
	if err := checkLimitsUsed(file, o.limits, typesInQuestion(snap, o.candidates)); err != nil {
		return err
	}
	if err := checkCandidates(ctx, o.candidates, limits); err != nil {
		return err
	}
	if o.save != "" {
		if err := cli.WriteFile(o.save, snap.WriteJSON); err != nil {
			return fmt.Errorf("-save: %w", err)
		}
		if !o.quiet {
			fmt.Fprintf(stderr, "enibudget: saved the snapshot of cluster %s in %s\n", snap.Cluster, o.save)
		}
	}
	if o.whatif != "" {
		return runWhatIf(ctx, o, td, to, snap, limits, limitNotes, stdout)
	}
	rep, err := eni.Analyze(ctx, snap, limits)
	if err != nil {
		return err
	}
	rep.Notes = append(rep.Notes, limitNotes...)
	if o.json {
		return writeJSON(stdout, map[string]any{"cluster": clusterJSON(rep)})
	}
	return writeCluster(stdout, rep, o.limits, o.cluster != "")
}

// noEmptyValues rejects a flag given an empty value: it would otherwise
// mean the flag's default (for -snapshot and -whatif, the embedded
// sample), and is most likely an unset shell variable.
func noEmptyValues(fs *flag.FlagSet) error {
	return cli.NoEmptyFlagsHint(fs, map[string]string{
		"snapshot": "without it, the embedded sample cluster",
		"whatif":   "-whatif sample places the embedded task definition",
	})
}

// checkOtherENIs rejects more ENIs than the instance can hold beside the
// ones it always has: such an instance cannot exist.
func checkOtherENIs(it eni.InstanceType, b eni.Budget) error {
	if it.MaxENIs <= 0 || b.OtherENIs <= b.OrdinarySlots {
		return nil
	}
	own := "the primary ENI"
	if b.Trunking {
		own = "the primary and the trunk ENI"
	}
	others := fmt.Sprintf("%d others", b.OrdinarySlots)
	if b.OrdinarySlots == 1 {
		others = "1 other"
	}
	return fmt.Errorf("-other-enis %d: %s takes at most %d ENIs, %s among them, so at most %s",
		b.OtherENIs, it.Name, it.MaxENIs, own, others)
}

// typesInQuestion is the instance types of the cluster's instances and
// of the -candidate types, each once.
func typesInQuestion(snap *eni.Snapshot, c candidateList) []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, ci := range snap.ContainerInstances {
		for _, a := range ci.Attributes {
			if aws.ToString(a.Name) == eni.AttrInstanceType {
				add(aws.ToString(a.Value))
			}
		}
	}
	for _, cand := range c.list {
		add(cand.InstanceType)
	}
	return names
}

// checkLimitsUsed rejects a -limits file (file, read from path) that
// lists none of the instance types in question: it would be used for
// nothing, most likely a misspelt type or the wrong file, while the
// answer's notes say the budgets use it.
func checkLimitsUsed(file *eni.Table, path string, types []string) error {
	if file == nil {
		return nil
	}
	for _, t := range types {
		if _, err := file.Lookup(context.Background(), t); err == nil {
			return nil
		}
	}
	listed := file.Types()
	if len(listed) > 5 {
		listed = append(listed[:5:5], "…")
	}
	if len(types) == 0 {
		return fmt.Errorf("-limits %s does not apply: the cluster has no container instance with an instance type, and no -candidate is given",
			path)
	}
	return fmt.Errorf("-limits %s: lists none of the instance types in question (%s); it lists %s",
		path, strings.Join(types, ", "), strings.Join(listed, ", "))
}

// checkCandidates rejects a candidate type the limits do not know: its
// CPU and memory are the user's, but its name stands for an AWS type, and
// an awsvpc task's ENIs need that type's limits.
func checkCandidates(ctx context.Context, c candidateList, limits eni.Limits) error {
	for i, cand := range c.list {
		if _, err := limits.Lookup(ctx, cand.InstanceType); err != nil {
			return fmt.Errorf("-candidate %s: %w", c.specs[i], unknownType(err))
		}
	}
	return nil
}

// checkFlags rejects flags that do not apply to what was asked, instead of
// ignoring them.
func checkFlags(o *options, format string, set map[string]bool) error {
	format, err := cli.Format(format, "table", "json")
	if err != nil {
		return err
	}
	if format == "json" {
		o.json = true
	}
	if set["json"] && set["format"] && format != "json" {
		return errors.New("-json and -format table disagree")
	}
	if o.snapshot != "" && o.cluster != "" {
		return errors.New("-snapshot and -cluster exclude each other")
	}
	need := func(flags []string, owner string, have bool) error {
		if have {
			return nil
		}
		for _, f := range flags {
			if set[f] {
				return fmt.Errorf("-%s applies with %s only", f, owner)
			}
		}
		return nil
	}
	if err := need([]string{"trunking", "windows", "other-enis"}, "-instance-type", o.instanceType != ""); err != nil {
		return err
	}
	if err := need([]string{"count", "mode", "candidate"}, "-whatif", o.whatif != ""); err != nil {
		return err
	}
	// -q is not among them: it means the same in every program (no
	// progress or info lines), so a script may pass it always; without
	// -cluster there is just less to silence.
	if err := need([]string{"stopping"}, "-cluster", o.cluster != ""); err != nil {
		return err
	}
	if o.instanceType != "" {
		for _, f := range []string{"snapshot", "cluster", "save", "whatif"} {
			if set[f] {
				return fmt.Errorf("-%s does not apply to -instance-type, which shows one type's budget without a cluster", f)
			}
		}
	}
	if o.count <= 0 {
		return fmt.Errorf("-count %d: must be at least 1", o.count)
	}
	if o.otherENIs < 0 {
		return fmt.Errorf("-other-enis %d: must not be negative", o.otherENIs)
	}
	return nil
}

// The bounds of the files read whole, the library's own (see the doc of
// eni.ParseLimitsJSON, netmode.Read and eni.ReadSnapshot): the files are
// read here first (for the checks of an empty file and the line an
// unfinished document stops at), and must not be read past them.
// Variables for tests.
var (
	maxLimitsBytes   int64 = eni.MaxLimitsSize // also for a TSV
	maxTaskDefBytes  int64 = netmode.MaxSize
	maxSnapshotBytes int64 = eni.MaxSnapshotSize
)

// readFileMax reads the file path, given to flag, whole: refused when it
// is larger than max bytes (more than it holds), unread when its size
// says so.
func readFileMax(flag, path string, max int64, holds string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	defer f.Close()
	data, err := cli.ReadMax(f, max)
	if errors.Is(err, cli.ErrTooLarge) {
		return nil, fmt.Errorf("%s %s: larger than %d bytes, more than %s", flag, path, max, holds)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flag, err)
	}
	return data, nil
}

// limitsForms is what -limits takes, for its errors.
const limitsForms = "want a .tsv file with a header line naming the built-in columns, e.g. instance_type and max_enis, or a .json array of objects with those keys"

// loadLimits reads -limits: the limits to use (the file over the built-in
// table) and the file's own table (nil without -limits), which -cluster
// puts over EC2's live numbers.
func loadLimits(path string) (eni.Limits, *eni.Table, error) {
	if path == "" {
		return eni.Builtin(), nil, nil
	}
	data, err := readFileMax("-limits", path, maxLimitsBytes, "a limits table holds")
	if err != nil {
		return nil, nil, err
	}
	// Said here, as for -snapshot and -whatif: the parsers would report
	// "line 0: no header line" or a bare EOF.
	if cli.Blank(data) {
		return nil, nil, fmt.Errorf("-limits %s: the file is empty (%s)", path, limitsForms)
	}
	var t *eni.Table
	isJSON := strings.HasSuffix(path, ".json")
	if isJSON {
		t, err = eni.ParseLimitsJSON(bytes.NewReader(data), path)
	} else {
		t, err = eni.ParseLimitsTSV(bytes.NewReader(data), path)
	}
	if err != nil {
		// Another kind of file (a price table, a snapshot), or a binary
		// one, whose first bytes would be printed as an unknown column.
		if wrong := cli.WrongKind(path, "an instance-type limits file", cli.KindLimits); wrong != "" {
			return nil, nil, fmt.Errorf("-limits %s (%s)", wrong, limitsForms)
		}
		return nil, nil, limitsError(path, data, isJSON, err)
	}
	if t.Len() == 0 {
		return nil, nil, fmt.Errorf("-limits %s: no instance types (want rows with the built-in columns, e.g. instance_type and max_enis)", path)
	}
	return eni.Layer(t, eni.Builtin()), t, nil
}

// limitsError names the -limits flag in a parse error, whose position
// (file:line: column) is the library's, and says what an end of input
// in the middle of the JSON means, as for -snapshot.
func limitsError(path string, data []byte, isJSON bool, err error) error {
	var de *eni.DataError
	if !errors.As(err, &de) {
		return fmt.Errorf("-limits %s: %w", path, err)
	}
	if isJSON && de.Msg == io.ErrUnexpectedEOF.Error() {
		line := 1 + bytes.Count(bytes.TrimRight(data, " \t\r\n"), []byte("\n"))
		return fmt.Errorf("-limits %s: the file is cut short: its JSON stops unfinished at line %d", path, line)
	}
	where := fmt.Sprintf("%s:%d", de.Name, de.Line)
	if de.Column != "" {
		where += ": column " + de.Column
	}
	return fmt.Errorf("-limits %s: %s", where, de.Msg)
}

// loadSnapshot reads the cluster: the sample, -snapshot or -cluster. With
// -cluster the limits become EC2's live numbers over the built-in table,
// and a -limits file (file) over both: the file is the user's explicit
// choice for the types it lists, and the notes returned say where EC2
// disagrees with it.
func loadSnapshot(ctx context.Context, o options, limits eni.Limits, file *eni.Table, stderr io.Writer) (*eni.Snapshot, eni.Limits, []string, error) {
	if o.cluster == "" {
		data, name := sampleSnapshot, "embedded sample"
		if o.snapshot != "" {
			var err error
			if data, err = readFileMax("-snapshot", o.snapshot, maxSnapshotBytes, "a snapshot of a cluster holds"); err != nil {
				return nil, nil, nil, err
			}
			name = o.snapshot
			if cli.Blank(data) {
				return nil, nil, nil, fmt.Errorf("-snapshot %s: the file is empty (want the JSON that -save writes)", name)
			}
		}
		s, err := eni.ReadSnapshot(bytes.NewReader(data), name)
		if (err != nil || len(s.ContainerInstances) == 0) && o.snapshot != "" {
			// Another kind of file the programs know (describe output, a
			// record file, flow logs): said as what it is, not by the
			// member it lacks or encoding/json's first complaint.
			if wrong := cli.WrongKind(name, "an ENI snapshot", cli.KindSnapshot); wrong != "" {
				return nil, nil, nil, fmt.Errorf("-snapshot %s; a snapshot is the JSON that -save writes", wrong)
			}
		}
		if err != nil {
			return nil, nil, nil, snapshotError(name, data, err)
		}
		if len(s.ContainerInstances) == 0 {
			return nil, nil, nil, fmt.Errorf("-snapshot %s: no container instances (want the JSON that -save writes, with describeContainerInstances output)", name)
		}
		return s, limits, nil, err
	}
	var cfgOpts []func(*config.LoadOptions) error
	if os.Getenv("AWS_MAX_ATTEMPTS") == "" {
		// A big cluster means many Describe calls; ride out throttling.
		cfgOpts = append(cfgOpts, config.WithRetryMaxAttempts(10))
	}
	cfg, err := cli.AWSConfig(ctx, cfgOpts...)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("AWS configuration: %w", err)
	}
	stages := cli.NewStages(stderr, o.quiet)
	opts := []ecsread.Option{ecsread.WithProgress(func(p ecsread.Progress) { stages.Update(p.Stage, p.Done, p.Total) })}
	if o.stopping {
		opts = append(opts, ecsread.WithStoppingTasks())
	}
	s, err := eni.ReadCluster(ctx, ecs.NewFromConfig(cfg), o.cluster, opts...)
	stages.Done()
	if err != nil {
		return nil, nil, nil, err
	}
	if len(s.ContainerInstances) == 0 {
		// The same refusal as for a -snapshot without instances: an ENI
		// budget is per EC2 container instance, and a table of zeros would
		// read as a full cluster.
		msg := fmt.Sprintf("-cluster %s: no container instances (a Fargate-only cluster, or its Auto Scaling groups are at zero); "+
			"ENI budgets are per EC2 container instance", o.cluster)
		if n := len(s.Failures); n > 0 {
			msg += fmt.Sprintf("; ECS also reported %d failure(s), the first: %s %s", n, awswire.Plain(aws.ToString(s.Failures[0].Arn)), awswire.Plain(aws.ToString(s.Failures[0].Reason)))
		}
		return nil, nil, nil, errors.New(msg)
	}
	// Live ENI limits for the types in the cluster, over the built-in
	// table, with the -limits file over them.
	live := ec2limits.New(ec2.NewFromConfig(cfg))
	typesInUse := typesInQuestion(s, candidateList{}) // the cluster's
	stages.Update("ENI limits of the instance types", 0, len(typesInUse))
	err = live.Prefetch(ctx, typesInUse...)
	if err == nil { // a failed read is not drawn as every type read
		stages.Update("ENI limits of the instance types", len(typesInUse), len(typesInUse))
	}
	stages.Done()
	if err != nil {
		return nil, nil, nil, err
	}
	if file == nil {
		return s, live, nil, nil
	}
	notes, err := fileOverLive(ctx, file, live, o.limits, typesInQuestion(s, o.candidates))
	if err != nil {
		return nil, nil, nil, err
	}
	return s, eni.Layer(file, live), notes, nil
}

// fileOverLive says, for each of the types that the -limits file (path)
// lists and EC2 knows, where the file's max ENIs differ from EC2's live
// number: the file's is used, as -limits asks, and the note says so.
func fileOverLive(ctx context.Context, file *eni.Table, live *ec2limits.Limits, path string, types []string) ([]string, error) {
	var notes []string
	for _, t := range types {
		mine, err := file.Lookup(ctx, t)
		if err != nil {
			continue // not in the file
		}
		ec2, err := live.Lookup(ctx, t)
		var ue *eni.UnknownTypeError
		switch {
		case errors.As(err, &ue):
			continue
		case err != nil:
			return nil, err
		}
		if !strings.HasPrefix(ec2.Source, ec2limits.Source) || ec2.MaxENIs == mine.MaxENIs {
			continue // EC2 does not know it here (the built-in row), or agrees
		}
		notes = append(notes, fmt.Sprintf("%s: max ENIs %d from %s, used as -limits asks; EC2 says %d (ec2:DescribeInstanceTypes, read live). "+
			"Leave the type out of the file to use EC2's number.", t, mine.MaxENIs, path, ec2.MaxENIs))
	}
	return notes, nil
}

// snapshotError names the -snapshot file in a ReadSnapshot error and says
// what an end-of-input from the decoder means.
func snapshotError(name string, data []byte, err error) error {
	var se *eni.SnapshotError
	if !errors.As(err, &se) {
		return err
	}
	if errors.Is(se.Err, io.ErrUnexpectedEOF) {
		// The decoder gives no offset here; the end of the text is where it stopped.
		line := 1 + bytes.Count(bytes.TrimRight(data, " \t\r\n"), []byte("\n"))
		return fmt.Errorf("-snapshot %s: the file is cut short: its JSON stops unfinished at line %d", name, line)
	}
	where := "-snapshot " + name
	if se.Member != "" {
		where += ": " + se.Member
	}
	return fmt.Errorf("%s: %w", where, se.Err)
}

// checkModeDiffers refuses a -mode (flag, parsed as to) the task
// definition already has: the what-if would print the same placement
// twice, "as is" and in that mode. The task definition's mode is
// netmode.ModeOf's, as eni's what-if reads it, except with networkMode
// and the OS family both omitted: then it is each instance's OS's default
// (bridge on Linux, default on Windows), and -mode bridge asks for bridge
// on every instance, the same only when no instance is Windows, which
// snap tells (nil: not read yet, that case is left for later). awsvpc is
// let through: its what-if compares trunking off and on, which no other
// flag asks for.
func checkModeDiffers(flag string, td *types.TaskDefinition, to netmode.Mode, snap *eni.Snapshot) error {
	if to == netmode.ModeAWSVPC {
		return nil
	}
	from, err := netmode.ModeOf(td)
	if err != nil || from != to {
		return nil
	}
	byOS := td.NetworkMode == "" && (td.RuntimePlatform == nil || td.RuntimePlatform.OperatingSystemFamily == "")
	if !byOS {
		return fmt.Errorf("-mode %s: the task definition is already in network mode %s; leave -mode out, or name another mode", flag, from)
	}
	if snap == nil {
		return nil
	}
	for _, ci := range snap.ContainerInstances {
		for _, a := range ci.Attributes {
			if aws.ToString(a.Name) == eni.AttrOSType && strings.EqualFold(aws.ToString(a.Value), "windows") {
				return nil
			}
		}
	}
	return fmt.Errorf("-mode %s: the task definition omits networkMode, so it is already in network mode %s on every instance of cluster %s (none is Windows); leave -mode out, or name another mode",
		flag, from, awswire.Plain(snap.Cluster))
}

// tdForms is what -whatif takes, for its errors.
const tdForms = "want " + cli.TaskDefForms

// loadTaskDef reads -whatif's task definition in any form netmode.Load
// takes, so that an unknown networkMode is named with its file and place
// like any other mistake in it, before the cluster is read.
func loadTaskDef(path string) (*types.TaskDefinition, error) {
	data := sampleTaskDef
	if path != "sample" {
		var err error
		if data, err = readFileMax("-whatif", path, maxTaskDefBytes, "a task definition takes"); err != nil {
			return nil, err
		}
		if cli.Blank(data) {
			return nil, fmt.Errorf("-whatif %s: the file is empty (%s)", path, tdForms)
		}
	}
	td, err := netmode.Load(data, path)
	if err != nil {
		err = cli.TaskDefError(path, err)
	} else if len(td.ContainerDefinitions) == 0 {
		// The same for every form: a describe-task-definition output's
		// taskDefinition without containers is no more a task than a
		// bare one.
		err = fmt.Errorf("%s: no containerDefinitions (%s)", path, tdForms)
	}
	if err != nil {
		// Another kind of file the programs know (describe-tasks output,
		// flow logs) says what it is and where it goes.
		// (Not the embedded sample: a file named sample here is not it.)
		if path != "sample" {
			if e := cli.Misfiled(path, err, "a task definition", cli.KindTaskDefinition); e != nil {
				err = e
			}
		}
		return nil, fmt.Errorf("-whatif %w", err)
	}
	// A task definition ECS would not register has no copies to place:
	// say what is wrong with it, as netmodes does, rather than count it.
	// Problems of the instance's ports (reserved, in use, the limit) are
	// the what-if's own to count, per instance.
	if err := invalidTaskDef(td); err != nil {
		return nil, fmt.Errorf("-whatif %s: %w", path, err)
	}
	// ECS registers no task definition for EC2 without memory, and a copy
	// of one would reserve nothing: its what-if is zeros ("not counted").
	if !hasMemory(td) {
		return nil, fmt.Errorf("-whatif %s: no memory: ECS needs the task-level memory, or memory or memoryReservation on the containers, "+
			"to place a task on EC2, and copies are counted by it", path)
	}
	return td, nil
}

// invalidTaskDef is the first problem of td that ECS rejects whatever the
// instance (netmode.Validate's errors, but for the instance's ports), with
// how many more there are; nil when there is none.
func invalidTaskDef(td *types.TaskDefinition) error {
	var ps netmode.Problems
	if err := netmode.Validate(td); !errors.As(err, &ps) {
		return err
	}
	var errs netmode.Problems
	for _, p := range ps.Filter(netmode.SeverityError) {
		switch p.Code {
		case netmode.CodeReservedHostPort, netmode.CodeConditionallyReservedPort,
			netmode.CodeTooManyHostPorts, netmode.CodeTooManyHostPortsTCPAndUDP:
			continue
		}
		errs = append(errs, p)
	}
	if len(errs) == 0 {
		return nil
	}
	p := errs[0]
	more := ""
	if len(errs) > 1 {
		more = fmt.Sprintf(" (and %d more errors; netmodes lists them all)", len(errs)-1)
	}
	return fmt.Errorf("%s: %s [%s]%s", p.Path, p.Message, p.Code, more)
}

// hasMemory reports whether a task definition reserves any memory: at the
// task level or on a container (memory or memoryReservation).
func hasMemory(td *types.TaskDefinition) bool {
	if s := strings.TrimSpace(aws.ToString(td.Memory)); s != "" && s != "0" {
		return true
	}
	for _, c := range td.ContainerDefinitions {
		if c.Memory != nil && *c.Memory > 0 || c.MemoryReservation != nil && *c.MemoryReservation > 0 {
			return true
		}
	}
	return false
}

// candidateNote says where a (candidate) row's figures come from: what the
// user typed, not AWS's data.
const candidateNote = "(candidate) types are sized with the CPU units and MiB given with -candidate, not AWS's numbers; " +
	"their ENI limits come from the same data as the cluster's instances"

func runWhatIf(ctx context.Context, o options, td *types.TaskDefinition, to netmode.Mode, snap *eni.Snapshot, limits eni.Limits, limitNotes []string, stdout io.Writer) error {
	type labelled struct {
		label string
		r     *eni.WhatIfResult
	}
	var results []labelled
	if o.mode == "" {
		r, err := eni.WhatIf(ctx, snap, limits, td, o.count, eni.WhatIfOptions{Candidates: o.candidates.list})
		if err != nil {
			return err
		}
		results = append(results, labelled{"as is", r})
	} else {
		w, err := eni.WhatIfMode(ctx, snap, limits, td, o.count, to, o.candidates.list...)
		if err != nil {
			return err
		}
		results = append(results, labelled{"as is", w.Current})
		if w.WithTrunking == nil {
			results = append(results, labelled{to.String(), w.WithoutTrunking})
		} else {
			results = append(results, labelled{to.String() + ", no trunking", w.WithoutTrunking},
				labelled{to.String() + ", trunking", w.WithTrunking})
		}
	}
	for _, l := range results {
		l.r.Notes = append(l.r.Notes, limitNotes...)
		if len(o.candidates.list) > 0 {
			l.r.Notes = append(l.r.Notes, candidateNote)
		}
	}
	if o.json {
		var out []whatIfJSON
		for _, l := range results {
			out = append(out, toWhatIfJSON(l.label, l.r))
		}
		return writeJSON(stdout, map[string]any{"whatif": out})
	}
	for i, l := range results {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if err := writeWhatIf(stdout, l.label, l.r); err != nil {
			return err
		}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(v)
}

// shortARN is an ARN's last part, as the text reports show it (Plain:
// a snapshot's ARNs are text from a file).
func shortARN(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		arn = arn[i+1:]
	}
	return awswire.Plain(arn)
}

func writeBudget(w io.Writer, it eni.InstanceType, b eni.Budget) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "instance type\t%s (%s)\n", awswire.Plain(b.InstanceType), awswire.Plain(it.Source))
	if strings.HasPrefix(it.Source, "built-in") {
		fmt.Fprintf(tw, "built-in data\t%s; -limits FILE or -cluster (live from EC2) for newer numbers\n", eni.DataVintage)
	}
	if it.DefaultCardENIs > 0 {
		fmt.Fprintf(tw, "max ENIs\t%d over %d network card(s); %d on the default card (index %d)\n", it.MaxENIs, it.NetworkCards, it.DefaultCardENIs, it.DefaultCardIndex)
	} else {
		fmt.Fprintf(tw, "max ENIs\t%d over %d network card(s); the default card's (index %d) share unknown\n", it.MaxENIs, it.NetworkCards, it.DefaultCardIndex)
	}
	ipv6 := fmt.Sprint(it.IPv6PerENI)
	if it.IPv6PerENI < 0 {
		ipv6 = "unknown"
	}
	// 0 IPv4 is unknown (a limits file without ipv4_per_eni): an ENI has
	// at least its primary address.
	ipv4 := fmt.Sprint(it.IPv4PerENI)
	if it.IPv4PerENI <= 0 {
		ipv4 = "unknown"
	}
	fmt.Fprintf(tw, "addresses per ENI\t%s IPv4, %s IPv6\n", ipv4, ipv6)
	hv := it.Hypervisor
	if hv == "" {
		hv = "-"
	}
	fmt.Fprintf(tw, "hypervisor, bare metal\t%s, %v\n", awswire.Plain(hv), it.BareMetal)
	if it.Trunking.Tasks != 0 || it.Trunking.PublishedWithout != 0 {
		fmt.Fprintf(tw, "ECS published limits\t%d tasks without trunking, %d with\n", it.Trunking.PublishedWithout, it.Trunking.Tasks)
	}
	if b.TrunkingStatus != it.Trunking.Status {
		// -windows: ECS trunks Linux instances only, whatever the type.
		fmt.Fprintf(tw, "trunking\t%v (%s on Windows; %s for this type on Linux)\n", onOff(b.Trunking), b.TrunkingStatus, it.Trunking.Status)
	} else {
		fmt.Fprintf(tw, "trunking\t%v (%s for this type)\n", onOff(b.Trunking), b.TrunkingStatus)
	}
	fmt.Fprintf(tw, "awsvpc tasks ECS places\t%d\n", b.ECSTasks)
	fmt.Fprintf(tw, "awsvpc tasks that get an ENI\t%d\n", b.Tasks)
	fmt.Fprintf(tw, "ENIs on the instance then\t%d\n", b.InstanceENIs)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range plainNotes(b.Notes) {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// writeCluster writes the cluster report; limitsFile is -limits, live
// whether the cluster was read live (-cluster, with EC2's limits).
func writeCluster(w io.Writer, r *eni.ClusterReport, limitsFile string, live bool) error {
	fmt.Fprintf(w, "cluster %s", awswire.Plain(r.Cluster))
	if !r.TakenAt.IsZero() {
		fmt.Fprintf(w, " at %s", r.TakenAt.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE\tTYPE\tOS\tSTATUS\tTRUNK\tBUDGET\tIN USE\tLEFT\tPROVISIONING\tSTOPPING\tAWSVPC\tBRIDGE\tHOST\tNONE\tDEFAULT")
	for _, ir := range r.Instances {
		os := "linux"
		if ir.Windows {
			os = "windows"
		}
		trunk := "-"
		if ir.Trunk {
			trunk = "yes"
		}
		if ir.Err != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t?\t%d\t?\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", shortARN(ir.ContainerInstanceARN), awswire.Plain(ir.InstanceType), os, awswire.Plain(ir.Status), trunk,
				ir.ENIsInUse, ir.Provisioning, ir.Stopping, ir.Tasks.AWSVPC, ir.Tasks.Bridge, ir.Tasks.Host, ir.Tasks.None, ir.Tasks.Default)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", shortARN(ir.ContainerInstanceARN), awswire.Plain(ir.InstanceType), os, awswire.Plain(ir.Status), trunk,
			ir.Budget.ECSTasks, ir.ENIsInUse, ir.ENIsLeft, ir.Provisioning, ir.Stopping, ir.Tasks.AWSVPC, ir.Tasks.Bridge, ir.Tasks.Host, ir.Tasks.None, ir.Tasks.Default)
	}
	fmt.Fprintf(tw, "TOTAL\t\t\t\t\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", r.Budget, r.InUse, r.Left, r.Provisioning, r.Stopping,
		r.Tasks.AWSVPC, r.Tasks.Bridge, r.Tasks.Host, r.Tasks.None, r.Tasks.Default)
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, ir := range r.Instances {
		if ir.Err != "" {
			fmt.Fprintf(w, "%s: %s\n", shortARN(ir.ContainerInstanceARN), awswire.Plain(forPeople.Replace(ir.Err)))
		}
		for _, n := range plainNotes(ir.Budget.Notes) {
			fmt.Fprintf(w, "%s: %s\n", shortARN(ir.ContainerInstanceARN), n)
		}
	}
	if r.Tasks.Unknown > 0 {
		// The table has a column per known mode only: without this, tasks
		// whose task definition is not in the snapshot would vanish.
		var where []string
		for _, ir := range r.Instances {
			if ir.Tasks.Unknown > 0 {
				where = append(where, fmt.Sprintf("%s %d", shortARN(ir.ContainerInstanceARN), ir.Tasks.Unknown))
			}
		}
		fmt.Fprintf(w, "note: %d task%s (%s) %s in none of the mode columns: %s network mode is unknown (the task definition is not in the "+
			"snapshot, and no ENI attachment shows awsvpc); add the task definitions' describe-task-definition outputs to the snapshot.\n",
			r.Tasks.Unknown, map[bool]string{true: "", false: "s"}[r.Tasks.Unknown == 1], strings.Join(where, ", "),
			map[bool]string{true: "is", false: "are"}[r.Tasks.Unknown == 1], map[bool]string{true: "its", false: "their"}[r.Tasks.Unknown == 1])
	}
	for _, f := range r.Failures {
		fmt.Fprintf(w, "failure: %s %s %s\n", awswire.Plain(aws.ToString(f.Arn)), awswire.Plain(aws.ToString(f.Reason)), awswire.Plain(aws.ToString(f.Detail)))
	}
	for _, n := range plainNotes(r.Notes) {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	switch {
	case limitsFile != "" && live:
		fmt.Fprintf(w, "note: budgets of types %s lists use its numbers, over EC2's live ones (-limits is your choice); "+
			"other types use EC2's live numbers, or the built-in ENI data (%s) for types EC2 does not know here.\n", limitsFile, eni.DataVintage)
	case limitsFile != "":
		fmt.Fprintf(w, "note: budgets of types not read live use %s, and the built-in ENI data (%s) for types it does not list.\n", limitsFile, eni.DataVintage)
	default:
		fmt.Fprintf(w, "note: budgets of types not read live use the built-in ENI data: %s.\n", eni.DataVintage)
	}
	return nil
}

func limitCell(n int) string {
	if n == eni.NoLimit {
		return "-"
	}
	return fmt.Sprint(n)
}

func writeWhatIf(w io.Writer, label string, r *eni.WhatIfResult) error {
	fmt.Fprintf(w, "%d more of %s, %s (mode %s, trunking %s; %d CPU units, %d MiB per copy): %d fit, %d short\n",
		r.Requested, awswire.Plain(r.TaskDefinition), label, r.Mode, r.Trunking, r.CPU, r.Memory, r.Placed, r.Short)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INSTANCE\tTYPE\tBY ENI\tBY PORTS\tBY CPU\tBY MEMORY\tFITS\tPLACED\tBOUND BY")
	for _, f := range r.Instances {
		why := f.Binding + ": " + forPeople.Replace(f.Reason)
		if f.Skipped != "" {
			why = "skipped: " + forPeople.Replace(f.Skipped)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", shortARN(f.ContainerInstanceARN), awswire.Plain(f.InstanceType),
			limitCell(f.ByENI), limitCell(f.ByPorts), limitCell(f.ByCPU), limitCell(f.ByMemory), f.Fits, f.Placed, awswire.Plain(why))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Short > 0 && len(r.ForTheRest) == 0 {
		// No instance in the cluster can take the task and no -candidate
		// was given: there is no type to size the rest with.
		fmt.Fprintf(w, "for the %d that don't fit: no instance type in the cluster can take them; "+
			"size a type that is not in the cluster with -candidate TYPE:CPU:MEMORY[:windows][:trunking], e.g. -candidate m6i.large:2048:7680\n", r.Short)
	}
	if r.Short > 0 && len(r.ForTheRest) > 0 {
		fmt.Fprintf(w, "for the %d that don't fit, one of:\n", r.Short)
		// A type with entries for both OSes is named with its OS.
		oses := map[string]map[bool]bool{}
		for _, n := range r.ForTheRest {
			if oses[n.InstanceType] == nil {
				oses[n.InstanceType] = map[bool]bool{}
			}
			oses[n.InstanceType][n.Windows] = true
		}
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, n := range r.ForTheRest {
			name := awswire.Plain(n.InstanceType)
			if len(oses[n.InstanceType]) > 1 {
				name += map[bool]string{true: " (windows)", false: " (linux)"}[n.Windows]
			}
			name += map[bool]string{true: " (candidate)"}[n.Candidate]
			if n.PerInstance == 0 {
				fmt.Fprintf(tw, "  %s\tnone fit on an empty instance\t(%s: %s)\n", name, n.Binding, awswire.Plain(forPeople.Replace(n.Reason)))
				continue
			}
			fmt.Fprintf(tw, "  %d × %s\t%d per instance\t(%s: %s)\n", n.Instances, name, n.PerInstance, n.Binding, awswire.Plain(forPeople.Replace(n.Reason)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, n := range plainNotes(r.Notes) {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

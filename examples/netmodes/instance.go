package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/internal/awswire"
	"github.com/ecsnet/ecsnet/netmode"
)

// instanceForms is what -instance reads, for the usage and errors.
const instanceForms = "describe-container-instances output, its containerInstances, or one of them"

// maxInstanceFile bounds what -instance reads, whole: describe-container-
// instances answers at most 100 instances a call, some 15 KB each.
const maxInstanceFile = 64 << 20

// instanceHost is the host -instance describes, and where it came from.
type instanceHost struct {
	file string
	ci   types.ContainerInstance
	host netmode.Host
	// osAttr is the instance's ecs.os-type attribute, "" when it has none
	// (netmode.HostFromContainerInstance then takes it for Linux).
	osAttr string
}

// instanceID is a container instance's ID: the last part of its ARN
// (arn:aws:ecs:REGION:ACCOUNT:container-instance/CLUSTER/ID, or the older
// container-instance/ID).
func instanceID(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// name is how the report names the instance: "ID (EC2 ID)".
func (h *instanceHost) name() string {
	return describeInstance(&h.ci)
}

func describeInstance(ci *types.ContainerInstance) string {
	id := instanceID(aws.ToString(ci.ContainerInstanceArn))
	ec2 := aws.ToString(ci.Ec2InstanceId)
	switch {
	case id == "" && ec2 == "":
		return "(no containerInstanceArn or ec2InstanceId)"
	case id == "":
		return awswire.Plain(ec2)
	case ec2 == "":
		return awswire.Plain(id)
	}
	return awswire.Plain(id) + " (" + awswire.Plain(ec2) + ")"
}

// loadInstance reads -instance's file: describe-container-instances
// output (with -instance-id picking one when it holds several) or one
// containerInstance object, as `--query 'containerInstances[0]'` prints
// it. Errors name the flag and the file.
func loadInstance(file, pick string) (*instanceHost, error) {
	where := "-instance " + file
	fail := func(err error) error {
		e := cli.Misfiled(file, err, "a container instance", cli.KindDescribeInstances)
		switch {
		case e == nil:
			return err
		case !strings.HasPrefix(e.Error(), where):
			// "F is flow-log records, not …": the flag named too.
			return fmt.Errorf("-instance %w", e)
		}
		return e
	}
	data, err := readLimited(file)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %s: %w", where, pe.Op, pe.Err)
		}
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if cli.Blank(data) {
		return nil, fmt.Errorf("%s: the file is empty (want %s)", where, instanceForms)
	}
	// The same reader as eni.ReadSnapshot's for these outputs: placed
	// errors, times in either form, a byte order mark skipped.
	var out ecs.DescribeContainerInstancesOutput
	if strings.HasPrefix(strings.TrimLeft(string(awswire.TrimBOM(data)), " \t\r\n"), "[") {
		// --query containerInstances: the list alone.
		err = awswire.Unmarshal(data, &out.ContainerInstances)
	} else {
		err = awswire.Unmarshal(data, &out)
	}
	if err != nil {
		return nil, fail(fmt.Errorf("%s: %w", where, err))
	}
	cis := out.ContainerInstances
	if cis == nil {
		// No containerInstances member: one container instance, or
		// another kind of file, which names none of its members.
		var ci types.ContainerInstance
		if err := awswire.Unmarshal(data, &ci); err != nil {
			return nil, fail(fmt.Errorf("%s: %w", where, err))
		}
		if ci.ContainerInstanceArn == nil && ci.Ec2InstanceId == nil && ci.RegisteredResources == nil && ci.RemainingResources == nil {
			return nil, fail(fmt.Errorf("%s: no containerInstances member, and not a container instance either (want %s)", where, instanceForms))
		}
		cis = []types.ContainerInstance{ci}
	}
	if len(cis) == 0 {
		msg := fmt.Sprintf("%s: no container instances in it (want %s)", where, instanceForms)
		if len(out.Failures) > 0 {
			f := out.Failures[0]
			msg += fmt.Sprintf("; ECS answered %d failure(s), the first %s: %s", len(out.Failures), awswire.Plain(aws.ToString(f.Arn)), awswire.Plain(aws.ToString(f.Reason)))
		}
		return nil, errors.New(msg)
	}
	ci, err := pickInstance(where, cis, pick)
	if err != nil {
		return nil, err
	}
	host, err := netmode.HostFromContainerInstance(ci)
	if err != nil {
		return nil, fmt.Errorf("%s: container instance %s: %w", where, describeInstance(ci), err)
	}
	h := &instanceHost{file: file, ci: *ci, host: host}
	for _, a := range ci.Attributes {
		if aws.ToString(a.Name) == "ecs.os-type" {
			h.osAttr = aws.ToString(a.Value)
		}
	}
	return h, nil
}

// maxChoices is how many container instances an error lists.
const maxChoices = 5

// pickInstance is the one of cis that pick names (its ARN, its ID or its
// EC2 instance ID); with no pick, the only one.
func pickInstance(where string, cis []types.ContainerInstance, pick string) (*types.ContainerInstance, error) {
	choices := func(of []*types.ContainerInstance) string {
		var names []string
		for i, ci := range of {
			if i == maxChoices {
				names = append(names, fmt.Sprintf("%d more", len(of)-maxChoices))
				break
			}
			names = append(names, describeInstance(ci))
		}
		return strings.Join(names, ", ")
	}
	all := make([]*types.ContainerInstance, len(cis))
	for i := range cis {
		all[i] = &cis[i]
	}
	if pick == "" {
		if len(all) == 1 {
			return all[0], nil
		}
		return nil, fmt.Errorf("%s holds %d container instances: pick one with -instance-id (its ARN, its ID or its EC2 instance ID): %s", where, len(all), choices(all))
	}
	var found []*types.ContainerInstance
	for _, ci := range all {
		arn := aws.ToString(ci.ContainerInstanceArn)
		if arn != "" && (pick == arn || pick == instanceID(arn)) || pick == aws.ToString(ci.Ec2InstanceId) {
			found = append(found, ci)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("-instance-id %s: no such container instance in %s (it holds %s)", awswire.Quote(pick), where, choices(all))
	}
	return nil, fmt.Errorf("-instance-id %s: %d container instances in %s match: %s", awswire.Quote(pick), len(found), where, choices(found))
}

// readLimited reads the file whole, up to maxInstanceFile bytes.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := cli.ReadMax(f, maxInstanceFile)
	if errors.Is(err, cli.ErrTooLarge) {
		return nil, fmt.Errorf("larger than %d bytes, more than describe-container-instances answers", maxInstanceFile)
	}
	return data, err
}

// instanceSays is what -instance reads that a hand-set flag would say too.
var instanceSays = map[string]string{
	"reserved":     "the reserved ports from registeredResources PORTS",
	"reserved-udp": "the reserved UDP ports from registeredResources PORTS_UDP",
	"in-use":       "the ports in use from remainingResources PORTS and PORTS_UDP",
}

// osSays is where the instance's OS came from, for an error.
func (h *instanceHost) osSays() string {
	if h.osAttr == "" {
		return "it has no ecs.os-type attribute, and is taken for linux"
	}
	return "ecs.os-type " + awswire.Quote(h.osAttr)
}

// inUse lists the ports in use on the instance that are not reserved:
// remainingResources lists both.
func (h *instanceHost) inUse() string {
	var out []string
	list := func(inUse, reserved []uint16, suffix string) {
		skip := map[uint16]bool{}
		for _, p := range reserved {
			skip[p] = true
		}
		for _, p := range inUse {
			if !skip[p] {
				skip[p] = true
				out = append(out, fmt.Sprint(p)+suffix)
			}
		}
	}
	list(h.host.InUseTCP, h.host.ReservedTCP, "")
	list(h.host.InUseUDP, h.host.ReservedUDP, "/udp")
	if len(out) == 0 {
		return "no other ports"
	}
	return "[" + strings.Join(out, " ") + "]"
}

// rangeSays is where the dynamic range of h came from, when -instance
// gave the rest: the API does not carry it.
func (h *instanceHost) rangeSays(host netmode.Host) string {
	if !host.DynamicRange.IsZero() {
		return " (-dynamic-range)"
	}
	return " (the OS default: not in the file)"
}

// notes are what the report adds of the instance: one ECS places no task
// on.
func (h *instanceHost) notes() []string {
	if s := aws.ToString(h.ci.Status); s != "" && s != "ACTIVE" {
		return []string{fmt.Sprintf("container instance %s is %s: ECS places new tasks on ACTIVE instances only", h.name(), awswire.Plain(s))}
	}
	return nil
}

// instanceDoc is the JSON report's "instance": the container instance
// -instance read.
type instanceDoc struct {
	File                 string `json:"file"`
	ContainerInstanceArn string `json:"containerInstanceArn,omitempty"`
	EC2InstanceID        string `json:"ec2InstanceId,omitempty"`
	Status               string `json:"status,omitempty"`
}

func (h *instanceHost) doc() *instanceDoc {
	return &instanceDoc{File: h.file, ContainerInstanceArn: aws.ToString(h.ci.ContainerInstanceArn),
		EC2InstanceID: aws.ToString(h.ci.Ec2InstanceId), Status: aws.ToString(h.ci.Status)}
}

// namesOS reports whether td's runtimePlatform names an OS family.
func namesOS(td *types.TaskDefinition) bool {
	return td.RuntimePlatform != nil && td.RuntimePlatform.OperatingSystemFamily != ""
}

// asWindows is td as a Windows task: a copy whose runtimePlatform names
// a Windows family (which release does not matter to the checks of a
// task without one, made for EC2).
func asWindows(td *types.TaskDefinition) *types.TaskDefinition {
	c := *td
	rp := types.RuntimePlatform{}
	if td.RuntimePlatform != nil {
		rp = *td.RuntimePlatform
	}
	rp.OperatingSystemFamily = types.OSFamilyWindowsServer2022Core
	c.RuntimePlatform = &rp
	return &c
}

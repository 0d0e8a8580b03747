package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// instances is a describe-container-instances output of two: a Linux
// instance with 8080 and 53/udp taken beside the agent's reserved ports,
// and a draining Windows one.
const instances = "testdata/describe-container-instances.json"

const (
	linuxARN = "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/5c1d9e0f6a2b4c3d8e7f60a1b2c3d4e5"
	linuxID  = "5c1d9e0f6a2b4c3d8e7f60a1b2c3d4e5"
	linuxEC2 = "i-0f1e2d3c4b5a69788"
	winEC2   = "i-07a8b9c0d1e2f3a4b"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// dnsTD takes 53/udp and 8080/tcp as static host ports.
const dnsTD = `{"family": "dns", "networkMode": "host", "containerDefinitions": [{"name": "coredns", "memory": 64,
  "portMappings": [{"containerPort": 53, "protocol": "udp"}, {"containerPort": 8080}]}]}`

func runNM(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	status := run(args, &out, &errOut)
	return status, out.String(), errOut.String()
}

// TestInstanceFile: -instance plans on the registered instance the file
// describes, netmode.HostFromContainerInstance's host: its reserved ports
// (registeredResources), the ports in use (remainingResources) and its OS;
// the instance line says where the host came from. The instance is picked
// by its ARN, its ID or its EC2 instance ID, the same plan each way.
func TestInstanceFile(t *testing.T) {
	td := writeFile(t, "dns.json", dnsTD)
	var want string
	for i, id := range []string{linuxEC2, linuxARN, linuxID} {
		status, out, stderr := runNM("-table=false", "-instance", instances, "-instance-id", id, td)
		if status != 0 || stderr != "" {
			t.Fatalf("-instance-id %s: exit %d, stderr %q", id, status, stderr)
		}
		if i == 0 {
			want = out
			for _, w := range []string{
				"  instance: " + linuxID + " (" + linuxEC2 + ") from -instance " + instances + ": linux, reserved ports [22 2375 2376 51678 51679], in use [8080 53/udp], dynamic range 32768-60999 (the OS default: not in the file), 7 of 100 reserved-port slots used\n",
				"copies that fit: 0",
				"host port 53/udp (containerDefinitions[0].portMappings[0]) is already in use on the instance",
			} {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		} else if out != want {
			t.Errorf("-instance-id %s: output differs from -instance-id %s's:\n%s\nwant:\n%s", id, linuxEC2, out, want)
		}
	}
	// The same instance without -instance: the flags saying what it says.
	status, byHand, _ := runNM("-table=false", "-in-use", "8080,53/udp", td)
	if status != 0 || !strings.Contains(byHand, "copies that fit: 0") {
		t.Errorf("by hand: exit %d:\n%s", status, byHand)
	}

	// One container instance: the object alone, or the list alone, needs
	// no -instance-id.
	var whole struct{ ContainerInstances []json.RawMessage }
	data, err := os.ReadFile(instances)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &whole); err != nil {
		t.Fatal(err)
	}
	one := writeFile(t, "one.json", string(whole.ContainerInstances[0]))
	list := writeFile(t, "list.json", "["+string(whole.ContainerInstances[0])+"]")
	for _, f := range []string{one, list} {
		status, out, stderr := runNM("-table=false", "-instance", f, td)
		if status != 0 || out != strings.ReplaceAll(want, "-instance "+instances, "-instance "+f) {
			t.Errorf("-instance %s: exit %d, stderr %q, output:\n%s\nwant:\n%s", f, status, stderr, out, want)
		}
	}
}

// TestInstancePick: a file of several instances needs -instance-id, and
// the error lists them (up to a few); an -instance-id that names none, or
// given without -instance, is exit 2.
func TestInstancePick(t *testing.T) {
	status, out, stderr := runNM("-instance", instances)
	if status != 2 || out != "" || !strings.Contains(stderr, "holds 2 container instances: pick one with -instance-id") ||
		!strings.Contains(stderr, linuxID+" ("+linuxEC2+")") || !strings.Contains(stderr, winEC2) {
		t.Errorf("two instances, no -instance-id: exit %d, stderr %q", status, stderr)
	}
	status, _, stderr = runNM("-instance", instances, "-instance-id", "i-00000000000000000")
	if status != 2 || !strings.Contains(stderr, `-instance-id "i-00000000000000000": no such container instance in -instance `+instances) || !strings.Contains(stderr, linuxEC2) {
		t.Errorf("unknown -instance-id: exit %d, stderr %q", status, stderr)
	}
	// Also when the file holds one: the ID was meant for another.
	var many []string
	for i := range 8 {
		many = append(many, fmt.Sprintf(`{"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/id%d", "ec2InstanceId": "i-%d"}`, i, i))
	}
	one := writeFile(t, "one.json", `{"containerInstances": [`+many[0]+`]}`)
	if status, _, stderr := runNM("-instance", one, "-instance-id", "i-7"); status != 2 || !strings.Contains(stderr, "no such container instance") {
		t.Errorf("-instance-id of none in a file of one: exit %d, stderr %q", status, stderr)
	}
	eight := writeFile(t, "eight.json", `{"containerInstances": [`+strings.Join(many, ",")+`]}`)
	status, _, stderr = runNM("-instance", eight)
	if status != 2 || !strings.Contains(stderr, "holds 8 container instances") || !strings.Contains(stderr, "id4 (i-4), 3 more") || strings.Contains(stderr, "id5") {
		t.Errorf("eight instances: exit %d, stderr %q; want the first five and 3 more", status, stderr)
	}
	if status, _, stderr := runNM("-instance", eight, "-instance-id", "id6"); status != 0 {
		t.Errorf("-instance-id id6: exit %d, stderr %q", status, stderr)
	}
	if status, _, stderr := runNM("-instance-id", linuxEC2); status != 2 || !strings.Contains(stderr, "netmodes: -instance-id applies with -instance only") {
		t.Errorf("-instance-id alone: exit %d, stderr %q", status, stderr)
	}
	for _, f := range []string{"instance", "instance-id"} {
		args := []string{"-" + f, ""}
		if f == "instance-id" {
			args = append(args, "-instance", instances)
		}
		if status, _, stderr := runNM(args...); status != 2 || !strings.Contains(stderr, "empty value for -"+f) {
			t.Errorf("-%s '': exit %d, stderr %q", f, status, stderr)
		}
	}
}

// TestInstanceWithHandFlags: -instance says the reserved ports and the
// ports in use, so -reserved, -reserved-udp and -in-use beside it are
// refused, both flags named; -dynamic-range, which the API does not
// carry, applies to the instance.
func TestInstanceWithHandFlags(t *testing.T) {
	for _, flags := range [][]string{{"-reserved", "[22]"}, {"-reserved-udp", "[53]"}, {"-in-use", "9090"}} {
		status, out, stderr := runNM(append([]string{"-instance", instances, "-instance-id", linuxEC2}, flags...)...)
		if status != 2 || out != "" || !strings.Contains(stderr, "netmodes: "+flags[0]+" and -instance both describe the instance") {
			t.Errorf("%v with -instance: exit %d, stderr %q", flags, status, stderr)
		}
	}
	status, out, stderr := runNM("-table=false", "-instance", instances, "-instance-id", linuxEC2, "-dynamic-range", "40000-40010")
	if status != 0 || !strings.Contains(out, "in use [8080 53/udp], dynamic range 40000-40010 (-dynamic-range), 7 of 100") {
		t.Errorf("-dynamic-range with -instance: exit %d, stderr %q:\n%s", status, stderr, out)
	}
	// The usage says it.
	_, _, usage := runNM("-h")
	if !strings.Contains(usage, "-instance file\n") || !strings.Contains(usage, "not with -reserved, -reserved-udp or -in-use") || !strings.Contains(usage, "-instance-id ID") {
		t.Errorf("-h does not tell -instance:\n%s", usage)
	}
}

// TestInstanceOSAndStatus: the instance runs tasks of its OS only, and a
// draining one takes no new task: the first is refused, the second noted.
func TestInstanceOSAndStatus(t *testing.T) {
	// One that names its OS: without runtimePlatform, ECS places it on
	// either (TestInstanceWindowsNoRuntimePlatform).
	td := writeFile(t, "dns.json", strings.Replace(dnsTD, `"networkMode": "host",`, `"networkMode": "host", "runtimePlatform": {"operatingSystemFamily": "LINUX"},`, 1))
	status, _, stderr := runNM("-instance", instances, "-instance-id", winEC2, td)
	if status != 2 || !strings.Contains(stderr, "task definition dns is for linux, and container instance 9a8b7c6d5e4f40312a1b2c3d4e5f6071 ("+winEC2+") of -instance "+instances+` runs windows (ecs.os-type "windows")`) {
		t.Errorf("linux task definition on a windows instance: exit %d, stderr %q", status, stderr)
	}
	win := writeFile(t, "win.json", `{"family": "iis", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
  "containerDefinitions": [{"name": "iis", "memory": 512, "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}`)
	status, out, stderr := runNM("-format", "json", "-instance", instances, "-instance-id", winEC2, win)
	var reports []report
	if err := json.Unmarshal([]byte(out), &reports); err != nil || status == 2 || len(reports) != 1 {
		t.Fatalf("windows on windows: exit %d, stderr %q, %v:\n%s", status, stderr, err, out)
	}
	r := reports[0]
	if r.Instance == nil || r.Instance.File != instances || r.Instance.EC2InstanceID != winEC2 || r.Instance.Status != "DRAINING" ||
		!strings.HasSuffix(r.Instance.ContainerInstanceArn, "/9a8b7c6d5e4f40312a1b2c3d4e5f6071") {
		t.Errorf("JSON instance: %+v", r.Instance)
	}
	if !strings.Contains(strings.Join(r.Plan.Notes, "\n"), "is DRAINING: ECS places new tasks on ACTIVE instances only") {
		t.Errorf("no note of the draining instance: %q", r.Plan.Notes)
	}
	// Without -instance, no "instance" member.
	_, out, _ = runNM("-format", "json")
	if strings.Contains(out, `"instance"`) {
		t.Errorf("-format json without -instance has an instance member:\n%s", out)
	}
}

// TestInstanceOnAWSVPCOnly: as the other flags describing the instance,
// -instance with only task definitions that take no host ports changed
// nothing, and is refused.
func TestInstanceOnAWSVPCOnly(t *testing.T) {
	awsvpc := writeFile(t, "awsvpc.json", `{"family": "a", "networkMode": "awsvpc", "containerDefinitions": [{"name": "app", "memory": 256, "portMappings": [{"containerPort": 80}]}]}`)
	if status, _, stderr := runNM("-instance", instances, "-instance-id", linuxEC2, awsvpc); status != 2 || !strings.Contains(stderr, "netmodes: -instance does not apply") {
		t.Errorf("-instance with awsvpc only: exit %d, stderr %q", status, stderr)
	}
}

// TestInstanceWrongKind: the files the other programs take, given to
// -instance, are named as the program names them given as task
// definitions (cli.Misfiled), with the flag.
func TestInstanceWrongKind(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"td.json", dnsTD, ": no containerInstances member, and not a container instance either (want describe-container-instances output, its containerInstances, or one of them) (it is a task definition: give it to netmodes, or enibudget -whatif)"},
		{"snapshot.json", `{"format": "ecsnet/eni-snapshot/v1", "cluster": "x", "describeContainerInstances": []}`, ": no containerInstances member, and not a container instance either (want describe-container-instances output, its containerInstances, or one of them) (it is an ENI snapshot (as enibudget -save writes): give it to enibudget -snapshot)"},
		{"tasks.json", `{"tasks": [], "failures": []}`, ": no containerInstances member, and not a container instance either (want describe-container-instances output, its containerInstances, or one of them) (it is describe-tasks output: give it to attribute -tasks)"},
		{"demo.history.jsonl", `{"version":"0","detail-type":"ECS Task State Change","detail":{"taskArn":"a"}}` + "\n" + `{"version":"0","detail-type":"ECS Task State Change","detail":{"taskArn":"b"}}` + "\n",
			" is a task history (ECS events, one JSON a line, as record writes), not a container instance: give it to attribute -tasks"},
		{"one-event.jsonl", `{"version":"0","detail-type":"ECS Container Instance State Change","detail":{"containerInstanceArn":"a"}}` + "\n",
			" is a task history (ECS events, one JSON a line, as record writes), not a container instance: give it to attribute -tasks"},
		{"flowlogs.log", "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n",
			" is flow-log records (text), not a container instance: give it to attribute -flowlogs"},
		{"blank.json", " \n", ": the file is empty (want describe-container-instances output, its containerInstances, or one of them)"},
		{"none.json", `{"containerInstances": [], "failures": [{"arn": "arn:x", "reason": "MISSING"}]}`, ": no container instances in it (want describe-container-instances output, its containerInstances, or one of them); ECS answered 1 failure(s), the first arn:x: MISSING"},
		{"bad.json", "{\"containerInstances\": [\n {\"containerInstanceArn\": 5}]}", ": line 2, column 27: containerInstances[0].containerInstanceArn: want a string, got number 5"},
	} {
		f := writeFile(t, c.name, c.body)
		status, out, stderr := runNM("-instance", f)
		if want := "netmodes: -instance " + f + c.want + "\n"; status != 2 || out != "" || stderr != want {
			t.Errorf("%s: exit %d, stderr\n%q\nwant\n%q", c.name, status, stderr, want)
		}
	}
	missing := filepath.Join(t.TempDir(), "none.json")
	if status, _, stderr := runNM("-instance", missing); status != 2 || stderr != "netmodes: -instance "+missing+": open: no such file or directory\n" {
		t.Errorf("missing: exit %d, stderr %q", status, stderr)
	}
}

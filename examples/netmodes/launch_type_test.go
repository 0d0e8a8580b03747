package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLaunchType: -launch-type validates for where the task definition is
// meant to run (netmode.WithCompatibilities), as if requiresCompatibilities
// listed it: the web sample (bridge, EC2) is clean as it is, and on
// Fargate has the error ECS gives, exit 1; a bridge task definition is
// refused for Managed Instances, an awsvpc one for ECS Anywhere. The
// flag takes values in any case, comma-separated or repeated, and says in
// the report what was checked.
func TestLaunchType(t *testing.T) {
	awsvpc := writeFile(t, "awsvpc.json", `{"family": "a", "networkMode": "awsvpc", "cpu": "256", "memory": "512",
  "containerDefinitions": [{"name": "app", "memory": 256, "portMappings": [{"containerPort": 8080}]}]}`)
	run1 := func(args ...string) (int, string, string) { return runNM(append([]string{"-table=false"}, args...)...) }
	if status, out, _ := run1(); status != 0 || strings.Contains(out, "launch type") {
		t.Fatalf("the web sample without -launch-type: exit %d, output:\n%s", status, out)
	}
	for _, c := range []struct {
		args   []string
		status int
		want   []string
	}{
		{[]string{"-launch-type", "FARGATE"}, 1, []string{"network mode bridge, linux, also checked for launch type FARGATE", "Fargate only supports network mode ‘awsvpc’. [fargate-network-mode]"}},
		{[]string{"-launch-type", "fargate"}, 1, []string{"also checked for launch type FARGATE", "[fargate-network-mode]"}},
		{[]string{"-launch-type", "EC2"}, 0, []string{"also checked for launch type EC2", "Validation: no problems."}},
		{[]string{"-launch-type", "managed_instances"}, 1, []string{"[managed-instances-network-mode]"}},
		{[]string{"-launch-type", "EXTERNAL", awsvpc}, 1, []string{"also checked for launch type EXTERNAL", "[external-network-mode]"}},
		{[]string{"-launch-type", "FARGATE", awsvpc}, 0, []string{"Validation: no problems."}},
		{[]string{"-launch-type", "EC2,FARGATE"}, 1, []string{"also checked for launch types EC2 and FARGATE", "[fargate-network-mode]"}},
		{[]string{"-launch-type", "EC2", "-launch-type", "FARGATE"}, 1, []string{"also checked for launch types EC2 and FARGATE"}},
	} {
		status, out, stderr := run1(c.args...)
		if status != c.status {
			t.Errorf("%q: exit %d, want %d; stderr %q", c.args, status, c.status, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: output lacks %q:\n%s", c.args, w, out)
			}
		}
	}

	// The JSON names them too; without the flag, no launchTypes at all
	// (fields are only ever added).
	status, out, errOut := runNM("-format", "json", "-launch-type", "fargate")
	if status != 1 {
		t.Fatalf("-format json -launch-type fargate: exit %d, stderr %q", status, errOut)
	}
	var reports []struct {
		LaunchTypes []string `json:"launchTypes"`
		Problems    []struct{ Code string }
	}
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || strings.Join(reports[0].LaunchTypes, ",") != "FARGATE" || len(reports[0].Problems) != 1 || reports[0].Problems[0].Code != "fargate-network-mode" {
		t.Errorf("-format json -launch-type fargate: %+v", reports)
	}
	if _, out, _ := runNM("-format", "json"); strings.Contains(out, "launchTypes") {
		t.Errorf("-format json without -launch-type names launch types:\n%s", out)
	}

	// Mistakes are usage mistakes, exit 2, naming the flag and what would do.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-launch-type", "lambda"}, `netmodes: -launch-type "lambda": want EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES` + "\n"},
		{[]string{"-launch-type", ""}, "netmodes: empty value for -launch-type: give a value, or leave the flag out (without it, the task definition's own requiresCompatibilities)\n"},
		{[]string{"-launch-type", "EC2,"}, "netmodes: empty value for -launch-type: give a value, or leave the flag out (without it, the task definition's own requiresCompatibilities)\n"},
	} {
		status, out, stderr := run1(c.args...)
		if status != 2 || out != "" || stderr != c.want {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want 2 and %q", c.args, status, stderr, out, c.want)
		}
	}
}

// TestLaunchTypeFargateWithInstance: -instance plans on a registered
// container instance, and Fargate places tasks on none (ECS's container
// instances are EC2 instances and ECS Anywhere's external ones): with
// -launch-type FARGATE alone the plan answered a question the run did not
// ask, exit 0. A launch type that has container instances beside it is
// what the plan is for.
func TestLaunchTypeFargateWithInstance(t *testing.T) {
	td := writeFile(t, "dns.json", dnsTD)
	status, out, stderr := runNM("-table=false", "-instance", instances, "-instance-id", linuxEC2, "-launch-type", "FARGATE", td)
	if status != 2 || out != "" || !strings.Contains(stderr, "-instance does not apply to -launch-type FARGATE") {
		t.Errorf("-instance with -launch-type FARGATE: exit %d, stderr %q, stdout:\n%s\nwant 2 and why", status, stderr, out)
	}
	for _, lt := range []string{"EC2", "FARGATE,EC2", "EXTERNAL", "MANAGED_INSTANCES"} {
		status, _, stderr := runNM("-table=false", "-instance", instances, "-instance-id", linuxEC2, "-launch-type", lt, td)
		if status == 2 {
			t.Errorf("-instance with -launch-type %s: refused: %s", lt, stderr)
		}
	}
}

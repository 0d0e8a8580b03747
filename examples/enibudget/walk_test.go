package main

import (
	"strings"
	"testing"
)

// TestSnapshotTopLevelErrorsArePlaced: a mistake in a member at the
// top of a -snapshot file (takenAt, cluster, describeTasks given as an
// object) came out in encoding/json's words, naming Go's types
// ("Go struct field snapshotFile.describeTasks of type
// []json.RawMessage") or time's layout, and neither line nor member,
// while a mistake one level down names both.
func TestSnapshotTopLevelErrorsArePlaced(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ body, want string }{
		"taken.json": {"{\n  \"cluster\": \"x\",\n  \"takenAt\": \"noon\",\n  \"describeContainerInstances\": []\n}",
			"line 3, column 14: takenAt: "},
		"cluster.json": {"{\n  \"cluster\": 5,\n  \"describeContainerInstances\": []\n}",
			"line 2, column 14: cluster: want a string, got number"},
		"tasks.json": {"{\n  \"cluster\": \"x\",\n  \"describeTasks\": {\"tasks\": []}\n}",
			"line 3, column 20: describeTasks: want an array, got object"},
	} {
		p := writeFile(t, dir, name, c.body)
		code, out, errOut := runExit("-snapshot", p)
		if code != 1 || out != "" || !strings.Contains(errOut, "-snapshot "+p+": "+c.want) ||
			strings.Contains(errOut, "Go struct") || strings.Contains(errOut, "2006-01-02") {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and %q", name, code, errOut, c.want)
		}
	}
}

// TestWhatIfRefusesInvalidTaskDefinition: a task definition that
// ECS refuses to register (awsvpc with hostPort 8080 for containerPort
// 80: "the host ports and container ports in port mappings must match",
// as netmodes says with exit 1) was placed as given: "3 fit, 0 short",
// exit 0, not a word of the mistake.
func TestWhatIfRefusesInvalidTaskDefinition(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "td.json", `{"family": "mine", "networkMode": "awsvpc", "containerDefinitions": [
  {"name": "app", "image": "x", "cpu": 512, "memory": 1024, "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}`)
	code, out, errOut := runExit("-whatif", p, "-count", "3")
	if code != 1 || out != "" || !strings.Contains(errOut, "-whatif "+p+": containerDefinitions[0].portMappings[0].hostPort: ") ||
		!strings.Contains(errOut, "host-port-mismatch") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s\nwant exit 1 naming the file, the field and the problem", code, errOut, out)
	}
	// The embedded sample is valid and still runs.
	if code, _, errOut := runExit("-whatif", "sample"); code != 0 {
		t.Errorf("-whatif sample: exit %d, %s", code, errOut)
	}
}

// TestLimitsFileThatListsNoTypeInQuestion: a -limits file that
// lists none of the types asked about (a typo, the wrong file) was used
// for nothing, exit 0, while the cluster note said "budgets of types not
// read live use FILE" and x99.large stayed "?" for want of the very file
// given; with -instance-type the answer said "(built-in)".
func TestLimitsFileThatListsNoTypeInQuestion(t *testing.T) {
	dir := t.TempDir()
	typo := writeFile(t, dir, "typo.tsv", "instance_type\tmax_enis\tipv4_per_eni\nx99.larg\t4\t10\n")
	for _, args := range [][]string{
		{"-limits", typo},
		{"-limits", typo, "-instance-type", "c5.large"},
		{"-limits", typo, "-whatif", "sample"},
	} {
		code, out, errOut := runExit(args...)
		if code != 1 || out != "" || !strings.Contains(errOut, "-limits "+typo+": lists none of the instance types") ||
			!strings.Contains(errOut, "x99.larg") {
			t.Errorf("%v: exit %d, stderr %q, stdout:\n%s\nwant exit 1, the file and its types named", args, code, errOut, out)
		}
	}
	// A file with one type of the cluster among others is used.
	ok := writeFile(t, dir, "ok.tsv", "instance_type\tmax_enis\tipv4_per_eni\nzz.large\t3\t10\nx99.large\t4\t10\n")
	if code, out, errOut := runExit("-limits", ok); code != 0 || !strings.Contains(out, "x99.large     linux    ACTIVE    -      3") {
		t.Errorf("-limits listing x99.large: exit %d, %s\n%s", code, errOut, out)
	}
	// So is one that lists only a -candidate's type.
	cand := writeFile(t, dir, "cand.tsv", "instance_type\tmax_enis\tipv4_per_eni\nzz.large\t3\t10\n")
	if code, _, errOut := runExit("-limits", cand, "-whatif", "sample", "-candidate", "zz.large:2048:3788"); code != 0 {
		t.Errorf("-limits for a -candidate: exit %d, %s", code, errOut)
	}
}

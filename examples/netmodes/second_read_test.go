package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstanceWindowsNoRuntimePlatform: runtimePlatform is optional
// on EC2, and ECS's own Windows task definitions omit it (see eni's
// modeOf): ECS places such a task on a Windows instance, in default mode
// when networkMode is omitted. -instance refused it there as "for linux".
func TestInstanceWindowsNoRuntimePlatform(t *testing.T) {
	td := writeFile(t, "iis.json", `{"family": "iis", "containerDefinitions": [{"name": "iis", "memory": 512,
  "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}`)
	status, out, stderr := runNM("-format", "json", "-instance", instances, "-instance-id", winEC2, td)
	var reports []report
	if err := json.Unmarshal([]byte(out), &reports); err != nil || status == 2 || len(reports) != 1 {
		t.Fatalf("no runtimePlatform on a windows instance: exit %d, stderr %q, %v", status, stderr, err)
	}
	if r := reports[0]; r.OS != "windows" || r.NetworkMode != "default" || r.Plan.DynamicRange != "49152-65535" ||
		!strings.Contains(strings.Join(r.Plan.Notes, "\n"), "runtimePlatform names no OS family") {
		t.Errorf("want it checked and planned as a windows task in default mode, and said so: %+v", r)
	}
	// A task definition that names Linux is still refused there.
	linux := writeFile(t, "linux.json", `{"family": "web", "runtimePlatform": {"operatingSystemFamily": "LINUX"},
  "containerDefinitions": [{"name": "web", "memory": 64, "portMappings": [{"containerPort": 80}]}]}`)
	if status, _, stderr := runNM("-instance", instances, "-instance-id", winEC2, linux); status != 2 || !strings.Contains(stderr, "task definition web is for linux") {
		t.Errorf("LINUX on a windows instance: exit %d, stderr %q", status, stderr)
	}
}

// TestFailQuotesControlBytes: every other program's final error
// goes through cli.PlainLines (cli.Code); netmodes printed its errors,
// and the file name in its report header, raw (an OSC sequence in a file
// name a glob picked set the terminal's title), while its plan line
// quotes the -instance file's name.
func TestFailQuotesControlBytes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "td\x1b]0;x\a.json")
	if err := os.WriteFile(bad, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	status, _, stderr := runNM(bad)
	if status != 2 || strings.ContainsAny(stderr, "\x1b\a") || !strings.Contains(stderr, `\x1b]0;x\a.json`) {
		t.Errorf("exit %d, stderr %q: want 2 and the name quoted", status, stderr)
	}
	good := filepath.Join(dir, "ok\x1b]0;x\a.json")
	if err := os.WriteFile(good, []byte(dnsTD), 0o600); err != nil {
		t.Fatal(err)
	}
	status, out, stderr := runNM("-table=false", good)
	if status == 2 || strings.ContainsAny(out+stderr, "\x1b\a") {
		t.Errorf("exit %d, output %q: want the name quoted", status, out+stderr)
	}
}

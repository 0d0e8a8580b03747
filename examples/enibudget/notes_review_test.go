package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTableShowsTasksOfUnknownMode: a snapshot put together from
// describe-container-instances and describe-tasks output without the
// describe-task-definition outputs (the task's network mode is only in its
// task definition) has tasks whose mode is unknown. The table has a column
// per known mode only, so those tasks vanished: the sample's bridge, host
// and Windows default tasks all read 0, with no word that 5 tasks were not
// shown (the JSON has them as tasks.unknown).
func TestTableShowsTasksOfUnknownMode(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(sampleSnapshot, &m); err != nil {
		t.Fatal(err)
	}
	m["describeTaskDefinition"] = []any{}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "no-taskdefs.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runOK(t, "-snapshot", path)
	// api01, wrk01, wrk02 (bridge), prx01 (host), iis01 (Windows default):
	// no ENI attachment and no task definition.
	if !strings.Contains(out, "5 tasks") || !strings.Contains(strings.ToLower(out), "unknown") {
		t.Errorf("the table does not account for the 5 tasks of unknown network mode:\n%s", out)
	}
	// The sample with its task definitions has none, and says nothing.
	if full, _ := runOK(t); strings.Contains(strings.ToLower(full), "network mode is unknown") {
		t.Errorf("a note on unknown modes where there are none:\n%s", full)
	}
}

// TestWindowsTrunkingIsNotTheType: ECS supports ENI trunking on
// Linux instances only ([DG] container-instance-eni.md). With -windows the
// table said "trunking off (unsupported for this type)" for m5.large, a
// type that supports trunking (its JSON limits say "supported"): the
// refusal is the OS's, not the type's.
func TestWindowsTrunkingIsNotTheType(t *testing.T) {
	out, _ := runOK(t, "-instance-type", "m5.large", "-windows")
	if strings.Contains(out, "unsupported for this type") {
		t.Errorf("Windows refusal blamed on the type:\n%s", out)
	}
	if !strings.Contains(out, "on Windows") {
		t.Errorf("the trunking line does not say Windows is why:\n%s", out)
	}
	if lin, _ := runOK(t, "-instance-type", "t3.medium"); !strings.Contains(lin, "unsupported for this type") {
		t.Errorf("t3.medium on Linux:\n%s", lin)
	}
}

// TestWhatIfNamesTheOSOfATypeSizedTwice: with a Linux and a Windows
// m5.large in the cluster, the rest is sized on each (eni.TypeNeed.Windows)
// and the two rows must say which is which.
func TestWhatIfNamesTheOSOfATypeSizedTwice(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(sampleSnapshot, &m); err != nil {
		t.Fatal(err)
	}
	out0 := m["describeContainerInstances"].([]any)[0].(map[string]any)
	cis := out0["containerInstances"].([]any)
	var win map[string]any
	for _, c := range cis {
		if strings.HasSuffix(c.(map[string]any)["containerInstanceArn"].(string), "/w5l04") {
			win = c.(map[string]any)
		}
	}
	raw, _ := json.Marshal(win)
	var lin map[string]any
	if err := json.Unmarshal(raw, &lin); err != nil {
		t.Fatal(err)
	}
	lin["containerInstanceArn"] = strings.Replace(lin["containerInstanceArn"].(string), "/w5l04", "/z5l07", 1)
	for _, a := range lin["attributes"].([]any) {
		if a := a.(map[string]any); a["name"] == "ecs.os-type" {
			a["value"] = "linux"
		}
	}
	out0["containerInstances"] = append(cis, lin)
	data, _ := json.Marshal(m)
	path := filepath.Join(t.TempDir(), "mixed.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runOK(t, "-snapshot", path, "-whatif", "sample", "-count", "40", "-mode", "awsvpc")
	if !strings.Contains(out, "m5.large (linux)") || !strings.Contains(out, "m5.large (windows)") {
		t.Errorf("the two m5.large rows are not told apart:\n%s", out)
	}
}

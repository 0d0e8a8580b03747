package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// esc is a terminal escape: it sets the window title, a text that a
// snapshot or limits file may carry in any string.
const esc = "\x1b]0;owned\x07"

// reviewSnapshot is the sample snapshot with edit applied to it, saved.
func reviewSnapshot(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(sampleSnapshot, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func firstInstance(m map[string]any) map[string]any {
	return m["describeContainerInstances"].([]any)[0].(map[string]any)["containerInstances"].([]any)[0].(map[string]any)
}

// TestClusterReportControlBytes: the cluster report printed the
// snapshot's cluster name, container instance ARNs, statuses and the
// Describe calls' failures as written: an escape sequence in any of them
// reached the terminal raw.
func TestClusterReportControlBytes(t *testing.T) {
	path := reviewSnapshot(t, func(m map[string]any) {
		m["cluster"] = "prod" + esc
		ci := firstInstance(m)
		ci["containerInstanceArn"] = ci["containerInstanceArn"].(string) + esc
		ci["status"] = "ACTIVE" + esc
		dci := m["describeContainerInstances"].([]any)[0].(map[string]any)
		dci["failures"] = []any{map[string]any{"arn": "arn" + esc, "reason": "MISSING" + esc, "detail": "d" + esc}}
	})
	out, errOut := runOK(t, "-snapshot", path)
	if strings.ContainsAny(out+errOut, "\x1b\x07") {
		t.Errorf("control bytes from the snapshot reach the terminal raw:\n%q", out)
	}
}

// TestLimitsFileControlBytes: an instance type and hypervisor of a
// -limits file were printed as written, in the budget and the table.
func TestLimitsFileControlBytes(t *testing.T) {
	dir := t.TempDir()
	limits := filepath.Join(dir, "limits.json")
	typ := "x9.large" + esc
	row := `[{"instance_type":` + jsonString(typ) + `,"max_enis":4,"ipv4_per_eni":15,"hypervisor":` + jsonString("nitro"+esc) + `}]`
	if err := os.WriteFile(limits, []byte(row), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut := runOK(t, "-limits", limits, "-instance-type", typ)
	if strings.ContainsAny(out+errOut, "\x1b\x07") {
		t.Errorf("-instance-type with a -limits file: control bytes reach the terminal raw:\n%q", out)
	}
	snap := reviewSnapshot(t, func(m map[string]any) {
		for _, a := range firstInstance(m)["attributes"].([]any) {
			if a := a.(map[string]any); a["name"] == "ecs.instance-type" {
				a["value"] = typ
			}
		}
	})
	out, errOut = runOK(t, "-limits", limits, "-snapshot", snap)
	if strings.ContainsAny(out+errOut, "\x1b\x07") {
		t.Errorf("-snapshot with a -limits file: control bytes reach the terminal raw:\n%q", out)
	}
	out, errOut = runOK(t, "-limits", limits, "-snapshot", snap, "-whatif", "sample")
	if strings.ContainsAny(out+errOut, "\x1b\x07") {
		t.Errorf("-whatif: control bytes reach the terminal raw:\n%q", out)
	}
}

// TestWhatIfFamilyControlBytes: the what-if's heading names the
// task definition's family as the -whatif file wrote it.
func TestWhatIfFamilyControlBytes(t *testing.T) {
	var td map[string]any
	if err := json.Unmarshal(sampleTaskDef, &td); err != nil {
		t.Fatal(err)
	}
	if inner, ok := td["taskDefinition"].(map[string]any); ok {
		td = inner
	}
	td["family"] = "web" + esc
	raw, _ := json.Marshal(td)
	path := filepath.Join(t.TempDir(), "td.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut := runOK(t, "-whatif", path)
	if strings.ContainsAny(out+errOut, "\x1b\x07") {
		t.Errorf("control bytes of the family reach the terminal raw:\n%q", out)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestModeRefusalClusterName: -mode refusing the mode a task
// definition already has named the snapshot's cluster as written.
func TestModeRefusalClusterName(t *testing.T) {
	var td map[string]any
	if err := json.Unmarshal(sampleTaskDef, &td); err != nil {
		t.Fatal(err)
	}
	if inner, ok := td["taskDefinition"].(map[string]any); ok {
		td = inner
	}
	delete(td, "networkMode")
	raw, _ := json.Marshal(td)
	path := filepath.Join(t.TempDir(), "td.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	snap := reviewSnapshot(t, func(m map[string]any) {
		m["cluster"] = "prod" + esc
		// No Windows instance: the refusal names the cluster.
		var keep []any
		for _, ci := range m["describeContainerInstances"].([]any)[0].(map[string]any)["containerInstances"].([]any) {
			if !strings.Contains(ci.(map[string]any)["containerInstanceArn"].(string), "w5l04") {
				keep = append(keep, ci)
			}
		}
		m["describeContainerInstances"].([]any)[0].(map[string]any)["containerInstances"] = keep
	})
	code, out, errOut := runExit("-snapshot", snap, "-whatif", path, "-mode", "bridge")
	if code == 0 || !strings.Contains(errOut, "already in network mode") {
		t.Fatalf("exit %d, want the refusal:\n%s%s", code, out, errOut)
	}
	if strings.ContainsAny(errOut, "\x1b\x07") {
		t.Errorf("control bytes of the cluster name reach the terminal raw:\n%q", errOut)
	}
}

// sparse makes a file of size bytes that takes no room (zeros).
func sparse(t *testing.T, name string, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// allocated is how many bytes run allocates over args, and its error.
func allocated(args ...string) (uint64, string) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, errOut := runExit(args...)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, errOut
}

// TestFilesReadWithinBounds: -limits, -whatif and -snapshot were
// read whole with os.ReadFile before the library's bound (16 MiB for
// eni.ParseLimitsJSON and netmode.Read, 1 GiB for eni.ReadSnapshot)
// applied, so a file past it was held in memory whole (twice for the
// snapshot) before being refused, and a task definition was not refused
// at all (netmode.Load has no bound): a 17 MiB file read as 17 MiB of
// JSON to fail. A file past the bound is refused, naming it and the
// bound, without being read.
func TestFilesReadWithinBounds(t *testing.T) {
	// The bounds lowered to 1 MiB, so that a file over them is small: read
	// past them, it shows as much allocated.
	defer func(l, td, s int64) { maxLimitsBytes, maxTaskDefBytes, maxSnapshotBytes = l, td, s }(maxLimitsBytes, maxTaskDefBytes, maxSnapshotBytes)
	const bound = 1 << 20
	maxLimitsBytes, maxTaskDefBytes, maxSnapshotBytes = bound, bound, bound
	for _, c := range []struct {
		flag, name string
		args       []string
	}{
		{"-limits", "limits.json", []string{"-instance-type", "m5.large"}},
		{"-limits", "limits.tsv", []string{"-instance-type", "m5.large"}},
		{"-whatif", "td.json", nil},
		{"-snapshot", "snap.json", nil},
	} {
		path := sparse(t, c.name, 4*bound)
		n, errOut := allocated(append([]string{c.flag, path}, c.args...)...)
		if n > bound/2 {
			t.Errorf("%s %s of %d bytes: %d bytes allocated to refuse it: the file was read past the bound %d", c.flag, c.name, 4*bound, n, bound)
		}
		if want := fmt.Sprintf("%s %s: larger than %d bytes", c.flag, path, bound); !strings.Contains(errOut, want) {
			t.Errorf("%s %s: want %q in:\n%s", c.flag, c.name, want, errOut)
		}
	}
}

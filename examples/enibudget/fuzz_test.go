package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCandidate: a -candidate spec reads as a candidate whose own spec
// reads back the same, or is refused with a message; never a panic.
func FuzzCandidate(f *testing.F) {
	for _, s := range []string{
		"m6i.large:2048:7680", "m6i.large:2048:8GB", "m5.4xlarge:16384:63000:windows:trunking", ":1:1",
		"a:b", "a:0:1", "a:1:-1", "a:1:1:linux", "  ", "m6i.large:+2048:07680", "a:1:1:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var c candidateList
		if err := c.Set(v); err != nil {
			if err.Error() == "" || len(c.list) != 0 {
				t.Fatalf("Set(%q) = %+v, %v", v, c, err)
			}
			return
		}
		if c.empty {
			if len(c.list) != 0 || strings.TrimSpace(v) != "" {
				t.Fatalf("Set(%q) = %+v: empty and not", v, c)
			}
			return
		}
		if len(c.list) != 1 || len(c.specs) != 1 || c.specs[0] != v {
			t.Fatalf("Set(%q) = %+v", v, c)
		}
		got := c.list[0]
		if got.CPU <= 0 || got.Memory <= 0 {
			t.Fatalf("Set(%q) = %+v: not positive", v, got)
		}
		spec := fmt.Sprintf("%s:%d:%d", got.InstanceType, got.CPU, got.Memory)
		if got.Windows {
			spec += ":windows"
		}
		if got.Trunking {
			spec += ":trunking"
		}
		var again candidateList
		if err := again.Set(spec); err != nil || len(again.list) != 1 || again.list[0] != got {
			t.Fatalf("Set(%q) = %+v; of %q: %+v, %v", v, got, spec, again.list, err)
		}
	})
}

// FuzzWhatIfInputs: the files enibudget reads (a -whatif task
// definition, a -limits table in either form, a -snapshot) and a
// -candidate, whatever they hold, give a report or an error with a
// message; never a panic.
func FuzzWhatIfInputs(f *testing.F) {
	td, err := os.ReadFile("sample-taskdef.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(td, []byte("instance_type\tmax_enis\tipv4_per_eni\nm6i.large\t3\t10\n"), false, []byte(""), "m6i.large:2048:7680", "")
	f.Add(td, []byte(`[{"instance_type":"m6i.large","max_enis":3,"ipv4_per_eni":10}]`), true, []byte(""), "", "awsvpc")
	f.Add([]byte(`{"family":"f","networkMode":"awsvpc","cpu":"1 vCPU","memory":"2 GB","containerDefinitions":[{"name":"a","memory":1}],`+
		`"placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.instance-type =~ m6i.*"}]}`), []byte(""), false, []byte(""), "", "")
	f.Add([]byte(`{"family":"f","cpu":"0.25 vcpu","memory":"1e400 gb","containerDefinitions":[{"name":"a","memory":1}],`+
		`"placementConstraints":[{"type":"memberOf","expression":"attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and not(task:group == x)"}]}`), []byte(""), false, []byte(""), "", "host")
	f.Add(td, []byte(""), false, []byte(`{"format":"ecsnet/eni-snapshot/v1","describeContainerInstances":[{"containerInstances":[{"ec2InstanceId":"i-1"}]}]}`), "", "")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, taskDef, limits []byte, limitsJSON bool, snapshot []byte, candidate, mode string) {
		tdPath := filepath.Join(dir, "td.json")
		if err := os.WriteFile(tdPath, taskDef, 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{"-whatif", tdPath, "-json"}
		if len(limits) > 0 {
			name := filepath.Join(dir, "limits.tsv")
			if limitsJSON {
				name = filepath.Join(dir, "limits.json")
			}
			if err := os.WriteFile(name, limits, 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, "-limits", name)
		}
		if len(snapshot) > 0 {
			name := filepath.Join(dir, "snapshot.json")
			if err := os.WriteFile(name, snapshot, 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, "-snapshot", name)
		}
		if candidate != "" {
			args = append(args, "-candidate", candidate)
		}
		if mode != "" {
			args = append(args, "-mode", mode)
		}
		err := run(context.Background(), args, io.Discard, io.Discard)
		if err != nil && err.Error() == "" {
			t.Fatalf("run(%q): an error with no message", args)
		}
	})
}

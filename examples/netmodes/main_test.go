package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hostTD := write("host.json", `{"family": "dns", "networkMode": "host",
	  "containerDefinitions": [{"name": "coredns", "portMappings": [{"containerPort": 53, "protocol": "udp"}]}]}`)
	emptyTD := write("empty.json", `{"tasks": []}`)
	badJSON := write("bad.json", `{"family": "dns", "networkMode": "hots"}`)

	tests := []struct {
		name   string
		args   []string
		status int
		want   []string // substrings of stdout+stderr
	}{
		{"default sample is valid", nil, 0, []string{"ECS network modes", "flow-log attribution", "web:12", "no problems", "copies that fit: 1283", "dynamic-port-range"}},
		{"broken sample", []string{"-table=false", "-sample", "broken"}, 1, []string{"7 errors, 2 warnings", "Fargate only supports network mode ‘awsvpc’.", "TCP host port '8080' is mapped multiple times in task.", "copies that fit: 0", "reserved-port"}},
		{"unknown sample", []string{"-sample", "nope"}, 2, []string{`no embedded sample "nope" (have broken, web)`}},
		{"file", []string{"-table=false", hostTD}, 0, []string{"dns (" + hostTD, "static   53/udp", "copies that fit: 1", "static-host-port", "TCP and UDP host ports are counted separately"}},
		{"port in use", []string{"-table=false", "-in-use", "8080, 53/udp", hostTD}, 0, []string{"copies that fit: 0", "already in use"}},
		// '[]' keeps the agent's default list: the agent treats an empty
		// ECS_RESERVED_PORTS as unset (netmode.ParseReservedPorts). This case
		// wanted "reserved ports []" while '[]' was taken to mean none.
		{"custom agent settings", []string{"-table=false", "-reserved", "[]", "-dynamic-range", "40000-40009"}, 0, []string{"reserved ports [22 2375 2376 51678 51679], dynamic range 40000-40009, 5 of 100", "copies that fit: 0"}},
		{"custom reserved list", []string{"-table=false", "-reserved", "[8080]", "-dynamic-range", "40000-40009"}, 0, []string{"reserved ports [8080], dynamic range 40000-40009, 1 of 100", "copies that fit: 0"}},
		{"bad file", []string{badJSON}, 2, []string{"bad.json: line 1, column 34: networkMode: unknown network mode \"hots\""}},
		{"missing file", []string{filepath.Join(dir, "none.json")}, 2, []string{"no such file"}},
		{"bad flag", []string{"-dynamic-range", "9-1"}, 2, []string{"dynamic host port range"}},
		{"bad in-use", []string{"-in-use", "http"}, 2, []string{"want PORT or PORT/udp"}},
		{"two files", []string{"-table=false", hostTD, hostTD}, 0, []string{"dns (" + hostTD + "), network mode host", "\n\nTask definition dns (" + hostTD}},
		{"one bad of two", []string{hostTD, badJSON}, 2, []string{"netmodes: " + badJSON}},
		{"parses but holds no task definition", []string{emptyTD}, 2, []string{"netmodes: " + emptyTD + ": no containerDefinitions"}},
		{"help", []string{"-h"}, 0, []string{"Usage: netmodes", "Exit status"}},
		{"sample with a file", []string{"-sample", "broken", hostTD}, 2, []string{"-sample applies when no file is given"}},
		{"table with json", []string{"-format", "json", "-table=false"}, 2, []string{"-table applies to -format table only"}},
		{"bad format", []string{"-format", "csv"}, 2, []string{`-format "csv": want table or json`}},
		{"empty file name", []string{""}, 2, []string{"netmodes: argument 1 is an empty file name"}},
		{"empty file name after a file", []string{hostTD, ""}, 2, []string{"netmodes: argument 2 is an empty file name"}},
		{"bad range names the flag", []string{"-dynamic-range", "50000-40000"}, 2, []string{`netmodes: -dynamic-range: dynamic host port range "50000-40000"`}},
		{"bad reserved names the flag", []string{"-reserved", "[22,"}, 2, []string{`netmodes: -reserved: reserved ports "[22,"`}},
		{"bad reserved-udp names the flag", []string{"-reserved-udp", "x"}, 2, []string{`netmodes: -reserved-udp: reserved ports "x"`}},
		{"empty reserved", []string{"-reserved", ""}, 2, []string{`netmodes: empty value for -reserved: give a value, or leave the flag out (without it, the agent's default)`}},
		// White space is empty too, as in the other programs (cli.EmptyFlags).
		{"blank dynamic range", []string{"-dynamic-range", " "}, 2, []string{`netmodes: empty value for -dynamic-range: give a value`}},
		{"empty dynamic range", []string{"-dynamic-range", ""}, 2, []string{`netmodes: empty value for -dynamic-range: give a value`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			status := run(tt.args, &out, &out)
			if status != tt.status {
				t.Errorf("status %d, want %d\n%s", status, tt.status, out.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if status := run([]string{"-format", "json", "-sample", "broken"}, &out, &errOut); status != 1 {
		t.Fatalf("status %d: %s", status, errOut.String())
	}
	var got []report
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Errors != 7 || got[0].Warnings != 2 || len(got[0].Problems) != 9 || got[0].Plan.Copies != 0 ||
		got[0].File != "embedded samples/broken.json" || got[0].Problems[0].Code == "" {
		t.Errorf("%s", out.String())
	}
	out.Reset()
	if status := run([]string{"-format", "json"}, &out, &errOut); status != 0 {
		t.Fatalf("status %d: %s", status, errOut.String())
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != 1 || got[0].Plan.Copies != 1283 || len(got[0].Problems) != 0 || got[0].Plan.DynamicRange == "" {
		t.Errorf("%v %s", err, out.String())
	}
}

// -reserved '[]' keeps the agent's default list, as ECS_RESERVED_PORTS=[]
// does (config.Merge fills every field utils.ZeroOrNil reports as zero, and
// ZeroOrNil is true for an empty slice). A bridge task publishing host port
// 22 can't be placed on such an instance.
func TestReservedEmptyArrayKeepsDefaults(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ssh.json")
	td := `{"family": "ssh", "networkMode": "bridge",
	  "containerDefinitions": [{"name": "sshd", "portMappings": [{"containerPort": 22, "hostPort": 22}]}]}`
	if err := os.WriteFile(p, []byte(td), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	status := run([]string{"-table=false", "-reserved", "[]", p}, &out, &errb)
	got := out.String() + errb.String()
	if status != 1 || !strings.Contains(got, "reserved-host-port") || !strings.Contains(got, "copies that fit: 0") {
		t.Errorf("status %d, want 1 with reserved-host-port and 0 copies:\n%s", status, got)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden pins the first run's output (the mode table and the valid
// sample) and the broken sample's report, as text and JSON.
func TestGolden(t *testing.T) {
	for name, args := range map[string][]string{
		"default.golden":     nil,
		"broken.golden":      {"-table=false", "-sample", "broken"},
		"broken.json.golden": {"-format", "json", "-sample", "broken"},
	} {
		var out, errOut bytes.Buffer
		run(args, &out, &errOut)
		golden := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if out.String() != string(want) || errOut.Len() > 0 {
			t.Errorf("%q differs from %s (go test ./examples/netmodes -update to accept):\n%s\nstderr %s", args, golden, out.String(), errOut.String())
		}
	}
}

// TestEmptyFileSaysSo: enibudget says "-whatif F: the file is empty" for
// an empty task definition file; netmodes said "F:1:1: unexpected end of
// JSON", which reads as a syntax error at a place in the file. White
// space, after a byte order mark or not, is empty too.
func TestEmptyFileSaysSo(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"td.json": "", "blank.json": " \n\t\n", "bom.json": "\ufeff\n"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		status := run([]string{p}, &out, &errOut)
		want := "netmodes: " + p + ": the file is empty (want describe-task-definition output"
		if status != 2 || out.Len() > 0 || !strings.HasPrefix(errOut.String(), want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", name, status, errOut.String(), want)
		}
	}
}

// TestQuietAccepted: every program takes -q (no progress or info lines,
// problems still shown), so that a script can pass it to any of them;
// netmodes prints no such lines, so the output is the same.
func TestQuietAccepted(t *testing.T) {
	var want, got, errOut bytes.Buffer
	if status := run([]string{"-sample", "broken"}, &want, &want); status != 1 {
		t.Fatalf("exit %d", status)
	}
	if status := run([]string{"-q", "-sample", "broken"}, &got, &errOut); status != 1 || got.String() != want.String() || errOut.Len() > 0 {
		t.Errorf("-q: exit %d, stderr %q, stdout differs: %v", status, errOut.String(), got.String() != want.String())
	}
}

// TestFlagAfterFile: a flag after the file name ("netmodes td.json
// -format json", as the other programs take it) is a flag. It was taken
// for two more file names: "netmodes: -format: open: no such file".
func TestFlagAfterFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "web.json")
	if err := os.WriteFile(p, []byte(`{"family": "web", "networkMode": "bridge",
	  "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 80}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	status := run([]string{p, "-format", "json"}, &out, &errOut)
	var reports []report
	honoured := status == 0 && json.Unmarshal(out.Bytes(), &reports) == nil && len(reports) == 1
	if !honoured {
		t.Errorf("netmodes %s -format json: exit %d, stderr %q; want the flag honoured (JSON on stdout)", p, status, errOut.String())
	}
}

// TestProblemCountSingular: one problem is "1 error", not "1 errors".
func TestProblemCountSingular(t *testing.T) {
	p := filepath.Join(t.TempDir(), "one.json")
	if err := os.WriteFile(p, []byte(`{"family": "one", "networkMode": "awsvpc",
	  "containerDefinitions": [{"name": "a", "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if status := run([]string{"-table=false", p}, &out, &out); status != 1 {
		t.Fatalf("exit %d:\n%s", status, out.String())
	}
	if !strings.Contains(out.String(), "Validation: 1 error, 0 warnings") {
		t.Errorf("want \"Validation: 1 error, 0 warnings\", got:\n%s", out.String())
	}
}

// TestDoubleDashFileNamedLikeAFlag: "netmodes -- -web.json" reads the file
// "-web.json", as it did before flags could follow files (cli.ParseAll
// once dropped the "--" and took the name for an unknown flag).
func TestDoubleDashFileNamedLikeAFlag(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("-web.json", []byte(`{"family": "web", "networkMode": "bridge",
	  "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 80}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if status := run([]string{"-table=false", "--", "-web.json"}, &out, &errOut); status != 0 {
		t.Errorf("netmodes -table=false -- -web.json: exit %d, stderr %q; want the file read (exit 0)", status, errOut.String())
	}
}

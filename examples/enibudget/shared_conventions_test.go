package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFormatAnyCase: attribute takes -format JSON as json (the
// library's report.ParseFormat ignores case); enibudget refused it: one
// flag, two syntaxes, for a user moving from one program to the next.
func TestFormatAnyCase(t *testing.T) {
	_, want, _ := runExit("-format", "json")
	if code, out, stderr := runExit("-format", "JSON"); code != 0 || out != want {
		t.Errorf("-format JSON: exit %d, stderr %q; want 0 and -format json's output", code, stderr)
	}
	if code, _, stderr := runExit("-format", "Table", "-json"); code != 1 || !strings.Contains(stderr, "-json and -format table disagree") {
		t.Errorf("-format Table -json: exit %d, stderr %q; want 1, disagreeing", code, stderr)
	}
	if code, _, stderr := runExit("-format", "yaml"); code != 1 || stderr != "enibudget: -format \"yaml\": want table or json\n" {
		t.Errorf("-format yaml: exit %d, stderr %q; want 1 and the formats", code, stderr)
	}
}

// TestWhatIfFormsAsNetmodes: -whatif reads a task definition file
// as netmodes does (netmode.Load: describe-task-definition output, its
// taskDefinition, or a register-task-definition --cli-input-json file),
// and netmodes says so; enibudget's usage and errors named only the
// describe-task-definition output, so the --cli-input-json file a user
// just checked with netmodes looked unwelcome here.
func TestWhatIfFormsAsNetmodes(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "input.json")
	if err := os.WriteFile(input, []byte(`{"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "a", "memory": 256}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runExit("-whatif", input); code != 0 {
		t.Fatalf("-whatif a --cli-input-json file: exit %d, stderr %q", code, stderr)
	}
	const forms = "describe-task-definition output, its taskDefinition, or a register-task-definition --cli-input-json file"
	empty := filepath.Join(dir, "empty.json")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runExit("-whatif", empty); code != 1 || !strings.Contains(stderr, forms) {
		t.Errorf("-whatif an empty file: exit %d, stderr %q; want 1 and the forms netmodes names (%s)", code, stderr, forms)
	}
	if _, _, stderr := runExit("-h"); !strings.Contains(stderr, "--cli-input-json") {
		t.Errorf("-h does not say -whatif takes a --cli-input-json file:\n%s", stderr)
	}
}

// TestUnexpectedArgumentAsOthers: attribute, cwlogs and record say
// `unexpected argument "x"`; enibudget said `unexpected arguments ["x"]`.
func TestUnexpectedArgumentAsOthers(t *testing.T) {
	if code, _, stderr := runExit("x", "y"); code != 1 || stderr != "enibudget: unexpected argument \"x\"\n" {
		t.Errorf("x y: exit %d, stderr %q; want 1 and `unexpected argument \"x\"`", code, stderr)
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInUseRepeated: every other list flag of the programs
// (attribute's -flowlogs, -tasks and -network, cwlogs' -eni) is
// "comma-separated, or repeated"; -in-use repeated kept only its last
// value, silently: "-in-use 8080 -in-use 9090" planned for an instance
// with 8080 free, one copy fitting, exit 0.
func TestInUseRepeated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "static.json")
	td := `{"family": "web", "networkMode": "bridge", "containerDefinitions": [{"name": "a", "memory": 256, "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}`
	if err := os.WriteFile(path, []byte(td), 0o600); err != nil {
		t.Fatal(err)
	}
	plan := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		status := run(append([]string{"-table=false"}, append(args, path)...), &out, &errOut)
		return status, out.String(), errOut.String()
	}
	_, want, _ := plan("-in-use", "8080,9090")
	if !strings.Contains(want, "copies that fit: 0") {
		t.Fatalf("-in-use 8080,9090: want no copy to fit:\n%s", want)
	}
	for _, args := range [][]string{{"-in-use", "8080", "-in-use", "9090"}, {"-in-use", "9090", "-in-use", "8080"}} {
		if status, out, stderr := plan(args...); status != 0 || out != want {
			t.Errorf("%q: exit %d, stderr %q, output:\n%s\nwant the plan of -in-use 8080,9090:\n%s", args, status, stderr, out, want)
		}
	}
	// A repeat that names nothing is an empty item, as in "8080,".
	if status, _, stderr := plan("-in-use", "8080", "-in-use", ""); status != 2 || !strings.Contains(stderr, "empty item") {
		t.Errorf(`-in-use 8080 -in-use "": exit %d, stderr %q; want 2 and the empty item named`, status, stderr)
	}
	// The usage says so, in the words of the other list flags.
	var out, errOut bytes.Buffer
	run([]string{"-h"}, &out, &errOut)
	if !strings.Contains(errOut.String(), "comma-separated, or repeated") {
		t.Errorf("-h does not say -in-use may be repeated:\n%s", errOut.String())
	}
}

// TestFormatAnyCase: attribute takes -format JSON (and CSV,
// Table) as json; netmodes refused it, exit 2: one flag, two syntaxes.
func TestFormatAnyCase(t *testing.T) {
	var want, out, errOut bytes.Buffer
	if status := run([]string{"-format", "json"}, &want, &errOut); status != 0 {
		t.Fatalf("-format json: exit %d, stderr %q", status, errOut.String())
	}
	if status := run([]string{"-format", "JSON"}, &out, &errOut); status != 0 || out.String() != want.String() {
		t.Errorf("-format JSON: exit %d, stderr %q; want 0 and -format json's output", status, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if status := run([]string{"-format", "yaml"}, &out, &errOut); status != 2 || !strings.Contains(errOut.String(), `netmodes: -format "yaml": want table or json`) {
		t.Errorf("-format yaml: exit %d, stderr %q; want 2 and the formats", status, errOut.String())
	}
}

// TestLoadErrorPlaceAsWhatIf: one malformed task definition file,
// read by the same loader (netmode.Load), was placed two ways:
// "F:3:53: containerDefinitions[0].memory: …" here, "-whatif F: line 3,
// column 53: containerDefinitions[0].memory: …" in enibudget, whose form
// every other JSON input of the programs has (attribute's -network and
// -prices, cwlogs' -cursor).
func TestLoadErrorPlaceAsWhatIf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typ.json")
	td := "{\n  \"family\": \"x\",\n  \"containerDefinitions\": [ {\"name\": \"a\", \"memory\": \"lots\"} ]\n}\n"
	if err := os.WriteFile(path, []byte(td), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	status := run([]string{path}, &out, &errOut)
	want := "netmodes: " + path + ": line 3, column 53: containerDefinitions[0].memory: want an integer, got string \"lots\"\n"
	if status != 2 || errOut.String() != want {
		t.Errorf("exit %d, stderr %q; want 2 and %q", status, errOut.String(), want)
	}
	// An open error names the file once, as before.
	errOut.Reset()
	missing := filepath.Join(filepath.Dir(path), "none.json")
	if status := run([]string{missing}, &out, &errOut); status != 2 || errOut.String() != "netmodes: "+missing+": open: no such file or directory\n" {
		t.Errorf("missing file: exit %d, stderr %q", status, errOut.String())
	}
}

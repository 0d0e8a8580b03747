package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstanceFlagsOnAWSVPCOnly: -in-use, -reserved, -reserved-udp
// and -dynamic-range describe the instance's host ports, which awsvpc
// tasks do not take ("one copy takes no host ports"): given with only
// awsvpc task definitions they changed nothing but the echo of the
// instance line, and the run exited 0 as if they had been checked. A
// flag that does not apply is exit 2, as -sample with a file is.
func TestInstanceFlagsOnAWSVPCOnly(t *testing.T) {
	dir := t.TempDir()
	awsvpc := filepath.Join(dir, "awsvpc.json")
	if err := os.WriteFile(awsvpc, []byte(`{"family": "a", "networkMode": "awsvpc",
  "containerDefinitions": [{"name": "app", "memory": 256, "portMappings": [{"containerPort": 22}, {"containerPort": 40000}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	host := filepath.Join(dir, "host.json")
	if err := os.WriteFile(host, []byte(`{"family": "dns", "networkMode": "host",
  "containerDefinitions": [{"name": "coredns", "memory": 64, "portMappings": [{"containerPort": 53, "protocol": "udp"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, flags := range [][]string{
		{"-in-use", "22"},
		{"-reserved", "[40000]"},
		{"-reserved-udp", "[53]"},
		{"-dynamic-range", "40000-40010"},
	} {
		var out, errOut bytes.Buffer
		status := run(append(append([]string{"-table=false"}, flags...), awsvpc), &out, &errOut)
		if status != 2 || out.Len() > 0 || !strings.Contains(errOut.String(), "netmodes: "+flags[0]+" does not apply") {
			t.Errorf("%v on an awsvpc task definition: exit %d, stderr %q, stdout:\n%s\nwant 2 and the flag named", flags, status, errOut.String(), out.String())
		}
		// Beside a task definition that takes host ports, it applies.
		out.Reset()
		errOut.Reset()
		if status := run(append(append([]string{"-table=false"}, flags...), awsvpc, host), &out, &errOut); status == 2 {
			t.Errorf("%v with a host-mode file too: exit 2, %s", flags, errOut.String())
		}
	}
}

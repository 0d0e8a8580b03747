package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTooManyStaticPortsExitsNonZero: a bridge task whose one copy
// needs 96 static host ports can be placed on no instance with the agent's
// 5 default reserved ports ([API] PortMapping.hostPort, 100 reserved ports
// per instance including the defaults). netmodes printed "copies that fit:
// 0" and exited 0, as for a valid task definition.
func TestTooManyStaticPortsExitsNonZero(t *testing.T) {
	var ms []string
	for p := 1000; p < 1096; p++ {
		ms = append(ms, fmt.Sprintf(`{"containerPort": %d, "hostPort": %d}`, p, p))
	}
	path := filepath.Join(t.TempDir(), "many.json")
	data := `{"family": "many", "networkMode": "bridge", "containerDefinitions": [{"name": "a", "portMappings": [` + strings.Join(ms, ",") + `]}]}`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	status := run([]string{"-table=false", path}, &out, &errOut)
	if status != 1 || !strings.Contains(out.String(), "too-many-host-ports") || !strings.Contains(out.String(), "copies that fit: 0") {
		t.Errorf("exit %d, want 1 with the problem named:\n%s%s", status, out.String(), errOut.String())
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/netmode"
)

// FuzzHostFlags: -reserved, -reserved-udp, -dynamic-range and -in-use,
// whatever they hold, describe an instance or are refused with a message
// naming the flag; every port of -in-use is kept, none dropped or added.
func FuzzHostFlags(f *testing.F) {
	f.Add("[22, 2375]", "[]", "40000-49999", "8080,8125/udp")
	f.Add("", "null", "", "8080 53/udp, 9000")
	f.Add("[65536]", "", "0-10", "$A,8080")
	f.Add("[22]", "[1]", "100-200-300", "8080/sctp")
	f.Add("", "", " 100 ", ",")
	f.Fuzz(func(t *testing.T, reserved, reservedUDP, dynamic, inUse string) {
		for _, os := range []netmode.OSFamily{netmode.Linux, netmode.Windows} {
			h, err := hostFromFlags(os, reserved, reservedUDP, dynamic, inUse)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "-") {
					t.Fatalf("hostFromFlags(%q, %q, %q, %q): error %q names no flag", reserved, reservedUDP, dynamic, inUse, err)
				}
				continue
			}
			m := 0 // the items: comma-separated, each split at white space
			if inUse != "" {
				for _, part := range strings.Split(inUse, ",") {
					m += len(strings.Fields(part))
				}
			}
			if m != len(h.InUseTCP)+len(h.InUseUDP) {
				t.Fatalf("-in-use %q: %d items, %d ports", inUse, m, len(h.InUseTCP)+len(h.InUseUDP))
			}
			for _, p := range append(append([]uint16{}, h.InUseTCP...), h.InUseUDP...) {
				if p == 0 {
					t.Fatalf("-in-use %q: port 0", inUse)
				}
			}
		}
	})
}

// FuzzRun: a task definition file and an -instance file, whatever they
// hold, with the flags that read text (-launch-type, -instance-id), give
// a report (exit 0 or 1) or a message on stderr (exit 1 or 2); never a
// panic.
func FuzzRun(f *testing.F) {
	web, err := os.ReadFile("samples/web.json")
	if err != nil {
		f.Fatal(err)
	}
	broken, _ := os.ReadFile("samples/broken.json")
	inst, err := os.ReadFile("testdata/describe-container-instances.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(web, []byte(nil), "", "", false)
	f.Add(broken, []byte(nil), "ec2,FARGATE", "", true)
	f.Add(web, inst, "", "", false)
	f.Add(web, inst, "external", "i-0abc", true)
	f.Add(web, []byte(`{"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/c/1","registeredResources":[{"name":"PORTS","type":"STRINGSET","stringSetValue":["22","x","70000"]}]}`), "", "", false)
	f.Add(web, []byte(`[{"ec2InstanceId":"i-1","remainingResources":[{"name":"PORTS_UDP","type":"STRINGSET","stringSetValue":["-1"]}]}]`), "", "", true)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, taskDef, instance []byte, launch, pick string, json bool) {
		td := filepath.Join(dir, "td.json")
		if err := os.WriteFile(td, taskDef, 0o600); err != nil {
			t.Fatal(err)
		}
		args := []string{td}
		if len(instance) > 0 {
			in := filepath.Join(dir, "instance.json")
			if err := os.WriteFile(in, instance, 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, "-instance", in)
			if pick != "" {
				args = append(args, "-instance-id", pick)
			}
		}
		if launch != "" {
			args = append(args, "-launch-type", launch)
		}
		if json {
			args = append(args, "-format", "json")
		}
		var stdout, stderr bytes.Buffer
		code := run(args, &stdout, &stderr)
		switch {
		case code < 0 || code > 2:
			t.Fatalf("run(%q) = %d", args, code)
		case code == 2 && stderr.Len() == 0:
			t.Fatalf("run(%q) = 2 and nothing said", args)
		case code != 2 && stdout.Len() == 0 && stderr.Len() == 0:
			t.Fatalf("run(%q) = %d, no report and nothing said", args, code)
		}
	})
}

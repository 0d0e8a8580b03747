package netmode

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestLoadFile(t *testing.T) {
	tests := []struct {
		file       string
		family     string
		mode       Mode
		containers int
		check      func(t *testing.T, td *types.TaskDefinition)
	}{
		{"describe-bridge.json", "web", ModeBridge, 2, func(t *testing.T, td *types.TaskDefinition) {
			if td.Revision != 7 || td.RegisteredAt == nil || td.RegisteredAt.UTC().Format("15:04:05") != "08:26:53" {
				t.Errorf("revision/registeredAt: %d %v", td.Revision, td.RegisteredAt)
			}
			if pm := td.ContainerDefinitions[1].PortMappings[0]; *pm.HostPort != 8125 || pm.Protocol != types.TransportProtocolUdp {
				t.Errorf("statsd mapping %+v", pm)
			}
		}},
		{"taskdef-awsvpc.json", "api", ModeAWSVPC, 1, func(t *testing.T, td *types.TaskDefinition) {
			if pm := td.ContainerDefinitions[0].PortMappings[0]; *pm.Name != "api-http" || pm.AppProtocol != types.ApplicationProtocolHttp {
				t.Errorf("mapping %+v", pm)
			}
			if td.RegisteredAt == nil || td.RegisteredAt.Unix() != 1741940813 {
				t.Errorf("registeredAt %v", td.RegisteredAt)
			}
		}},
		{"register-input.json", "dns", ModeHost, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			td, err := LoadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			m, _ := ModeOf(td)
			if *td.Family != tt.family || m != tt.mode || len(td.ContainerDefinitions) != tt.containers {
				t.Fatalf("got family %q mode %v %d containers", *td.Family, m, len(td.ContainerDefinitions))
			}
			if tt.check != nil {
				tt.check(t, td)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		file, data string // data is used when file is ""
		want       string // the whole Error()
		path       string
		line       int
	}{
		{file: "bad-syntax.json", want: "netmode: testdata/bad-syntax.json:5:", line: 5},
		{file: "bad-type.json", want: "netmode: testdata/bad-type.json:6:", path: "taskDefinition.containerDefinitions[1].portMappings[0].hostPort", line: 6},
		{file: "bad-mode.json", want: "netmode: testdata/bad-mode.json:4:24: taskDefinition.networkMode: unknown network mode \"AWSVPC\"", path: "taskDefinition.networkMode", line: 4},
		{file: "missing.json", want: "netmode: testdata/missing.json: open: no such file or directory"},
		{data: `[]`, want: "netmode: inline:1:1: want an object"},
		{data: ``, want: "netmode: inline:"},
		{data: `{"taskDefinition": null}`, want: "netmode: inline:1:20: taskDefinition: taskDefinition is null", path: "taskDefinition", line: 1},
		{data: `{"networkMode": "nat"}`, want: "netmode: inline:1:17: networkMode: unknown network mode \"nat\"", path: "networkMode", line: 1},
		{data: `{"family": "x"} {}`, want: "unexpected data after the top-level"},
		{data: `{"containerDefinitions": {"name": "x"}}`, path: "containerDefinitions", line: 1, want: "netmode: inline:1:"},
	}
	for _, tt := range tests {
		name := tt.file
		if name == "" {
			name = tt.data
		}
		t.Run(name, func(t *testing.T) {
			var err error
			if tt.file != "" {
				_, err = LoadFile(filepath.Join("testdata", tt.file))
			} else {
				_, err = Load([]byte(tt.data), "inline")
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %v is not a *LoadError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if tt.path != "" && le.Path != tt.path {
				t.Errorf("path = %q, want %q", le.Path, tt.path)
			}
			if tt.line != 0 && le.Line != tt.line {
				t.Errorf("line = %d, want %d", le.Line, tt.line)
			}
		})
	}
	if _, err := LoadFile("testdata/missing.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v is not fs.ErrNotExist", err)
	}
	var me *ModeError
	_, err := LoadFile("testdata/bad-mode.json")
	if !errors.As(err, &me) || me.Value != "AWSVPC" {
		t.Errorf("errors.As(*ModeError) on %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		f.Fatalf("seed files: %v (%d found)", err, len(files))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"taskDefinition":{"networkMode":"awsvpc","containerDefinitions":[{"portMappings":[{"containerPortRange":"1-65535"}]}]}}`))
	f.Add([]byte(`{"networkMode":"","runtimePlatform":{"operatingSystemFamily":"WINDOWS_SERVER_2022_CORE"},"containerDefinitions":[{"portMappings":[{"containerPort":80,"hostPort":80}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		td, err := Load(data, "fuzz.json")
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error is not a *LoadError: %v", err)
			}
			if le.Name != "fuzz.json" || !utf8.ValidString(le.Path) && utf8.Valid(data) {
				t.Fatalf("bad LoadError %+v", le)
			}
			return
		}
		// Whatever loads must validate and plan without panicking.
		_ = Validate(td)
		if _, err := PlanPorts(td, Host{DynamicRange: PortRange{1000, 1100}}); err != nil {
			t.Fatalf("PlanPorts on a loaded task definition: %v", err)
		}
	})
}

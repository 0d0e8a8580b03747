package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func runOut(t *testing.T, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("run %q: %v\nstderr:\n%s", args, err, errOut.String())
	}
	return out.String(), errOut.String()
}

// TestSampleGolden pins the README's first command: the per-task table of
// the embedded sample, with the unattributed remainder and why.
func TestSampleGolden(t *testing.T) {
	got, _ := runOut(t)
	golden := filepath.Join("testdata", "sample-table.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("table differs from %s (go test ./examples/attribute -update to accept):\n%s", golden, got)
	}
	for _, s := range []string{"stopped 10:30", "started 10:31", "inferred from host ports", "host-mode task",
		"shared instance ENI, no port binding", "unknown ENI", "outside any task's lifetime", "NODATA", "SKIPDATA"} {
		if !strings.Contains(got, s) {
			t.Errorf("sample table lacks %q", s)
		}
	}
}

// TestSampleGoldenJSONAndCSV pins the other two formats of the sample, by
// service: what scripts parse (go test ./examples/attribute -update to
// accept a change, which must only add).
func TestSampleGoldenJSONAndCSV(t *testing.T) {
	for _, format := range []string{"json", "csv"} {
		got, _ := runOut(t, "-by", "service", "-format", format)
		golden := filepath.Join("testdata", "sample-service."+format+".golden")
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("-format %s differs from %s (go test ./examples/attribute -update to accept):\n%s", format, golden, got)
		}
	}
}

func TestSampleJSONAddsUp(t *testing.T) {
	for _, by := range []string{"task", "service", "family", "instance", "cluster"} {
		out, _ := runOut(t, "-by", by, "-format", "json")
		var d report.Document
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		var sum report.DocumentTotal
		for _, g := range d.Groups {
			sum.Bytes += g.BytesIn + g.BytesOut
			sum.Packets += g.PacketsIn + g.PacketsOut
			sum.Records += g.Records
		}
		for _, u := range d.Unattributed {
			sum.Bytes += u.Bytes
			sum.Packets += u.Packets
			sum.Records += u.Records
		}
		if sum != d.Total || d.Total.Records == 0 {
			t.Errorf("-by %s: groups + unattributed = %+v, total %+v", by, sum, d.Total)
		}
		want := map[string]int{"task": 6, "service": 3, "family": 3, "instance": 2, "cluster": 1}[by]
		if len(d.Groups) != want {
			t.Errorf("-by %s: %d groups, want %d", by, len(d.Groups), want)
		}
		if by == "task" && !strings.HasPrefix(d.Groups[0].Key, "arn:aws:ecs:us-east-1:123456789012:task/demo/") {
			t.Errorf("task key %q is not a task ARN", d.Groups[0].Key)
		}
	}
}

// TestFilesMatchSample runs on the sample written to disk, through the
// -tasks, -network and -flowlogs paths, and expects the embedded run's
// output: files, directories and gzip are read the same way.
func TestFilesMatchSample(t *testing.T) {
	dir := writeSample(t)
	tasks, err := filepath.Glob(filepath.Join(dir, "sample", "tasks", "*.json"))
	if err != nil || len(tasks) == 0 {
		t.Fatalf("sample tasks: %v (%d files)", err, len(tasks))
	}
	network, err := filepath.Glob(filepath.Join(dir, "sample", "network", "*.json"))
	if err != nil || len(network) == 0 {
		t.Fatalf("sample network: %v (%d files)", err, len(network))
	}
	want, _ := runOut(t, "-format", "csv", "-by", "service")
	got, _ := runOut(t, "-format", "csv", "-by", "service", "-tasks", strings.Join(tasks, ","),
		"-network", strings.Join(network, ","), "-flowlogs", filepath.Join(dir, "sample", "flowlogs"))
	if got != want {
		t.Errorf("files:\n%s\nembedded:\n%s", got, want)
	}
}

// writeSample writes the embedded sample to a temporary directory and
// returns it; the sample is under DIR/sample.
func writeSample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(sample, "sample", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sample.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestHTMLFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report.html")
	_, stderr := runOut(t, "-html", file, "-by", "service")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `id="chart-traffic"`) || strings.Count(string(b), "<svg") < 4 {
		t.Errorf("HTML report lacks charts")
	}
	if !strings.Contains(stderr, file) {
		t.Errorf("stderr %q does not name the file", stderr)
	}
}

func TestFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-by", "container"}, "-by"},
		{[]string{"-format", "html"}, "-html FILE"},
		{[]string{"-tasks", "x.json"}, "need both"},
		{[]string{"-flowlogs", "x.log"}, "need both"},
		{[]string{"-tasks", "a", "-cluster", "b", "-flowlogs", "c"}, "not both"},
		{[]string{"-log-format", "${nope"}, "-log-format"},
		{[]string{"stray"}, "unexpected argument"},
		{[]string{"-tasks", "/does/not/exist.json", "-flowlogs", "x"}, "exist.json"},
	} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), c.args, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one mentioning %q", c.args, err, c.want)
		}
	}
}

// TestJSONSchemaAndDimensions checks the sample's JSON, every grouping,
// against the report's JSON Schema, and that JSON and CSV carry the
// dimensions the table shows: service, family, network mode, container and
// EC2 instance, inferred bytes, bytes per peer class, top peers and ports.
func TestJSONSchemaAndDimensions(t *testing.T) {
	schema := documentSchema(t)
	for _, by := range []string{"task", "service", "family", "instance", "cluster"} {
		out, _ := runOut(t, "-by", by, "-format", "json")
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("-by %s: %v", by, err)
		}
	}
	out, _ := runOut(t, "-format", "json")
	var d report.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	var bridge *report.DocumentGroup
	for i, g := range d.Groups {
		if g.Tasks[0].NetworkMode == "bridge" {
			bridge = &d.Groups[i]
		}
		if len(g.TopPeers) == 0 || len(g.TopPorts) == 0 || g.Tasks[0].Service == "" || g.Tasks[0].Family == "" {
			t.Errorf("group %s lacks peers, ports, service or family: %+v", g.Key, g)
		}
	}
	// The bridge task's peer is the ALB's node that reaches its host port.
	if bridge == nil || !bridge.Inferred || bridge.InferredBytes == 0 || !strings.HasPrefix(bridge.Tasks[0].EC2InstanceID, "i-") ||
		bridge.ClassBytes["load_balancer"] == 0 || d.By != "task" || !d.Incomplete {
		t.Errorf("bridge group %+v, document by %q incomplete %v", bridge, d.By, d.Incomplete)
	}
	csv, _ := runOut(t, "-format", "csv", "-by", "service")
	header := strings.SplitN(csv, "\n", 2)[0]
	for _, col := range []string{"service", "family", "network_mode", "container_instance_arn", "ec2_instance_id", "inferred_bytes", "bytes_cross_az", "bytes_load_balancer"} {
		if !strings.Contains(header, ","+col+",") && !strings.HasSuffix(header, ","+col) {
			t.Errorf("CSV header lacks %s: %s", col, header)
		}
	}
	if !strings.Contains(csv, ",admin,admin:3,bridge,arn:aws:ecs:") || !strings.Contains(csv, ",i-") {
		t.Errorf("CSV rows lack the dimensions:\n%s", csv)
	}
}

// documentSchema compiles report.DocumentSchema.
func documentSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report.DocumentSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("document.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("document.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

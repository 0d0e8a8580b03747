package awswire_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/ecsnet/ecsnet/eni"
	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// Every JSON loader of the module reads a file that a Windows tool saved
// with a byte-order mark as it reads the same file without one (issue 15).
func TestLoadersSkipBOM(t *testing.T) {
	read := func(path string) []byte {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bom := func(b []byte) []byte { return append([]byte("\ufeff"), b...) }

	td := read("../../netmode/testdata/taskdef-awsvpc.json")
	for _, in := range [][]byte{td, bom(td)} {
		got, err := netmode.Load(in, "taskdef.json")
		if err != nil {
			t.Errorf("netmode.Load (BOM %v): %v", bytes.HasPrefix(in, []byte("\ufeff")), err)
		} else if got.NetworkMode != "awsvpc" {
			t.Errorf("netmode.Load (BOM %v): mode %q", bytes.HasPrefix(in, []byte("\ufeff")), got.NetworkMode)
		}
	}

	snap := read("../../eni/testdata/sample-snapshot.json")
	want, err := eni.ReadSnapshot(bytes.NewReader(snap), "snap.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := eni.ReadSnapshot(bytes.NewReader(bom(snap)), "snap.json")
	if err != nil {
		t.Errorf("eni.ReadSnapshot with a BOM: %v", err)
	} else if len(got.Tasks) != len(want.Tasks) || len(got.ContainerInstances) != len(want.ContainerInstances) || len(want.Tasks) == 0 {
		t.Errorf("eni.ReadSnapshot with a BOM: %d tasks, %d instances; without: %d, %d", len(got.Tasks), len(got.ContainerInstances), len(want.Tasks), len(want.ContainerInstances))
	}

	for _, name := range []string{"describe-tasks.json", "events.jsonl"} {
		data := read("../../eni/history/testdata/" + name)
		plain, bommed := history.NewBuilder(), history.NewBuilder()
		if _, err := plain.Load(bytes.NewReader(data), name); err != nil {
			t.Fatal(err)
		}
		if _, err := bommed.Load(bytes.NewReader(bom(data)), name); err != nil {
			t.Errorf("history Load %s with a BOM: %v", name, err)
			continue
		}
		if plain.Len() == 0 || plain.Len() != bommed.Len() {
			t.Errorf("history Load %s: %d tasks, with a BOM %d", name, plain.Len(), bommed.Len())
		}
	}
}

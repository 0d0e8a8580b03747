package eni

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/ecsnet/ecsnet/internal/jsontest"
)

// TestSnapshotUnknownMembers: a snapshot (describe-tasks,
// describe-container-instances, describe-task-definition output) with a
// member ECS may add at any level analyses as without it.
func TestSnapshotUnknownMembers(t *testing.T) {
	data, err := os.ReadFile("testdata/sample-snapshot.json")
	if err != nil {
		t.Fatal(err)
	}
	analyze := func(b []byte) string {
		s, err := ReadSnapshot(bytes.NewReader(b), "s.json")
		if err != nil {
			return "error: " + err.Error()
		}
		an, err := Analyze(context.Background(), s, Builtin())
		return fmt.Sprintf("%+v %v", an, err)
	}
	edited := jsontest.AddMembers(t, data)
	if want, got := analyze(data), analyze(edited); !reflect.DeepEqual(want, got) {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

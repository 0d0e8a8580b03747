package eni

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"
)

func reviewInject(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = reviewInject(e)
		}
		x["zzFutureMember"] = map[string]any{"a": []any{1.5, "x", nil}}
	case []any:
		for i := range x {
			x[i] = reviewInject(x[i])
		}
	}
	return v
}

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
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	edited, _ := json.Marshal(reviewInject(v))
	if want, got := analyze(data), analyze(edited); !reflect.DeepEqual(want, got) {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

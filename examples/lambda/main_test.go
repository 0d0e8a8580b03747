package main

import (
	"strings"
	"testing"
)

func TestConfigure(t *testing.T) {
	env := map[string]string{"CLUSTER": "prod", "HISTORY_BUCKET": "state", "HISTORY_KEY": "prod.history.jsonl", "OUTPUT_BUCKET": "out"}
	w, err := configure(func(k string) string { return env[k] })
	if err != nil || w.cluster != "prod" || w.history.key != "prod.history.jsonl" || w.out != "out" || w.prefix != "" {
		t.Fatalf("%+v, %v", w, err)
	}
	delete(env, "HISTORY_KEY")
	delete(env, "OUTPUT_BUCKET")
	if _, err := configure(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "HISTORY_KEY, OUTPUT_BUCKET") {
		t.Fatalf("missing variables: %v", err)
	}
	env["HISTORY_KEY"], env["OUTPUT_BUCKET"], env["CLUSTER"] = "k", "o", "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
	if _, err := configure(func(k string) string { return env[k] }); err == nil {
		t.Fatal("a cluster ARN was accepted as the partition value")
	}
}

package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestConfigure(t *testing.T) {
	env := map[string]string{"CLUSTER": "prod", "HISTORY_BUCKET": "state", "HISTORY_KEY": "prod.history.jsonl", "OUTPUT_BUCKET": "out"}
	w, err := configure(func(k string) string { return env[k] })
	if err != nil || w.cluster != "prod" || w.history.key != "prod.history.jsonl" || w.out != "out" || w.prefix != "" {
		t.Fatalf("%+v, %v", w, err)
	}
	if w.topology != nil {
		t.Fatalf("a topology without TOPOLOGY_KEY: %+v", w.topology)
	}
	// The topology is read from the history's bucket.
	env["TOPOLOGY_KEY"] = "network/prod.json"
	w, err = configure(func(k string) string { return env[k] })
	if err != nil || w.topology == nil || w.topology.bucket != "state" || w.topology.key != "network/prod.json" {
		t.Fatalf("TOPOLOGY_KEY: %+v, %v", w.topology, err)
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

func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want int64
		ok   bool
	}{
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1769"}, 1769 << 20 / 10 * 9, true},
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}, 128 << 20 / 10 * 9, true},
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1769", "GOMEMLIMIT": "1GiB"}, 0, false},
		{map[string]string{}, 0, false},                                          // not in Lambda
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"}, 0, false}, // not a number
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "-5"}, 0, false},   // not a size
		{map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1e12"}, 0, false}, // not an integer
	} {
		got, ok := memoryLimit(func(k string) string { return c.env[k] })
		if got != c.want || ok != c.ok {
			t.Errorf("%v: %d, %v; want %d, %v", c.env, got, ok, c.want, c.ok)
		}
	}
}

// TestUsage: the worker takes no arguments; -h says how it is configured.
func TestUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "HISTORY_BUCKET"},
		{[]string{"--help"}, 0, "Usage: lambda"},
		{[]string{"serve"}, 2, `lambda: unexpected argument "serve"`},
	} {
		var stderr bytes.Buffer
		if code := usage(c.args, &stderr); code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, %q; want %d and %q", c.args, code, stderr.String(), c.code, c.want)
		}
	}
}

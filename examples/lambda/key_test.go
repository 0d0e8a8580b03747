package main

import (
	"strings"
	"testing"
)

func TestOutputKey(t *testing.T) {
	const daily = "prod/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T2355Z_0a1b2c3d.log.gz"
	const hive = "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=eu-west-1/year=2026/month=11/day=26/hour=00/123456789012_vpcflowlogs_eu-west-1_fl-0abc_20261126T0005Z_ffff0000.log.parquet"
	ref := objectRef{Bucket: "b", Key: daily, ETag: "0123456789abcdef0123456789abcdef"}
	k1, err := outputKey("out", "prod", ref, ".json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(k1, "out/cluster=prod/date=2026-11-25/hour=23/") || !strings.HasSuffix(k1, ".json") {
		t.Fatalf("key %q: wrong partition", k1)
	}
	// Deterministic: the same object always gets the same key, whatever
	// its version (ETag, version ID, sequencer: a rewritten object
	// replaces its partial) or the event's size.
	again := ref
	again.Size, again.Version, again.ETag, again.Sequencer = 99, "v2", "1123456789abcdef0123456789abcdef", "0B"
	if k2, _ := outputKey("out/", "prod", again, ".json"); k2 != k1 {
		t.Fatalf("same object, keys %q and %q", k1, k2)
	}
	// Another bucket or key: another name.
	for _, other := range []objectRef{
		{Bucket: "c", Key: daily, ETag: ref.ETag},
		{Bucket: "b", Key: strings.Replace(daily, "0a1b2c3d", "0a1b2c3e", 1), ETag: ref.ETag},
	} {
		if k, _ := outputKey("out", "prod", other, ".json"); k == k1 {
			t.Fatalf("%+v: same key as %+v", other, ref)
		}
	}
	kh, err := outputKey("", "prod", objectRef{Bucket: "b", Key: hive, ETag: "e"}, ".json")
	if err != nil || !strings.HasPrefix(kh, "cluster=prod/date=2026-11-26/hour=00/") {
		t.Fatalf("hive key: %q, %v", kh, err)
	}
	for _, bad := range []struct {
		cluster, key string
	}{
		{"prod", "prod/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/manifest.json"},
		{"", daily},
		{"a/b", daily},
	} {
		if k, err := outputKey("", bad.cluster, objectRef{Bucket: "b", Key: bad.key, ETag: "e"}, ".json"); err == nil {
			t.Errorf("cluster %q key %q: got %q, want an error", bad.cluster, bad.key, k)
		}
	}
}

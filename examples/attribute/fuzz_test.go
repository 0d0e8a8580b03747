package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzTopologyFiles: two -network files, whatever they hold, merge to a
// topology or give an error with a message; never a panic. Merging a
// file with itself (the program refuses one given twice, localFiles)
// gives its lists twice (ec2topology.Merge appends), no more, no less.
func FuzzTopologyFiles(f *testing.F) {
	names, _ := filepath.Glob("sample/network/*.json")
	var docs [][]byte
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			docs = append(docs, b)
		}
	}
	if len(docs) >= 2 {
		f.Add(docs[0], docs[1])
	}
	f.Add([]byte(`{"Subnets":[{"SubnetId":"subnet-1","VpcId":"vpc-1","CidrBlock":"10.0.0.0/24","AvailabilityZone":"us-east-1a"}]}`),
		[]byte(`{"NetworkInterfaces":[]}`))
	f.Add([]byte(`{"Vpcs":[{"VpcId":"vpc-1","CidrBlock":"10.0.0.0/16"}]}`), []byte(`{"Subnets":[{"SubnetId":"subnet-1","VpcId":"vpc-2","CidrBlock":"10.0.0.0/24"}]}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		files := map[string][]byte{"a.json": a, "b.json": b}
		open := func(name string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(files[name])), nil }
		if _, err := readTopology(open, io.Discard, "a.json", "b.json"); err != nil && err.Error() == "" {
			t.Fatal("an error with no message")
		}
		one, err1 := readTopology(open, io.Discard, "a.json")
		twice, err2 := readTopology(open, io.Discard, "a.json", "a.json")
		if err1 == nil && err2 != nil {
			t.Fatalf("a file alone reads, with itself: %v", err2)
		}
		if err1 == nil && err2 == nil && (2*len(one.Subnets) != len(twice.Subnets) || 2*len(one.VPCs) != len(twice.VPCs) || 2*len(one.LoadBalancers) != len(twice.LoadBalancers)) {
			t.Fatalf("a file merged with itself: %d/%d/%d subnets/VPCs/LB, alone %d/%d/%d",
				len(twice.Subnets), len(twice.VPCs), len(twice.LoadBalancers), len(one.Subnets), len(one.VPCs), len(one.LoadBalancers))
		}
	})
}

// FuzzPricesFlag: -prices, a region or a file, whatever the file holds,
// gives a table or an error naming the flag; never a panic.
func FuzzPricesFlag(f *testing.F) {
	if b, err := os.ReadFile("../../flowlogs/attribution/pricing/testdata/eu-west-1.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"region":"x","currency":"USD","bytes_per_gb":1073741824,"classes":{"cross_az":{"in_per_gb":0.01}}}`))
	f.Add([]byte("\x1f\x8b\x08"))
	f.Add([]byte(`{"format":"ecsnet/eni-snapshot/v1"}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "prices.json")
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tb, err := loadPrices(name)
		if err != nil {
			if tb != nil || len(err.Error()) < len("-prices") {
				t.Fatalf("loadPrices = %v, %v", tb, err)
			}
			return
		}
		if err := tb.Validate(); err != nil {
			t.Fatalf("loadPrices gave a table Validate refuses: %v", err)
		}
	})
}

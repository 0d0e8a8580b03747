package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestUnknownCandidateWithCluster: with -cluster, EC2 was asked for
// the candidate's type (ec2:DescribeInstanceTypes, InvalidInstanceType)
// and the built-in table lacks it too; the error must not advise reading
// the cluster live with -cluster to get EC2's numbers: that was done.
func TestUnknownCandidateWithCluster(t *testing.T) {
	ecsSrv := liveSampleECS(t)
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: []fakeaws.EC2InstanceType{
		{InstanceType: "c5.large", Hypervisor: "nitro", MaxENIs: 3, IPv4PerENI: 10},
		{InstanceType: "m5.xlarge", Hypervisor: "nitro", MaxENIs: 4, IPv4PerENI: 15}}})
	defer ec2Srv.Close()
	liveEnv(t, ecsSrv.URL, ec2Srv.URL)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-cluster", "live", "-q", "-whatif", "sample", "-candidate", "x99.large:2048:4096"}, &out, &errOut)
	t.Logf("err: %v\nstderr: %s calls %v", err, errOut.String(), ec2Srv.Calls())
	if err == nil || strings.Contains(err.Error(), "read a cluster live with -cluster") {
		t.Errorf("error advises -cluster, already given: %v", err)
	}
}

// TestUnknownCandidateWithClusterAndLimits: the same with a -limits
// FILE layered over the live limits: the error named only the file (and
// the built-in table), not EC2, and advised -cluster, already given.
func TestUnknownCandidateWithClusterAndLimits(t *testing.T) {
	ecsSrv := liveSampleECS(t)
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: []fakeaws.EC2InstanceType{
		{InstanceType: "c5.large", Hypervisor: "nitro", MaxENIs: 3, IPv4PerENI: 10}}})
	defer ec2Srv.Close()
	liveEnv(t, ecsSrv.URL, ec2Srv.URL)
	lim := filepath.Join(t.TempDir(), "mine.tsv")
	if err := os.WriteFile(lim, []byte("instance_type\tmax_enis\nc5.large\t3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-cluster", "live", "-limits", lim, "-q", "-whatif", "sample", "-candidate", "x99.large:2048:4096"}, &out, &errOut)
	if err == nil || strings.Contains(err.Error(), "read a cluster live with -cluster") || !strings.Contains(err.Error(), "ec2:DescribeInstanceTypes") {
		t.Errorf("error does not say EC2 was asked, or advises -cluster, already given: %v", err)
	}
	if testing.Verbose() {
		t.Log(err)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestLimitsFileOverLiveEC2: with -cluster, EC2's live limits are
// read too; a -limits FILE is the user's explicit choice for the types it
// lists and must win over them, and where the two disagree the output says
// which numbers were used and what EC2 says.
func TestLimitsFileOverLiveEC2(t *testing.T) {
	ecsSrv := liveSampleECS(t)
	// EC2 says c5.large has 4 ENIs; the file keeps it at 3.
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{InstanceTypes: []fakeaws.EC2InstanceType{
		{InstanceType: "c5.large", Hypervisor: "nitro", MaxENIs: 4, IPv4PerENI: 10},
		{InstanceType: "m5.xlarge", Hypervisor: "nitro", MaxENIs: 4, IPv4PerENI: 15}}})
	defer ec2Srv.Close()
	liveEnv(t, ecsSrv.URL, ec2Srv.URL)
	lim := filepath.Join(t.TempDir(), "mine.tsv")
	if err := os.WriteFile(lim, []byte("instance_type\tmax_enis\nc5.large\t3\nx99.large\t4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runOK(t, "-cluster", "live", "-limits", lim, "-q")
	// c5l01: budget max ENIs - 1 = 2 from the file, not 3 from EC2.
	if !regexp.MustCompile(`(?m)^c5l01\s+c5\.large\s+linux\s+ACTIVE\s+-\s+2\s`).MatchString(out) {
		t.Errorf("c5.large's budget is not the file's (3 ENIs → 2 tasks):\n%s", out)
	}
	if !strings.Contains(out, lim) || !strings.Contains(out, "EC2 says 4") {
		t.Errorf("the output does not say that %s won over EC2's live number:\n%s", lim, out)
	}
	out, _ = runOK(t, "-cluster", "live", "-limits", lim, "-q", "-format", "json")
	var c struct {
		Cluster struct {
			Instances []struct {
				InstanceType string `json:"instanceType"`
				Budget       int    `json:"budget"`
			} `json:"instances"`
			Notes []string `json:"notes"`
		} `json:"cluster"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	for _, ir := range c.Cluster.Instances {
		if ir.InstanceType == "c5.large" && ir.Budget != 2 {
			t.Errorf("JSON: c5.large budget %d, want 2 (the file's)", ir.Budget)
		}
	}
	if !strings.Contains(strings.Join(c.Cluster.Notes, "\n"), "EC2 says 4") {
		t.Errorf("JSON notes do not say EC2 disagrees: %q", c.Cluster.Notes)
	}
}

package netmode

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The facts of reference §1-§5, one row per mode.
func TestProperties(t *testing.T) {
	tests := []struct {
		mode     Mode
		ownENI   bool
		sg       Scope
		hostPort HostPortRule
		dynamic  bool
		share    Sharing
		target   TargetType
		cloudMap RecordTypes
		links    bool
		runsOn   Platforms
		notOn    Platforms
		flowLogs Scope
	}{
		{ModeBridge, false, ScopeInstance, HostPortAny, true, ShareIfDynamic, TargetInstance, RecordSRV, true, EC2Linux | Anywhere, Fargate | EC2Windows | ManagedInstances, ScopeInstance},
		{ModeHost, false, ScopeInstance, HostPortEqualsContainerPort, false, ShareNo, TargetInstance, RecordSRV, false, EC2Linux | Anywhere | ManagedInstances, Fargate | EC2Windows, ScopeInstance},
		{ModeAWSVPC, true, ScopeTask, HostPortEqualsContainerPort, false, ShareYes, TargetIP, RecordA | RecordSRV, false, EC2Linux | EC2Windows | Fargate | ManagedInstances, Anywhere, ScopeTask},
		{ModeNone, false, ScopeNone, HostPortNoMappings, false, ShareYes, TargetNone, 0, false, EC2Linux | Anywhere, Fargate | EC2Windows, ScopeNone},
		{ModeDefault, false, ScopeInstance, HostPortAny, true, ShareIfDynamic, TargetInstance, RecordSRV, false, EC2Windows, EC2Linux | Fargate | Anywhere | ManagedInstances, ScopeInstance},
	}
	for _, tt := range tests {
		p := tt.mode.Properties()
		if p.Mode != tt.mode || p.OwnENI != tt.ownENI || p.SecurityGroups != tt.sg || p.HostPort != tt.hostPort ||
			p.DynamicHostPorts != tt.dynamic || p.CopiesShareInstance != tt.share || p.TargetType != tt.target ||
			p.CloudMap != tt.cloudMap || p.Links != tt.links || p.FlowLogs != tt.flowLogs {
			t.Errorf("%v: got %+v", tt.mode, p)
		}
		if !p.RunsOn.Has(tt.runsOn) || p.RunsOn&tt.notOn != 0 {
			t.Errorf("%v runs on %v", tt.mode, p.RunsOn)
		}
		if p.Note == "" || !strings.Contains(p.String(), "flow-log attribution: ") {
			t.Errorf("%v: String() = %q", tt.mode, p.String())
		}
	}
	if (ModeUnknown.Properties() != Properties{}) {
		t.Error("ModeUnknown has properties")
	}
}

func TestTable(t *testing.T) {
	tab := Table()
	lines := strings.Split(strings.TrimSuffix(tab, "\n"), "\n")
	if len(lines) != 1+len(tableRows)+3 { // "runs on" takes 4 lines for awsvpc
		t.Errorf("table has %d lines:\n%s", len(lines), tab)
	}
	head := strings.Fields(lines[0])
	if strings.Join(head, " ") != "bridge host awsvpc none default" {
		t.Errorf("header %q", lines[0])
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing blank in %q", l)
		}
	}
	// Columns line up: every mode name starts where its values start.
	col := strings.Index(lines[0], "awsvpc")
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "ENI") && !strings.HasPrefix(l[col:], "own ENI per task") {
			t.Errorf("awsvpc column misaligned: %q", l)
		}
	}
	var b strings.Builder
	if err := WriteTable(&b, ModeNone); err != nil || !strings.Contains(b.String(), "no port mappings") || strings.Contains(b.String(), "bridge") {
		t.Errorf("WriteTable(none) = %q, %v", b.String(), err)
	}
}

func BenchmarkValidate(b *testing.B) {
	td := td("bridge", ctr("a", pm(80, 8080, ""), pm(81, 0, "udp"), rangeMapping("7000-7099")), ctr("b", pm(9000, 9000, "")))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = Validate(td)
	}
}

func BenchmarkPlanPorts(b *testing.B) {
	td := taskDef("bridge", []types.PortMapping{pm(80, 0, ""), rangeMapping("7000-7009")})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := PlanPorts(td, Host{}); err != nil {
			b.Fatal(err)
		}
	}
}

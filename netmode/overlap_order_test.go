package netmode

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestOverlapReportedAtLaterMapping: a port that two mappings share
// is reported at the mapping that comes later in the task definition, and
// the message names the two in task-definition order, whatever their port
// order. Before the fix the problem went to the mapping with the higher
// first port: a plain containerPort 8005 got "port ranges can't overlap"
// because a later containerPortRange 8000-8010 covered it, and the earlier
// of two containers got the duplicate-host-port error.
func TestOverlapReportedAtLaterMapping(t *testing.T) {
	tests := []struct {
		name    string
		td      *types.TaskDefinition
		path    string // where the one problem must be
		code    Code
		msg     string // substring
		notPath string // where it must not be
	}{
		{
			name:    "awsvpc: a later container's range covers an earlier container's port",
			td:      td("awsvpc", ctr("a", pm(8005, -1, "")), ctr("b", rangeMapping("8000-8010"))),
			path:    "containerDefinitions[1].portMappings[0].containerPortRange",
			code:    CodeDuplicateHostPort,
			msg:     "TCP host port '8005' is mapped multiple times in task.",
			notPath: "containerDefinitions[0].portMappings[0].containerPort",
		},
		{
			name:    "one container: a later range covers an earlier port",
			td:      td("awsvpc", ctr("a", pm(8005, -1, ""), rangeMapping("8000-8010"))),
			path:    "containerDefinitions[0].portMappings[1].containerPortRange",
			code:    CodeOverlappingPortRanges,
			msg:     "Port 8005/tcp of container 'a' is in more than one port mapping (containerDefinitions[0].portMappings[0] and containerDefinitions[0].portMappings[1])",
			notPath: "containerDefinitions[0].portMappings[0].containerPort",
		},
		{
			name:    "bridge: a later range starts below an earlier one",
			td:      td("bridge", ctr("a", rangeMapping("8005-8020"), rangeMapping("8000-8010"))),
			path:    "containerDefinitions[0].portMappings[1].containerPortRange",
			code:    CodeOverlappingPortRanges,
			msg:     "Port 8005/tcp of container 'a' is in more than one port mapping (containerDefinitions[0].portMappings[0] and containerDefinitions[0].portMappings[1])",
			notPath: "containerDefinitions[0].portMappings[0].containerPortRange",
		},
		{
			// m2's wide range covers both m0 and m1, and m1 also repeats
			// m0's port: m1 and m2 are each reported once, m0 never.
			name:    "awsvpc: a wide later range and a repeated port",
			td:      td("awsvpc", ctr("a", rangeMapping("8000-8005"), pm(8003, -1, "")), ctr("b", rangeMapping("7990-8100"))),
			path:    "containerDefinitions[0].portMappings[1].containerPort",
			code:    CodeOverlappingPortRanges,
			msg:     "(containerDefinitions[0].portMappings[0] and containerDefinitions[0].portMappings[1])",
			notPath: "containerDefinitions[0].portMappings[0].containerPortRange",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := problemsOf(t, Validate(tt.td))
			p := findProblem(ps, tt.path, tt.code)
			if p == nil {
				t.Fatalf("no %s problem at %s; got:\n%v", tt.code, tt.path, ps)
			}
			if !strings.Contains(p.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", p.Message, tt.msg)
			}
			for _, q := range ps {
				if q.Path == tt.notPath {
					t.Errorf("problem at the earlier mapping %s: %v", tt.notPath, q)
				}
			}
		})
	}
	// Three containers: the middle one repeats the first's port and the
	// last one's wide range covers both; each later one is reported.
	three := td("awsvpc", ctr("a", rangeMapping("8000-8005")), ctr("b", pm(8003, -1, "")), ctr("c", rangeMapping("7990-8100")))
	ps3 := problemsOf(t, Validate(three))
	for _, path := range []string{"containerDefinitions[1].portMappings[0].containerPort", "containerDefinitions[2].portMappings[0].containerPortRange"} {
		if findProblem(ps3, path, CodeDuplicateHostPort) == nil {
			t.Errorf("no duplicate-host-port problem at %s; got:\n%v", path, ps3)
		}
	}
	if len(ps3) != 2 {
		t.Errorf("want 2 problems, got:\n%v", ps3)
	}

	// The wide range in the second container is reported once, at itself.
	ps := problemsOf(t, Validate(tests[3].td))
	n := 0
	for _, p := range ps {
		if p.Path == "containerDefinitions[1].portMappings[0].containerPortRange" && p.Code == CodeDuplicateHostPort {
			n++
		}
	}
	if n != 1 {
		t.Errorf("want 1 duplicate-host-port problem at containerDefinitions[1].portMappings[0], got %d:\n%v", n, ps)
	}
}

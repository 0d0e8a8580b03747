package eni

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestUnreadableInstancePortsDoNotBlockAWSVPC: an awsvpc task's
// ports live on its own ENI and take none of the instance's, so ECS places
// it whatever the instance's PORTS resource holds. An instance whose port
// list cannot be read (here a hand-edited range) must not count 0 copies
// of an awsvpc task for "ports" while it has a free ENI slot.
func TestUnreadableInstancePortsDoNotBlockAWSVPC(t *testing.T) {
	ctx := context.Background()
	s := sampleSnapshot()
	ci := &s.ContainerInstances[2] // t3m03: t3.medium, 1 of 2 ENI slots free
	for i := range ci.RemainingResources {
		if aws.ToString(ci.RemainingResources[i].Name) == "PORTS" {
			ci.RemainingResources[i].StringSetValue = append(ci.RemainingResources[i].StringSetValue, "8000-8010")
		}
	}
	w, err := WhatIf(ctx, s, Builtin(), sampleTD(t, s, "web:3"), 3, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range w.Instances {
		if shortARN(f.ContainerInstanceARN) != "t3m03" {
			continue
		}
		if f.Fits != 1 || f.ByPorts != NoLimit || f.Binding != LimitENI {
			t.Errorf("t3m03: fits %d, by ports %d, bound by %s (%s); want 1, no port limit, ENI", f.Fits, f.ByPorts, f.Binding, f.Reason)
		}
		return
	}
	t.Fatal("t3m03 not in the what-if")
}

// TestWhatIfNamesAMissingInstanceType: an instance without the
// ecs.instance-type attribute (Analyze reports "no ecs.instance-type
// attribute") was skipped by an awsvpc what-if as "ENI limits of  unknown"
// — a blank type name, after looking up "" in the limits (a live EC2
// DescribeInstanceTypes call for an empty name).
func TestWhatIfNamesAMissingInstanceType(t *testing.T) {
	ctx := context.Background()
	s := sampleSnapshot()
	s.ContainerInstances[2] = withoutAttr(s.ContainerInstances[2], AttrInstanceType) // t3m03
	asked := false
	l := limitsFunc(func(ctx context.Context, name string) (InstanceType, error) {
		if name == "" {
			asked = true
		}
		return Builtin().Lookup(ctx, name)
	})
	w, err := WhatIf(ctx, s, l, sampleTD(t, s, "web:3"), 3, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if asked {
		t.Error("the limits were asked for an instance type named \"\"")
	}
	for _, f := range w.Instances {
		if shortARN(f.ContainerInstanceARN) == "t3m03" {
			if f.Fits != 0 || !strings.Contains(f.Skipped, AttrInstanceType) {
				t.Errorf("t3m03: fits %d, skipped %q; want 0, naming the missing %s attribute", f.Fits, f.Skipped, AttrInstanceType)
			}
			return
		}
	}
	t.Fatal("t3m03 not in the what-if")
}

type limitsFunc func(ctx context.Context, name string) (InstanceType, error)

func (f limitsFunc) Lookup(ctx context.Context, name string) (InstanceType, error) {
	return f(ctx, name)
}

// TestForTheRestSizesEachOSOfAType: the instances needed for the
// rest were sized on the first instance of each type, whatever its OS. In
// a cluster with a Windows m5.large (no trunking: 2 awsvpc tasks) and a
// trunked Linux m5.large (10), an awsvpc task definition without
// runtimePlatform (ECS places it on both) was sized on the Windows one
// only: "m5.large, 2 per instance", where a Linux m5.large holds 8 (CPU).
func TestForTheRestSizesEachOSOfAType(t *testing.T) {
	s := sampleSnapshot()
	s.ContainerInstances = append(s.ContainerInstances,
		containerInstance("sample", ciSpec{"z5l07", "m5.large", "linux", "5c1e7a3d-92b4-4f0e-8d6a-1b2c3d4e5f07", 2048, 7680}, 0, 0, nil, 0, 0))
	w, err := WhatIf(context.Background(), s, Builtin(), sampleTD(t, s, "web:3"), 60, WhatIfOptions{})
	if err != nil {
		t.Fatal(err)
	}
	per := map[int]bool{}
	for _, n := range w.ForTheRest {
		if n.InstanceType == "m5.large" && !n.Candidate {
			per[n.PerInstance] = true
		}
	}
	if !per[8] || !per[2] || len(per) != 2 {
		t.Errorf("m5.large entries hold %v per instance; want 8 (Linux, trunked: CPU 2048/256) and 2 (Windows: max ENIs - 1):\n%+v",
			per, w.ForTheRest)
	}
}

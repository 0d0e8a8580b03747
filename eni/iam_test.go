package eni

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"

	smithy "github.com/aws/smithy-go"
)

func TestIAMActionsMatchPolicy(t *testing.T) {
	var p struct {
		Version   string
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal([]byte(IAMPolicy()), &p); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.Statement {
		if s.Effect != "Allow" || s.Resource != "*" {
			t.Fatalf("statement %+v", s)
		}
		got = append(got, s.Action...)
	}
	sort.Strings(got)
	if p.Version != "2012-10-17" || strings.Join(got, ",") != strings.Join(IAMActions(), ",") {
		t.Fatalf("policy actions %v, IAMActions %v", got, IAMActions())
	}
}

func ecsActions() []string {
	var out []string
	for _, a := range IAMActions() {
		if strings.HasPrefix(a, "ecs:") {
			out = append(out, a)
		}
	}
	return out
}

// The policy's ECS actions are enough for a live read, and every one of
// them is needed: the fake denies anything not allowed, as IAM would.
func TestIAMPolicyIsCompleteAndMinimal(t *testing.T) {
	ctx := context.Background()
	allowed := ecsActions()
	if len(allowed) != 5 {
		t.Fatalf("actions %v", allowed)
	}
	srv := fakeFor(sampleSnapshot())
	defer srv.Close()
	srv.Allow(allowed...)
	if _, err := ReadCluster(ctx, clientFor(srv), "sample"); err != nil {
		t.Fatalf("with the policy: %v", err)
	}
	used := srv.Actions()
	if strings.Join(used, ",") != strings.Join(allowed, ",") {
		t.Fatalf("used %v, policy %v", used, allowed)
	}
	for i := range allowed {
		fewer := append(append([]string{}, allowed[:i]...), allowed[i+1:]...)
		srv.Allow(fewer...)
		_, err := ReadCluster(ctx, clientFor(srv), "sample")
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
			t.Errorf("without %s: %v", allowed[i], err)
		}
	}
}

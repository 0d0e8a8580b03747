package eni

import (
	"context"
	"errors"
	"strings"
	"testing"

	smithy "github.com/aws/smithy-go"
)

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

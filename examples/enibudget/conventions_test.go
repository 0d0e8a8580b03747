package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
)

// TestIAMPolicyWithQuiet: checkFlags says of -q "it means the same in
// every program (no progress or info lines), so a script may pass it
// always"; -iam-policy -q was refused all the same ("give it alone").
func TestIAMPolicyWithQuiet(t *testing.T) {
	var out, errOut bytes.Buffer
	code := cli.Code("enibudget", run(context.Background(), []string{"-iam-policy", "-q"}, &out, &errOut), &errOut)
	if code != 0 || out.String() != iamPolicy || errOut.Len() > 0 {
		t.Errorf("-iam-policy -q: exit %d, stderr %q; want 0 and the policy", code, errOut.String())
	}
}

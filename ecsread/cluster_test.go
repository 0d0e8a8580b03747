package ecsread_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestClusterARN: a name is answered with the ARN of the client's region
// and account, through throttling and 5xx answers; a cluster ECS does not
// know there (a failure with reason MISSING, not an API error) is an error
// that says so.
func TestClusterARN(t *testing.T) {
	ecsread.ShortRetries()
	srv := fakeaws.NewECS(manyTasks(1))
	t.Cleanup(srv.Close)
	srv.Region = "eu-west-1"
	cfg := fakeaws.Config()
	cfg.Region = srv.Region // the client's Region is the fake's, as an endpoint's is
	cfg.Retryer = productionRetryer
	client := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	ctx := context.Background()

	srv.SetFaults(fakeaws.Faults{ThrottleEvery: 1})
	_, err := ecsread.ClusterARN(ctx, client, "prod")
	if err == nil {
		t.Fatal("every call throttled: no error")
	}
	srv.SetFaults(fakeaws.Faults{ServerErrorEvery: 2, ThrottleEvery: 3})
	for _, ref := range []string{"prod", srv.ClusterARN("prod")} {
		arn, err := ecsread.ClusterARN(ctx, client, ref)
		if err != nil || arn != "arn:aws:ecs:eu-west-1:123456789012:cluster/prod" {
			t.Errorf("ClusterARN(%s) = %q, %v", ref, arn, err)
		}
	}
	srv.SetFaults(fakeaws.Faults{})
	if arn, err := ecsread.ClusterARN(ctx, client, "staging"); err == nil || !strings.Contains(err.Error(), "MISSING") ||
		!strings.Contains(err.Error(), "cluster/staging") {
		t.Errorf("ClusterARN(staging) = %q, %v; want an error saying ECS reports it MISSING", arn, err)
	}
}

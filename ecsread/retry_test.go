package ecsread_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func manyTasks(n int) []fakeaws.ECSCluster {
	var ts []types.Task
	for i := range n {
		ts = append(ts, task(fmt.Sprintf("t%04d", i), "RUNNING", "RUNNING"))
	}
	return []fakeaws.ECSCluster{{Name: "prod", Tasks: ts}}
}

// productionRetryer is the SDK's standard retryer as config.LoadDefaultConfig
// makes it (3 attempts, the 500-token retry quota), waiting a millisecond
// instead of its backoff so that the test is quick. fakeaws.Config's
// retryer (20 attempts, no quota) hid that a read gave up where a real
// client does.
func productionRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
	})
}

// TestReadSurvivesWhatTheSDKGivesUp: a response body cut after its status
// (which the SDK does not retry: aws/aws-sdk-go-v2#1825) and fault plans
// that spend a production retryer's three attempts no longer end the read
// and lose what it had read: each call is tried again (package awscall).
func TestReadSurvivesWhatTheSDKGivesUp(t *testing.T) {
	ecsread.ShortRetries()
	for _, c := range []struct {
		name  string
		setup func(*fakeaws.ECS)
	}{
		{"cut bodies", func(s *fakeaws.ECS) { s.SetCutBodyEvery(8) }},
		{"every second call a 500", func(s *fakeaws.ECS) { s.SetFaults(fakeaws.Faults{ServerErrorEvery: 2}) }},
		{"throttles, 500s and drops", func(s *fakeaws.ECS) {
			s.SetFaults(fakeaws.Faults{ThrottleEvery: 5, ServerErrorEvery: 7, DropEvery: 4})
		}},
	} {
		srv := fakeaws.NewECS(manyTasks(450))
		srv.SetPageSize(45)
		c.setup(srv)
		cfg := fakeaws.Config()
		cfg.Retryer = productionRetryer
		client := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
		tasks, _, err := ecsread.ReadTasks(context.Background(), client, "prod", ecsread.WithConcurrency(4))
		srv.Close()
		if err != nil || len(tasks) != 450 {
			t.Errorf("%s: %d tasks, err %v", c.name, len(tasks), err)
		}
	}
}

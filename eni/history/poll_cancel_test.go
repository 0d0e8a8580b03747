package history

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// cancelAtDescribeClusters is an ECS client whose caller's context ends
// (an interrupt) while DescribeClusters is under way.
type cancelAtDescribeClusters struct {
	*ecs.Client
	cancel context.CancelFunc
}

func (c cancelAtDescribeClusters) DescribeClusters(ctx context.Context, in *ecs.DescribeClustersInput, optFns ...func(*ecs.Options)) (*ecs.DescribeClustersOutput, error) {
	c.cancel()
	return c.Client.DescribeClusters(ctx, in, optFns...)
}

// TestPollCanceledAtDescribeClusters: a poll whose context ends
// while it asks the cluster's ARN must return an error wrapping
// context.Canceled, as it does when the context ends describing the
// forgotten tasks or the primary interfaces; it returned nil, the
// cancellation only one of its Problems, as if the poll were complete.
func TestPollCanceledAtDescribeClusters(t *testing.T) {
	srv := prodWithT1(t)
	path := filepath.Join(t.TempDir(), "prod.history.jsonl")
	if _, err := pollOnce(clientOf(srv), "prod", path, at(5)); err != nil {
		t.Fatal(err)
	}
	if err := srv.RemoveTask("prod", taskARN("t1")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := NewWatcher(cancelAtDescribeClusters{clientOf(srv), cancel}, "prod", path)
	w.Now = func() time.Time { return at(180) }
	defer w.Close()
	st, err := w.Poll(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Poll = %v (problems %v), want an error wrapping context.Canceled", err, st.Problems)
	}
}

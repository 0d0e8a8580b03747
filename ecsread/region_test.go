package ecsread_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// narrowECS is the ECS API without Options: a client whose Region
// ecsread cannot read.
type narrowECS struct{ c *ecs.Client }

func (n narrowECS) ListTasks(ctx context.Context, in *ecs.ListTasksInput, o ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	return n.c.ListTasks(ctx, in, o...)
}

func (n narrowECS) DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, o ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	return n.c.DescribeTasks(ctx, in, o...)
}

// TestClusterARNOfOtherRegion: a cluster ARN of another Region than
// the client's can only fail — ECS answers InvalidParameterException
// "Invalid Region in ARN", which does not say which Region to use. Every
// read that takes a cluster says so before any call, naming the Region;
// a name, or a narrow API whose Region is unknown, is left to ECS.
func TestClusterARNOfOtherRegion(t *testing.T) {
	ecsread.ShortRetries()
	srv := fakeaws.NewECS(manyTasks(3))
	t.Cleanup(srv.Close)
	client := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() }) // us-east-1
	const arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod"
	ctx := context.Background()
	for name, read := range map[string]func() error{
		"ClusterARN": func() error { _, err := ecsread.ClusterARN(ctx, client, arn); return err },
		"ReadTasks":  func() error { _, _, err := ecsread.ReadTasks(ctx, client, arn); return err },
		"ListTaskARNs": func() error {
			_, err := ecsread.ListTaskARNs(ctx, client, ecs.ListTasksInput{Cluster: aws.String(arn)})
			return err
		},
		"DescribeTasks": func() error { _, _, err := ecsread.DescribeTasks(ctx, client, arn, []string{"t1"}); return err },
		"ListContainerInstanceARNs": func() error {
			_, err := ecsread.ListContainerInstanceARNs(ctx, client, arn)
			return err
		},
		"DescribeContainerInstances": func() error {
			_, _, err := ecsread.DescribeContainerInstances(ctx, client, arn, []string{"ci1"})
			return err
		},
	} {
		err := read()
		if !errors.Is(err, ecsread.ErrOtherRegion) ||
			!strings.Contains(fmtErr(err), "cluster ARN's Region eu-west-1 is not the client's us-east-1: set AWS_REGION=eu-west-1") {
			t.Errorf("%s: %v; want the Region said", name, err)
		}
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("calls made for an ARN of another Region: %v", calls)
	}
	// The client's own Region's ARN and a name are read.
	if _, _, err := ecsread.ReadTasks(ctx, client, srv.ClusterARN("prod")); err != nil {
		t.Errorf("ARN of the client's Region: %v", err)
	}
	if _, _, err := ecsread.ReadTasks(ctx, client, "prod"); err != nil {
		t.Errorf("a name: %v", err)
	}
	// A narrow API is asked, and ECS's answer is the error.
	var ae smithy.APIError
	if _, _, err := ecsread.ReadTasks(ctx, narrowECS{client}, arn); errors.Is(err, ecsread.ErrOtherRegion) ||
		!errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterException" {
		t.Errorf("narrow API: %v; want ECS's InvalidParameterException", err)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

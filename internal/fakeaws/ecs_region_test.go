package fakeaws

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	smithy "github.com/aws/smithy-go"
)

// TestECSClusterARNOfOtherRegion: ECS answers a cluster ARN of
// another Region than the request's InvalidParameterException "Invalid
// Region in ARN" (aws/aws-cli#3175), not ClusterNotFoundException, which
// is its answer for a name it does not know; the fake answered the
// latter, so no test could meet what a user with the wrong AWS_REGION
// meets. The Region is the SigV4 credential scope's, as for S3.
func TestECSClusterARNOfOtherRegion(t *testing.T) {
	srv := NewECS([]ECSCluster{testECSCluster()})
	t.Cleanup(srv.Close)
	ctx := context.Background()
	client := func(region string) *ecs.Client {
		cfg := Config()
		cfg.Region = region
		return ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = srv.BaseEndpoint() })
	}
	eu := client("eu-west-1")
	const euARN = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod"
	var ae smithy.APIError
	for name, call := range map[string]func() error{
		"ListTasks": func() error {
			_, err := eu.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(srv.ClusterARN("prod"))})
			return err
		},
		"ListContainerInstances": func() error {
			_, err := eu.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String(srv.ClusterARN("prod"))})
			return err
		},
		"DescribeTasks": func() error {
			_, err := eu.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String(srv.ClusterARN("prod")), Tasks: []string{"t0001"}})
			return err
		},
		"DescribeContainerInstances": func() error {
			_, err := eu.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String(srv.ClusterARN("prod")), ContainerInstances: []string{"ci01"}})
			return err
		},
		"DescribeClusters": func() error {
			_, err := eu.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"prod", srv.ClusterARN("prod")}})
			return err
		},
		"ListTasks us-east-1 client": func() error {
			_, err := client("us-east-1").ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(euARN)})
			return err
		},
	} {
		err := call()
		if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterException" || ae.ErrorMessage() != "Invalid Region in ARN" {
			t.Errorf("%s, ARN of us-east-1 signed for eu-west-1 (or the reverse): %v; want InvalidParameterException: Invalid Region in ARN", name, err)
		}
	}
	// The same ARN, and a name, signed for the ARN's Region are read;
	// an unknown name is still ClusterNotFoundException.
	us := client("us-east-1")
	if _, err := us.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String(srv.ClusterARN("prod"))}); err != nil {
		t.Errorf("ARN of the signing Region: %v", err)
	}
	if _, err := eu.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("prod")}); err != nil {
		t.Errorf("a name: %v", err)
	}
	if _, err := us.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("nope")}); !errors.As(err, &ae) || ae.ErrorCode() != "ClusterNotFoundException" {
		t.Errorf("unknown name: %v", err)
	}
}

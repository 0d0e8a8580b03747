package history

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestInstanceClusterOrder: the Builder takes observations "in any
// order". Two observations of one container instance, one described with
// the cluster's ARN, the other (of another version) with its bare name,
// must give the same instance whichever comes first: the ARN, which says
// more (see mergeInstance), not the name when the name's observation is
// the newer and the ARN's came second.
func TestInstanceClusterOrder(t *testing.T) {
	const arn = "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
	reg := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	ci := func(v int64) types.ContainerInstance {
		return types.ContainerInstance{
			ContainerInstanceArn: aws.String("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0123456789abcdef"),
			Ec2InstanceId:        aws.String("i-0123456789abcdef0"), Status: aws.String("ACTIVE"), Version: v, RegisteredAt: &reg,
		}
	}
	type obs struct {
		cluster string
		version int64
	}
	build := func(os ...obs) string {
		b := NewBuilder()
		for _, o := range os {
			if err := b.AddContainerInstances(o.cluster, ci(o.version)); err != nil {
				t.Fatal(err)
			}
		}
		in := b.Index().Instances()
		return fmt.Sprintf("%+v", *in[0])
	}
	for _, vs := range [][2]int64{{3, 5}, {5, 3}, {4, 4}} {
		a, n := obs{arn, vs[0]}, obs{"prod", vs[1]}
		if x, y := build(a, n), build(n, a); x != y {
			t.Errorf("versions %v: ARN first gives\n%s\nname first gives\n%s", vs, x, y)
		}
	}
}

package ecsread

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// ErrOtherRegion is what the error of a cluster ARN of another Region
// than the client's matches (errors.Is).
var ErrOtherRegion = otherRegion{}

type otherRegion struct{ cluster, client string }

func (e otherRegion) Error() string {
	if e.cluster == "" {
		return "ecsread: ECS reads a cluster in its own Region only"
	}
	return fmt.Sprintf("ecsread: cluster ARN's Region %s is not the client's %s: set AWS_REGION=%s", e.cluster, e.client, e.cluster)
}

func (e otherRegion) Is(target error) bool { _, ok := target.(otherRegion); return ok }

// checkRegion reports, before any call, a cluster ARN of another Region
// than the client's: ECS answers every call on it InvalidParameterException
// "Invalid Region in ARN", which does not say which Region to use. Every
// read of the package that takes a cluster checks it first. A name, an ARN
// without a Region, a client with no Region, or an api that is not an
// *ecs.Client (no Options to read its Region from: a narrow fake) is no
// error.
func checkRegion(api any, cluster string) error {
	c, ok := api.(interface{ Options() ecs.Options })
	if !ok {
		return nil
	}
	a, err := arn.Parse(cluster)
	if err != nil || a.Region == "" {
		return nil
	}
	if r := c.Options().Region; r != "" && r != a.Region {
		return otherRegion{cluster: a.Region, client: r}
	}
	return nil
}

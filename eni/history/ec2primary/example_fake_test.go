package ec2primary_test

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// fakeCluster starts fake ECS and EC2 endpoints for cluster prod, one
// container instance (i-0123456789abcdef0, primary interface eni-0aaa at
// 10.0.1.10) and no tasks, and returns clients for them and a function
// that stops both. The examples use them in place of
// ecs.NewFromConfig(cfg) and ec2.NewFromConfig(cfg), so that they run
// without an AWS account.
func fakeCluster() (*ecs.Client, *ec2.Client, func()) {
	ecsSrv := fakeaws.NewECS([]fakeaws.ECSCluster{{Name: "prod", ContainerInstances: []ecstypes.ContainerInstance{{
		ContainerInstanceArn: aws.String("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/abc"),
		Ec2InstanceId:        aws.String("i-0123456789abcdef0"), Status: aws.String("ACTIVE"),
	}}}})
	ec2Srv := fakeaws.NewEC2(fakeaws.EC2Data{Reservations: []ec2types.Reservation{{Instances: []ec2types.Instance{{
		InstanceId: aws.String("i-0123456789abcdef0"), PrivateIpAddress: aws.String("10.0.1.10"),
		NetworkInterfaces: []ec2types.InstanceNetworkInterface{{
			NetworkInterfaceId: aws.String("eni-0aaa"), PrivateIpAddress: aws.String("10.0.1.10"),
			Attachment: &ec2types.InstanceNetworkInterfaceAttachment{DeviceIndex: aws.Int32(0), NetworkCardIndex: aws.Int32(0)},
		}},
	}}}}})
	ecsAPI := ecs.NewFromConfig(fakeaws.Config(), func(o *ecs.Options) { o.BaseEndpoint = ecsSrv.BaseEndpoint() })
	ec2API := ec2.NewFromConfig(fakeaws.Config(), func(o *ec2.Options) { o.BaseEndpoint = ec2Srv.BaseEndpoint() })
	return ecsAPI, ec2API, func() { ecsSrv.Close(); ec2Srv.Close() }
}

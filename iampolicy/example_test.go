package iampolicy_test

import (
	"fmt"

	"github.com/ecsnet/ecsnet/iampolicy"
)

// A role for a program that reads a cluster's tasks and the flow logs
// S3 holds (what examples/attribute needs with -cluster and an s3://
// source): the statements of the paths it calls, nothing more.
func ExampleJSON() {
	fmt.Print(iampolicy.JSON(iampolicy.ECSReadCluster(), iampolicy.S3Read()))
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "EcsnetReadCluster",
	//       "Effect": "Allow",
	//       "Action": [
	//         "ecs:DescribeContainerInstances",
	//         "ecs:DescribeTaskDefinition",
	//         "ecs:DescribeTasks",
	//         "ecs:ListContainerInstances",
	//         "ecs:ListTasks"
	//       ],
	//       "Resource": "*"
	//     },
	//     {
	//       "Sid": "EcsnetReadFlowLogObjects",
	//       "Effect": "Allow",
	//       "Action": [
	//         "s3:GetObject",
	//         "s3:ListBucket"
	//       ],
	//       "Resource": "*"
	//     }
	//   ]
	// }
}

// Actions lists what statements allow, one action once, for a check
// against what a role has.
func ExampleActions() {
	for _, a := range iampolicy.Actions(iampolicy.EC2Topology(), iampolicy.EC2InstanceTypes()) {
		fmt.Println(a)
	}
	// Output:
	// ec2:DescribeInstanceTypes
	// ec2:DescribeNetworkInterfaces
	// ec2:DescribeSubnets
	// ec2:DescribeVpcs
}

package eni

// IAMPolicy is the minimum read-only IAM policy for eni's live paths:
// [ReadCluster] (and the helpers it uses) and package ec2limits. Tests
// check that these actions are enough and that each one is needed. The
// list and describe calls accept "*" or, for the ECS ones except
// DescribeTaskDefinition, resource ARNs of one cluster.
const IAMPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EcsnetEniReadCluster",
      "Effect": "Allow",
      "Action": [
        "ecs:DescribeContainerInstances",
        "ecs:DescribeTaskDefinition",
        "ecs:DescribeTasks",
        "ecs:ListContainerInstances",
        "ecs:ListTasks"
      ],
      "Resource": "*"
    },
    {
      "Sid": "EcsnetEniInstanceTypes",
      "Effect": "Allow",
      "Action": [
        "ec2:DescribeInstanceTypes"
      ],
      "Resource": "*"
    }
  ]
}
`

// iamActions are IAMPolicy's actions, sorted; a test keeps the two equal.
var iamActions = []string{
	"ec2:DescribeInstanceTypes",
	"ecs:DescribeContainerInstances",
	"ecs:DescribeTaskDefinition",
	"ecs:DescribeTasks",
	"ecs:ListContainerInstances",
	"ecs:ListTasks",
}

// IAMActions lists the actions in [IAMPolicy], sorted.
func IAMActions() []string { return append([]string(nil), iamActions...) }

package main

// iamPolicy is the one read-only IAM policy that covers every live path of
// this example (print it with -iam-policy): -cluster reads the task history
// from ECS (tasks, container instances, task definitions for the network
// mode of tasks without an ENI) and, from EC2, the instances' primary ENIs
// and the subnets and VPCs that classify peers; -log-group reads the flow
// logs from CloudWatch Logs and, unless -log-format is given, their format
// from DescribeFlowLogs; -flowlogs s3://BUCKET/PREFIX lists and reads the
// bucket's objects. None of the ECS and EC2 actions supports resource-level
// scoping; narrow the logs ones to the log group (see
// flowlogs/cwlogs.IAMPolicy) and the S3 ones to the bucket and prefix.
const iamPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EcsnetTaskHistory",
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
      "Sid": "EcsnetNetwork",
      "Effect": "Allow",
      "Action": [
        "ec2:DescribeFlowLogs",
        "ec2:DescribeInstances",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs"
      ],
      "Resource": "*"
    },
    {
      "Sid": "EcsnetReadFlowLogEvents",
      "Effect": "Allow",
      "Action": [
        "logs:DescribeLogStreams",
        "logs:FilterLogEvents",
        "logs:GetLogEvents"
      ],
      "Resource": "*"
    },
    {
      "Sid": "EcsnetReadFlowLogObjects",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": "*"
    }
  ]
}
`

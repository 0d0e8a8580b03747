package main

import "github.com/ecsnet/ecsnet/iampolicy"

// iamPolicy is the one read-only IAM policy that covers every live path of
// this example (print it with -iam-policy): -cluster reads the task history
// from ECS (tasks, container instances, task definitions for the network
// mode of tasks without an ENI) and, from EC2, the instances' primary ENIs
// and the subnets, VPCs and load balancer interfaces that classify peers;
// -log-group reads the flow logs from CloudWatch Logs and, unless
// -log-format is given, their format from DescribeFlowLogs; -flowlogs
// s3://BUCKET/PREFIX lists and reads the bucket's objects. The EC2
// Describe actions and ecs:DescribeTaskDefinition support no
// resource-level scoping; the other ECS ones can be narrowed to the
// cluster (its ARN, or its tasks' and container instances' with the
// ecs:cluster condition key), the logs ones to the log group (see
// iampolicy.CloudWatchLogsRead) and the S3 ones to the bucket and prefix.
// A bucket encrypted with a customer managed KMS key (SSE-KMS) is read
// only with kms:Decrypt on that key too, which the policy leaves out, as
// it cannot name the key (see iampolicy.S3Read).
var iamPolicy = iampolicy.JSON(
	iampolicy.ECSReadCluster(),
	iampolicy.EC2PrimaryInterfaces(),
	iampolicy.EC2Topology(),
	iampolicy.FlowLogFormat(),
	iampolicy.CloudWatchLogsRead(),
	iampolicy.S3Read(),
)

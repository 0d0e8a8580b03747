// Package iampolicy is where the module's IAM actions are written down,
// once: one [Statement] per live path, each the read-only actions that path
// calls and nothing else, and the fan-out worker's (examples/lambda), whose
// only writes are its own outputs: partials, its queue's messages, its logs. The packages' own policies (eni.IAMPolicy,
// cwlogs.IAMPolicy), the example programs' -iam-policy output, the README
// and the tests that run every live path against fakes allowing only these
// actions are all built from them, so a new call cannot be added to one
// without the others.
//
// Every statement is "Resource": "*": the ECS list and describe calls
// can be scoped by cluster at most, which a policy for any cluster cannot
// name, and the EC2 Describe calls support no resource-level permissions
// at all. The logs and S3 statements can be scoped (see their
// functions).
package iampolicy

import (
	"encoding/json"
	"slices"
)

// Statement is one Allow statement of an IAM policy.
type Statement struct {
	Sid     string
	Actions []string // sorted
}

// ECSReadCluster is what ecsread (and so eni.ReadCluster, history.Observe
// and the Watcher) calls: ecs:ListContainerInstances,
// DescribeContainerInstances, ListTasks, DescribeTasks and
// DescribeTaskDefinition.
func ECSReadCluster() Statement {
	return Statement{"EcsnetReadCluster", []string{
		"ecs:DescribeContainerInstances",
		"ecs:DescribeTaskDefinition",
		"ecs:DescribeTasks",
		"ecs:ListContainerInstances",
		"ecs:ListTasks",
	}}
}

// ECSClusterARN is what the history Watcher (examples/record) calls to
// learn its cluster's ARN when neither a task nor a container instance
// tells it (a cluster scaled to zero): closing the tasks ECS has
// forgotten needs it. Without it those tasks stay open, and the poll says
// so.
func ECSClusterARN() Statement {
	return Statement{"EcsnetClusterARN", []string{"ecs:DescribeClusters"}}
}

// EC2InstanceTypes is what eni/ec2limits calls for live ENI limits.
func EC2InstanceTypes() Statement {
	return Statement{"EcsnetInstanceTypes", []string{"ec2:DescribeInstanceTypes"}}
}

// EC2PrimaryInterfaces is what eni/history/ec2primary calls for the
// container instances' primary ENIs (bridge- and host-mode traffic).
func EC2PrimaryInterfaces() Statement {
	return Statement{"EcsnetPrimaryInterfaces", []string{"ec2:DescribeInstances"}}
}

// EC2Topology is what flowlogs/attribution/ec2topology calls to class
// peers by subnet and VPC, and to know the Application and Classic Load
// Balancer nodes (DescribeNetworkInterfaces, filtered to ELB's
// interfaces), whose cross-AZ transfer AWS does not bill.
func EC2Topology() Statement {
	return Statement{"EcsnetTopology", []string{"ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}}
}

// FlowLogFormat is what flowlogs/cwlogs/ec2format calls to discover a log
// group's record format; not needed when the format is given.
func FlowLogFormat() Statement {
	return Statement{"EcsnetFlowLogFormat", []string{"ec2:DescribeFlowLogs"}}
}

// CloudWatchLogsRead is what flowlogs/cwlogs calls: listing a group's
// streams and both read strategies. It can be scoped to one group:
// "arn:aws:logs:REGION:ACCOUNT:log-group:GROUP" and
// "arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:log-stream:*"
// (DescribeLogStreams and FilterLogEvents authorize on the group,
// GetLogEvents on the stream).
func CloudWatchLogsRead() Statement {
	return Statement{"EcsnetReadFlowLogEvents", []string{
		"logs:DescribeLogStreams",
		"logs:FilterLogEvents",
		"logs:GetLogEvents",
	}}
}

// S3Read is what flowlogs/s3source calls: s3:ListBucket on the bucket and
// s3:GetObject on the objects (scope them to "arn:aws:s3:::BUCKET" and
// "arn:aws:s3:::BUCKET/PREFIX*"; ListBucket authorizes ListObjectsV2, and
// GetObject HeadObject too).
//
// Objects encrypted with a customer managed KMS key (SSE-KMS, as a
// flow-log bucket's default encryption may be) are read only by a caller
// also allowed kms:Decrypt on that key (API_GetObject; "AccessDenied ...
// not authorized to perform: kms:Decrypt" otherwise); the AWS managed key
// aws/s3 and SSE-S3 need nothing more. It is not in this statement: with
// no key to name it would be kms:Decrypt on "*". Grant it on the key's
// ARN (an IAM statement, or the key policy), conditioned if wanted on
// kms:ViaService "s3.REGION.amazonaws.com".
func S3Read() Statement {
	return Statement{"EcsnetReadFlowLogObjects", []string{"s3:GetObject", "s3:ListBucket"}}
}

// S3ReadObject is what reading named objects needs, without listing:
// s3source.Bucket.Open on an object an event named, a history file
// (s3:GetObject authorizes HeadObject too), and, in a versioned bucket,
// the event's version of it: a GetObject with a versionId needs
// s3:GetObjectVersion, not s3:GetObject (API_GetObject). Scope it to the
// objects. Objects encrypted with a customer managed KMS key also need
// kms:Decrypt on it, as for [S3Read].
func S3ReadObject() Statement {
	return Statement{"EcsnetReadObject", []string{"s3:GetObject", "s3:GetObjectVersion"}}
}

// S3WritePartials is what the fan-out's worker (examples/lambda) calls to
// write partial results: conditional PutObject, and HeadObject of a
// partial already there (s3:GetObject), to keep the latest version's.
// Scope it to the output prefix.
func S3WritePartials() Statement {
	return Statement{"EcsnetWritePartials", []string{"s3:GetObject", "s3:PutObject"}}
}

// SQSEventSource is what Lambda's SQS event source mapping calls with the
// function's role, as AWS's managed policy AWSLambdaSQSQueueExecutionRole
// grants it (failed messages of a batch are left to their visibility
// timeout, not changed). Scope it to the queue.
func SQSEventSource() Statement {
	return Statement{"EcsnetConsumeQueue", []string{"sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"}}
}

// LambdaLogs is what a Lambda function's runtime needs to write its log
// streams into a log group the deployment creates. Scope it to that group.
func LambdaLogs() Statement {
	return Statement{"EcsnetFunctionLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}}
}

// JSON is the policy allowing stmts, indented as the AWS console shows
// policies, with a final newline. The same statements give the same bytes.
func JSON(stmts ...Statement) string {
	type statement struct {
		Sid      string
		Effect   string
		Action   []string
		Resource string
	}
	doc := struct {
		Version   string
		Statement []statement
	}{Version: "2012-10-17", Statement: []statement{}}
	for _, s := range stmts {
		a := slices.Clone(s.Actions)
		slices.Sort(a)
		doc.Statement = append(doc.Statement, statement{s.Sid, "Allow", a, "*"})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic("iampolicy: " + err.Error()) // strings only: cannot fail
	}
	return string(b) + "\n"
}

// Actions are the actions of stmts, sorted, each once.
func Actions(stmts ...Statement) []string {
	var out []string
	for _, s := range stmts {
		out = append(out, s.Actions...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

package cwlogs

import "github.com/ecsnet/ecsnet/iampolicy"

// IAMPolicy returns the minimum read-only IAM policy for this package's
// live path: listing a group's streams, both read strategies, and format
// discovery with ec2format (drop that statement if you give the format).
// Tests check that these actions are enough and that each one is needed.
//
// To scope the logs statement to one log group, replace its "*" with
//
//	"arn:aws:logs:REGION:ACCOUNT:log-group:GROUP",
//	"arn:aws:logs:REGION:ACCOUNT:log-group:GROUP:log-stream:*"
//
// (DescribeLogStreams and FilterLogEvents authorize on the log group,
// GetLogEvents on the log stream). ec2:DescribeFlowLogs supports no
// resource-level permissions, so it keeps "*". The statements come from
// package iampolicy.
func IAMPolicy() string {
	return iampolicy.JSON(iampolicy.CloudWatchLogsRead(), iampolicy.FlowLogFormat())
}

// IAMActions lists the actions in [IAMPolicy], sorted.
func IAMActions() []string {
	return iampolicy.Actions(iampolicy.CloudWatchLogsRead(), iampolicy.FlowLogFormat())
}

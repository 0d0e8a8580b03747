package cwlogs

import (
	"encoding/json"
	"sort"
)

// IAMPolicy is the minimum read-only IAM policy for this package's live
// path: listing a group's streams, both read strategies, and format
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
// resource-level permissions, so it keeps "*".
const IAMPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
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
      "Sid": "EcsnetFlowLogFormat",
      "Effect": "Allow",
      "Action": [
        "ec2:DescribeFlowLogs"
      ],
      "Resource": "*"
    }
  ]
}
`

// IAMActions lists the actions in [IAMPolicy], sorted.
func IAMActions() []string {
	var p struct {
		Statement []struct {
			Action []string
		}
	}
	if err := json.Unmarshal([]byte(IAMPolicy), &p); err != nil {
		panic("cwlogs: IAMPolicy is not valid JSON: " + err.Error()) // a constant; covered by tests
	}
	var out []string
	for _, s := range p.Statement {
		out = append(out, s.Action...)
	}
	sort.Strings(out)
	return out
}

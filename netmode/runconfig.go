package netmode

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Codes for the networkConfiguration of RunTask, StartTask and
// CreateService/UpdateService (reference §2 and §9).
const (
	// awsvpc needs networkConfiguration.awsvpcConfiguration.
	CodeNetworkConfigurationMissing Code = "network-configuration-missing"
	// Other modes reject networkConfiguration.awsvpcConfiguration.
	CodeNetworkConfigurationNotValid Code = "network-configuration-not-valid"
	// awsvpcConfiguration needs 1 to 16 subnets.
	CodeSubnetCount Code = "subnet-count"
	// awsvpcConfiguration takes at most 5 security groups.
	CodeSecurityGroupCount Code = "security-group-count"
)

// ValidateNetworkConfiguration checks the networkConfiguration a RunTask,
// StartTask or CreateService call would pass for tasks in mode m, with
// ECS's own messages where they are on record. It returns Problems or nil;
// paths start at "networkConfiguration".
func ValidateNetworkConfiguration(m Mode, nc *types.NetworkConfiguration) error {
	var ps Problems
	add := func(path string, code Code, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Code: code, Severity: SeverityError, Message: fmt.Sprintf(format, args...)})
	}
	var vpc *types.AwsVpcConfiguration
	if nc != nil {
		vpc = nc.AwsvpcConfiguration
	}
	switch {
	case m == ModeAWSVPC && vpc == nil:
		// InvalidParameterException text (fabfuel/ecs-deploy#133).
		add("networkConfiguration", CodeNetworkConfigurationMissing,
			"Network Configuration must be provided when networkMode 'awsvpc' is specified.")
	case m != ModeAWSVPC && vpc != nil:
		// InvalidParameterException text, backticks included
		// (muya/amazon-ecs-run-task#7).
		add("networkConfiguration", CodeNetworkConfigurationNotValid,
			"Network Configuration is not valid for the given `networkMode` of this task definition.")
	case vpc != nil:
		// One subnet per task ENI, chosen from up to 16; up to 5 security
		// groups ([API] AwsVpcConfiguration; reference §2).
		if n := len(vpc.Subnets); n == 0 || n > 16 {
			add("networkConfiguration.awsvpcConfiguration.subnets", CodeSubnetCount,
				"awsvpcConfiguration needs between 1 and 16 subnets, all in one VPC; got %d.", n)
		}
		if n := len(vpc.SecurityGroups); n > 5 {
			add("networkConfiguration.awsvpcConfiguration.securityGroups", CodeSecurityGroupCount,
				"awsvpcConfiguration takes at most 5 security groups; got %d.", n)
		}
	}
	return ps.Err()
}

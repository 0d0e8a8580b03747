package netmode

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestValidateNetworkConfiguration(t *testing.T) {
	vpc := func(subnets, sgs int) *types.NetworkConfiguration {
		c := &types.AwsVpcConfiguration{}
		for i := 0; i < subnets; i++ {
			c.Subnets = append(c.Subnets, "subnet-1")
		}
		for i := 0; i < sgs; i++ {
			c.SecurityGroups = append(c.SecurityGroups, "sg-1")
		}
		return &types.NetworkConfiguration{AwsvpcConfiguration: c}
	}
	tests := []struct {
		name  string
		mode  Mode
		nc    *types.NetworkConfiguration
		codes []Code
		msg   string
	}{
		{"awsvpc ok", ModeAWSVPC, vpc(2, 1), nil, ""},
		{"awsvpc 16 subnets 5 sgs ok", ModeAWSVPC, vpc(16, 5), nil, ""},
		{"awsvpc missing", ModeAWSVPC, nil, []Code{CodeNetworkConfigurationMissing}, "Network Configuration must be provided when networkMode 'awsvpc' is specified."},
		{"awsvpc empty", ModeAWSVPC, &types.NetworkConfiguration{}, []Code{CodeNetworkConfigurationMissing}, ""},
		{"bridge ok", ModeBridge, nil, nil, ""},
		{"bridge with vpc", ModeBridge, vpc(1, 0), []Code{CodeNetworkConfigurationNotValid}, "Network Configuration is not valid for the given `networkMode` of this task definition."},
		{"no subnets", ModeAWSVPC, vpc(0, 1), []Code{CodeSubnetCount}, ""},
		{"17 subnets, 6 sgs", ModeAWSVPC, vpc(17, 6), []Code{CodeSubnetCount, CodeSecurityGroupCount}, ""},
	}
	for _, tt := range tests {
		err := ValidateNetworkConfiguration(tt.mode, tt.nc)
		var ps Problems
		if err != nil && !errors.As(err, &ps) {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(ps) != len(tt.codes) {
			t.Errorf("%s: got %v", tt.name, err)
			continue
		}
		for i, c := range tt.codes {
			if ps[i].Code != c || ps[i].Severity != SeverityError {
				t.Errorf("%s: problem %d = %v", tt.name, i, ps[i])
			}
		}
		if tt.msg != "" && ps[0].Message != tt.msg {
			t.Errorf("%s: message %q", tt.name, ps[0].Message)
		}
	}
}

// TestNetworkConfigurationErrorSaysWhat: the problems of a network
// configuration were said to be the task definition's ("netmode: task
// definition has 1 error"), which a RunTask caller checking its
// networkConfiguration would look for in the wrong place.
func TestNetworkConfigurationErrorSaysWhat(t *testing.T) {
	err := ValidateNetworkConfiguration(ModeAWSVPC, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "netmode: network configuration has 1 error and 0 warnings\n") {
		t.Errorf("got %v", err)
	}
}

// Package loggroup reads a CloudWatch Logs log group given by name or by
// ARN, as the library's log-group paths and programs take it.
package loggroup

import (
	"errors"
	"fmt"
	"strings"
)

// Parse returns the name of the log group s names, and its ARN without the
// ":*" DescribeLogGroups appends when s is one
// (arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME; a name has no ':').
// An empty s, or an ARN that is not a log group's, is an error.
func Parse(s string) (name, arn string, err error) {
	if s == "" {
		return "", "", errors.New("empty log group name")
	}
	if !strings.HasPrefix(s, "arn:") {
		return s, "", nil
	}
	arn = strings.TrimSuffix(s, ":*")
	parts := strings.Split(arn, ":")
	if len(parts) != 7 || parts[2] != "logs" || parts[5] != "log-group" || parts[6] == "" {
		return "", "", fmt.Errorf("log group %q: not a log group name or ARN (arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME)", s)
	}
	return parts[6], arn, nil
}

// ErrOtherRegion is what CheckRegion's error wraps.
var ErrOtherRegion = errors.New("CloudWatch Logs reads a log group in its own Region only")

// CheckRegion reports, before any call, a log group ARN s of another
// Region than region, the client's: CloudWatch Logs reads a group only
// in its own Region (a cross-account monitoring account too), and EC2's
// DescribeFlowLogs lists the flow logs of the client's Region only. A
// name, an ARN that does not say its Region, or an unknown client
// Region ("") is no error.
func CheckRegion(s, region string) error {
	_, arn, err := Parse(s)
	if err != nil || arn == "" || region == "" {
		return nil
	}
	if r := strings.Split(arn, ":")[3]; r != "" && r != region {
		return fmt.Errorf("log group %s is in Region %s, not the client's %s: %w; use that Region (AWS_REGION=%s)", arn, r, region, ErrOtherRegion, r)
	}
	return nil
}

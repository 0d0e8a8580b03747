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

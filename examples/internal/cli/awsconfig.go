package cli

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/ecsnet/ecsnet/internal/awsredact"
)

// ErrNoRegion is AWSConfig's error when no AWS Region is configured: the
// SDK would fail every call with "Invalid region: region was not a valid
// DNS name", which names neither the cause nor the fix.
var ErrNoRegion = errors.New("no AWS Region configured: set AWS_REGION, or region in the profile you use (AWS_PROFILE, ~/.aws/config)")

// AWSConfig is config.LoadDefaultConfig (environment, shared config and
// credentials files, SSO, IMDS) that refuses a configuration without a
// Region. Its clients' API errors say no session token or signature
// (awsredact): the message of a request whose signature does not match
// quotes the canonical request, the token among its headers, and the
// programs print errors.
func AWSConfig(ctx context.Context, opts ...func(*config.LoadOptions) error) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err == nil && cfg.Region == "" {
		err = ErrNoRegion
	}
	if err == nil {
		awsredact.Config(&cfg)
	}
	return cfg, err
}

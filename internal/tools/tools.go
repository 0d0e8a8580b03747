//go:build tools

// Package tools pins the module's dependencies while the packages that use
// them are being written, so that parallel work never races on go.mod.
package tools

import (
	_ "github.com/aws/aws-sdk-go-v2/aws"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/credentials"
	_ "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	_ "github.com/aws/aws-sdk-go-v2/service/ec2"
	_ "github.com/aws/aws-sdk-go-v2/service/ecs"
	_ "github.com/aws/aws-sdk-go-v2/service/s3"
	_ "github.com/aws/smithy-go"
	_ "github.com/klauspost/compress/gzip"
	_ "github.com/parquet-go/parquet-go"
	_ "golang.org/x/sync/errgroup"
	_ "gonum.org/v1/plot"
)

package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// ownerGuard sends every request with the bucket owner condition
// (x-amz-expected-bucket-owner): S3 refuses it, 403 Access Denied, when
// another account owns the bucket.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
type ownerGuard struct {
	S3API
	owner string
}

func (g ownerGuard) HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	c := *in
	c.ExpectedBucketOwner = aws.String(g.owner)
	return g.S3API.HeadObject(ctx, &c, optFns...)
}

func (g ownerGuard) GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c := *in
	c.ExpectedBucketOwner = aws.String(g.owner)
	return g.S3API.GetObject(ctx, &c, optFns...)
}

func (g ownerGuard) PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	c := *in
	c.ExpectedBucketOwner = aws.String(g.owner)
	return g.S3API.PutObject(ctx, &c, optFns...)
}

func (g ownerGuard) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	c := *in
	c.ExpectedBucketOwner = aws.String(g.owner)
	return g.S3API.ListObjectsV2(ctx, &c, optFns...)
}

// accountID reports whether s is an AWS account ID: 12 digits.
func accountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

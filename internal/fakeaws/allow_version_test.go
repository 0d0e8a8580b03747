package fakeaws

import (
	"context"
	"errors"
	"io"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/iampolicy"
)

// TestAllowNoActionDeniesAll: the programs' tests allow a fake "the
// policy's actions of this service", picked out of the printed policy
// (attribute's S3 fake takes its "s3:" actions, enibudget's EC2 fake its
// non-ECS ones). A policy without a statement for the service gives no
// action, and Allow() with none allowed every action: a policy that lost
// its S3 or EC2 statement still passed the test that enforces it, while a
// real run would be denied. A role with no statement for a service may
// call none of its actions; AllowAll lifts the restriction.
func TestAllowNoActionDeniesAll(t *testing.T) {
	f := NewS3()
	defer f.Close()
	f.CreateBucket("b")
	c := newS3Client(f)
	ctx := context.Background()
	// A policy without S3Read, and its s3: actions as the tests pick them.
	policy := iampolicy.JSON(iampolicy.ECSReadCluster(), iampolicy.CloudWatchLogsRead())
	var allowed []string
	for _, m := range regexp.MustCompile(`"(s3:[A-Za-z]+)"`).FindAllStringSubmatch(policy, -1) {
		allowed = append(allowed, m[1])
	}
	f.Allow(allowed...)
	if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b")}); apiCode(err) != "AccessDenied" {
		t.Errorf("allowed no action (a policy without S3 statements): ListObjectsV2 answered %v; want AccessDenied", err)
	}
	f.AllowAll()
	if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b")}); err != nil {
		t.Errorf("after AllowAll: %v", err)
	}
}

// TestVersionIDWithoutVersioning: S3 keeps one version of a key of
// a bucket without versioning, whose ID is "null"; a GetObject naming
// another version ID is refused (400 InvalidArgument), not answered with
// the current object. The fake served the current object, so a test could
// pass with a version ID that no bucket of AWS would accept (examples/lambda's
// TestVersionedBucketWithTheRole read an unversioned bucket by a made-up
// version ID).
func TestVersionIDWithoutVersioning(t *testing.T) {
	f := NewS3()
	defer f.Close()
	f.PutObject("b", "k", []byte("current"))
	c := newS3Client(f)
	ctx := context.Background()
	_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), VersionId: aws.String("3HL4kqtJvjVBH40Nrjfkd")})
	var re *awshttp.ResponseError
	if apiCode(err) != "InvalidArgument" || !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Errorf("a version ID in a bucket without versioning: %v; want 400 InvalidArgument", err)
	}
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), VersionId: aws.String("3HL4kqtJvjVBH40Nrjfkd")})
	if !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Errorf("HeadObject of a version ID in a bucket without versioning: %v; want 400", err)
	}
	// "null" is the ID of the one version such a bucket keeps.
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("k"), VersionId: aws.String("null")})
	if err != nil {
		t.Fatalf("versionId null: %v", err)
	}
	b, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(b) != "current" {
		t.Errorf("versionId null: %q", b)
	}
}

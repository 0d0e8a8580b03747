package s3source

import (
	"context"
	"errors"
	"io"
	"testing"

	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestResumeAtByteZeroIsPinned: Open's doc says the read "resumes after a cut connection with a ranged
// GetObject pinned to the same ETag (or, without one, to the first
// response's); if the object was replaced since, the read fails". A body
// cut before its first byte, of an object opened without a listed ETag,
// was resumed unpinned and read the replacement's bytes.
func TestResumeAtByteZeroIsPinned(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	const key = "AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/11/25/111111111111_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log"
	f.PutObject("logs", key, []byte(header+"2 111111111111 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\n"))
	c := &cutOnce{API: client(f), n: 0, onCut: func() { f.PutObject("logs", key, []byte("replaced")) }}
	b := &Bucket{Client: c, Bucket: "logs"}
	rc, err := b.Open(context.Background(), source.Object{Name: key, Size: -1}) // no ETag: not from a listing
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, err := io.ReadAll(rc)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "PreconditionFailed" {
		t.Fatalf("read %q, err=%v; want PreconditionFailed (requests: %q)", got, err, c.ranges)
	}
}

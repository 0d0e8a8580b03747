package s3source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

func gzMember(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// An object of two gzip members (concatenated delivery objects) whose body
// is cut exactly after the first member while the object is replaced: the
// resume fails with PreconditionFailed, and so does the read (the gzip
// reader once took the failure at a member's end for the end).
func TestFailedResumeAtMemberBoundary(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	const key = "AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/11/25/111111111111_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.gz"
	rec := func(b int) string {
		return "2 111111111111 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 " + string(rune('0'+b)) + " 1700000000 1700000060 ACCEPT OK\n"
	}
	m1 := gzMember(header + rec(1) + rec(2))
	m2 := gzMember(header + rec(3) + rec(4))
	f.PutObject("logs", key, append(append([]byte(nil), m1...), m2...))
	c := &cutOnce{API: client(f), n: len(m1), onCut: func() { f.PutObject("logs", key, []byte("replaced")) }}
	n := 0
	err := source.Each(context.Background(), &Bucket{Client: c, Bucket: "logs"}, func(_ source.Object, r *flowlogs.Reader) error {
		for r.Scan() {
			n++
		}
		return nil
	}, source.WithConcurrency(1))
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "PreconditionFailed" {
		t.Fatalf("want PreconditionFailed, got %d of 4 records and err=%v", n, err)
	}
}

var errChecksum = errors.New("checksum did not match: algorithm CRC64NVME")

// failAtEOF is what the SDK's response checksum validator does on a
// mismatch: the Read that would return io.EOF returns the checksum error.
type failAtEOF struct{ io.ReadCloser }

func (f failAtEOF) Read(p []byte) (int, error) {
	n, err := f.ReadCloser.Read(p)
	if err == io.EOF {
		return n, errChecksum
	}
	return n, err
}

type corruptFirstGet struct{ API }

func (c corruptFirstGet) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	out, err := c.API.GetObject(ctx, in, o...)
	if err == nil && in.Range == nil {
		out.Body = failAtEOF{out.Body}
	}
	return out, err
}

// An error after the whole body was read (the SDK's checksum validation)
// is that error: a resume would ask for the bytes past the end, which S3
// answers 416, and lose it.
func TestErrorAfterTheWholeBody(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	f.PutObject("logs", "a.log", []byte(header))
	b := &Bucket{Client: corruptFirstGet{client(f)}, Bucket: "logs"}
	rc, err := b.Open(context.Background(), source.Object{Name: "a.log"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	if !errors.Is(err, errChecksum) {
		t.Fatalf("checksum error not in the chain: %v", err)
	}
}

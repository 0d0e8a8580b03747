package flowlogs

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// cutReader yields its text, then fails with err.
type cutReader struct {
	r   io.Reader
	err error
}

func (c *cutReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		err = c.err
	}
	return n, err
}

// TestReadErrorNamesSourceOnce: a read error that already names the
// input (s3source's, of an object whose body was cut past its resumes:
// "s3source: s3://bucket/KEY: body cut …") must not have the Reader name
// it again; one that does not name it gets WithSource's name, once.
func TestReadErrorNamesSourceOnce(t *testing.T) {
	const key = "prod/AWSLogs/1/vpcflowlogs/us-east-1/2026/11/25/a.log"
	text := "version bytes\n2 40\n2 41\n"
	cases := []struct {
		err  error
		name string
	}{
		{fmt.Errorf("s3source: s3://logs/%s: body cut at byte 20 of 229, 3 resumes: %w", key, io.ErrUnexpectedEOF), key},
		{io.ErrUnexpectedEOF, key},
		{fmt.Errorf("data after %w", io.ErrUnexpectedEOF), "data"}, // "data" in other words names no input
	}
	for _, c := range cases {
		r := NewReader(&cutReader{strings.NewReader(text), c.err}, WithSource(c.name), WithSyncDecompression())
		for r.Scan() {
		}
		err := r.Err()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("%v: the cause is lost: %v", c.err, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "input truncated after 2 records") {
			t.Errorf("how far the read got is lost: %v", msg)
		}
		if n := strings.Count(msg, c.name); n != 1 && !(c.name == "data" && n == 2) {
			t.Errorf("%q names %s %d times", msg, c.name, n)
		}
		if c.name == "data" && !strings.HasPrefix(msg, "flowlogs: data: ") {
			t.Errorf("%q does not name the input", msg)
		}
	}
}

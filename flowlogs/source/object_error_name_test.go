package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestObjectErrorNamesObject: an *ObjectError names its object once.
// Its message left the name out whenever the error's text held the name
// anywhere, as part of other words too: Map's fn failing with "no data
// for eni-1" over a file named "data" said which ENI, never which file.
func TestObjectErrorNamesObject(t *testing.T) {
	t.Chdir(t.TempDir()) // a file named by a short relative path
	if err := os.WriteFile("data", []byte(hdrLine+rec), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Each(context.Background(), Files{"data"}, func(o Object, r *flowlogs.Reader) error {
		for r.Scan() {
		}
		return errors.New("no data for eni-1")
	})
	var oe *ObjectError
	if !errors.As(err, &oe) || oe.Name != "data" {
		t.Fatalf("not an *ObjectError of data: %v", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "data: ") {
		t.Errorf("the object is not named: %q", msg)
	}
	// Errors that name the object keep naming it once.
	for _, e := range []*ObjectError{
		{Name: "data", Err: &flowlogs.ParseError{Name: "data", Line: 3, Field: "bytes", Value: "x", Err: flowlogs.ErrSyntax}},
		{Name: "data", Err: &os.PathError{Op: "open", Path: "data", Err: os.ErrNotExist}},
		{Name: "k/data", Err: errors.New("s3source: s3://b/k/data (listed with ETag \"e\"): AccessDenied")},
		{Name: "k/data", Err: errors.New("flowlogs: k/data: input truncated after 2 records (3 lines): unexpected EOF")},
		{Name: filepath.Join("x", "data"), Err: &ReadPanic{Name: filepath.Join("x", "data"), Value: "boom"}},
	} {
		if msg := e.Error(); strings.Count(msg, e.Name) != 1 {
			t.Errorf("%q names the object %d times", msg, strings.Count(msg, e.Name))
		}
	}
}

const (
	hdrLine = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
	rec     = "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK\n"
)

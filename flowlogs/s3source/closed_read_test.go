package s3source

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestReadAfterClose: reading an object after Close is an error, as for a
// closed file, not a new GetObject of the whole object.
func TestReadAfterClose(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	f.PutObject("logs", "a.log", []byte(header))
	b := &Bucket{Client: client(f), Bucket: "logs"}
	rc, err := b.Open(context.Background(), source.Object{Name: "a.log", Size: -1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rc); err != nil {
		t.Fatal(err)
	}
	if err := rc.Close(); err != nil {
		t.Fatal(err)
	}
	before := f.Calls()["s3:GetObject"]
	n, err := rc.Read(make([]byte, 10))
	if n != 0 || !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Read after Close = %d, %v; want 0 and fs.ErrClosed", n, err)
	}
	if after := f.Calls()["s3:GetObject"]; after != before {
		t.Errorf("Read after Close made %d GetObject calls", after-before)
	}
}

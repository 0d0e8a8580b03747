package parquetsource

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// TestSchemaKeepsFormatError: a file whose column names are no
// flow-log header (one field twice, in two spellings) is refused with
// ErrSchema, and the header's own error, flowlogs.ErrFormat, stays in the
// chain as the text reader's error for the same header has it; through
// source.Records too, naming the file once.
func TestSchemaKeepsFormatError(t *testing.T) {
	type dup struct {
		A string `parquet:"version"`
		B string `parquet:"Version"`
	}
	var b bytes.Buffer
	if err := parquet.Write(&b, []dup{{"2", "2"}}); err != nil {
		t.Fatal(err)
	}
	_, err := Open(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if !errors.Is(err, ErrSchema) || !errors.Is(err, flowlogs.ErrFormat) {
		t.Errorf("Open: errors.Is ErrSchema %v, ErrFormat %v: %v", errors.Is(err, ErrSchema), errors.Is(err, flowlogs.ErrFormat), err)
	}
	p := filepath.Join(t.TempDir(), "dup.parquet")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, err := range source.Records(context.Background(), source.Files{p}, WithDecoder()) {
		if err == nil {
			t.Fatal("a record read from a file of no flow-log schema")
		}
		var oe *source.ObjectError
		if !errors.As(err, &oe) || oe.Name != p || !errors.Is(err, ErrSchema) || !errors.Is(err, flowlogs.ErrFormat) {
			t.Errorf("source.Records: %v", err)
		}
		if n := strings.Count(err.Error(), p); n != 1 {
			t.Errorf("file named %d times: %v", n, err)
		}
	}
}

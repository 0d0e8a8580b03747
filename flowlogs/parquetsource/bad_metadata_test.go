package parquetsource

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/internal/parquetguard"
)

// TestBadMetadataIsCorrupt: "Corrupt files are errors" whose checks
// are internal/parquetguard's (errors wrapping its ErrCorrupt, the
// package's errCorrupt). A footer that is valid thrift, so that the
// guard's CheckFooter passes it, but not file metadata (an empty
// FileMetaData) was reported as parquet-go's error alone.
func TestBadMetadataIsCorrupt(t *testing.T) {
	empty := []byte("PAR1\x00\x01\x00\x00\x00PAR1")
	_, err := NewReader(bytes.NewReader(empty), int64(len(empty)), flowlogs.WithSource("s3://b/k.parquet"))
	if !errors.Is(err, parquetguard.ErrCorrupt) || !strings.HasPrefix(err.Error(), "s3://b/k.parquet: parquetsource: corrupt file: ") {
		t.Errorf("empty file metadata: %v, want a corrupt-file error naming the object", err)
	}
}

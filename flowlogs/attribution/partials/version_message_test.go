package partials_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/parquet-go/parquet-go"
)

// TestNewerVersionSaysNewer: a partials file of the next schema
// version (a later ecsnet's worker, in the same OUTPUT_PREFIX) is refused
// with ErrVersion, naming the file and saying that a newer ecsnet wrote
// it, not only that it is "not a partials file"; an older one says to
// write it again.
func TestNewerVersionSaysNewer(t *testing.T) {
	h := cluster(t)
	rows, err := partials.Rows(attribute(t, h, objects(3, 1, 200)).Partial())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		version int
		want    string
	}{
		{partials.SchemaVersion + 1, "newer ecsnet"},
		{partials.SchemaVersion - 1, "older ecsnet"},
	} {
		var b bytes.Buffer
		w := parquet.NewGenericWriter[partials.Row](&b, parquet.KeyValueMetadata(partials.MetadataKey, strconv.Itoa(c.version)))
		if _, err := w.Write(rows); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		_, err := partials.Read(bytes.NewReader(b.Bytes()), int64(b.Len()), "part.parquet")
		if !errors.Is(err, partials.ErrVersion) || !strings.Contains(err.Error(), "part.parquet") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("version %d: %v, want ErrVersion naming part.parquet and %q", c.version, err, c.want)
		}
	}
}

package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestDirUnderAFolderNamedAWSLogs: a local copy of a bucket kept
// below a folder that happens to be named AWSLogs (say
// ~/AWSLogs/<bucket>/, a folder per bucket synced with aws s3 sync). Dir
// judges the whole path from the first AWSLogs segment, takes <bucket> for
// an organization segment and the real AWSLogs folder for a malformed
// account, and drops the whole tree: no object is listed, even with no
// pruning at all.
func TestDirUnderAFolderNamedAWSLogs(t *testing.T) {
	root := filepath.Join(t.TempDir(), "AWSLogs", "prod-flow-logs")
	dir := filepath.Join(root, filepath.FromSlash("AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name1620), []byte("version\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []Prune{{}, {Since: utc(2026, 11, 25, 16, 0), Until: utc(2026, 11, 25, 17, 0)}} {
		objs, err := (&Dir{Root: root, Prune: p}).List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) != 1 {
			t.Errorf("Prune %+v: listed %d objects, want 1", p, len(objs))
		}
	}
	// The key itself, as ParseKey sees it: its partition is lost too.
	k, err := ParseKey(filepath.ToSlash(filepath.Join(dir, name1620)))
	if err != nil || k.Partition.IsZero() || k.Prefix == "" {
		t.Errorf("ParseKey: %+v, %v; want the day partition and the prefix up to the last AWSLogs", k, err)
	}
}

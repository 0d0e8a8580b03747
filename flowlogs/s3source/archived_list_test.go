package s3source

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestArchivedRefusedAtListing: objects a lifecycle rule moved to
// GLACIER or DEEP_ARCHIVE cannot be read until restored, which
// ListObjectsV2 says (StorageClass, and RestoreStatus when asked): List
// must refuse them before any object is read, naming how many, which and
// their class, not leave the read to fail at the first of them after
// reading every object before it. An object with a completed restore,
// one in GLACIER_IR, and an archived object outside the selection are
// no reason to refuse.
func TestArchivedRefusedAtListing(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	var east, west []string
	for _, o := range objs {
		if strings.Contains(o.key, "us-east-1") {
			east = append(east, o.key)
		} else {
			west = append(west, o.key)
		}
	}
	f.SetStorageClass("logs", east[1], "GLACIER_IR") // readable as is
	f.SetStorageClass("logs", east[2], "GLACIER")    // restored: readable
	f.SetRestore("logs", east[2], false, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	f.SetStorageClass("logs", west[3], "DEEP_ARCHIVE") // not selected
	b := &Bucket{Client: client(f), Bucket: "logs", Prefix: "prod/AWSLogs/", Prune: source.Prune{Regions: []string{"us-east-1"}}}
	got, err := b.List(context.Background())
	if err != nil {
		t.Fatalf("List with a restored GLACIER object, a GLACIER_IR one and an unselected DEEP_ARCHIVE one: %v", err)
	}
	if len(got) != len(east) {
		t.Errorf("List: %d objects; want %d", len(got), len(east))
	}
	for rec, err := range source.Records(context.Background(), b) {
		if err != nil {
			t.Fatalf("reading a restored GLACIER object and a GLACIER_IR one: %v", err)
		}
		_ = rec
	}

	f.SetStorageClass("logs", east[5], "DEEP_ARCHIVE")
	f.SetStorageClass("logs", east[9], "GLACIER")
	f.SetRestore("logs", east[9], true, time.Time{}) // asked, not done
	gets := f.Calls()["s3:GetObject"]
	_, err = b.List(context.Background())
	var ae *ArchivedError
	if !errors.As(err, &ae) {
		t.Fatalf("List with a DEEP_ARCHIVE object and a GLACIER one still being restored: %v; want an *ArchivedError", err)
	}
	if len(ae.Objects) != 2 || ae.Objects[0].Key != east[5] || ae.Objects[1].Key != east[9] || !ae.Objects[1].RestoreInProgress {
		t.Errorf("ArchivedError.Objects = %+v; want %s and %s (restore in progress)", ae.Objects, east[5], east[9])
	}
	// The others can still be read, by a caller that accepts the gap.
	if len(ae.Readable) != len(east)-2 {
		t.Errorf("ArchivedError.Readable: %d objects; want the %d others", len(ae.Readable), len(east)-2)
	}
	for i, o := range ae.Readable {
		if o.Name == east[5] || o.Name == east[9] || (i > 0 && ae.Readable[i-1].Name >= o.Name) {
			t.Errorf("ArchivedError.Readable[%d] = %s: an archived object, or out of key order", i, o.Name)
		}
	}
	for _, want := range []string{"2 of the objects", "1 in DEEP_ARCHIVE", "1 in GLACIER", east[5], east[9], "restore in progress", "restore-object"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("List: %v; want it to say %q", err, want)
		}
	}
	if n := f.Calls()["s3:GetObject"] - gets; n != 0 {
		t.Errorf("List sent %d GetObject; want none", n)
	}
	gets = f.Calls()["s3:GetObject"]
	n := 0
	for _, err := range source.Records(context.Background(), source.Listed{Source: b, Objects: ae.Readable}) {
		if err != nil {
			t.Fatalf("reading ArchivedError.Readable: %v", err)
		}
		n++
	}
	if got := f.Calls()["s3:GetObject"] - gets; n == 0 || got != len(ae.Readable) {
		t.Errorf("reading ArchivedError.Readable: %d records, %d GetObject; want records and one GetObject an object (%d)", n, got, len(ae.Readable))
	}
}

package main

import (
	"path/filepath"
	"testing"
)

// TestDeliveryOfLocalPath: deliveryOf names the delivery of a
// local file by its path as the program builds it (filepath.Join), as
// source.Files and source.Dir do (filepath.ToSlash before ParseKey). It
// passed the path to ParseKey as it was: on Windows, whose separator is
// a backslash, the whole path was taken for the file name and no local
// file named a delivery, so a .log.gz and its decompressed copy (or a
// bucket and a local copy of it) were not refused as one delivery given
// twice. On Linux the path has slashes and this passes either way; it
// guards the Windows build.
func TestDeliveryOfLocalPath(t *testing.T) {
	const dn = "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20261125T1035Z_9f927185"
	for _, name := range []string{
		filepath.Join("logs", "AWSLogs", "123456789012", "vpcflowlogs", "us-east-1", "2026", "11", "25", dn+".log.gz"),
		filepath.Join("copy", dn+".log"),
		"s3://bucket/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/" + dn + ".log.gz",
	} {
		if got := deliveryOf(name); got != dn {
			t.Errorf("deliveryOf(%q) = %q, want %q", name, got, dn)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnknownIPv4PerENI: a -limits file may leave ipv4_per_eni out
// (the library reads it as 0, unknown, as it reads an absent ipv6_per_eni
// as -1); -instance-type printed "addresses per ENI 0 IPv4, unknown
// IPv6": a zero for a number nobody gave, beside the IPv6 side said to be
// unknown. An ENI has at least its primary address: unknown is unknown.
func TestUnknownIPv4PerENI(t *testing.T) {
	file := filepath.Join(t.TempDir(), "limits.tsv")
	if err := os.WriteFile(file, []byte("instance_type\tmax_enis\nx99.large\t4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := runOK(t, "-limits", file, "-instance-type", "x99.large")
	if strings.Contains(out, "0 IPv4") || !strings.Contains(out, "unknown IPv4, unknown IPv6") {
		t.Errorf("want the IPv4 addresses per ENI said to be unknown:\n%s", out)
	}
	// Known numbers still print.
	if out, _ := runOK(t, "-instance-type", "c5.large"); !strings.Contains(out, "10 IPv4, 10 IPv6") {
		t.Errorf("c5.large:\n%s", out)
	}
}

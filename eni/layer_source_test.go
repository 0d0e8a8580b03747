package eni

import (
	"context"
	"strings"
	"testing"
)

// TestLayerSourceOnlyWhenTaken: Budget.Source (and
// InstanceType.Source) joins several sources with " + " "when Layer took
// fields from more than one". A file row that gives every field takes
// nothing from the built-in table below it, so its Source is the file's
// alone.
func TestLayerSourceOnlyWhenTaken(t *testing.T) {
	const tsv = "instance_type\tmax_enis\tipv4_per_eni\tipv6_per_eni\tnetwork_cards\tmax_enis_default_card\tdefault_network_card_index\thypervisor\tbare_metal\ttasks_without_trunking\ttasks_with_trunking\n" +
		"m5.large\t3\t10\t10\t1\t3\t0\tnitro\tfalse\t2\t10\n"
	file, err := ParseLimitsTSV(strings.NewReader(tsv), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	it, err := Layer(file, Builtin()).Lookup(context.Background(), "m5.large")
	if err != nil {
		t.Fatal(err)
	}
	if it.Source != "mine.tsv" {
		t.Errorf("Source = %q, want %q: nothing came from the built-in table", it.Source, "mine.tsv")
	}
	// A row that leaves fields to the table below still names both.
	file, err = ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\nm5.large\t3\n"), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	it, err = Layer(file, Builtin()).Lookup(context.Background(), "m5.large")
	if err != nil || it.Source != "mine.tsv + built-in" {
		t.Errorf("sparse row: Source = %q (%v), want %q", it.Source, err, "mine.tsv + built-in")
	}
}

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

// TestLayerSourceSubstringName: Layer names a later source in
// Source "only when a field came from it", but decided whether Source
// named it already with strings.Contains: a later source whose name is
// the tail of an earlier one's ("limits.tsv" after "my-limits.tsv") was
// never named, though its trunking limit was used.
func TestLayerSourceSubstringName(t *testing.T) {
	mine, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\nm5.large\t3\n"), "my-limits.tsv")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\ttasks_with_trunking\nm5.large\t3\t10\n"), "limits.tsv")
	if err != nil {
		t.Fatal(err)
	}
	it, err := Layer(mine, theirs).Lookup(context.Background(), "m5.large")
	if err != nil {
		t.Fatal(err)
	}
	if it.Trunking.Tasks != 10 {
		t.Fatalf("trunking tasks %d, want 10 from limits.tsv", it.Trunking.Tasks)
	}
	if it.Source != "my-limits.tsv + limits.tsv" {
		t.Errorf("Source %q, want %q: the trunking limit came from limits.tsv", it.Source, "my-limits.tsv + limits.tsv")
	}
}

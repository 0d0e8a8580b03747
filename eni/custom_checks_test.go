package eni

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestJSONTrailingDataRejected: a JSON limits file with data after its array
// (a second array pasted in, a stray bracket) must not load only the first
// array silently.
func TestJSONTrailingDataRejected(t *testing.T) {
	for _, s := range []string{
		"[{\"instance_type\":\"a.large\",\"max_enis\":2}]\n[{\"instance_type\":\"b.large\",\"max_enis\":3}]\n",
		"[\n {\"instance_type\":\"a.large\",\"max_enis\":2}\n]\n]\n",
	} {
		tab, err := ParseLimitsJSON(strings.NewReader(s), "f.json")
		var de *DataError
		if !errors.As(err, &de) || de.Line < 2 {
			n := -1
			if tab != nil {
				n = tab.Len()
			}
			t.Errorf("%q: got %v (%d types), want a DataError at the trailing data", s, err, n)
		}
	}
}

// TestUnknownNoteRejected: a note the parser does not know must not silently
// drop the flags the row's other notes carry (the generator rejects such a
// note).
func TestUnknownNoteRejected(t *testing.T) {
	tsv := "instance_type\tmax_enis\ttasks_without_trunking\ttasks_with_trunking\tnotes\n" +
		"x.large\t15\t14\t12\twith<without;checked by hand\n"
	tab, err := ParseLimitsTSV(strings.NewReader(tsv), "f.tsv")
	var de *DataError
	if !errors.As(err, &de) || de.Line != 2 || de.Column != "notes" {
		var flags Flag
		if tab != nil {
			it, _ := tab.Lookup(context.Background(), "x.large")
			flags = it.Trunking.Flags
		}
		t.Fatalf("got %v (flags %q), want a DataError at line 2, column notes", err, flags)
	}
}

// TestCardFieldsValidated: network-card columns that contradict each other
// are nonsense, and are reported with line and column.
func TestCardFieldsValidated(t *testing.T) {
	for _, c := range []struct{ tsv, col string }{
		{"instance_type\tmax_enis\tnetwork_cards\nx.large\t4\t0\n", "network_cards"},
		{"instance_type\tmax_enis\tnetwork_cards\nx.large\t4\t9\n", "network_cards"},
		{"instance_type\tmax_enis\tnetwork_cards\tdefault_network_card_index\nx.large\t4\t1\t3\n", "default_network_card_index"},
		{"instance_type\tmax_enis\tmax_enis_default_card\nx.large\t4\t0\n", "max_enis_default_card"},
		{"instance_type\tmax_enis\tnetwork_cards\tmax_enis_default_card\nx.large\t4\t1\t2\n", "max_enis_default_card"},
	} {
		_, err := ParseLimitsTSV(strings.NewReader(c.tsv), "f.tsv")
		var de *DataError
		if !errors.As(err, &de) || de.Line != 2 || de.Column != c.col {
			t.Errorf("%q: got %v, want a DataError at line 2, column %s", c.tsv, err, c.col)
		}
	}
	// The built-in rows with several cards still parse.
	ok := "instance_type\tmax_enis\tnetwork_cards\tmax_enis_default_card\tdefault_network_card_index\n" +
		"p4d.24xlarge\t60\t4\t15\t0\nhpc6id.32xlarge\t2\t2\t1\t0\n"
	if _, err := ParseLimitsTSV(strings.NewReader(ok), "ok.tsv"); err != nil {
		t.Fatal(err)
	}
}

// TestJSONErrorLines: JSON errors name the line of the element at fault.
func TestJSONErrorLines(t *testing.T) {
	for _, c := range []struct {
		js   string
		line int
	}{
		{"[\n {\"instance_type\":\"a.large\",\"max_enis\":2},\n null,\n {\"instance_type\":\"b.large\",\"max_enis\":2}\n]", 3},
		{"[\n {\"instance_type\":\"a.large\",\"max_enis\":2},\n \"c5.large\"\n]", 3},
	} {
		_, err := ParseLimitsJSON(strings.NewReader(c.js), "f.json")
		var de *DataError
		if !errors.As(err, &de) || de.Line != c.line {
			t.Errorf("%q: got %v, want a DataError at line %d", c.js, err, c.line)
		}
	}
}

// TestLayerWithoutMismatchFollowsMaxENIs: a file that changes a type's max
// ENIs but not its trunking columns keeps the built-in trunking row; the
// "without differs from max ENIs - 1" flag must follow the file's max ENIs,
// not the built-in ones.
func TestLayerWithoutMismatchFollowsMaxENIs(t *testing.T) {
	ctx := context.Background()
	tsv := "instance_type\tmax_enis\nc6in.32xlarge\t14\nc5.large\t4\n"
	tab, err := ParseLimitsTSV(strings.NewReader(tsv), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	l := Layer(tab, Builtin())
	// c6in.32xlarge: published 13 without trunking = 14 - 1: no mismatch.
	b, err := BudgetFor(ctx, l, "c6in.32xlarge", BudgetOptions{})
	if err != nil || b.ECSTasks != 13 || len(b.Notes) != 0 {
		t.Errorf("c6in.32xlarge with 14 ENIs: %+v %v", b, err)
	}
	// c5.large: published 2, now 4 ENIs -> 3: a mismatch to note.
	b, err = BudgetFor(ctx, l, "c5.large", BudgetOptions{})
	if err != nil || b.ECSTasks != 3 || !strings.Contains(strings.Join(b.Notes, "\n"), "says 2 tasks without trunking") {
		t.Errorf("c5.large with 4 ENIs: %+v %v", b, err)
	}
}

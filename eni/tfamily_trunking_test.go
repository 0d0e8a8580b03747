package eni

import (
	"context"
	"strings"
	"testing"
)

// TestTFamilyNeverTrunks: BudgetOptions.Trunking "is ignored, with a
// note, where trunking is not available (Windows, the T family, ...)", and
// TrunkingUnsupported covers "a T-family type" (reference §8: not on the T
// family). A limits file that gives a T type a trunking limit must not turn
// trunking on for it.
func TestTFamilyNeverTrunks(t *testing.T) {
	file, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\ttasks_with_trunking\nt3.large\t3\t5\ntrn1.2xlarge\t4\t12\n"), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if it, err := file.Lookup(ctx, "t3.large"); err != nil || it.Trunking.Status != TrunkingUnsupported {
		t.Errorf("t3.large from a limits file: trunking status %s (%v), want unsupported", it.Trunking.Status, err)
	}
	b, err := BudgetFor(ctx, file, "t3.large", BudgetOptions{Trunking: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.Trunking || b.ECSTasks != 2 || b.TrunkingStatus != TrunkingUnsupported || len(b.Notes) == 0 {
		t.Errorf("t3.large with trunking requested: Trunking %v, ECSTasks %d, status %s, notes %q; want no trunking, 2 tasks (max ENIs - 1), unsupported, a note",
			b.Trunking, b.ECSTasks, b.TrunkingStatus, b.Notes)
	}
	// trn1 is not the T family.
	b, err = BudgetFor(ctx, file, "trn1.2xlarge", BudgetOptions{Trunking: true})
	if err != nil || !b.Trunking || b.ECSTasks != 12 {
		t.Errorf("trn1.2xlarge with trunking: %+v %v; want the file's 12 tasks with trunking", b, err)
	}
}

// TestTypeBudgetHandBuiltTFamily reaches TypeBudget's T-family
// branch, which no limits file reaches (newTable already makes a T type
// TrunkingUnsupported): an InstanceType built by hand that says
// trunking is supported on t3.large.
func TestTypeBudgetHandBuiltTFamily(t *testing.T) {
	it := InstanceType{Name: "t3.large", MaxENIs: 3, Source: "by hand",
		Trunking: Trunking{Status: TrunkingSupported, Tasks: 5}}
	b := TypeBudget(it, BudgetOptions{Trunking: true})
	if b.Trunking || b.ECSTasks != 2 || b.TrunkingStatus != TrunkingUnsupported ||
		len(b.Notes) != 1 || !strings.Contains(b.Notes[0], "T family") {
		t.Errorf("hand-built t3.large: Trunking %v, ECSTasks %d, status %s, notes %q; want no trunking, 2, unsupported, the T-family note",
			b.Trunking, b.ECSTasks, b.TrunkingStatus, b.Notes)
	}
}

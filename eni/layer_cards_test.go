package eni

import (
	"context"
	"strings"
	"testing"
)

// TestMaxENIsOnlyRowKeepsCards: a limits file row that gives only
// max_enis says nothing about the type's network cards; layered over the
// built-in table it must keep the built-in card columns (p4d.24xlarge: 60
// ENIs on 4 cards, 15 on the default one), not claim one card of 60.
func TestMaxENIsOnlyRowKeepsCards(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ name, text string }{
		{"mine.tsv", "instance_type\tmax_enis\np4d.24xlarge\t60\n"},
		{"mine.json", `[{"instance_type":"p4d.24xlarge","max_enis":60}]`},
	} {
		var tab *Table
		var err error
		if strings.HasSuffix(c.name, ".json") {
			tab, err = ParseLimitsJSON(strings.NewReader(c.text), c.name)
		} else {
			tab, err = ParseLimitsTSV(strings.NewReader(c.text), c.name)
		}
		if err != nil {
			t.Fatal(err)
		}
		it, err := Layer(tab, Builtin()).Lookup(ctx, "p4d.24xlarge")
		if err != nil || it.MaxENIs != 60 || it.NetworkCards != 4 || it.DefaultCardENIs != 15 || it.DefaultCardIndex != 0 {
			t.Errorf("%s: p4d.24xlarge max_enis only, over the built-in table: %d ENIs, %d cards, %d on the default card (index %d), %v; "+
				"want 60, 4, 15, 0", c.name, it.MaxENIs, it.NetworkCards, it.DefaultCardENIs, it.DefaultCardIndex, err)
		}
	}
}

// TestMaxENIsChangedKeepsCardCount: a row that changes a multi-card
// type's max_enis (c6in.32xlarge back to the 2023 guide's 14) keeps the
// number of cards, a fact of the hardware the file does not contradict; the
// default card's share of the new total is not known, and is not made up.
func TestMaxENIsChangedKeepsCardCount(t *testing.T) {
	tab, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\nc6in.32xlarge\t14\nc5.large\t4\n"), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	l := Layer(tab, Builtin())
	it, err := l.Lookup(context.Background(), "c6in.32xlarge")
	if err != nil || it.MaxENIs != 14 || it.NetworkCards != 2 || it.DefaultCardENIs != 0 {
		t.Errorf("c6in.32xlarge, 14 ENIs from the file: %d ENIs, %d cards, %d on the default card, %v; want 14, 2, 0 (unknown)",
			it.MaxENIs, it.NetworkCards, it.DefaultCardENIs, err)
	}
	// One card in the built-in table: the file's total is that card's.
	it, err = l.Lookup(context.Background(), "c5.large")
	if err != nil || it.MaxENIs != 4 || it.NetworkCards != 1 || it.DefaultCardENIs != 4 {
		t.Errorf("c5.large, 4 ENIs from the file: %+v, %v", it, err)
	}
}

// TestCardsWithoutDefaultCardRefused: a row that gives several
// network cards but not the default card's ENIs cannot default that to
// max_enis (the other cards hold at least one ENI each).
func TestCardsWithoutDefaultCardRefused(t *testing.T) {
	_, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\tnetwork_cards\nx.large\t8\t2\n"), "f.tsv")
	if de, ok := err.(*DataError); !ok || de.Line != 2 || de.Column != "max_enis_default_card" {
		t.Errorf("2 cards without max_enis_default_card: %v; want a DataError at line 2, column max_enis_default_card", err)
	}
}

// TestMaxENIsBelowCardsRefused: a row whose max_enis is fewer than
// the type's network cards (each holds at least one ENI) contradicts the
// source below it; that is an error naming the file, not one card.
func TestMaxENIsBelowCardsRefused(t *testing.T) {
	tab, err := ParseLimitsTSV(strings.NewReader("instance_type\tmax_enis\np4d.24xlarge\t2\n"), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	it, err := Layer(tab, Builtin()).Lookup(context.Background(), "p4d.24xlarge")
	if err == nil || !strings.Contains(err.Error(), "mine.tsv") || !strings.Contains(err.Error(), "network_cards") {
		t.Errorf("p4d.24xlarge with 2 ENIs over 4 built-in cards: %+v, %v; want an error naming mine.tsv and network_cards", it, err)
	}
}

package eni

//go:generate go run ./internal/gen -o table_gen.go

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// InstanceType holds the ENI limits of one EC2 instance type and, when
// known, its published ECS ENI-trunking task limit.
type InstanceType struct {
	Name string
	// MaxENIs is EC2's NetworkInfo.MaximumNetworkInterfaces: ENIs over all
	// network cards. ECS uses this number: without trunking an instance
	// runs MaxENIs-1 awsvpc tasks (p4d.24xlarge: 60 ENIs on 4 cards, 59
	// tasks).
	MaxENIs int
	// DefaultCardENIs is the ENI limit of the default network card alone;
	// it differs from MaxENIs only when NetworkCards > 1. It is 0 when
	// unknown: a limits file changed the max ENIs of a type with several
	// cards without giving max_enis_default_card (see [Layer]), or EC2
	// listed several cards but not the default one (ec2limits.FromInfo).
	DefaultCardENIs  int
	NetworkCards     int
	DefaultCardIndex int
	IPv4PerENI       int
	// IPv6PerENI is -1 when unknown (the type is newer than the 2023 EC2
	// guide table the built-in data takes it from); 0 means no IPv6.
	IPv6PerENI int
	Hypervisor string // "nitro", "xen", or "" (bare metal or unknown)
	BareMetal  bool
	Trunking   Trunking
	// Source names where the numbers came from ("built-in", a file name,
	// "ec2:DescribeInstanceTypes").
	Source string

	// cardsUnstated: the numbers come from a limits file row that gave
	// none of the network-card columns, whose values (one card holding
	// max_enis) are the file's defaults, not data; [Layer] takes the card
	// columns from a later source that knows the type.
	cardsUnstated bool
}

// Family is the instance family: the part of the name before the dot.
func (t InstanceType) Family() string { return family(t.Name) }

func family(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return name
}

// TrunkingStatus says whether ECS ENI trunking is available for a type.
type TrunkingStatus uint8

const (
	// TrunkingUnknown: the type is not in ECS's published table (which is
	// from April 2023, so newer types are missing), or its published limit
	// is unusable (i4i.large: -2).
	TrunkingUnknown TrunkingStatus = iota
	// TrunkingSupported: ECS publishes a task limit with trunking.
	TrunkingSupported
	// TrunkingUnsupported: the ECS guide lists the type or its family as
	// unsupported, or it is a T-family type.
	TrunkingUnsupported
)

func (s TrunkingStatus) String() string {
	switch s {
	case TrunkingSupported:
		return "supported"
	case TrunkingUnsupported:
		return "unsupported"
	default:
		return "unknown"
	}
}

// MarshalText gives "supported", "unsupported" or "unknown".
func (s TrunkingStatus) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Trunking is ECS's published awsvpc task limit for a type.
type Trunking struct {
	Status TrunkingStatus
	// Tasks is the published task limit with trunking (branch ENIs); the
	// instance then holds Tasks+2 ENIs (primary and trunk). Kept as
	// published even when flagged.
	Tasks int
	// PublishedWithout is the published limit without trunking (0 when the
	// type has no row). Budgets use MaxENIs-1 instead, which is newer EC2
	// data (FlagWithoutMismatch marks where the two disagree).
	PublishedWithout int
	Flags            Flag
}

// Flag marks a published trunking row as suspect. See [Flag.String] and the
// package documentation for how each is handled.
type Flag uint16

const (
	// FlagFamilyListedUnsupported: the guide lists the family as
	// unsupported, yet publishes a row. The row wins; budgets warn.
	FlagFamilyListedUnsupported Flag = 1 << iota
	// FlagTypeListedUnsupported: the same, for the single type.
	FlagTypeListedUnsupported
	// FlagWithoutMismatch: published tasks without trunking differs from
	// MaxENIs-1 (EC2 later raised these types' ENIs); budgets use MaxENIs-1.
	FlagWithoutMismatch
	// FlagWithBelowWithout: the published trunking limit is lower than the
	// limit without trunking (u-* types). Kept as published; budgets warn
	// that turning trunking on lowers density on this type.
	FlagWithBelowWithout
	// FlagNonPositive: the published trunking limit is <= 0 (i4i.large:
	// -2), a documentation error. Trunking status is then unknown.
	FlagNonPositive
	// FlagSuspectFamily: the family's values fit no pattern of any other
	// family (i4i). Kept as published; budgets warn.
	FlagSuspectFamily
)

var flagText = []string{
	"the ECS guide lists this family as not supporting trunking, yet publishes a limit for it",
	"the ECS guide lists this type as not supporting trunking, yet publishes a limit for it",
	"the published limit without trunking differs from max ENIs - 1 (EC2 has since raised this type's ENIs); max ENIs - 1 is used",
	"the published limit with trunking is lower than without trunking",
	"the published limit with trunking is not positive (a documentation error)",
	"the family's published trunking limits fit no pattern of any other family (suspect)",
}

// String lists the flags in words, separated by "; ".
func (f Flag) String() string {
	var parts []string
	for i, t := range flagText {
		if f&(1<<i) != 0 {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "; ")
}

// Limits looks up instance-type limits. The built-in table ([Builtin]),
// data files ([ParseLimitsTSV], [ParseLimitsJSON]) and live EC2 values
// (package ec2limits) implement it; [Layer] stacks them.
type Limits interface {
	Lookup(ctx context.Context, instanceType string) (InstanceType, error)
}

// UnknownTypeError is returned for an instance type a Limits source does
// not know. Its message says how to supply the numbers.
type UnknownTypeError struct {
	InstanceType string
	Source       string
}

func (e *UnknownTypeError) Error() string {
	// Package ec2limits names EC2 in Source when EC2 was asked and does not
	// offer the type in the region: reading it live again is no remedy.
	if strings.Contains(e.Source, "ec2:DescribeInstanceTypes") {
		return fmt.Sprintf("eni: instance type %q is not in the %s ENI limits (EC2 was asked and does not offer it in this region: "+
			"a typo, or a type of another region); supply its numbers in a TSV or JSON file "+
			"with the built-in columns (instance_type, max_enis, ipv4_per_eni, ... tasks_with_trunking) "+
			"loaded with eni.ParseLimitsTSV/ParseLimitsJSON and eni.Layer", e.InstanceType, e.Source)
	}
	return fmt.Sprintf("eni: instance type %q is not in the %s ENI limits; supply its numbers in a TSV or JSON file "+
		"with the built-in columns (instance_type, max_enis, ipv4_per_eni, ... tasks_with_trunking) "+
		"loaded with eni.ParseLimitsTSV/ParseLimitsJSON and eni.Layer, or read them live with package ec2limits "+
		"(ec2:DescribeInstanceTypes)", e.InstanceType, e.Source)
}

// DataVintage describes the built-in data's age, for messages.
const DataVintage = "EC2 limits of 2026-08 (amazon-vpc-cni-k8s v1.23.1), ECS trunking table of 2023-04"

type entry struct {
	name             string
	maxENIs          int
	ipv4, ipv6       int
	cards            int
	defaultCardENIs  int
	defaultCardIndex int
	hypervisor       string
	bareMetal        bool
	trunk            TrunkingStatus
	tasksWithout     int
	tasksWith        int
	flags            Flag
}

type builtinTable struct{}

// Builtin returns the table compiled into the package from data/*.tsv.
func Builtin() Limits { return builtinTable{} }

// BuiltinTypes lists every instance type in the built-in table, sorted.
func BuiltinTypes() []string {
	out := make([]string, len(builtin))
	for i := range builtin {
		out[i] = builtin[i].name
	}
	return out
}

func (builtinTable) Lookup(_ context.Context, name string) (InstanceType, error) {
	i := sort.Search(len(builtin), func(i int) bool { return builtin[i].name >= name })
	if i == len(builtin) || builtin[i].name != name {
		return InstanceType{}, &UnknownTypeError{InstanceType: name, Source: "built-in (" + DataVintage + ")"}
	}
	e := &builtin[i]
	return InstanceType{
		Name: e.name, MaxENIs: e.maxENIs, DefaultCardENIs: e.defaultCardENIs,
		NetworkCards: e.cards, DefaultCardIndex: e.defaultCardIndex,
		IPv4PerENI: e.ipv4, IPv6PerENI: e.ipv6, Hypervisor: e.hypervisor, BareMetal: e.bareMetal,
		Trunking: Trunking{Status: e.trunk, Tasks: e.tasksWith, PublishedWithout: e.tasksWithout, Flags: e.flags},
		Source:   "built-in",
	}, nil
}

// Layer returns Limits that ask each source in order: the first that knows
// the type gives the entry, and fields it leaves unknown (IPv6PerENI -1,
// TrunkingUnknown, IPv4PerENI 0) are filled from the later sources. Use it
// to put a file of your own, or live EC2 values, over [Builtin].
//
// A file row that gives none of the network-card columns (network_cards,
// max_enis_default_card, default_network_card_index) takes them from the
// next source that knows the type: the number of cards and the default
// card's index as they are, and the default card's ENIs when that source
// has the same max ENIs (with one card, the file's max ENIs; with several
// and another total, 0: unknown). A row whose max_enis is fewer than that
// source's cards is an error: each card holds at least one ENI. Nil
// sources are left out.
func Layer(sources ...Limits) Limits {
	return layered(slices.DeleteFunc(slices.Clone(sources), func(l Limits) bool { return l == nil }))
}

type layered []Limits

func (l layered) Lookup(ctx context.Context, name string) (InstanceType, error) {
	var (
		got   InstanceType
		found bool
		first error
		asked []string // the Sources of every source that does not know it
	)
	for _, s := range l {
		t, err := s.Lookup(ctx, name)
		if err != nil {
			var ue *UnknownTypeError
			if !errors.As(err, &ue) { // a wrapped one is unknown too
				return InstanceType{}, err
			}
			if first == nil {
				first = err
			}
			asked = append(asked, ue.Source)
			continue
		}
		if !found {
			got, found = t, true
			continue
		}
		before := got
		before.Trunking = before.Trunking.ForMaxENIs(before.MaxENIs)
		if got.cardsUnstated && !t.cardsUnstated {
			if err := takeCards(&got, t); err != nil {
				return InstanceType{}, err
			}
		}
		fillUnknown(&got, t)
		// Source names a later source only when a field came from it,
		// and once: a name of its own, not a part of another's
		// ("limits.tsv" in "my-limits.tsv").
		if got != before && !slices.Contains(strings.Split(got.Source, " + "), t.Source) {
			got.Source += " + " + t.Source
		}
	}
	if !found {
		switch {
		case first == nil:
			first = &UnknownTypeError{InstanceType: name, Source: "layered"}
		case len(asked) > 1:
			// Name every source asked (a file, EC2 live, the built-in
			// table), not the first alone: the message's advice depends
			// on which were.
			first = &UnknownTypeError{InstanceType: name,
				Source: strings.Join(asked[:len(asked)-1], ", ") + " and " + asked[len(asked)-1]}
		}
		return InstanceType{}, first
	}
	return got, nil
}

// takeCards gives dst, whose row stated no network-card columns, src's
// (a source that does not know them either leaves them to the next one).
func takeCards(dst *InstanceType, src InstanceType) error {
	if src.NetworkCards < 1 {
		return nil
	}
	if src.NetworkCards > dst.MaxENIs {
		return fmt.Errorf("eni: %s: %s has max_enis %d, fewer than the %d network cards %s gives it (each card holds at least one ENI); "+
			"give network_cards, max_enis_default_card and default_network_card_index too", dst.Source, dst.Name, dst.MaxENIs, src.NetworkCards, src.Source)
	}
	dst.cardsUnstated = false
	dst.NetworkCards, dst.DefaultCardIndex = src.NetworkCards, src.DefaultCardIndex
	switch {
	case src.MaxENIs == dst.MaxENIs:
		dst.DefaultCardENIs = src.DefaultCardENIs
	case src.NetworkCards <= 1:
		dst.NetworkCards, dst.DefaultCardENIs = 1, dst.MaxENIs
	default:
		// How the file's total splits over the cards is not known.
		dst.DefaultCardENIs = 0
	}
	return nil
}

func fillUnknown(dst *InstanceType, src InstanceType) {
	if dst.IPv6PerENI < 0 && src.IPv6PerENI >= 0 {
		dst.IPv6PerENI = src.IPv6PerENI
	}
	if dst.IPv4PerENI == 0 {
		dst.IPv4PerENI = src.IPv4PerENI
	}
	if dst.Hypervisor == "" && !dst.BareMetal {
		dst.Hypervisor = src.Hypervisor
	}
	if dst.Trunking.Status == TrunkingUnknown && dst.Trunking.Flags == 0 && src.Trunking.Status != TrunkingUnknown {
		dst.Trunking = src.Trunking
	}
	if dst.Trunking.Status == TrunkingUnknown && dst.Trunking.Flags == 0 {
		dst.Trunking.Flags = src.Trunking.Flags
		dst.Trunking.PublishedWithout = src.Trunking.PublishedWithout
		dst.Trunking.Tasks = src.Trunking.Tasks
	}
	dst.Trunking = dst.Trunking.ForMaxENIs(dst.MaxENIs)
}

// ForMaxENIs returns the published row as it reads on a type of maxENIs
// ENIs: FlagWithoutMismatch set when PublishedWithout is not maxENIs-1.
// The built-in rows' flag was computed against the built-in max ENIs; a
// limits file or live EC2 may give another number for the same row.
func (t Trunking) ForMaxENIs(maxENIs int) Trunking {
	t.Flags &^= FlagWithoutMismatch
	if t.PublishedWithout > 0 && t.PublishedWithout != maxENIs-1 {
		t.Flags |= FlagWithoutMismatch
	}
	return t
}

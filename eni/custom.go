package eni

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/eni/internal/limitsdata"
)

// Table is instance-type limits loaded from a file with the built-in
// columns. Put it over the built-in data with [Layer] so types the file
// does not list still resolve. Lookups only read it: it is safe for
// concurrent use, as Builtin's is (and Layer's, when its sources are).
type Table struct {
	name  string
	types map[string]InstanceType
}

// DataError is bad limits data: the file, line and column, and what.
type DataError struct {
	Name   string
	Line   int
	Column string
	Msg    string
}

func (e *DataError) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("eni: %s:%d: column %s: %s", e.Name, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("eni: %s:%d: %s", e.Name, e.Line, e.Msg)
}

// ParseLimitsTSV reads a tab-separated file with a header line naming
// columns of eni-limits.tsv and/or eni-trunking.tsv: instance_type and
// max_enis are required; ipv4_per_eni, ipv6_per_eni (empty = unknown),
// network_cards (default 1), hypervisor, bare_metal, max_enis_default_card
// (default max_enis; required with network_cards > 1),
// default_network_card_index, tasks_without_trunking,
// tasks_with_trunking (present and positive = trunking supported, 0 =
// unsupported, column absent = unknown), category and notes are optional.
// Lines starting with '#' are comments. name is used in errors. A row
// without any network-card column takes them from the source below it in a
// [Layer].
func ParseLimitsTSV(r io.Reader, name string) (*Table, error) {
	f, err := limitsdata.ParseTSV(r, name)
	if err != nil {
		return nil, dataErr(err)
	}
	return newTable(f, name)
}

// MaxLimitsSize is the size of the largest input ParseLimitsJSON accepts.
const MaxLimitsSize = 16 << 20

// maxLimitsJSONBytes is MaxLimitsSize, a variable for tests.
var maxLimitsJSONBytes int64 = MaxLimitsSize

// ParseLimitsJSON reads a JSON array of objects with the same keys as
// [ParseLimitsTSV]'s columns, e.g.
// [{"instance_type":"x9.large","max_enis":4,"ipv4_per_eni":15,"tasks_with_trunking":20}].
// It reads r whole, and refuses more than 16 MiB: EC2 has about 1,000
// instance types, and a row is a few hundred bytes.
func ParseLimitsJSON(r io.Reader, name string) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxLimitsJSONBytes+1))
	if err != nil {
		return nil, fmt.Errorf("eni: %s: %w", name, err)
	}
	if int64(len(data)) > maxLimitsJSONBytes {
		return nil, fmt.Errorf("eni: %s: larger than %d bytes, more than a limits table holds", name, maxLimitsJSONBytes)
	}
	f, err := limitsdata.ParseJSON(data, name)
	if err != nil {
		return nil, dataErr(err)
	}
	return newTable(f, name)
}

func dataErr(err error) error {
	var le *limitsdata.Error
	if errors.As(err, &le) {
		return &DataError{Name: le.File, Line: le.Line, Column: le.Column, Msg: le.Msg}
	}
	return fmt.Errorf("eni: %w", err)
}

func newTable(f *limitsdata.File, name string) (*Table, error) {
	t := &Table{name: name, types: make(map[string]InstanceType, len(f.Rows))}
	for _, r := range f.Rows {
		if !r.Has["max_enis"] {
			return nil, &DataError{Name: name, Line: r.Line, Column: "max_enis", Msg: "missing: every row needs instance_type and max_enis"}
		}
		it := InstanceType{
			Name: r.InstanceType, MaxENIs: r.MaxENIs, DefaultCardENIs: r.MaxENIsDefaultCard,
			NetworkCards: r.NetworkCards, DefaultCardIndex: r.DefaultNetworkCardIndex,
			IPv4PerENI: r.IPv4PerENI, IPv6PerENI: r.IPv6PerENI, Hypervisor: r.Hypervisor,
			BareMetal: r.BareMetal, Source: name,
			cardsUnstated: !r.Has["network_cards"] && !r.Has["max_enis_default_card"] && !r.Has["default_network_card_index"],
		}
		if r.Has["network_cards"] && r.NetworkCards > 1 && !r.Has["max_enis_default_card"] {
			// Its default, max_enis, would leave the other cards none.
			return nil, &DataError{Name: name, Line: r.Line, Column: "max_enis_default_card",
				Msg: fmt.Sprintf("missing: with network_cards %d, give the default card's ENIs (max_enis counts all cards)", r.NetworkCards)}
		}
		if r.Has["tasks_with_trunking"] {
			it.Trunking.Tasks = r.TasksWithTrunking
			it.Trunking.PublishedWithout = r.TasksWithoutTrunking
			switch {
			case r.TasksWithTrunking > 0 && isTFamily(r.InstanceType):
				// ECS supports no T-family type (TrunkingUnsupported).
				it.Trunking.Status = TrunkingUnsupported
			case r.TasksWithTrunking > 0:
				it.Trunking.Status = TrunkingSupported
			case r.TasksWithTrunking == 0:
				it.Trunking.Status = TrunkingUnsupported
			default:
				it.Trunking.Flags |= FlagNonPositive
			}
		}
		if r.Has["notes"] {
			// Notes are the flag names of eni-trunking.tsv; an unknown one
			// (a typo) must not drop the row's flags without a word.
			bits, err := limitsdata.FlagBits(r.Notes)
			if err != nil {
				return nil, &DataError{Name: name, Line: r.Line, Column: "notes",
					Msg: err.Error() + " (known: " + strings.Join(limitsdata.FlagNotes, ", ") + ", separated by ';')"}
			}
			if r.Has["tasks_with_trunking"] {
				it.Trunking.Flags |= Flag(bits)
			}
		}
		it.Trunking = it.Trunking.ForMaxENIs(it.MaxENIs)
		t.types[r.InstanceType] = it
	}
	return t, nil
}

// Lookup implements [Limits].
func (t *Table) Lookup(_ context.Context, name string) (InstanceType, error) {
	it, ok := t.types[name]
	if !ok {
		return InstanceType{}, &UnknownTypeError{InstanceType: name, Source: t.name}
	}
	return it, nil
}

// Len is the number of instance types in the table.
func (t *Table) Len() int { return len(t.types) }

// Types returns the names of the instance types t lists, sorted.
func (t *Table) Types() []string {
	names := make([]string, 0, len(t.types))
	for n := range t.types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

package report

import (
	"fmt"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
)

// Option configures a report.
type Option func(*options)

type options struct {
	prices *pricing.Table
}

func collect(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// prepare is collect for a writer: it refuses prices the report cannot
// be written with (see WithPrices), before anything is written. A NaN
// rate would otherwise fail the JSON encoder with no word of the class
// that has it, and a unit other than 2^30 or 10^9 bytes gives a document
// its schema refuses.
func prepare(opts []Option) (options, error) {
	o := collect(opts)
	if err := pricing.CheckUsable(o.prices); err != nil {
		return o, fmt.Errorf("report: prices: %w", err)
	}
	return o, nil
}

// WithPrices prices each group's bytes by peer class and direction (see
// package pricing): a cost per group, per class and in all, the bytes the
// table cannot price, and where the prices come from. Nil prices nothing,
// and so does the zero Table, with every byte unpriced; any other table
// must be valid (Table.Validate, as Load and BuiltIn's are): the writers
// return Validate's error for one that is not.
func WithPrices(t *pricing.Table) Option { return func(o *options) { o.prices = t } }

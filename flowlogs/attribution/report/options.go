package report

import "github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"

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

// WithPrices prices each group's bytes by peer class and direction (see
// package pricing): a cost per group, per class and in all, the bytes the
// table cannot price, and where the prices come from. Nil prices nothing.
func WithPrices(t *pricing.Table) Option { return func(o *options) { o.prices = t } }

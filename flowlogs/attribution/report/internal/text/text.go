// Package text holds the formatting the report writers share: byte sizes,
// percentages, and the short names of keys, services and families.
package text

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/netmode"
)

// ServiceName is NAME of a "service:NAME" group, else "".
func ServiceName(group string) string {
	if s, ok := strings.CutPrefix(group, "service:"); ok {
		return s
	}
	return ""
}

// FamilyRev is "family:revision", "family", or "-".
func FamilyRev(t *history.Task) string {
	if t.Family == "" {
		return "-"
	}
	if r := Revision(t); r > 0 {
		return t.Family + ":" + strconv.Itoa(int(r))
	}
	return t.Family
}

// Revision is t's task definition revision as every report gives it: an
// ECS revision is a positive int32 (the API's type, and the JSON
// document's); anything else (what a malformed ARN parses to) is not
// known, 0.
func Revision(t *history.Task) int32 {
	if t.Revision <= 0 || t.Revision > math.MaxInt32 {
		return 0
	}
	return int32(t.Revision)
}

// FirstTask is the task a group by task is of: its first, or, for a
// group that has none (a Result built by hand), one known by the group's
// key (the task ARN) alone.
func FirstTask(g *attribution.Group) *history.Task {
	if len(g.Tasks) > 0 && g.Tasks[0] != nil {
		return g.Tasks[0]
	}
	return &history.Task{ARN: g.Key}
}

// SeenOnCell is the "seen on" cell of an unattributed reason, as every
// report writes it: its first interfaces with their sizes, how many more
// the summary kept, and whether it dropped others.
type SeenOnCell struct {
	Shown []SeenOnInterface
	More  int // kept past those shown
	// Untracked: the summary (space-saving, bounded) dropped interfaces,
	// so More is not all the others.
	Untracked bool
}

// SeenOnInterface is one interface of a SeenOnCell; Size is "≤" before
// a summary's over-count (the JSON's max_error).
type SeenOnInterface struct{ ID, Size string }

// SeenOn is u's "seen on" cell showing its first n interfaces: once the
// summary has dropped interfaces, a kept one's size is an upper bound,
// and those past the first n are not all the others, which the cell says
// rather than give a count that reads as complete.
func SeenOn(u attribution.Unattributed, n int) SeenOnCell {
	var c SeenOnCell
	var kept uint64
	for i, x := range u.TopInterfaces {
		kept += x.Bytes
		c.Untracked = c.Untracked || x.MaxError > 0
		if i >= n {
			continue
		}
		size := Bytes(x.Bytes)
		if x.MaxError > 0 {
			size = "≤" + size
		}
		c.Shown = append(c.Shown, SeenOnInterface{x.ID, size})
	}
	c.More = max(len(u.TopInterfaces)-n, 0)
	c.Untracked = c.Untracked || kept != u.Bytes
	return c
}

// ShortKey drops the ARN prefix of container instance and cluster keys.
func ShortKey(by attribution.GroupBy, key string) string {
	if by == attribution.ByInstance || by == attribution.ByCluster {
		if i := strings.LastIndexByte(key, '/'); i >= 0 {
			return key[i+1:]
		}
	}
	return key
}

// OrDash is s, or "-" when empty.
func OrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// OrNone is s, or "(none)" when empty.
func OrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Percent is a/b as "12.3%" (0% when b is 0); a share that is neither
// all nor nothing is never rounded to either ("<0.1%", ">99.9%").
func Percent(a, b uint64) string {
	if b == 0 {
		return "0%"
	}
	// Rounded to 100.0% or 0.0%, a share that is neither would read as
	// all or nothing: "Attributed … (100.0%)" with bytes unattributed.
	p := 100 * float64(a) / float64(b)
	switch {
	case a > 0 && p < 0.05:
		return "<0.1%"
	case a < b && p >= 99.95:
		return ">99.9%"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// Bytes formats n with binary prefixes: "512 B", "1.5 KiB", "3.2 GiB".
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	s := strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64)
	// The unit is chosen before rounding: from 1023.95 of a unit up,
	// the rounding carries into the next one (1 MiB − 1 byte is 1.0 MiB,
	// not 1024.0 KiB). EiB has no next unit, and uint64 ends at 16 EiB.
	if s == "1024.0" && exp < 5 {
		s, exp = "1.0", exp+1
	}
	return s + " " + string("KMGTPE"[exp]) + "iB"
}

// Window is the records' span, "first to last UTC": both written with
// layout in UTC, whatever zone they carry, since one zone name has to
// hold for both and the charts' axes and the HTML page's "Generated"
// are UTC.
func Window(first, last time.Time, layout string) string {
	return first.UTC().Format(layout) + " to " + last.UTC().Format(layout) + " UTC"
}

// ShortDuration is d without its zero tails: "5m", "1h", "30s".
func ShortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	s = strings.TrimSuffix(s, "0m")
	return s
}

// Escape makes s safe to print on a terminal: control bytes (C0, DEL, C1:
// ESC sequences, tabs and newlines that would break a table) and invalid
// UTF-8 become \xNN, and format characters (Unicode category Cf: a
// right-to-left override or isolate reorders the rest of the row, a
// zero-width one misaligns its column) \uNNNN. Flow logs and task data
// are input, and an interface or task ID can hold anything.
func Escape(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == utf8.RuneError || r >= 0xa0 && unicode.Is(unicode.Cf, r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1, r < 0x20, r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r >= 0x80 && r < 0xa0:
			for j := range n {
				fmt.Fprintf(&b, `\x%02x`, s[i+j])
			}
		case r > 0xffff && unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\U%08x`, r)
		case unicode.Is(unicode.Cf, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// ModeName is a task's network mode, "-" when the history does not know it.
func ModeName(m netmode.Mode) string {
	if m == netmode.ModeUnknown {
		return "-"
	}
	return m.String()
}

// Money is an amount for a table cell: cents, or four decimals under a
// cent, so that small groups do not all show 0.00, and "<0.0001" for a
// cost that four decimals would show as 0.0000.
func Money(v float64) string {
	if v > 0 && v < 0.00005 {
		return "<0.0001" // not 0.0000, which reads as free
	}
	if v != 0 && v < 0.01 {
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// Cost is the cost v of bytes of which unpriced have no price, for a
// table cell: "not priced" when none of them has one (0.00 would read as
// free), Money(v) followed by "+" when some have none (v is then a lower
// bound: a group of free same-AZ bytes and unpriced public ones costs
// "0.00+", not a free "0.00"), else Money(v).
func Cost(v float64, bytes, unpriced uint64) string {
	switch pricing.Covered(bytes, unpriced) {
	case pricing.NotPriced:
		return "not priced"
	case pricing.PartlyPriced:
		return Money(v) + "+"
	}
	return Money(v)
}

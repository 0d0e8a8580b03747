// Package report renders attribution results: an aligned text table, the
// stable JSON document and CSV. The self-contained HTML page with charts is
// in the sub-package report/html, so that a program writing text, JSON or
// CSV does not link the plotting library.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// Format is an output format of Write.
type Format uint8

const (
	Table Format = iota
	JSON
	CSV
	HTML // written by report/html
)

var formatNames = []string{"table", "json", "csv", "html"}

// String returns "table", "json", "csv" or "html".
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "invalid"
}

// ParseFormat parses the names String returns.
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if strings.EqualFold(s, n) {
			return Format(i), nil
		}
	}
	return 0, fmt.Errorf("report: unknown format %q (want one of %s)", s, strings.Join(formatNames, ", "))
}

// Write renders r in format f: Table, JSON or CSV. HTML needs the charts
// of report/html (html.Write); Write returns an error for it.
func Write(w io.Writer, f Format, r *attribution.Result, opts ...Option) error {
	switch f {
	case Table:
		return WriteTable(w, r, opts...)
	case JSON:
		return WriteJSON(w, r, opts...)
	case CSV:
		return WriteCSV(w, r, opts...)
	case HTML:
		return fmt.Errorf("report: the HTML format is written by package report/html (html.Write)")
	}
	return fmt.Errorf("report: unknown format %d", f)
}

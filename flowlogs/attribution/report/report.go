// Package report renders attribution results: an aligned text table, the
// stable JSON document and CSV. The self-contained HTML page with charts is
// in the sub-package report/html, so that a program writing text, JSON or
// CSV does not link the plotting library.
package report

import (
	"fmt"
	"io"
	"iter"
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

// Streams reports whether WriteStream writes format f a group at a time:
// CSV and JSON need no group but the one they write; the table's widths
// and the HTML page need every group.
func (f Format) Streams() bool { return f == CSV || f == JSON }

// WriteStream renders, as Write does, the Result r with the groups groups
// yields in place of r.Groups, in a format that Streams: WriteCSVStream
// or WriteJSONStream.
func WriteStream(w io.Writer, f Format, r *attribution.Result, groups iter.Seq[*attribution.Group], opts ...Option) error {
	switch f {
	case CSV:
		return WriteCSVStream(w, r, groups, opts...)
	case JSON:
		return WriteJSONStream(w, r, groups, opts...)
	}
	return fmt.Errorf("report: the %s format needs every group at once: use Write with a whole Result", f)
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

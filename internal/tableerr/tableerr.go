// Package tableerr is the error of the module's table readers
// (flowlogs/attribution/partials and eni/history/intervals, each
// re-exporting it as its Error): which file, row and column, and what.
package tableerr

import "strconv"

// Error is a problem in a table: which file (Name; "" for rows given in
// memory), row (1-based; 0 for the file as a whole) and column ("" when
// not about one column), and what (Err).
type Error struct {
	// Pkg is the package that read the table, the message's prefix.
	Pkg    string
	Name   string
	Row    int64
	Column string
	Err    error
}

func (e *Error) Error() string {
	s := e.Pkg + ": "
	if e.Name != "" {
		s += e.Name + ": "
	}
	if e.Row > 0 {
		s += "row " + strconv.FormatInt(e.Row, 10) + ": "
	}
	if e.Column != "" {
		s += e.Column + ": "
	}
	return s + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

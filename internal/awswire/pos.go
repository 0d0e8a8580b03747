package awswire

import "bytes"

// Pos is a place in a JSON document: 1-based line, 1-based column in
// bytes, and 0-based byte offset. The zero Pos is the start of a document
// (a zero Line or Column counts as 1).
type Pos struct {
	Line   int
	Column int
	Offset int64
}

// PosOf returns the position of byte offset off in data (clamped to
// data's end).
func PosOf(data []byte, off int64) Pos {
	off = max(0, min(off, int64(len(data))))
	return Pos{
		Line:   1 + bytes.Count(data[:off], []byte{'\n'}),
		Column: int(off) - bytes.LastIndexByte(data[:off], '\n'),
		Offset: off,
	}
}

// In moves p from a document of its own to an enclosing one in which that
// document's text begins at base: lines and offsets are added, and on
// p's first line the column too. This is how an error inside a JSON value
// embedded in a larger file (one member of a snapshot, one event of a
// JSON-lines file) is reported at the file's line and column.
func (p Pos) In(base Pos) Pos {
	p.Line, p.Column = max(p.Line, 1), max(p.Column, 1)
	base.Line, base.Column = max(base.Line, 1), max(base.Column, 1)
	if p.Line == 1 {
		p.Column += base.Column - 1
	}
	p.Line += base.Line - 1
	p.Offset += base.Offset
	return p
}

// Pos returns where e is.
func (e *Error) Pos() Pos { return Pos{Line: e.Line, Column: e.Column, Offset: e.Offset} }

// In returns a copy of e placed in an enclosing document in which the text
// e was decoded from begins at base (see [Pos.In]): for an error from
// decoding whole[start:end], e.In(PosOf(whole, start)) names its place in
// whole, PosOf(whole, start+e.Offset).
func (e *Error) In(base Pos) *Error {
	moved := *e
	p := e.Pos().In(base)
	moved.Line, moved.Column, moved.Offset = p.Line, p.Column, p.Offset
	return &moved
}

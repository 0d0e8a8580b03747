package report

import _ "embed"

// DocumentSchema is the JSON Schema (draft 2020-12) of Document, the shape
// WriteJSON prints; it is document.schema.json in this package's
// directory. Tests check real output against it.
//
//go:embed document.schema.json
var DocumentSchema []byte

package report

import (
	"bytes"
	_ "embed"
)

//go:embed document.schema.json
var documentSchema []byte

// DocumentSchema returns the JSON Schema (draft 2020-12) of Document, the
// shape WriteJSON prints; it is document.schema.json in this package's
// directory. Tests check real output against it. Each call returns a new
// copy.
func DocumentSchema() []byte { return bytes.Clone(documentSchema) }

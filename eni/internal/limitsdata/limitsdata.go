// Package limitsdata reads the ENI limit tables (eni-limits.tsv,
// eni-trunking.tsv and files with the same columns) and renders the Go
// source of eni's built-in table. It is shared by the generator, by eni's
// custom-data loader and by the test that keeps the generated table and the
// data files from drifting apart.
package limitsdata

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Columns known to the parser. A file may carry any subset that includes
// instance_type; unknown columns are an error (a typo must not silently
// drop data).
var Columns = []string{
	"instance_type", "max_enis", "ipv4_per_eni", "ipv6_per_eni", "network_cards",
	"hypervisor", "bare_metal", "max_enis_default_card", "default_network_card_index",
	"tasks_without_trunking", "tasks_with_trunking", "category", "notes",
}

// Row is one instance type. Has records which columns the source gave, so
// layered data can fill only what is missing.
type Row struct {
	InstanceType            string
	MaxENIs                 int
	IPv4PerENI              int
	IPv6PerENI              int // -1 when the column is empty (unknown)
	NetworkCards            int
	Hypervisor              string
	BareMetal               bool
	MaxENIsDefaultCard      int
	DefaultNetworkCardIndex int
	TasksWithoutTrunking    int
	TasksWithTrunking       int
	Category                string
	Notes                   []string
	Has                     map[string]bool
	Line                    int
}

// Error locates bad input: file, line, column name and what is wrong.
type Error struct {
	File   string
	Line   int
	Column string
	Msg    string
}

func (e *Error) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("%s:%d: column %s: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// File is a parsed table: the leading '#' comment lines (the source header)
// and the rows in file order.
type File struct {
	Header  []string
	Columns []string
	Rows    []Row
}

// ParseTSV reads a tab-separated table: '#' comment lines, one header line
// naming columns, then one row per line. name is used in errors.
func ParseTSV(r io.Reader, name string) (*File, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	f := &File{}
	var idx map[string]int
	seen := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // as some Windows tools save it
		}
		if strings.HasPrefix(text, "#") {
			if idx == nil {
				f.Header = append(f.Header, text)
			}
			continue
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.Split(text, "\t")
		if idx == nil {
			cols, err := checkColumns(fields, name, line)
			if err != nil {
				return nil, err
			}
			f.Columns = cols
			idx = map[string]int{}
			for i, c := range cols {
				idx[c] = i
			}
			continue
		}
		if len(fields) != len(f.Columns) {
			return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("%d fields, header has %d", len(fields), len(f.Columns))}
		}
		vals := map[string]string{}
		for c, i := range idx {
			vals[c] = fields[i]
		}
		row, err := makeRow(vals, name, line)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[row.InstanceType]; dup {
			return nil, &Error{File: name, Line: line, Column: "instance_type", Msg: fmt.Sprintf("%s repeats line %d", awswire.Quote(row.InstanceType), prev)}
		}
		seen[row.InstanceType] = line
		f.Rows = append(f.Rows, row)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &Error{File: name, Line: line + 1, Msg: "line longer than 1 MiB"}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if idx == nil {
		return nil, &Error{File: name, Line: line, Msg: "no header line (instance_type, ...)"}
	}
	return f, nil
}

// ParseJSON reads a JSON array of objects keyed by the same column names
// as the TSV (numbers as JSON numbers, bare_metal as a boolean, notes as a
// string). Line numbers in errors are the line where the object starts.
func ParseJSON(data []byte, name string) (*File, error) {
	if rest, ok := bytes.CutPrefix(data, []byte("\ufeff")); ok {
		// A byte-order mark (some Windows tools write one) becomes
		// spaces, so offsets in errors stay the file's.
		data = append([]byte("   "), rest...)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Line: 1, Msg: "the file is empty (want a JSON array of objects, one an instance type)"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var elems []json.RawMessage
	if err := dec.Decode(&elems); err != nil {
		line := 1
		var ae *awswire.Error
		if errors.As(awswire.Place(data, err), &ae) {
			line = ae.Line
		}
		msg := err.Error()
		if te := (*json.UnmarshalTypeError)(nil); errors.As(err, &te) {
			msg = "want a JSON array of objects, got " + article(te.Value)
		}
		return nil, &Error{File: name, Line: line, Msg: msg}
	}
	// One array, and nothing after it: a second array or a stray bracket
	// would otherwise be dropped without a word.
	if end := dec.InputOffset(); len(bytes.TrimSpace(data[end:])) > 0 {
		rest := data[end:]
		at := end + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n")))
		return nil, &Error{File: name, Line: awswire.PosOf(data, at).Line, Msg: "data after the JSON array (want one array of objects)"}
	}
	starts := elementLines(data)
	f := &File{}
	seen := map[string]int{}
	colset := map[string]bool{}
	for i, elem := range elems {
		line := 0
		if i < len(starts) {
			line = starts[i]
		}
		// A line alone names an object; objects sharing one (jq -c
		// output) are told apart by their index.
		shared := line > 0 && (i > 0 && starts[i-1] == line || i+1 < len(starts) && starts[i+1] == line)
		where := func(err error) error {
			var e *Error
			if shared && errors.As(err, &e) && e.Line == line {
				e.Msg += fmt.Sprintf(" (array element [%d])", i)
			}
			return err
		}
		elem = bytes.TrimSpace(elem)
		if len(elem) == 0 || elem[0] != '{' {
			return nil, &Error{File: name, Line: line, Msg: fmt.Sprintf("array element [%d]: want an object, got %s", i, awswire.Kind(elem))}
		}
		edec := json.NewDecoder(bytes.NewReader(elem))
		edec.UseNumber()
		var obj map[string]any
		if err := edec.Decode(&obj); err != nil {
			return nil, where(&Error{File: name, Line: line, Msg: err.Error()})
		}
		vals := map[string]string{}
		for k, v := range obj {
			switch x := v.(type) {
			case string:
				vals[k] = x
			case json.Number:
				vals[k] = x.String()
			case bool:
				vals[k] = strconv.FormatBool(x)
			case nil:
				vals[k] = ""
			default:
				kind := "an object"
				if _, ok := v.([]any); ok {
					kind = "an array"
				}
				return nil, where(&Error{File: name, Line: line, Column: awswire.Name(k), Msg: "want a number, string or boolean, got " + kind})
			}
		}
		keys := make([]string, 0, len(vals))
		for k := range vals {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if _, err := checkColumns(keys, name, line); err != nil {
			return nil, where(err)
		}
		for _, k := range keys {
			colset[k] = true
		}
		row, err := makeRow(vals, name, line)
		if err != nil {
			return nil, where(err)
		}
		if prev, dup := seen[row.InstanceType]; dup {
			what := fmt.Sprintf("array element [%d]", prev)
			if prev < len(starts) && starts[prev] != line {
				what = fmt.Sprintf("the object at line %d", starts[prev])
			}
			return nil, where(&Error{File: name, Line: line, Column: "instance_type", Msg: fmt.Sprintf("%s repeats %s", awswire.Quote(row.InstanceType), what)})
		}
		seen[row.InstanceType] = i
		f.Rows = append(f.Rows, row)
	}
	for _, c := range Columns {
		if colset[c] {
			f.Columns = append(f.Columns, c)
		}
	}
	return f, nil
}

// article names a JSON kind as encoding/json's UnmarshalTypeError.Value
// does ("object", "number"), with its article, for errors.
func article(kind string) string {
	switch kind {
	case "object", "array":
		return "an " + kind
	case "bool":
		return "a boolean"
	case "null":
		return kind
	}
	return "a " + kind
}

// elementLines returns the line where each top-level array element starts,
// whatever its kind (an object, or a null or string in error).
func elementLines(data []byte) []int {
	var out []int
	depth, line := 0, 1
	inStr, esc, expect := false, false, false
	for _, b := range data {
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case b == '\\':
				esc = true
			case b == '"':
				inStr = false
			}
		case b == ' ' || b == '\t' || b == '\r' || b == '\n':
		case depth == 1 && b == ',':
			expect = true
		default:
			if depth == 1 && expect && b != ']' {
				out = append(out, line)
			}
			expect = false
			switch b {
			case '"':
				inStr = true
			case '[', '{':
				depth++
				if depth == 1 {
					expect = true
				}
			case ']', '}':
				depth--
			}
		}
		if b == '\n' {
			line++
		}
	}
	return out
}

func checkColumns(cols []string, name string, line int) ([]string, error) {
	known := map[string]bool{}
	for _, c := range Columns {
		known[c] = true
	}
	seen := map[string]bool{}
	out := make([]string, len(cols))
	for i, c := range cols {
		c = strings.TrimSpace(c)
		if !known[c] {
			return nil, &Error{File: name, Line: line, Column: awswire.Name(c), Msg: "unknown column (known: " + strings.Join(Columns, ", ") + ")"}
		}
		if seen[c] {
			return nil, &Error{File: name, Line: line, Column: c, Msg: "column repeated"}
		}
		seen[c] = true
		out[i] = c
	}
	if !seen["instance_type"] {
		return nil, &Error{File: name, Line: line, Column: "instance_type", Msg: "missing required column"}
	}
	return out, nil
}

func makeRow(vals map[string]string, name string, line int) (Row, error) {
	r := Row{IPv6PerENI: -1, Has: map[string]bool{}, Line: line}
	r.InstanceType = strings.TrimSpace(vals["instance_type"])
	if r.InstanceType == "" {
		return r, &Error{File: name, Line: line, Column: "instance_type", Msg: "empty"}
	}
	ints := []struct {
		col    string
		dst    *int
		signed bool // may be negative (published doc errors are kept as published)
		empty  bool // empty means unknown
	}{
		{"max_enis", &r.MaxENIs, false, false},
		{"ipv4_per_eni", &r.IPv4PerENI, false, false},
		{"ipv6_per_eni", &r.IPv6PerENI, false, true},
		{"network_cards", &r.NetworkCards, false, false},
		{"max_enis_default_card", &r.MaxENIsDefaultCard, false, false},
		{"default_network_card_index", &r.DefaultNetworkCardIndex, false, false},
		{"tasks_without_trunking", &r.TasksWithoutTrunking, false, false},
		{"tasks_with_trunking", &r.TasksWithTrunking, true, false},
	}
	for _, c := range ints {
		s, ok := vals[c.col]
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		if s == "" {
			if c.empty {
				continue
			}
			return r, &Error{File: name, Line: line, Column: c.col, Msg: "empty"}
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return r, &Error{File: name, Line: line, Column: c.col, Msg: awswire.Quote(s) + " is not an integer"}
		}
		if n < 0 && !c.signed {
			return r, &Error{File: name, Line: line, Column: c.col, Msg: fmt.Sprintf("%d is negative", n)}
		}
		if n > 1<<20 {
			return r, &Error{File: name, Line: line, Column: c.col, Msg: fmt.Sprintf("%d is implausibly large", n)}
		}
		*c.dst = n
		r.Has[c.col] = true
	}
	if s, ok := vals["hypervisor"]; ok {
		r.Hypervisor = strings.TrimSpace(s)
		r.Has["hypervisor"] = true
	}
	if s, ok := vals["bare_metal"]; ok {
		switch strings.TrimSpace(s) {
		case "true":
			r.BareMetal = true
		case "false":
		default:
			return r, &Error{File: name, Line: line, Column: "bare_metal", Msg: awswire.Quote(s) + " is not true or false"}
		}
		r.Has["bare_metal"] = true
	}
	if s, ok := vals["category"]; ok {
		r.Category = strings.TrimSpace(s)
		r.Has["category"] = true
	}
	if s, ok := vals["notes"]; ok {
		for _, n := range strings.Split(s, ";") {
			if n = strings.TrimSpace(n); n != "" {
				r.Notes = append(r.Notes, n)
			}
		}
		r.Has["notes"] = true
	}
	if r.Has["max_enis"] && r.MaxENIs == 0 {
		return r, &Error{File: name, Line: line, Column: "max_enis", Msg: "0: every instance has at least its primary ENI"}
	}
	if !r.Has["network_cards"] && r.Has["max_enis"] {
		r.NetworkCards = 1
	}
	if !r.Has["max_enis_default_card"] && r.Has["max_enis"] {
		r.MaxENIsDefaultCard = r.MaxENIs
	}
	if r.Has["max_enis_default_card"] && r.Has["max_enis"] && r.MaxENIsDefaultCard > r.MaxENIs {
		return r, &Error{File: name, Line: line, Column: "max_enis_default_card", Msg: fmt.Sprintf("%d exceeds max_enis %d", r.MaxENIsDefaultCard, r.MaxENIs)}
	}
	if r.Has["max_enis"] {
		// max_enis is the sum over the cards, each of which holds at least
		// one ENI; the default card holds the primary ENI.
		if r.Has["network_cards"] && (r.NetworkCards == 0 || r.NetworkCards > r.MaxENIs) {
			return r, &Error{File: name, Line: line, Column: "network_cards",
				Msg: fmt.Sprintf("%d: want 1 to max_enis (%d); every card holds at least one ENI", r.NetworkCards, r.MaxENIs)}
		}
		if r.DefaultNetworkCardIndex >= r.NetworkCards {
			return r, &Error{File: name, Line: line, Column: "default_network_card_index",
				Msg: fmt.Sprintf("%d: the cards are numbered 0 to network_cards-1 (%d)", r.DefaultNetworkCardIndex, r.NetworkCards-1)}
		}
		if r.Has["max_enis_default_card"] {
			switch {
			case r.MaxENIsDefaultCard == 0:
				return r, &Error{File: name, Line: line, Column: "max_enis_default_card", Msg: "0: the default card holds at least the primary ENI"}
			case r.NetworkCards == 1 && r.MaxENIsDefaultCard != r.MaxENIs:
				return r, &Error{File: name, Line: line, Column: "max_enis_default_card",
					Msg: fmt.Sprintf("%d: with one network card (network_cards absent means 1) it holds all max_enis (%d)", r.MaxENIsDefaultCard, r.MaxENIs)}
			case r.MaxENIsDefaultCard > r.MaxENIs-(r.NetworkCards-1):
				return r, &Error{File: name, Line: line, Column: "max_enis_default_card",
					Msg: fmt.Sprintf("%d: leaves fewer than one of max_enis (%d) for each of the other %d cards", r.MaxENIsDefaultCard, r.MaxENIs, r.NetworkCards-1)}
			}
		}
	}
	return r, nil
}

package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// gatheredInputs returns the flow-log objects whose records the local
// Parquet file name gathers (sqlattr.InputsKey, which -export records in
// its flowlogs.parquet), none for another file. A footer that cannot be
// read is left to the read to report; metadata that does not parse is
// an error, as the file's records could not be named.
func gatheredInputs(name string) ([]attribution.Input, error) {
	if !strings.HasSuffix(name, ".parquet") {
		return nil, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil
	}
	pf, err := parquetsource.Open(f, fi.Size())
	if err != nil {
		return nil, nil
	}
	v, ok := pf.Metadata(sqlattr.InputsKey)
	if !ok {
		return nil, nil
	}
	ins, err := sqlattr.ParseInputs(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ins, nil
}

// heldInputs are the inputs whose records file or object r holds: its
// delivery, the objects a file gathers, or, named by sameInputs when a
// file read gathers others', the input the file or object is itself
// (inputName: a local file's SHA-256, another object's name).
func (r reached) heldInputs() []attribution.Input {
	if dn := deliveryOf(r.name); dn != "" {
		return []attribution.Input{{Name: dn}}
	}
	if r.gathers != nil {
		return r.gathers
	}
	if r.input != "" {
		return []attribution.Input{{Name: r.input}}
	}
	return nil
}

// sameInputs adds to copyOf (see checkOnce) the flow-log files and
// objects that hold records of an input reached before under another
// name: a bucket and a local copy of it, a file and its decompressed copy
// hold the same records, whatever their bytes, and so does the
// flowlogs.parquet of an -export, for the objects it gathers, with any of
// them.
func sameInputs(rs []reached, copyOf map[int]int) map[int]int {
	type held struct {
		in attribution.Input
		i  int
	}
	// A file gathers a file of another name by its input name, which
	// -export recorded: the SHA-256 of its bytes for a local file. Only
	// then are the others' read whole to name them.
	if slices.ContainsFunc(rs, func(r reached) bool { return len(r.gathers) > 0 }) {
		for i := range rs {
			if r := &rs[i]; r.gathers == nil && deliveryOf(r.name) == "" {
				r.input = inputName(r.name, source.Key{}, r.info != nil)
			}
		}
	}
	first := map[string][]held{}
	for i, r := range rs {
		for _, in := range r.heldInputs() {
			for _, h := range first[in.Name] {
				if h.in.Overlaps(in) {
					copyOf = addCopy(copyOf, i, h.i)
				}
			}
			first[in.Name] = append(first[in.Name], held{in, i})
		}
	}
	return copyOf
}

// sharedInput is an input whose records both a and b hold, when one of
// them gathers others' records.
func sharedInput(a, b reached) (attribution.Input, bool) {
	if len(a.gathers) == 0 && len(b.gathers) == 0 {
		return attribution.Input{}, false
	}
	for _, x := range a.heldInputs() {
		for _, y := range b.heldInputs() {
			if x.Overlaps(y) {
				return x, true
			}
		}
	}
	return attribution.Input{}, false
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// writeParts splits the records (in time order) into n objects of
// consecutive records (flowlogs.Split: line-aligned ranges of about equal
// size) and writes each object's partial to
// dir/part-NNNN.parquet, as the fan-out's workers do: the input of a reduce
// (attribute -merge dir) over a day of objects, whose partials each hold
// the tasks their object saw, not the day's. It prints the measurement
// with partial_s and partial_bytes summed over the parts and groups the
// tasks summed over the parts.
func writeParts(idx *history.Index, path, dir string, n int, m measurement, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	parts, _, err := flowlogs.Split(f, fi.Size(), n)
	if err != nil {
		return err
	}
	t0 := time.Now()
	for i, part := range parts {
		name := filepath.Join(dir, fmt.Sprintf("part-%04d.parquet", i))
		a := attribution.New(idx)
		if err := a.AddAll(part.NewReader(flowlogs.WithFields(attribution.Fields()...), flowlogs.WithSource(name)).All()); err != nil {
			return err
		}
		out, err := os.Create(name)
		if err != nil {
			return err
		}
		p, tasks := a.PartialStream()
		err = partials.WriteStream(out, p, func(yield func(*attribution.TaskPart) bool) {
			for tp := range tasks {
				m.Groups++
				m.Attributed += tp.Bytes()
				if !yield(tp) {
					return
				}
			}
		})
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fi, err := os.Stat(name)
		if err != nil {
			return err
		}
		m.PartialBytes += fi.Size()
		m.Total += p.Total.Bytes
	}
	m.PartialSeconds = time.Since(t0).Seconds()
	m.Parts = len(parts)
	m.PeakRSSMiB = peakRSSMiB()
	if m.Attributed == 0 {
		return errors.New("nothing attributed: the generator and the history disagree")
	}
	return json.NewEncoder(stdout).Encode(m)
}

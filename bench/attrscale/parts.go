package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// writeParts splits the records (in time order) into n objects of
// consecutive records and writes each object's partial to
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
	header, bounds, err := partBounds(f, m.Records, n)
	if err != nil {
		return err
	}
	t0 := time.Now()
	for i := range n {
		name := filepath.Join(dir, fmt.Sprintf("part-%04d.parquet", i))
		obj := io.MultiReader(strings.NewReader(header), io.NewSectionReader(f, bounds[i], bounds[i+1]-bounds[i]))
		a := attribution.New(idx)
		if err := a.AddAll(flowlogs.NewReader(obj, flowlogs.WithFields(attribution.Fields()...), flowlogs.WithSource(name)).All()); err != nil {
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
	m.Parts = n
	m.PeakRSSMiB = peakRSSMiB()
	if m.Attributed == 0 {
		return errors.New("nothing attributed: the generator and the history disagree")
	}
	return json.NewEncoder(stdout).Encode(m)
}

// partBounds reads the header line of the records file f (of records
// lines after it) and returns it with the byte offsets where each of n
// parts of consecutive records starts, and the file's end.
func partBounds(f *os.File, records, n int) (string, []int64, error) {
	br := bufio.NewReaderSize(f, 1<<20)
	header, err := br.ReadString('\n')
	if err != nil {
		return "", nil, fmt.Errorf("reading the records' header: %w", err)
	}
	off := int64(len(header))
	bounds := []int64{off}
	for k := 0; k < records; k++ {
		if k > 0 && k%(records/n) == 0 && len(bounds) < n {
			bounds = append(bounds, off)
		}
		for { // a line longer than the buffer comes in pieces
			line, err := br.ReadSlice('\n')
			off += int64(len(line))
			if err == nil {
				break
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				return "", nil, fmt.Errorf("record %d: %w", k+1, err)
			}
		}
	}
	return header, append(bounds, off), nil
}

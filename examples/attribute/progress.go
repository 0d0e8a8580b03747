package main

import (
	"context"
	"io"
	"sync"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// countBytes returns src with its objects' bytes counted on the progress
// line p as they are read, and rest, which gives the bytes of an object
// not counted yet, for the line's count when the object's read ends (its
// size in all). Counted only at each object's end, one large object (a
// day's records in one file, -export's flowlogs.parquet) left the line
// undrawn until its read was over. Without a line (p nil: -q, or not a
// terminal) src is read as it is.
func countBytes(src source.Source, p *cli.Progress) (source.Source, func(source.Object) int64) {
	whole := func(o source.Object) int64 { return max(o.Size, 0) }
	if p == nil {
		return src, whole
	}
	c := &countedSource{Source: src, progress: p, open: map[string]*progressReader{}}
	return c, c.rest
}

// countedSource is countBytes's source: each object it opens counts what
// is read of it, up to its size.
type countedSource struct {
	source.Source
	progress *cli.Progress
	mu       sync.Mutex
	open     map[string]*progressReader // by object name, until rest
}

func (s *countedSource) Open(ctx context.Context, o source.Object) (io.ReadCloser, error) {
	rc, err := s.Source.Open(ctx, o)
	if err != nil || o.Size <= 0 {
		return rc, err
	}
	c := &progressReader{ReadCloser: rc, progress: s.progress, left: o.Size}
	s.mu.Lock()
	s.open[o.Name] = c
	s.mu.Unlock()
	// A Parquet decoder reads a local file in place (io.ReaderAt).
	if ra, ok := rc.(io.ReaderAt); ok {
		return &progressReaderAt{c, ra}, nil
	}
	return c, nil
}

// rest is what of o's size its reads have not counted, and forgets o.
func (s *countedSource) rest(o source.Object) int64 {
	s.mu.Lock()
	c := s.open[o.Name]
	delete(s.open, o.Name)
	s.mu.Unlock()
	if c == nil {
		return max(o.Size, 0)
	}
	return c.rest()
}

// progressReader counts the bytes read of an object on a progress line,
// up to left (its size): a Parquet reader may read parts twice, or not
// at all.
type progressReader struct {
	io.ReadCloser
	progress *cli.Progress
	mu       sync.Mutex
	left     int64
}

func (c *progressReader) Read(b []byte) (int, error) {
	n, err := c.ReadCloser.Read(b)
	c.count(n)
	return n, err
}

func (c *progressReader) count(n int) {
	c.mu.Lock()
	n64 := min(int64(n), c.left)
	c.left -= n64
	c.mu.Unlock()
	if n64 > 0 {
		c.progress.Add(0, 0, n64)
	}
}

func (c *progressReader) rest() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.left
	c.left = 0
	return r
}

// progressReaderAt is a progressReader of an io.ReaderAt.
type progressReaderAt struct {
	*progressReader
	ra io.ReaderAt
}

func (c *progressReaderAt) ReadAt(b []byte, off int64) (int, error) {
	n, err := c.ra.ReadAt(b, off)
	c.count(n)
	return n, err
}

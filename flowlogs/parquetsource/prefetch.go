package parquetsource

import (
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

// prefetcher reads the pages of a row group's columns (parquet-go's
// ReadPage: reading, decompressing and decoding them) on a goroutine of
// its own, a few pages ahead of the reader, as the text Reader decompresses
// gzip on a goroutine of its own. Only pages cross goroutines: the reader
// gets each page once it is read, and decodes it itself.
//
// The goroutine reads, of the columns with fewer than maxAhead pages
// queued, the one with the fewest rows queued (columns are read at the
// same rate in rows). A reader that finds no page queued reads the page
// itself, unless the goroutine is reading it: so it waits only for a page
// on its way, and when the goroutine gets no core, the reader reads as if
// there were none. It works one row group at a time: begin gives it the
// group's page readers, pause takes them back (the reader closes them).
type prefetcher struct {
	mu    sync.Mutex
	work  sync.Cond // the goroutine waits: for a group, or room
	ready sync.Cond // the reader waits: for a page, or the goroutine to be out of ReadPage

	cols    []prefetchColumn
	active  bool // a row group is being read
	busy    bool // the goroutine is in ReadPage
	started bool
	stop    bool
}

type prefetchColumn struct {
	pages   parquet.Pages
	queue   []prefetched // from head
	head    int
	rows    int64 // rows of the pages queued
	reading bool  // a page of the column is being read
	end     bool  // the last page (EOF or an error) is read
	last    error // the last page's error, once taken: take returns it again
}

type prefetched struct {
	page  parquet.Page
	space spaceHint // of a plain page of byte arrays
	err   error
	pnc   any // what ReadPage panicked with
}

// spaceHint says whether the byte arrays of a plain page hold white space,
// when the goroutine reading pages ahead has looked.
type spaceHint uint8

const (
	spaceUnknown spaceHint = iota
	spaceNone
	spaceSome
)

// maxAhead bounds the pages read ahead per column.
const maxAhead = 2

func newPrefetcher(ncols int) *prefetcher {
	p := &prefetcher{cols: make([]prefetchColumn, ncols)}
	p.work.L, p.ready.L = &p.mu, &p.mu
	return p
}

// begin starts reading the pages of a row group, one reader per column.
func (p *prefetcher) begin(pages []parquet.Pages) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k := range p.cols {
		p.cols[k] = prefetchColumn{pages: pages[k], queue: p.cols[k].queue[:0]}
	}
	p.active = true
	if !p.started {
		p.started = true
		go p.run()
	}
	p.work.Signal()
}

// pause stops reading the row group, once the goroutine is out of
// ReadPage, and returns the pages read and not taken, for the reader to
// release with the group's page readers.
func (p *prefetcher) pause(left []parquet.Page) []parquet.Page {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active = false
	for p.busy {
		p.ready.Wait()
	}
	for k := range p.cols {
		c := &p.cols[k]
		for _, it := range c.queue[c.head:] {
			if it.page != nil {
				left = append(left, it.page)
			}
		}
		clear(c.queue)
		c.queue, c.head, c.pages = c.queue[:0], 0, nil
	}
	return left
}

// close ends the goroutine.
func (p *prefetcher) close() {
	p.mu.Lock()
	p.stop = true
	p.work.Signal()
	p.mu.Unlock()
}

// take returns column k's next page, as its ReadPage would: read ahead,
// or read now. For a plain page of byte arrays read ahead it says whether
// they hold white space. It panics with what ReadPage panicked with.
func (p *prefetcher) take(k int) (parquet.Page, spaceHint, error) {
	p.mu.Lock()
	c := &p.cols[k]
	for c.head == len(c.queue) {
		switch {
		case c.last != nil:
			p.mu.Unlock()
			return nil, spaceUnknown, c.last
		case c.end:
			// The last page was taken after its error was set: cannot
			// happen, but never wait for a page that is not coming.
			p.mu.Unlock()
			return nil, spaceUnknown, errCorrupt
		case !c.reading:
			c.reading = true
			p.mu.Unlock()
			it := readPage(c.pages, false)
			p.mu.Lock()
			c.reading = false
			p.took(c, it)
			p.mu.Unlock()
			return it.result()
		}
		p.ready.Wait()
	}
	it := c.queue[c.head]
	c.queue[c.head] = prefetched{}
	c.head++
	if c.head == len(c.queue) {
		c.queue, c.head = c.queue[:0], 0
	}
	if it.page != nil {
		c.rows -= it.page.NumRows()
	}
	p.took(c, it)
	p.work.Signal()
	p.mu.Unlock()
	return it.result()
}

// took notes that the reader took it, a page of c; with p.mu held.
func (p *prefetcher) took(c *prefetchColumn, it prefetched) {
	switch {
	case it.page != nil:
		return
	case it.err != nil:
		c.last = it.err
	default:
		c.last = errCorrupt // after a panic
	}
	c.end = true
}

func (it prefetched) result() (parquet.Page, spaceHint, error) {
	if it.pnc != nil {
		panic(it.pnc)
	}
	return it.page, it.space, it.err
}

// next returns the column to read a page of, or -1; with p.mu held.
func (p *prefetcher) next() int {
	if !p.active {
		return -1
	}
	pick := -1
	for k := range p.cols {
		c := &p.cols[k]
		if !c.end && !c.reading && len(c.queue)-c.head < maxAhead && (pick < 0 || c.rows < p.cols[pick].rows) {
			pick = k
		}
	}
	return pick
}

func (p *prefetcher) run() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		k := p.next()
		for k < 0 && !p.stop {
			p.work.Wait()
			k = p.next()
		}
		if p.stop {
			return
		}
		c := &p.cols[k]
		p.busy, c.reading = true, true
		p.mu.Unlock()
		it := readPage(c.pages, true)
		p.mu.Lock()
		p.busy, c.reading = false, false
		c.queue = append(c.queue, it)
		if it.page != nil {
			c.rows += it.page.NumRows()
		} else {
			c.end = true
		}
		p.ready.Broadcast()
	}
}

// readPage reads a page; ahead, it also checks a plain page of byte
// arrays for white space.
func readPage(pages parquet.Pages, ahead bool) (it prefetched) {
	defer func() {
		if r := recover(); r != nil {
			it = prefetched{pnc: r}
		}
	}()
	page, err := pages.ReadPage()
	if err != nil {
		return prefetched{err: err}
	}
	it.page = page
	// The reader's check of a plain page's byte arrays (see column.load),
	// done here, off its goroutine.
	if ahead && page.Dictionary() == nil {
		if data := page.Data(); data.Kind() == encoding.ByteArray {
			b, _ := data.ByteArray()
			it.space = spaceNone
			if hasSpace(b) {
				it.space = spaceSome
			}
		}
	}
	return it
}

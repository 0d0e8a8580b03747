package attribution

// batches is the supply of batches that one stage of AddAll fills and
// hands to the next over full, which gives them back over free for
// refilling. All max of them are used before one is filled again, also
// when the next stage keeps up and two would do: the batch given back
// last has just been read on the other core, and writing its cache lines
// again costs the filling core more than writing those of a batch read
// three batches ago (our reading of BenchmarkHandoff: parsing into four
// batches that a goroutine reads took 65–69 ms, into two 71–78, parsing
// alone 58–61; this VM has no hardware counters to confirm it). An input
// shorter than max batches makes fewer.
type batches[T any] struct {
	full, free chan []T
	made, max  int
	size       int
}

func newBatches[T any](max, size int) *batches[T] {
	return &batches[T]{full: make(chan []T, max), free: make(chan []T, max), max: max, size: size}
}

// empty returns a new batch while fewer than max exist, then the batch
// given back longest ago.
func (b *batches[T]) empty() []T {
	if b.made < b.max {
		b.made++
		return make([]T, b.size)
	}
	return <-b.free
}

// giveBack returns a batch the next stage is done with.
func (b *batches[T]) giveBack(x []T) { b.free <- x[:cap(x)] }

// discard gives back every batch handed over until full is closed: what
// the next stage does after a panic, so that the filling stage never
// blocks while it has not yet seen the failure.
func (b *batches[T]) discard() {
	for x := range b.full {
		b.giveBack(x)
	}
}

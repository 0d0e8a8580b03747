package attribution

// batches is the supply of batches that one stage of AddAll fills and
// hands to the next over full, which gives them back over free for
// refilling: at most max exist, made as the next stage falls behind, so
// that a small input, or a next stage that keeps up, makes only a few.
type batches[T any] struct {
	full, free chan []T
	made, max  int
	size       int
}

func newBatches[T any](max, size int) *batches[T] {
	return &batches[T]{full: make(chan []T, max), free: make(chan []T, max), max: max, size: size}
}

// empty returns a free batch, or a new one while fewer than max exist.
func (b *batches[T]) empty() []T {
	select {
	case x := <-b.free:
		return x
	default:
	}
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

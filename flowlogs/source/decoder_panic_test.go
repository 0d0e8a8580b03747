package source

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// A decoder that panics (a bug met by one object) has its panic raised
// again in the caller's goroutine, where it can be recovered and the
// program go on: the object Source.Open returned must have been closed
// by then, as after a decoder's error, or a long-running program leaks a
// file descriptor or an S3 body (and its connection) per such object.
func TestDecoderPanicClosesObject(t *testing.T) {
	panicky := WithDecoder(func(Object) bool { return true },
		func(context.Context, Object, io.Reader, ...flowlogs.Option) (*flowlogs.Reader, error) {
			panic("decoder bug")
		})
	runs := map[string]func(src Source) error{
		"Records": func(src Source) error {
			for _, err := range Records(context.Background(), src, WithConcurrency(1), panicky) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		"Map": func(src Source) error {
			_, err := Map(context.Background(), src, func(Object, *flowlogs.Reader) (int, error) { return 0, nil },
				WithConcurrency(1), panicky)
			return err
		},
	}
	for name, run := range runs {
		src := &countingSource{n: 3}
		var rp *ReadPanic
		func() {
			defer func() {
				p := recover()
				if p == nil {
					t.Fatalf("%s: the decoder's panic was not raised", name)
				}
				if err, ok := p.(error); !ok || !errors.As(err, &rp) {
					t.Fatalf("%s: raised %v, want a *ReadPanic", name, p)
				}
			}()
			if err := run(src); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}()
		if open := src.open.Load(); open != 0 {
			t.Errorf("%s: %d objects still open after the decoder of %s panicked", name, open, rp.Name)
		}
	}
}

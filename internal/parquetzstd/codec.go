// Package parquetzstd is the zstd codec of the module's Parquet writers
// (partials, the task history's intervals): parquet-go's own
// (parquet.Zstd), at the same level, with an encoder window of a page's
// size instead of zstd's default 8 MiB.
package parquetzstd

import (
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// Window is the encoder's window: parquet-go's default page buffer size
// (parquet.DefaultPageBufferSize), about the most a data page holds. A
// dictionary page can be larger (a row group's distinct values); its
// matches are then sought in the last 256 KiB only, which cost nothing
// measurable (the 10,000-task worker's partial came out byte for byte
// the same).
const Window = 256 << 10

// Codec compresses each page into one zstd frame, as parquet.Zstd does.
// parquet-go compresses every page on its own, so a window longer than a
// page finds no more matches; but klauspost's encoder keeps a history of
// twice its window, 16 MiB at the default window (at 10,000 tasks a
// seventh of a fan-out worker's heap while it writes its partial:
// bench/attrscale). With Window it keeps 1 MiB. Its zero value is ready
// to use; it is safe for concurrent use.
type Codec struct {
	encoders sync.Pool // *zstd.Encoder
}

// Zstd is the Codec the writers share (an encoder per page being
// compressed at once).
var Zstd = new(Codec)

func (c *Codec) String() string { return "ZSTD" }

// CompressionCodec implements parquet's compress.Codec.
func (c *Codec) CompressionCodec() format.CompressionCodec { return format.Zstd }

// Encode implements parquet's compress.Codec.
func (c *Codec) Encode(dst, src []byte) ([]byte, error) {
	e, _ := c.encoders.Get().(*zstd.Encoder)
	if e == nil {
		var err error
		// parquet.Zstd's options (compress/zstd in parquet-go), and
		// the window.
		e, err = zstd.NewWriter(nil,
			zstd.WithEncoderConcurrency(1),
			zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithZeroFrames(true),
			zstd.WithEncoderCRC(false),
			zstd.WithWindowSize(Window))
		if err != nil {
			return dst[:0], err
		}
	}
	dst = e.EncodeAll(src, dst[:0])
	c.encoders.Put(e)
	return dst, nil
}

// Decode implements parquet's compress.Codec, as parquet.Zstd does.
func (c *Codec) Decode(dst, src []byte) ([]byte, error) {
	return parquet.Zstd.Decode(dst, src)
}

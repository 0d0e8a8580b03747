package parquetguard

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
)

// TestZstdSize: a frame as parquet-go writes it passes; one that declares
// more than the page, or declares nothing and holds blocks that could
// decode past the bound (RLE blocks: four bytes each, 128 KiB decoded),
// does not; a frame written as a stream, without a size, passes.
func TestZstdSize(t *testing.T) {
	src := bytes.Repeat([]byte("task-arn service peer "), 5000)
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	frame := enc.EncodeAll(src, nil)
	if err := zstdSize(frame, int64(len(src)), 1<<20); err != nil {
		t.Fatalf("EncodeAll's frame: %v", err)
	}
	if err := zstdSize(append(slicesClone(frame), frame...), int64(2*len(src)), 1<<20); err != nil {
		t.Fatalf("two frames: %v", err)
	}
	if err := zstdSize(frame, int64(len(src))-1, 1<<20); err == nil {
		t.Error("a frame declaring more than the page: no error")
	}
	// The declared size patched to 4 GiB (EncodeAll writes it in four
	// bytes after the descriptor): zstd would allocate that first.
	if fhd := frame[4]; fhd>>6 != 2 || fhd>>5&1 != 1 || fhd&3 != 0 {
		t.Fatalf("frame header descriptor %#x: not a single-segment frame with a 4-byte size", fhd)
	}
	lying := slicesClone(frame)
	binary.LittleEndian.PutUint32(lying[5:], 0xFFFFFFF0)
	if err := zstdSize(lying, int64(len(src)), 1<<20); err == nil {
		t.Error("a frame declaring 4 GiB: no error")
	}

	var stream bytes.Buffer
	w, err := zstd.NewWriter(&stream)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(src)
	w.Close()
	if err := zstdSize(stream.Bytes(), int64(len(src)), int64(len(src))+1<<20); err != nil {
		t.Fatalf("a streamed frame: %v", err)
	}

	// A bomb: no declared size, a 1 MiB window, 1,000 RLE blocks of 128
	// KiB: 4 KB that decode to 125 MiB.
	bomb := binary.LittleEndian.AppendUint32(nil, zstdMagic)
	bomb = append(bomb, 0x00, 10<<3) // no size, not single-segment; window 2^20
	for i := range 1000 {
		h := uint32(128<<10)<<3 | 1<<1 // RLE
		if i == 999 {
			h |= 1
		}
		bomb = append(bomb, byte(h), byte(h>>8), byte(h>>16), 'x')
	}
	if err := zstdSize(bomb, 1<<20, 1024*(int64(len(bomb))+1024)); err == nil {
		t.Error("an RLE bomb: no error")
	}
	for _, bad := range [][]byte{{1, 2, 3}, frame[:len(frame)-2], binary.LittleEndian.AppendUint32(nil, 0x12345678)} {
		if err := zstdSize(bad, 1<<30, 1<<30); err == nil {
			t.Errorf("%x: no error", bad[:min(len(bad), 8)])
		}
	}
}

func slicesClone(b []byte) []byte { return append([]byte(nil), b...) }

// TestSnappyLength: snappy data whose length header passes the page's
// uncompressed size (the decoder allocates it, up to 4 GiB) is refused.
func TestSnappyLength(t *testing.T) {
	src := bytes.Repeat([]byte("eni-0123456789abcdef0 "), 300)
	ok := snappy.Encode(nil, src)
	lying := binary.AppendUvarint(nil, 1<<32-1)
	lying = append(lying, ok[binary.PutUvarint(make([]byte, 10), uint64(len(src))):]...)
	for _, c := range []struct {
		data []byte
		fail bool
	}{{ok, false}, {lying, true}} {
		g := NewPageGuard(bytes.NewReader(c.data))
		err := g.checkPayload(format.Snappy, pageHeader{us: int64(len(src)), cs: int64(len(c.data))}, 0)
		if (err != nil) != c.fail {
			t.Errorf("length header %x: %v", c.data[:5], err)
		}
	}
}

package parquetzstd

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
)

// pages returns inputs up to four windows long: empty, random, and
// repetitive with matches nearer and farther than the window.
func pages() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 3*Window)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var rep bytes.Buffer
	for rep.Len() < 4*Window {
		rep.WriteString("arn:aws:ecs:us-east-1:123456789012:task/scale/")
		rep.WriteByte(byte('a' + rng.IntN(26)))
	}
	far := append(append(append([]byte(nil), random[:Window/2]...), random[Window:2*Window]...), random[:Window/2]...)
	return map[string][]byte{"empty": nil, "one byte": {7}, "random": random, "repetitive": rep.Bytes(),
		"match beyond the window": far}
}

// TestRoundTrip checks that what Encode writes, parquet.Zstd and a zstd
// decoder of default options read back.
func TestRoundTrip(t *testing.T) {
	d, err := zstd.NewReader(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for name, src := range pages() {
		enc, err := Zstd.Encode(nil, src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, dec := range []func([]byte) ([]byte, error){
			func(b []byte) ([]byte, error) { return parquet.Zstd.Decode(nil, b) },
			func(b []byte) ([]byte, error) { return d.DecodeAll(b, nil) },
			func(b []byte) ([]byte, error) { return Zstd.Decode(nil, b) },
		} {
			got, err := dec(enc)
			if err != nil || !bytes.Equal(got, src) {
				t.Fatalf("%s: decoded %d bytes (%v), want %d", name, len(got), err, len(src))
			}
		}
		if name == "repetitive" && len(enc) > len(src)/20 {
			t.Errorf("repetitive: %d bytes compressed to %d", len(src), len(enc))
		}
	}
}

// TestConcurrent encodes from several goroutines at once (parquet-go may),
// under -race in CI.
func TestConcurrent(t *testing.T) {
	ps := pages()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				for name, src := range ps {
					enc, err := Zstd.Encode(nil, src)
					if err != nil {
						t.Error(err)
						return
					}
					if got, err := parquet.Zstd.Decode(nil, enc); err != nil || !bytes.Equal(got, src) {
						t.Errorf("%s: round trip failed (%v)", name, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestEncoderMemory checks what the window is for: a fresh encoder's
// first page allocates its history, near 1 MiB, not the 16 MiB of
// zstd's default window.
func TestEncoderMemory(t *testing.T) {
	src := pages()["repetitive"][:Window]
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := new(Codec).Encode(nil, src); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 3<<20 {
		t.Errorf("a fresh encoder's first page allocated %d bytes, want about 1 MiB of history", grew)
	}
}

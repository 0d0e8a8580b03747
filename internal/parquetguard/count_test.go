package parquetguard

import "testing"

// FuzzCounts: the walks over a page's RLE runs and DELTA streams never
// panic nor loop, whatever the bytes, and a stream's rest is within it.
func FuzzCounts(f *testing.F) {
	f.Add([]byte{0x33, 0xff, 0x02, 0x07}, uint8(2), int64(200))
	f.Add([]byte{0x80, 0x01, 0x04, 0xc8, 0x01, 0x00, 0x02, 0x01, 0x01, 0x01, 0x01}, uint8(0), int64(200))
	f.Fuzz(func(t *testing.T, b []byte, width uint8, limit int64) {
		_ = rleCount(b, uint(width%33), limit, "values")
		rest, _ := deltaCount(b, limit)
		if len(rest) > len(b) || len(rest) > 0 && &rest[len(rest)-1] != &b[len(b)-1] {
			t.Fatalf("%d bytes left of %d, not its end", len(rest), len(b))
		}
	})
}

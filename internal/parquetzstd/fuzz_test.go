package parquetzstd

import (
	"bytes"
	"testing"
)

// FuzzCodec: a page's bytes from a Parquet file, whatever they hold,
// decode or give an error with a message, never a panic; and what Encode
// writes decodes to what it was given.
func FuzzCodec(f *testing.F) {
	enc, _ := Zstd.Encode(nil, []byte("2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 5000 6 1 40 ACCEPT OK"))
	f.Add(enc)
	f.Add([]byte{})
	f.Add([]byte("\x28\xb5\x2f\xfd\x00\x58\x00\x00"))
	f.Add(bytes.Repeat([]byte{0xff}, 64))
	f.Fuzz(func(t *testing.T, data []byte) {
		if out, err := Zstd.Decode(nil, data); err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
		} else if len(out) > 64<<20 {
			t.Fatalf("%d bytes decoded from %d", len(out), len(data))
		}
		enc, err := Zstd.Encode(nil, data)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := Zstd.Decode(nil, enc)
		if err != nil || !bytes.Equal(dec, data) {
			t.Fatalf("round trip of %d bytes: %d bytes, %v", len(data), len(dec), err)
		}
	})
}

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
	f.Fuzz(codecRoundTrip)
}

// codecRoundTrip is FuzzCodec's check of one input. What Decode makes
// is not bounded here (zstd's RLE blocks make 128 KiB of 4 bytes each, so
// a valid frame of 2 KB decodes to more than 64 MiB): readers bound it
// before they decode, by the page's declared size (parquetguard).
func codecRoundTrip(t *testing.T, data []byte) {
	if _, err := Zstd.Decode(nil, data); err != nil && err.Error() == "" {
		t.Fatal("an error with no message")
	}
	enc, err := Zstd.Encode(nil, data)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := Zstd.Decode(nil, enc)
	if err != nil || !bytes.Equal(dec, data) {
		t.Fatalf("round trip of %d bytes: %d bytes, %v", len(data), len(dec), err)
	}
}

//go:build !amd64 || purego

package flowlogs

func spaceBits64(b []byte) uint64 { return spaceBits64Generic(b) }

func tokenStarts(space *[maxFastLine/64 + 1]uint64, nw int, starts *[maxFastLine/2 + 1]uint16) int {
	return tokenStartsGeneric(space, nw, starts)
}

// scanLine is not fused on this platform: the Reader finds lines with
// bytes.IndexByte and splits them with lineBits.build.
func scanLine(b []byte, n int, space *[maxFastLine/64 + 1]uint64) int { return -1 }

//go:build !amd64 || purego

package flowlogs

func spaceBits64(b []byte) uint64 { return spaceBits64Generic(b) }

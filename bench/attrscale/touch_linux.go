package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// firstTouchMicros is what the kernel takes to give the process one page
// of memory: a fresh 32 MiB anonymous mapping written a byte per page,
// the cheapest of three tries so that a descheduling does not count.
// Its own mapping, not the Go heap's, because the heap may hand back
// pages it already has.
func firstTouchMicros() (float64, error) {
	const size = 32 << 20
	page := os.Getpagesize()
	best := time.Duration(-1)
	for range 3 {
		b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if err != nil {
			return 0, fmt.Errorf("measuring a page fault's cost: %w", err)
		}
		t0 := time.Now()
		for i := 0; i < size; i += page {
			b[i] = 1
		}
		d := time.Since(t0)
		if err := syscall.Munmap(b); err != nil {
			return 0, fmt.Errorf("measuring a page fault's cost: %w", err)
		}
		if best < 0 || d < best {
			best = d
		}
	}
	return float64(best.Nanoseconds()) / 1e3 / float64(size/page), nil
}

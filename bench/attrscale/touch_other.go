//go:build !linux

package main

// firstTouchMicros is 0 where the page-fault counter is not read either.
func firstTouchMicros() (float64, error) { return 0, nil }

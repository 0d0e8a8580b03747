package flowlogs_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
)

const splitBoundsFile = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789012 eni-aaaa 10.0.0.1 10.0.0.2 1 2 6 10 100 1700000000 1700000060 ACCEPT OK
2 123456789012 eni-bbbb 10.0.0.3 10.0.0.4 3 4 6 20 200 1700000000 1700000060 REJECT OK
2 123456789012 eni-cccc 10.0.0.5 10.0.0.6 5 6 17 30 300 1700000000 1700000060 ACCEPT OK
`

// A negative size (an unchecked Stat result, a -1 "unknown" length) is a
// caller's mistake Split must report, not a makeslice panic.
func TestSplitNegativeSize(t *testing.T) {
	defer func() {
		if e := recover(); e != nil {
			t.Fatalf("Split panicked on a negative size: %v", e)
		}
	}()
	parts, _, err := flowlogs.Split(strings.NewReader(splitBoundsFile), -1, 2)
	if err == nil {
		t.Fatalf("Split with size -1: no error, %d parts", len(parts))
	}
}

// Split makes "at most n" parts of line starts: asking for more parts than
// the file has bytes (math.MaxInt for "as many as you can") must come back
// promptly with every record, not loop n times.
func TestSplitHugeN(t *testing.T) {
	done := make(chan error, 1)
	var parts []flowlogs.Part
	go func() {
		var err error
		parts, _, err = flowlogs.Split(strings.NewReader(splitBoundsFile), int64(len(splitBoundsFile)), math.MaxInt)
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Split(n = math.MaxInt) did not return within 5s")
	}
	n := 0
	for _, p := range parts {
		r := p.NewReader()
		for r.Scan() {
			n++
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if n != 3 {
		t.Fatalf("%d records over %d parts, want 3", n, len(parts))
	}
}

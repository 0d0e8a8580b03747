//go:build unix

package parquetsource

import (
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time: on a shared machine
// it is a steadier measure than wall time (the benchmarks report it per
// record).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

//go:build !unix

package cputime

import "time"

// Process returns 0 where the process's CPU time is not read here.
func Process() time.Duration { return 0 }

// MinorFaults returns 0 where the process's page faults are not read here.
func MinorFaults() uint64 { return 0 }

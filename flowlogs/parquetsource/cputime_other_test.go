//go:build !unix

package parquetsource

import "time"

func cpuTime() time.Duration { return 0 }

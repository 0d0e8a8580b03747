package attribution

import "github.com/ecsnet/ecsnet/internal/cputime"

// cpuTime is the process's user+system CPU time (see internal/cputime).
var cpuTime = cputime.Process

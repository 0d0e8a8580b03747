package flowlogs

import (
	"flag"
	"os"
	"testing"
)

// TestMain bounds the minimisation of each new interesting input found
// while fuzzing to 1,000 executions, unless -fuzzminimizetime is given:
// by default it runs for 60 s, and these targets find new inputs every
// second at first, so fuzzing stalled at a few executions, minimising
// (issue 15). Crashers are still minimised, within the same bound.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.fuzzminimizetime" })
	if !set {
		if err := flag.Set("test.fuzzminimizetime", "1000x"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

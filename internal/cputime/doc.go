// Package cputime reads the process's CPU time, for the benchmarks that
// report cpu-ns per record: on a shared machine CPU time is a steadier
// measure than wall time.
package cputime

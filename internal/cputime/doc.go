// Package cputime reads the process's CPU time, for the benchmarks that
// report cpu-ns per record (on a shared machine CPU time is a steadier
// measure than wall time), and its minor page faults, for those whose
// time includes the kernel's mapping fresh memory (costly under some
// hypervisors, and then a large part of a memory-hungry step's time).
package cputime

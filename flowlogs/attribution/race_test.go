//go:build race

package attribution

// raceEnabled: the race detector slows the property tests tenfold, which
// then run fewer rounds.
const raceEnabled = true

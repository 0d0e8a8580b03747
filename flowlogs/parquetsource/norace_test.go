//go:build !race

package parquetsource

const raceEnabled = false

package history

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
)

// validSeeds are JSON texts, valid and not, around each rule validJSON
// checks.
var validSeeds = []string{
	``, ` `, `{}`, `[]`, ` { } `, `[ ]`, `{"a":1}`, `{"a" : [1, 2.5, -0.1e+3, "x", true, false, null, {}]}`,
	`"s"`, `"\u00e9\n\"\\\/\b\f\r\t"`, `"\u00G0"`, `"\x"`, "\"a\x01\"", "\"a\x7f\xff\"", `"`, `"\`, `"\u12"`,
	`1`, `-1`, `-`, `01`, `1.`, `.1`, `1e`, `1e+`, `1E-2`, `-0`, `0.0e0`, `+1`, `1 2`, `tru`, `true`, `nul`, `null `, `falsey`,
	`{"a":1,}`, `[1,]`, `[,1]`, `{,}`, `{"a"}`, `{"a":}`, `{1:2}`, `{"a":1 "b":2}`, `[1 2]`, `[[[]]]`, `[[[]]`, `[]]`, `{]`, `[}`,
	`{"a":{"b":{"c":[1,{"d":null}]}}}`, "{\"a\":\t\r\n1}", "\ufeff{}", `{"a":1}{"b":2}`, `{"a":1}x`,
	strings.Repeat("[", 999) + strings.Repeat("]", 999), strings.Repeat("[", 1001) + strings.Repeat("]", 1001),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

// TestValidJSON checks validJSON against json.Valid: never valid where
// json.Valid is not, and valid where it is (but past maxValidDepth), on
// the seeds and on many mutations of them and of history lines.
func TestValidJSON(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, want := validJSON([]byte(s)), json.Valid([]byte(s))
		deep := strings.Count(s, "[")+strings.Count(s, "{") > maxValidDepth
		if got != want && !(deep && want && !got) {
			t.Fatalf("validJSON(%q) = %v, json.Valid %v", s, got, want)
		}
	}
	corpus := append([]string(nil), validSeeds...)
	rc := newLargeCluster(t, 20)
	corpus = append(corpus, strings.Split(string(rc.history), "\n")...)
	for _, s := range corpus {
		check(s)
	}
	rnd := rand.New(rand.NewSource(1))
	alphabet := []byte("{}[]\",:\\/ \t\r\n0123456789-+.eEtrufalsn\x00\x1f\x7f\xc3\xa9ub")
	for n := 0; n < 200000; n++ {
		b := []byte(corpus[rnd.Intn(len(corpus))])
		for k := rnd.Intn(3) + 1; k > 0; k-- {
			switch op := rnd.Intn(3); {
			case op == 0 && len(b) > 0: // replace a byte
				b[rnd.Intn(len(b))] = alphabet[rnd.Intn(len(alphabet))]
			case op == 1: // insert a byte
				i := rnd.Intn(len(b) + 1)
				b = append(b[:i], append([]byte{alphabet[rnd.Intn(len(alphabet))]}, b[i:]...)...)
			case len(b) > 0: // cut
				i := rnd.Intn(len(b))
				b = append(b[:i], b[i+1:]...)
			}
		}
		check(string(b))
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, s := range validSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := validJSON([]byte(s)), json.Valid([]byte(s))
		if got && !want || want && !got && strings.Count(s, "[")+strings.Count(s, "{") <= maxValidDepth {
			t.Fatalf("validJSON(%q) = %v, json.Valid %v", s, got, want)
		}
	})
}

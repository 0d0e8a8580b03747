package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTools is a tools whose attrscale and test binaries are scripts that
// print fixed figures: a 1 M run with the groups streamed takes them in
// 5 % of AddAll with the live heap unchanged, a 1 M run taking a whole
// Result takes 30 % of AddAll and doubles the live heap (80 → 160 MiB).
// ATTR_SYNC sets the bytes the -sync run attributes (1000 like the others
// by default).
func fakeTools(t *testing.T) *tools {
	t.Helper()
	root, bin := t.TempDir(), t.TempDir()
	for _, d := range testDirs {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	attrscale := `#!/bin/sh
stream=0 sync=0 records=0 prev=
for a; do
  case $a in -stream) stream=1 ;; -sync) sync=1 ;; esac
  [ "$prev" = -records ] && records=$a
  prev=$a
done
attr=1000 rss=120
[ "$records" = 4000000 ] && attr=4000 rss=130
[ $sync = 1 ] && attr=${ATTR_SYNC:-1000}
if [ $stream = 1 ]; then
  echo '{"parse_s":0.5,"addall_s":1,"result_s":0.05,"addall_over_parse":0.5,"live_after_addall_mib":80,"live_after_result_mib":80,"peak_rss_mib":'$rss',"attributed_bytes":'$attr'}'
else
  echo '{"parse_s":0.5,"addall_s":1,"result_s":0.3,"addall_over_parse":0.5,"live_after_addall_mib":80,"live_after_result_mib":160,"peak_rss_mib":200,"attributed_bytes":'$attr'}'
fi
`
	bench := `#!/bin/sh
cat <<'OUT'
BenchmarkAttribution/typical-2 8 1 ns/op 0.9 e2e/parse
BenchmarkReadGzip/decode-only-2 1000000 360 ns/op
BenchmarkReadGzip/aggregate-async-2 1000000 370 ns/op
BenchmarkReadText/all-fields-2 5 1 ns/op 2500000 records/s 580 cpu-ns/record
BenchmarkRead/all-fields-2 5 1 ns/op 2600000 records/s 520 cpu-ns/record
PASS
OUT
`
	write := func(name, script string) {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("attrscale", attrscale)
	for name := range testDirs {
		write(name, bench)
	}
	return &tools{root: root, bin: bin, dir: t.TempDir(), stderr: os.Stderr}
}

// summaryLine returns the summary's line of the target whose name starts
// with prefix, its columns joined by single spaces.
func summaryLine(t *testing.T, summary, prefix string) string {
	t.Helper()
	for l := range strings.Lines(summary) {
		if strings.HasPrefix(l, prefix) {
			return strings.Join(strings.Fields(l), " ")
		}
	}
	t.Fatalf("no target %q in\n%s", prefix, summary)
	return ""
}

// TestResultTargets: the Result target is read from the run that
// streams the groups (the "stream groups"); a whole Result's
// figures are printed beside it. And a live heap twice as large is
// doubled: not met.
func TestResultTargets(t *testing.T) {
	tl := fakeTools(t)
	r, err := tl.round()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	writeSummary(&b, []round{r})
	if took := summaryLine(t, b.String(), "taking a Result (groups streamed)"); !strings.Contains(took, " 0.050 ") || !strings.HasSuffix(took, " met") || strings.HasSuffix(took, "not met") {
		t.Errorf("the Result-time target:\n%s", took)
	}
	if !strings.Contains(b.String(), "(a whole Result, not streamed, not a target: median 0.300 of AddAll, live heap 2.000× after AddAll's)") {
		t.Errorf("a whole Result's figures are not printed:\n%s", b.String())
	}
	for _, tg := range targets {
		if ok, err := tg.meets(2); strings.HasPrefix(tg.name, "live heap") && (ok || err != nil) {
			t.Errorf("%s: a doubled live heap is met (%v)", tg.name, err)
		}
	}
}

// A round whose one-goroutine run attributes other bytes than its
// two-core run is wrong, the first round (and the only one, -rounds 1)
// too.
func TestFirstRoundChecked(t *testing.T) {
	tl := fakeTools(t)
	t.Setenv("ATTR_SYNC", "999")
	if _, err := tl.round(); err == nil || !strings.Contains(err.Error(), "one goroutine") {
		t.Errorf("a round whose -sync run attributed 999 bytes against 1000: %v", err)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// -parts runs its own path; a flag that path does not use must not be
// accepted and silently ignored: -memlimit is applied (and said), a
// negative one refused, and the profiles, which it takes none of, refused.
func TestPartsFlags(t *testing.T) {
	dir := t.TempDir()
	base := []string{"-tasks", "30", "-records", "3000", "-peers", "100", "-span", "1h", "-dir", dir, "-parts", "3", "-partial", filepath.Join(dir, "parts")}
	for _, extra := range [][]string{{"-memlimit", "-1"}, {"-addall-profile", filepath.Join(dir, "a.prof")},
		{"-result-profile", filepath.Join(dir, "r.prof")}, {"-heap-profile", filepath.Join(dir, "h.prof")}} {
		var out, errOut bytes.Buffer
		if err := run(append(append([]string(nil), base...), extra...), &out, &errOut); err == nil {
			t.Errorf("-parts with %v: no error, printed %q", extra, out.String())
		}
	}
	var out, errOut bytes.Buffer
	if err := run(append(append([]string(nil), base...), "-memlimit", "512"), &out, &errOut); err != nil {
		t.Fatalf("-parts -memlimit 512: %v (%s)", err, errOut.String())
	}
	var m measurement
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if m.MemLimitMiB != 512 {
		t.Errorf("-parts -memlimit 512: the line says memlimit_mib %d, want 512 (the limit was not applied)", m.MemLimitMiB)
	}
}

// -result-profile writes a profile of taking the Result; -partial and
// -report take no Result, so it must not be accepted with them.
func TestResultProfileOnlyWithResult(t *testing.T) {
	dir := t.TempDir()
	for _, extra := range [][]string{{"-report", "json"}, {"-partial", filepath.Join(dir, "p.parquet")}} {
		args := append([]string{"-tasks", "30", "-records", "3000", "-peers", "100", "-span", "1h", "-dir", dir, "-result-profile", filepath.Join(dir, "r.prof")}, extra...)
		var out, errOut bytes.Buffer
		if err := run(args, &out, &errOut); err == nil {
			t.Errorf("%v: no error, and no profile of a Result written", extra)
		}
	}
}

// peak_rss_mib is attribution's process at its peak, not the 32 MiB
// mapping attrscale touches to time a page fault: in a fresh process, a
// run whose own work needs a few MiB must not report a peak 32 MiB above
// where the process started.
func TestPeakRSSNotTheProbe(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux's")
	}
	if os.Getenv("ATTRSCALE_REVIEW_CHILD") != "" {
		fmt.Printf("start-rss-mib %f\n", rssMiB(t))
		if err := run([]string{"-tasks", "30", "-records", "3000", "-peers", "100", "-span", "1h", "-dir", t.TempDir(), "-stream"}, os.Stdout, os.Stderr); err != nil {
			t.Fatal(err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestPeakRSSNotTheProbe$")
	cmd.Env = append(os.Environ(), "ATTRSCALE_REVIEW_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var start float64
	var m measurement
	for l := range strings.Lines(string(out)) {
		if v, ok := strings.CutPrefix(l, "start-rss-mib "); ok {
			start, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
		if strings.HasPrefix(l, "{") {
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
		}
	}
	if start == 0 || m.PeakRSSMiB == 0 {
		t.Fatalf("child printed %q", out)
	}
	t.Logf("start %.1f MiB, peak %.1f MiB", start, m.PeakRSSMiB)
	if m.PeakRSSMiB-start >= 32 {
		t.Errorf("peak RSS %.1f MiB, %.1f above the process's %.1f at the start: the first-touch probe's 32 MiB mapping, not the run's work", m.PeakRSSMiB, m.PeakRSSMiB-start, start)
	}
}

func rssMiB(t *testing.T) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb / 1024
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

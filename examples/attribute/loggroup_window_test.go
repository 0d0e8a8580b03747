package main

import (
	"strings"
	"testing"
	"time"
)

// TestLogGroupWindowMissesStreams: with -log-group, the streams of
// the history's ENIs are read whether or not they hold events in the
// window; a window they have none in was reported as "no flow-log records
// in log group …: 7 files read, all empty or header lines only", which
// names files a log group does not have and a cause (empty files, header
// lines) that is not the one. It must say that the log group has no
// events in the window, and name the window. (A window that ends well
// before now skips the streams whose last event is older, and has its own
// message, TestLiveWindowMisses; one that ends now, as the default
// window does, must read them: their last event times lag.)
func TestLogGroupWindowMissesStreams(t *testing.T) {
	startFakes(t)
	until := time.Now().UTC().Truncate(time.Second)
	since := until.Add(-time.Hour)
	code, out, stderr := runCode(t, "-cluster", "demo", "-log-group", sampleLogGroup, "-since", since.Format(time.RFC3339), "-until", until.Format(time.RFC3339))
	if code != 1 || out != "" || strings.Contains(stderr, "files read") || strings.Contains(stderr, "header lines") ||
		!strings.Contains(stderr, "no flow-log events in log group "+sampleLogGroup) || !strings.Contains(stderr, since.Format("2006-01-02 15:04:05")+" to "+until.Format("2006-01-02 15:04:05")+" UTC") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and the window missed named", code, out, stderr)
	}
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
)

// epipeAfter takes n writes, then fails every one as a pipe whose reader
// has gone does (cwlogs -records | head -1).
type epipeAfter struct{ n int }

func (p *epipeAfter) Write(b []byte) (int, error) {
	if p.n <= 0 {
		return 0, syscall.EPIPE
	}
	p.n--
	return len(b), nil
}

// TestClosedPipeQuiet: `cwlogs -records | head -1`. The other
// programs end as any Unix filter does when its reader goes (SIGPIPE:
// exit 141, no word); cwlogs, which ignores SIGPIPE to save its -cursor,
// printed "cwlogs: writing the records: write /dev/stdout: broken pipe"
// and exited 1, as for a failed read. It still saves the position, and
// then ends as the others do.
func TestClosedPipeQuiet(t *testing.T) {
	c, _ := fakes(t)
	base := append([]string{"-log-group", "vpc-flow", "-q", "-records", "-log-format", flowlogs.DefaultFormat.String()}, window...)
	for _, withCursor := range []bool{false, true} {
		args := base
		cursor := filepath.Join(t.TempDir(), "cursor.json")
		if withCursor {
			args = append(append([]string{}, base...), "-cursor", cursor)
		}
		var errOut bytes.Buffer
		code := cli.Code("cwlogs", run(context.Background(), args, &epipeAfter{n: 1}, &errOut, c), &errOut)
		if code != 141 || strings.Contains(errOut.String(), "broken pipe") {
			t.Errorf("-cursor %v: stdout a closed pipe: exit %d, stderr %q; want 141 and no error, as a program SIGPIPE ends", withCursor, code, errOut.String())
		}
		if withCursor && !strings.Contains(errOut.String(), "position saved in "+cursor) {
			t.Errorf("stdout a closed pipe: the position was not saved: %q", errOut.String())
		}
	}
}

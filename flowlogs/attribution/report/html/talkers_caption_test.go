package html

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
)

// TestTalkersCaptionNamesOverCount: the top talkers' caption says
// by how much a peer's bytes may over-count, pointing at the figure the
// group sections give for it, "(may over-count by …)". It pointed at
// "the bound after a ≤", the estimate itself (≤4.9 KiB), which bounds
// the bytes from above, not the over-count.
func TestTalkersCaptionNamesOverCount(t *testing.T) {
	r := fixture.Result(t, attribution.ByTask)
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	fig := html.UnescapeString(regexp.MustCompile(`(?s)<figure class="chart" id="chart-talkers">.*?</figure>`).FindString(buf.String()))
	if fig == "" {
		t.Fatal("no top talkers chart")
	}
	if strings.Contains(fig, "the bound after a ≤") || !strings.Contains(fig, "may over-count by") {
		t.Errorf("caption does not name the over-count figure:\n%s", fig[max(0, len(fig)-800):])
	}
}

package html

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
)

func TestHTMLSelfContained(t *testing.T) {
	r := fixture.Result(t, attribution.ByTask)
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, id := range []string{"chart-traffic", "chart-talkers", "chart-groups", "chart-group-1"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("no %s", id)
		}
	}
	if n := strings.Count(page, "<svg"); n != 6 { // 3 overview charts + 3 tasks
		t.Errorf("%d svg elements, want 6", n)
	}
	// Nothing to fetch: no external URLs in src/href/url(), no scripts.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//|url\(\s*['"]?(https?:)?//|<script`).FindString(page); m != "" {
		t.Errorf("page loads something: %q", m)
	}
	var again bytes.Buffer
	if err := Write(&again, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	if again.String() != page {
		t.Error("HTML output is not deterministic")
	}
}

// TestHTMLInChromium opens the report in headless Chromium and checks, from
// inside the page, that every chart is an SVG the browser laid out with a
// real size and drew paths and text into.
func TestHTMLInChromium(t *testing.T) {
	bin, err := findBrowser()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("a Chromium-family browser is required under CI: %v", err)
		}
		t.Skipf("no browser (CI installs one): %v", err)
	}
	r := fixture.Result(t, attribution.ByTask)
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	// The probe runs after the page is parsed; the report itself has no
	// script.
	probe := `<script>
var out = [];
document.querySelectorAll('figure.chart').forEach(function (f) {
  var s = f.querySelector('svg'), b = s ? s.getBoundingClientRect() : {width: 0, height: 0};
  out.push({id: f.id, svg: !!s && s instanceof SVGSVGElement, w: Math.round(b.width), h: Math.round(b.height),
    paths: s ? s.querySelectorAll('path').length : 0, text: s ? s.textContent.replace(/\s+/g, ' ').trim() : ''});
});
document.body.setAttribute('data-probe', JSON.stringify(out));
</script></body>`
	page := strings.Replace(buf.String(), "</body>", probe, 1)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	// A generous bound so a wedged browser fails the test instead of
	// hanging CI; not a timing assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// --disable-dev-shm-usage: Docker gives /dev/shm 64 MB, too little for
	// Chromium's shared memory, and renderers then crash now and then.
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1280,2000", "--dump-dom", "file://"+file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`data-probe="([^"]*)"`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("probe did not run; DOM:\n%.2000s", dom)
	}
	var charts []struct {
		ID    string
		SVG   bool
		W, H  int
		Paths int
		Text  string
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &charts); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"chart-traffic": "Traffic over time",
		"chart-talkers": "Top talkers",
		"chart-groups":  "In and out",
		"chart-group-1": "in",
	}
	seen := map[string]string{} // chart id → its text
	for _, c := range charts {
		seen[c.ID] = c.Text
		if !c.SVG || c.W < 200 || c.H < 100 || c.Paths < 5 {
			t.Errorf("chart %s not drawn: %+v", c.ID, c)
		}
		if w, ok := want[c.ID]; ok && !strings.Contains(c.Text, w) {
			t.Errorf("chart %s text %q lacks %q", c.ID, c.Text, w)
		}
	}
	for id := range want {
		if _, ok := seen[id]; !ok {
			t.Errorf("chart %s missing in the browser's DOM", id)
		}
	}
	if talkers, ok := seen["chart-talkers"]; ok && !strings.Contains(talkers, "52.216.8.1 (S3)") {
		t.Errorf("top talkers lack the S3 peer: %q", talkers)
	}
}

// findBrowser returns $CHROMIUM if set (a path or a name on $PATH), else
// the first of the usual Chromium-family names found on $PATH: Debian
// ships "chromium", Ubuntu and older Debian "chromium-browser", Google's
// package "google-chrome".
func findBrowser() (string, error) {
	if env := os.Getenv("CHROMIUM"); env != "" {
		bin, err := exec.LookPath(env)
		if err != nil {
			return "", fmt.Errorf("$CHROMIUM=%q: %w", env, err)
		}
		return bin, nil
	}
	names := []string{"chromium", "chromium-browser", "google-chrome"}
	for _, name := range names {
		if bin, err := exec.LookPath(name); err == nil {
			return bin, nil
		}
	}
	return "", fmt.Errorf("none of %s on $PATH and $CHROMIUM not set", strings.Join(names, ", "))
}

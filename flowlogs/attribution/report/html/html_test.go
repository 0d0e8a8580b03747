package html

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
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
	if n := strings.Count(page, `<svg class="plot"`); n != 6 { // 3 overview charts + 3 tasks
		t.Errorf("%d charts, want 6", n)
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
// real size and drew paths and text into, in the page's font, with its
// legend below it; and, on a page of many groups with long names, that no
// label as the browser draws it runs into a bar or out of its chart (gonum
// places labels by widths it measures in its own face).
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
	got := probeInChromium(t, bin, buf.String())
	want := map[string]string{
		"chart-traffic": "Traffic over time",
		"chart-talkers": "Top talkers",
		"chart-groups":  "In and out",
		"chart-group-1": "time (UTC)",
	}
	// The legends, as laid out: below the drawing, never over it.
	legends := map[string][]string{
		"chart-traffic": {"web aaaaaaaa", "web bbbbbbbb", "admin cccccccc"},
		"chart-groups":  {"in", "out"},
	}
	seen := map[string]string{} // chart id → its text
	for _, c := range got.Charts {
		seen[c.ID] = c.Text
		if !c.SVG || c.W < 200 || c.H < 100 || c.Paths < 5 {
			t.Errorf("chart %s not drawn: %+v", c.ID, c)
		}
		if w, ok := want[c.ID]; ok && !strings.Contains(c.Text, w) {
			t.Errorf("chart %s text %q lacks %q", c.ID, c.Text, w)
		}
		w := legends[c.ID]
		if strings.HasPrefix(c.ID, "chart-group-") {
			w = []string{"in", "out"}
		}
		if !slices.Equal(c.Legend, w) || !c.LegendBelow {
			t.Errorf("chart %s legend %q (below the chart: %v), want %q below", c.ID, c.Legend, c.LegendBelow, w)
		}
		if len(c.Fonts) != 1 || c.Fonts[0] != got.Font {
			t.Errorf("chart %s text in %q, the page in %q", c.ID, c.Fonts, got.Font)
		}
		for _, x := range c.Clashes {
			t.Errorf("chart %s: %s", c.ID, x)
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

	buf.Reset()
	if err := Write(&buf, manyGroups(t, 20), Options{Now: fixture.T0, Lines: 20}); err != nil {
		t.Fatal(err)
	}
	got = probeInChromium(t, bin, buf.String())
	for _, c := range got.Charts {
		if c.ID == "chart-traffic" && (len(c.Legend) != 20 || !c.LegendBelow) {
			t.Errorf("many groups: traffic legend %q (below: %v), want 20 entries below", c.Legend, c.LegendBelow)
		}
		for _, x := range c.Clashes {
			t.Errorf("many groups: chart %s: %s", c.ID, x)
		}
	}
}

type chromiumProbe struct {
	Font   string // the body's computed font-family
	Charts []struct {
		ID          string
		SVG         bool
		W, H        int
		Paths       int
		Text        string
		Legend      []string
		LegendBelow bool
		Fonts       []string // computed font-family of the chart's text
		Clashes     []string // text over a bar, or outside the chart
	}
}

// probeInChromium lays page out in headless Chromium and measures its
// charts from inside it. The probe runs after the page is parsed; the
// report itself has no script.
func probeInChromium(t *testing.T, bin, page string) chromiumProbe {
	t.Helper()
	const probe = `<script>
function box(e) { var r = e.getBoundingClientRect(); return {l: r.left, r: r.right, t: r.top, b: r.bottom}; }
function meets(a, b) { return a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5; }
var out = [];
document.querySelectorAll('figure.chart').forEach(function (f) {
  var s = f.querySelector('svg'), b = s ? s.getBoundingClientRect() : {width: 0, height: 0};
  var l = f.querySelector('ul.legend'), lb = l ? l.getBoundingClientRect() : null, fonts = {}, clashes = [];
  var bars = [], scale = s && s.viewBox.baseVal ? b.width / s.viewBox.baseVal.width : 1;
  if (!(scale > 0 && isFinite(scale))) scale = 1;
  if (s) s.querySelectorAll('path').forEach(function (p) {
    var fill = getComputedStyle(p).fill;
    if (fill !== 'none' && fill !== 'rgb(255, 255, 255)') bars.push(box(p));
  });
  if (s) s.querySelectorAll('text').forEach(function (t) {
    fonts[getComputedStyle(t).fontFamily] = true;
    // A text's box is its line box, taller than its glyphs: a quarter em
    // of it may pass the edge.
    var tb = box(t), sb = box(s), em = parseFloat(getComputedStyle(t).fontSize) * scale, d = em / 4;
    if (tb.l < sb.l - d || tb.r > sb.r + d || tb.t < sb.t - d || tb.b > sb.b + d) clashes.push('"' + t.textContent + '" leaves the chart by ' + JSON.stringify([sb.l - tb.l, tb.r - sb.r, sb.t - tb.t, tb.b - sb.b].map(function (x) { return Math.round(x * 10) / 10; })) + ' px (left, right, top, bottom), font-size ' + getComputedStyle(t).fontSize);
    bars.forEach(function (pb) { if (meets(tb, pb)) clashes.push('"' + t.textContent + '" runs into a bar'); });
  });
  out.push({id: f.id, svg: !!s && s instanceof SVGSVGElement, w: Math.round(b.width), h: Math.round(b.height),
    paths: s ? s.querySelectorAll('path').length : 0, text: s ? s.textContent.replace(/\s+/g, ' ').trim() : '',
    legend: l ? Array.prototype.map.call(l.querySelectorAll('li'), function (li) { return li.textContent; }) : [],
    legendBelow: !lb || lb.top >= b.bottom, fonts: Object.keys(fonts), clashes: clashes});
});
document.body.setAttribute('data-probe', JSON.stringify({font: getComputedStyle(document.body).fontFamily, charts: out}));
</script></body>`
	page = strings.Replace(page, "</body>", probe, 1)
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
	// Chromium keeps its crash reports (crashpad's database) under
	// $XDG_CONFIG_HOME/chromium and dconf its settings under
	// $XDG_CACHE_HOME, whatever --user-data-dir says: both were written to
	// the home directory of whoever ran the tests. They go in dir, which
	// the test removes.
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
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
	var got chromiumProbe
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &got); err != nil {
		t.Fatal(err)
	}
	return got
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

// TestHTMLFarTimes: charts span what the groups' series hold, and a line
// over a range of centuries has a bounded number of points (issue 15: one
// NODATA line at 99999999999 made the page build millions of points). The
// parser now refuses such times, but the page must hold whatever records
// it is given: the times are set on the parsed records.
func TestHTMLFarTimes(t *testing.T) {
	tasks := []history.Task{
		{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", ClusterARN: "c", NetworkMode: netmode.ModeAWSVPC, ENI: "eni-a"},
		{ARN: "arn:aws:ecs:us-east-1:1:task/c/b", ClusterARN: "c", NetworkMode: netmode.ModeAWSVPC, ENI: "eni-b"},
	}
	const normal = 1795600800
	type rec struct {
		line  string
		start int64
	}
	ok := func(eni string, start int64) rec {
		return rec{"2 1 " + eni + " 10.0.0.1 10.0.0.2 1 2 6 1 100 1795600800 1795600859 ACCEPT OK", start}
	}
	nodata := func(start int64) rec {
		return rec{"2 1 eni-x - - - - - - - 1795600800 1795600859 - NODATA", start}
	}
	for _, c := range []struct {
		name string
		recs []rec
	}{
		{"NODATA far ahead", []rec{ok("eni-a", normal), nodata(99999999999)}},
		{"NODATA at zero", []rec{ok("eni-a", normal), nodata(0)}},
		{"one group over centuries", []rec{ok("eni-a", normal), ok("eni-b", 99999999999), ok("eni-b", 0)}},
		{"one group over all int64 time", []rec{ok("eni-a", -1<<62), ok("eni-b", 1<<62)}},
	} {
		a := fixture.New(t, tasks...)
		for _, x := range c.recs {
			r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, x.line)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			r.Start, r.End = x.start, x.start+59
			a.Add(r)
		}
		for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByCluster} {
			var buf bytes.Buffer
			err := Write(&buf, a.Result(by), Options{Now: fixture.T0})
			if err != nil && c.name == "one group over all int64 time" {
				continue // no panic, no page: the plotting library cannot divide that axis
			}
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if buf.Len() > 1<<20 {
				t.Errorf("%s, by %v: %d bytes of HTML", c.name, by, buf.Len())
			}
		}
	}
}

// The sparse drawing of a long range is the dense one without the
// points inside runs of zeros.
func TestSeriesXYsSparse(t *testing.T) {
	step := time.Minute
	at := func(m int64) time.Time { return time.Unix(m*60, 0).UTC() }
	g := attribution.Group{Series: []attribution.Point{{Start: at(5), BytesIn: 1}, {Start: at(6), BytesIn: 2}, {Start: at(9), BytesIn: 3}}}
	pick := func(p attribution.Point) uint64 { return p.BytesIn }
	dense := seriesXYs(g, step, at(0), at(20), pick)
	if len(dense) != 21 {
		t.Fatalf("%d dense points", len(dense))
	}
	far := at(maxDensePoints + 100)
	sparse := seriesXYs(g, step, at(0), far, pick)
	want := []float64{0, 4, 5, 6, 7, 8, 9, 10, maxDensePoints + 100}
	if len(sparse) != len(want) {
		t.Fatalf("sparse %v", sparse)
	}
	for i, p := range sparse {
		if p.X != float64(want[i]*60) || p.Y != dense[int(min(want[i], 20))].Y && want[i] <= 20 {
			t.Errorf("point %d: %v", i, p)
		}
	}
}

// Bytes of unknown direction (no flow-direction, neither address the
// task's) get a column, a figure in the group's section and a line in its
// chart, and the traffic chart's caption says its lines add them; a page
// without them has none.
func TestHTMLUnknownDirection(t *testing.T) {
	a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")})
	r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, "2 1 eni-a 10.0.0.1 10.0.0.2 1 2 6 4 200 1795600800 1795600859 ACCEPT OK")
	if err != nil {
		t.Fatal(err)
	}
	a.Add(r)
	var buf bytes.Buffer
	if err := Write(&buf, a.Result(attribution.ByTask), Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<th class=\"n\">unknown dir</th>", "direction unknown 200 B", "Bytes in, out and of unknown direction per"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	buf.Reset()
	if err := Write(&buf, fixture.Result(t, attribution.ByTask), Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "unknown dir") || strings.Contains(buf.String(), "direction unknown") {
		t.Error("a page without such bytes mentions them")
	}
}

// The "In and out by <group>" chart draws bytes of unknown direction too
// when a group has some, as each group's own chart does: a group whose
// bytes are all of unknown direction (no flow-direction, neither address
// the task's) gets a bar and the chart a legend entry for them.
func TestHTMLGroupsChartUnknownDirection(t *testing.T) {
	a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", Group: "service:web", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")})
	rec, err := flowlogs.ParseLine(flowlogs.DefaultFormat, "2 1 eni-a 10.0.0.1 10.0.0.2 1 2 6 4 5000 1795600800 1795600859 ACCEPT OK")
	if err != nil {
		t.Fatal(err)
	}
	a.Add(rec)
	r := a.Result(attribution.ByTask)
	if g := r.Groups[0]; g.BytesUnknown != 5000 || g.BytesIn+g.BytesOut != 0 {
		t.Fatalf("setup: %+v", g.Counters)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, m := range figureRE.FindAllStringSubmatch(buf.String(), -1) {
		if m[1] != "chart-groups" {
			continue
		}
		seen = true
		var legend []string
		for _, e := range entryRE.FindAllStringSubmatch(legendRE.FindString(m[2]), -1) {
			legend = append(legend, e[3])
			// The series is drawn: its color is in the chart.
			if !strings.Contains(strings.ToLower(plotRE.FindString(m[2])), ":"+e[1]) {
				t.Errorf("chart-groups: no %s bar (%s) in the chart", e[3], e[1])
			}
		}
		if !slices.Equal(legend, []string{"in", "out", "direction unknown"}) {
			t.Errorf("chart-groups legend %q: the group's 5000 B of unknown direction are not drawn", legend)
		}
	}
	if !seen {
		t.Fatal("no chart-groups")
	}
}

// Without peers (attribution.WithoutPeers) there is no top-talkers chart
// of empty axes under a caption about peers: the page says none were
// tracked. With peers, the caption says that their bytes are estimates.
func TestHTMLTalkersWithoutPeers(t *testing.T) {
	h, err := history.NewIndex([]history.Task{{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := attribution.New(h, attribution.WithoutPeers())
	rec, err := flowlogs.ParseLine(flowlogs.DefaultFormat, "2 1 eni-a 10.0.0.1 10.0.0.9 1 2 6 4 5000 1795600800 1795600859 ACCEPT OK")
	if err != nil {
		t.Fatal(err)
	}
	a.Add(rec)
	captionRE := regexp.MustCompile(`<figcaption>(.*?)</figcaption>`)
	talkers := func(r *attribution.Result) (svg, caption string) {
		t.Helper()
		var buf bytes.Buffer
		if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
			t.Fatal(err)
		}
		for _, m := range figureRE.FindAllStringSubmatch(buf.String(), -1) {
			if m[1] == "chart-talkers" {
				return plotRE.FindString(m[2]), captionRE.FindStringSubmatch(m[2])[1]
			}
		}
		t.Fatal("no chart-talkers figure")
		return "", ""
	}
	svg, capt := talkers(a.Result(attribution.ByTask))
	if svg != "" || !strings.Contains(capt, "no peers tracked") {
		t.Errorf("without peers: a chart drawn (%v), caption %q", svg != "", capt)
	}
	svg, capt = talkers(fixture.Result(t, attribution.ByTask))
	if svg == "" || !strings.Contains(capt, "Peers by bytes exchanged") || !strings.Contains(capt, "estimates") {
		t.Errorf("with peers: chart drawn %v, caption %q", svg != "", capt)
	}
}

// A price table the page cannot use (a NaN rate) is refused with
// Validate's error, which names the class, as report's writers refuse it;
// the zero Table prices nothing and is taken.
func TestHTMLInvalidPrices(t *testing.T) {
	nan := math.NaN()
	bad := &pricing.Table{Region: "us-east-1", Currency: "USD", BytesPerGB: 1 << 30,
		Classes: map[string]pricing.Rate{attribution.PeerInternet.Key(): {Out: &nan}}}
	var buf bytes.Buffer
	err := Write(&buf, fixture.Result(t, attribution.ByTask), Options{Now: fixture.T0, Prices: bad})
	if err == nil || !strings.Contains(err.Error(), bad.Validate().Error()) || buf.Len() > 0 {
		t.Errorf("error %v (wrote %d bytes), want Validate's %q", err, buf.Len(), bad.Validate())
	}
	if err := Write(&buf, fixture.Result(t, attribution.ByTask), Options{Now: fixture.T0, Prices: &pricing.Table{}}); err != nil {
		t.Errorf("the zero Table: %v", err)
	}
}

// serviceGroups is a hand-built result of n services, heaviest first,
// each with one bucket of traffic.
func serviceGroups(n int) *attribution.Result {
	r := &attribution.Result{By: attribution.ByService, Step: time.Minute, First: fixture.T0, Last: fixture.T0}
	for i := range n {
		g := attribution.Group{Key: fmt.Sprintf("service:svc-%05d", i), Counters: attribution.Counters{BytesIn: uint64(n-i) * 1000, Records: 1}}
		g.Series = []attribution.Point{{Start: fixture.T0, BytesIn: g.BytesIn}}
		r.Groups = append(r.Groups, g)
		r.Total.Bytes += g.BytesIn
		r.Total.Records++
	}
	return r
}

// captionOf is the caption of the figure with id, "" when there is none.
func captionOf(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<figure class="chart" id="` + id + `">.*?<figcaption>(.*?)</figcaption>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no %s caption", id)
	}
	return html.UnescapeString(m[1])
}

// The "In and out" chart draws the top 2×Lines groups only; its caption
// said "Bytes received and sent." whatever the cut, so that 16 bars of
// 10000 services read as all of them. It says how many of how many it
// draws when it leaves some out, and nothing of a cut when there is none.
func TestHTMLGroupsChartCaptionSaysItIsCut(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, serviceGroups(10000), Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	if c := captionOf(t, buf.String(), "chart-groups"); !strings.Contains(c, "top 16 of 10000 services") {
		t.Errorf("chart-groups draws 16 of 10000 services; its caption %q does not say so", c)
	}
	buf.Reset()
	if err := Write(&buf, serviceGroups(16), Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	if c := captionOf(t, buf.String(), "chart-groups"); c != "Bytes received and sent." {
		t.Errorf("chart-groups draws all 16 services; its caption %q", c)
	}
}

// Counts of groups said "top 1 services" and "3 familys": the noun agrees
// with its number, in the captions and the summary.
func TestHTMLGroupCountsAgree(t *testing.T) {
	for _, c := range []struct {
		n    int
		by   attribution.GroupBy
		want []string
	}{
		{1, attribution.ByService, []string{"top 1 service by bytes", "attributed to 1 service<"}},
		{3, attribution.ByFamily, []string{"top 3 families by bytes", "attributed to 3 families<"}},
		{20, attribution.ByFamily, []string{"top 8 families by bytes", "top 16 of 20 families by bytes", "attributed to 20 families<"}},
	} {
		r := serviceGroups(c.n)
		r.By = c.by
		var buf bytes.Buffer
		if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(buf.String())
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%d groups by %v: page lacks %q", c.n, c.by, w)
			}
		}
	}
}

// The table report lists 3 interfaces a reason was seen on and says
// "+N more"; the HTML page listed 5 and dropped the rest without a word.
func TestHTMLUnattributedInterfacesSayHowManyMore(t *testing.T) {
	a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", NetworkMode: netmode.ModeAWSVPC,
		ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")})
	for i := range 7 {
		r, err := flowlogs.ParseLine(flowlogs.DefaultFormat,
			fmt.Sprintf("2 1 eni-unk%d 10.0.0.1 10.0.0.2 1 2 6 4 %d 1795600800 1795600859 ACCEPT OK", i, 1000-i))
		if err != nil {
			t.Fatal(err)
		}
		a.Add(r)
	}
	res := a.Result(attribution.ByTask)
	if len(res.Unattributed) != 1 || len(res.Unattributed[0].TopInterfaces) != 7 {
		t.Fatalf("setup: %+v", res.Unattributed)
	}
	var page bytes.Buffer
	if err := Write(&page, res, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?s)<table id="unattributed">.*?</table>`).FindString(page.String())
	if n := strings.Count(table, "eni-unk"); n != 5 || !strings.Contains(table, "+2 more</td>") {
		t.Errorf("the 7 interfaces: %d listed, and no \"+2 more\" for the rest:\n%s", n, table)
	}
}

// A group's section listed its first 10 top peers and ports and dropped
// the rest (up to 64 are tracked) without a word: it says how many more
// there are, and nothing when it lists them all.
func TestHTMLTopPeersAndPortsSayHowManyMore(t *testing.T) {
	r := serviceGroups(2)
	for i := range 12 {
		r.Groups[0].TopPeers = append(r.Groups[0].TopPeers, attribution.Peer{
			Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(i + 1)}), 32), Bytes: uint64(100 - i), Records: 1})
		r.Groups[0].TopPorts = append(r.Groups[0].TopPorts, attribution.Port{Protocol: 6, Port: uint16(1000 + i), Bytes: uint64(100 - i), Records: 1})
	}
	r.Groups[1].TopPeers = r.Groups[0].TopPeers[:10]
	r.Groups[1].TopPorts = r.Groups[0].TopPorts[:10]
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	sections := regexp.MustCompile(`(?s)<section class="group">.*?</section>`).FindAllString(buf.String(), -1)
	if len(sections) != 2 {
		t.Fatalf("%d sections, want 2", len(sections))
	}
	more := regexp.MustCompile(`\+(\d+) more`)
	if got := more.FindAllStringSubmatch(sections[0], -1); len(got) != 2 || got[0][1] != "2" || got[1][1] != "2" {
		t.Errorf("12 peers and 12 ports, 10 of each listed: %q, want \"+2 more\" twice", got)
	}
	if got := more.FindAllString(sections[1], -1); got != nil {
		t.Errorf("all 10 peers and ports listed, yet %q", got)
	}
}

// The header printed Result.First and Last in whatever zone they carry
// (First without naming it), while the charts say "time (UTC)" and
// "Generated" is UTC: one instant, two clock readings on one page.
func TestHTMLHeaderTimesInUTC(t *testing.T) {
	r := serviceGroups(1)
	cest := time.FixedZone("CEST", 2*3600)
	r.First, r.Last = fixture.T0.In(cest), fixture.T0.Add(30*time.Minute).In(cest)
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	meta := regexp.MustCompile(`<p class="meta">Traffic by[^<]*`).FindString(buf.String())
	if want := "records starting 2026-11-25 10:00 to 2026-11-25 10:30 UTC."; !strings.Contains(meta, want) {
		t.Errorf("header %q, want %q", meta, want)
	}
}

// Without groups the groups table was an empty <tbody> (the table report
// says "(no traffic attributed)"): it has a row saying so, across every
// column of the table.
func TestHTMLEmptyGroupsTableSaysSo(t *testing.T) {
	tableRE := regexp.MustCompile(`(?s)<table id="groups">\s*<thead>(.*?)</thead>\s*<tbody>(.*?)</tbody>`)
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByInstance} {
		for _, unknown := range []bool{false, true} {
			r := serviceGroups(0)
			r.By = by
			if unknown {
				r.Stats.DirectionUnknown = 1
			}
			var buf bytes.Buffer
			if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
				t.Fatal(err)
			}
			m := tableRE.FindStringSubmatch(buf.String())
			if m == nil {
				t.Fatal("no groups table")
			}
			want := fmt.Sprintf(`<tr><td colspan="%d">no traffic attributed</td></tr>`, strings.Count(m[1], "<th"))
			if strings.TrimSpace(m[2]) != want {
				t.Errorf("by %v, unknown direction %v: body %q, want %q", by, unknown, m[2], want)
			}
		}
	}
}

package html

import (
	"bytes"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
	"gonum.org/v1/plot"
)

// manyGroups attributes traffic to n tasks of n services with long names.
func manyGroups(t *testing.T, n int) *attribution.Result {
	t.Helper()
	var tasks []history.Task
	for i := range n {
		tasks = append(tasks, history.Task{
			ARN:         fmt.Sprintf("arn:aws:ecs:us-east-1:1:task/c/%08x1111222233334444", i+1),
			Group:       fmt.Sprintf("service:payments-settlement-reconciliation-worker-%02d", i),
			NetworkMode: netmode.ModeAWSVPC, ENI: fmt.Sprintf("eni-%02d", i),
			IPv4: netip.AddrFrom4([4]byte{10, 0, 1, byte(i + 1)}),
		})
	}
	a := fixture.New(t, tasks...)
	for i := range n {
		for m := range 30 {
			s := fixture.T0.Add(time.Duration(m) * time.Minute).Unix()
			line := fmt.Sprintf("2 1 eni-%02d 10.0.9.9 10.0.1.%d 40000 8080 6 10 %d %d %d ACCEPT OK", i, i+1, (n-i)*1000+m*(i+1)*7, s, s+59)
			r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, line)
			if err != nil {
				t.Fatal(err)
			}
			a.Add(r)
		}
	}
	return a.Result(attribution.ByTask)
}

var (
	figureRE  = regexp.MustCompile(`(?s)<figure class="chart" id="([^"]+)">(.*?)</figure>`)
	plotRE    = regexp.MustCompile(`(?s)<svg class="plot".*?</svg>`)
	legendRE  = regexp.MustCompile(`(?s)<ul class="legend">(.*?)</ul>`)
	entryRE   = regexp.MustCompile(`(?s)<li>.*?(?:stroke|fill)="(#[0-9a-f]{6})"(?: stroke-width="2")?(?: stroke-dasharray="([^"]*)")?.*?</svg>(.*?)</li>`)
	svgTextRE = regexp.MustCompile(`(?s)<text[^>]*>([^<]*)</text>`)
	familyRE  = regexp.MustCompile(`font-family:([^;"]*)`)
)

// Charts draw no legend of their own (gonum puts it inside the data area,
// over the lines and bars): each has an HTML legend below it with one entry
// per series, in the series' color, whatever their number; and every text
// of every chart is in the page's font family, none in gonum's serif
// default, without changing gonum's package-level defaults.
func TestHTMLLegendsAndFont(t *testing.T) {
	defaultFont := plot.DefaultFont
	const n = 20
	r := manyGroups(t, n)
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0, Lines: n}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if plot.DefaultFont != defaultFont {
		t.Errorf("Write changed plot.DefaultFont to %+v", plot.DefaultFont)
	}

	wantLegend := map[string][]string{"chart-traffic": nil, "chart-groups": {"in", "out"}, "chart-talkers": nil}
	for _, g := range r.Groups[:n] {
		wantLegend["chart-traffic"] = append(wantLegend["chart-traffic"], label(r.By, g))
	}
	dashed := 0 // legend entries of dashed lines
	figures := figureRE.FindAllStringSubmatch(page, -1)
	if len(figures) != 3+n {
		t.Fatalf("%d figures, want %d", len(figures), 3+n)
	}
	for _, f := range figures {
		id, body := f[1], f[2]
		svg := plotRE.FindString(body)
		if svg == "" {
			t.Errorf("%s: no chart", id)
			continue
		}
		var texts []string
		for _, m := range svgTextRE.FindAllStringSubmatch(svg, -1) {
			texts = append(texts, m[1])
		}
		want, ok := wantLegend[id]
		if !ok && strings.HasPrefix(id, "chart-group-") {
			want = []string{"in", "out"}
		}
		var got []string
		if lm := legendRE.FindStringSubmatch(body); lm != nil {
			if strings.Index(body, lm[0]) < strings.Index(body, svg) {
				t.Errorf("%s: legend before the chart", id)
			}
			for _, e := range entryRE.FindAllStringSubmatch(lm[1], -1) {
				color, dashes, text := e[1], e[2], e[3]
				got = append(got, text)
				if dashes != "" {
					dashed++
				}
				// The swatch is drawn as the series: its color, and its
				// dashes, are in the chart.
				if !strings.Contains(strings.ToLower(svg), ":"+color) {
					t.Errorf("%s: legend %q in %s, a color not in the chart", id, text, color)
				}
				if dashes != "" && !strings.Contains(svg, "stroke-dasharray:"+dashes) {
					t.Errorf("%s: legend %q dashed %s, not in the chart", id, text, dashes)
				}
				// No legend drawn inside the plot.
				for _, s := range texts {
					if s == text {
						t.Errorf("%s: the chart draws the legend text %q", id, text)
					}
				}
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: legend %q, want %q", id, got, want)
		}
		fams := familyRE.FindAllStringSubmatch(svg, -1)
		if len(fams) == 0 {
			t.Errorf("%s: no font-family in the chart", id)
		}
		for _, m := range fams {
			if m[1] != fontStack {
				t.Errorf("%s: text in font-family %q, want the page's %q", id, m[1], fontStack)
				break
			}
		}
	}
	if dashed != n-7 { // 7 colors, then the same dashed
		t.Errorf("%d dashed lines in the legends, want %d", dashed, n-7)
	}
	if !strings.Contains(page, "body{font:14px/1.45 "+fontStack+";") {
		t.Error("the page's CSS does not use fontStack")
	}
	if m := regexp.MustCompile(`(?i)serif|liberation|dejavu`).FindAllString(strings.ReplaceAll(page, "sans-serif", ""), -1); m != nil {
		t.Errorf("the page names fonts other than its stack: %q", m)
	}
}

// A chart's label is the user's text: a service named "font-family:x;"
// was drawn as the page's font stack, because the font rewrite ran over
// the whole SVG, text nodes included. It rewrites style attributes only.
func TestHTMLChartLabelsNotRewritten(t *testing.T) {
	r := serviceGroups(2)
	r.Groups[0].Key = "service:font-family:mono;"
	var buf bytes.Buffer
	if err := Write(&buf, r, Options{Now: fixture.T0}); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range svgTextRE.FindAllStringSubmatch(buf.String(), -1) {
		if strings.Contains(m[1], "service:font-family") {
			texts = append(texts, m[1])
		}
	}
	if len(texts) == 0 {
		t.Fatal("no chart label for the service")
	}
	for _, s := range texts {
		if s != "service:font-family:mono;" {
			t.Errorf("chart label drawn as %q, want %q", s, "service:font-family:mono;")
		}
	}
}

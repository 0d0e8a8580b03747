package html

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"golang.org/x/image/font/opentype"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	ptext "gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/text"
)

// bytesTicks labels a bytes axis with binary units.
type bytesTicks struct{}

func (bytesTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = text.Bytes(uint64(max(ts[i].Value, 0)))
		}
	}
	return ts
}

// fontStack is the page's CSS font family, used by the page and by every
// text of the charts: one family on the page. Single quotes, so that it
// fits in the SVG's style attributes as it is.
const fontStack = `system-ui,-apple-system,'Segoe UI',Roboto,sans-serif`

// measure is the face the plotting library lays the charts' text out
// with, and its text handler. The browser draws the text in fontStack, a
// face unknown here: gonum places each label from the width it measures,
// so a label drawn wider than measured runs into the bars (right-aligned
// labels) or past the edge. DejaVu Sans is the widest of the common sans
// faces (Debian's and most Linux desktops' system-ui; Segoe UI, Roboto,
// San Francisco and Liberation Sans, the Arial metrics, are narrower), so
// real labels fit in the room measured for them. Set per plot: gonum's
// package-level defaults (Liberation Serif) belong to the importer.
var measure = sync.OnceValue(func() measureFace {
	f, err := opentype.Parse(dejavusans.TTF)
	if err != nil { // the embedded face does parse; fall back all the same
		return measureFace{font.Font{Typeface: "Liberation", Variant: "Sans"}, plot.DefaultTextHandler}
	}
	fnt := font.Font{Typeface: "DejaVu", Variant: "Sans"}
	return measureFace{fnt, ptext.Plain{Fonts: font.NewCache(font.Collection{{Font: fnt, Face: f}})}}
})

type measureFace struct {
	font    font.Font
	handler ptext.Handler
}

// newPlot returns a plot with the page's font and no legend of its own:
// gonum draws its legend inside the data area, over the lines and bars, so
// each chart's legend is HTML beside it (see legendEntry).
func newPlot(title string) *plot.Plot {
	m := measure()
	p := plot.New()
	p.Title.Text = title
	p.TextHandler = m.handler
	for _, s := range []*ptext.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		size := s.Font.Size
		s.Font, s.Font.Size = m.font, size
		s.Handler = m.handler
	}
	p.Title.TextStyle.Font.Size = vg.Points(13)
	return p
}

// legendEntry is one series of a chart in its HTML legend: label, and a
// swatch drawn as the plot draws the series.
type legendEntry struct {
	Label  string
	Color  string // CSS color, as in the plot
	Dashes string // SVG stroke-dasharray of a line, "" when solid
	Bar    bool   // a bar chart's series: a filled swatch
}

func lineEntry(label string, l *plotter.Line) legendEntry {
	e := legendEntry{Label: label, Color: cssColor(l.Color)}
	if len(l.Dashes) > 0 {
		ds := make([]string, len(l.Dashes))
		for i, d := range l.Dashes {
			ds[i] = strconv.FormatFloat(d.Points(), 'g', 4, 64)
		}
		e.Dashes = strings.Join(ds, ",")
	}
	return e
}

func cssColor(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

func timeAxis(p *plot.Plot) {
	p.X.Tick.Marker = plot.TimeTicks{Format: "15:04", Time: func(t float64) time.Time { return time.Unix(int64(t), 0).UTC() }}
	p.X.Label.Text = "time (UTC)"
	p.Y.Tick.Marker = bytesTicks{}
	p.Y.Min = 0
	p.Add(plotter.NewGrid())
}

// svgFamily matches the font-family vgsvg writes first in each text's
// style attribute, and nothing else: a label is input (a service may be
// named "font-family:x;"), and vgsvg escapes the quote of its text, so
// `style="` cannot start inside one.
var svgFamily = regexp.MustCompile(`style="font-family:[^;"]*;`)

// svgOf renders p as an inline <svg> element (without the XML prolog).
// The plotting library panics on ranges it cannot divide (times near the
// ends of int64, beyond any the parser accepts): that is an error here.
func svgOf(p *plot.Plot, w, h vg.Length) (svg template.HTML, err error) {
	defer func() {
		if r := recover(); r != nil {
			svg, err = "", fmt.Errorf("report/html: cannot draw the chart %q: %v", p.Title.Text, r)
		}
	}()
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	b := buf.Bytes()
	if i := bytes.Index(b, []byte("<svg")); i >= 0 {
		b = b[i:]
	}
	// The text in the page's font family, not the one it was measured with.
	b = svgFamily.ReplaceAll(b, []byte(`style="font-family:`+fontStack+";"))
	// Scale with the page: keep the drawing's aspect ratio via viewBox.
	b = bytes.Replace(b, []byte("<svg width="), []byte(`<svg class="plot" role="img" data-width=`), 1)
	b = bytes.Replace(b, []byte(" height="), []byte(" data-height="), 1)
	return template.HTML(b), nil
}

// maxDensePoints bounds how many buckets a line draws one by one; a longer
// range (records years apart, or a bogus start time) is drawn from its
// non-empty buckets with a zero at each end of every gap instead: the same
// line with a bounded number of points.
const maxDensePoints = 10000

// seriesXYs returns a group's series as (time, bytes) points over the
// buckets from first to last, with zero buckets filled in, so that lines
// drop to zero where there was no traffic. There are at most
// maxDensePoints points, or three per non-empty bucket, whatever the range.
func seriesXYs(g attribution.Group, step time.Duration, first, last time.Time, pick func(attribution.Point) uint64) plotter.XYs {
	s := int64(step / time.Second)
	lo := floorDiv(first.Unix(), s) * s
	hi := floorDiv(last.Unix(), s) * s // the last bucket
	var xys plotter.XYs
	add := func(t int64, y uint64) { xys = append(xys, plotter.XY{X: float64(t), Y: float64(y)}) }
	if uint64(hi-lo)/uint64(s) < maxDensePoints {
		byStart := make(map[int64]uint64, len(g.Series))
		for _, p := range g.Series {
			byStart[p.Start.Unix()] = pick(p)
		}
		for t := lo; t <= hi; t += s {
			add(t, byStart[t])
		}
		return xys
	}
	next := lo // the first bucket not drawn yet
	for _, p := range g.Series {
		t := p.Start.Unix()
		if t < next || t > hi {
			continue
		}
		if t > next {
			add(next, 0)
			if t-s > next {
				add(t-s, 0)
			}
		}
		add(t, pick(p))
		next = t + s
	}
	if next <= hi {
		add(next, 0)
		if hi > next {
			add(hi, 0)
		}
	}
	return xys
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// seriesRange is the first and last bucket over the groups' series: what
// the traffic chart spans (not Result.First…Last, which covers every
// record, the unattributed included).
func seriesRange(groups []attribution.Group) (first, last time.Time, ok bool) {
	for _, g := range groups {
		if len(g.Series) == 0 {
			continue
		}
		f, l := g.Series[0].Start, g.Series[len(g.Series)-1].Start
		if !ok || f.Before(first) {
			first = f
		}
		if !ok || l.After(last) {
			last = l
		}
		ok = true
	}
	return first, last, ok
}

func trafficChart(r *attribution.Result, groups []attribution.Group) (template.HTML, []legendEntry, error) {
	p := newPlot("Traffic over time by " + r.By.String())
	timeAxis(p)
	p.Y.Label.Text = "bytes per " + text.ShortDuration(r.Step)
	first, last, ok := seriesRange(groups)
	var legend []legendEntry
	for i, g := range groups {
		if !ok || len(g.Series) == 0 {
			continue
		}
		xys := seriesXYs(g, r.Step, first, last, func(p attribution.Point) uint64 { return p.BytesIn + p.BytesOut + p.BytesUnknown })
		l, err := plotter.NewLine(xys)
		if err != nil {
			return "", nil, err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		l.Dashes = plotutil.Dashes(i / 7)
		p.Add(l)
		legend = append(legend, lineEntry(label(r.By, g), l))
	}
	svg, err := svgOf(p, 9*vg.Inch, 4*vg.Inch)
	return svg, legend, err
}

func groupChart(g attribution.Group, step time.Duration) (template.HTML, []legendEntry, error) {
	p := newPlot("")
	timeAxis(p)
	p.Y.Label.Text = "bytes per " + text.ShortDuration(step)
	if len(g.Series) == 0 {
		svg, err := svgOf(p, 6*vg.Inch, 2.5*vg.Inch)
		return svg, nil, err
	}
	first, last := g.Series[0].Start, g.Series[len(g.Series)-1].Start
	dirs := []struct {
		name string
		pick func(attribution.Point) uint64
	}{
		{"in", func(p attribution.Point) uint64 { return p.BytesIn }},
		{"out", func(p attribution.Point) uint64 { return p.BytesOut }},
	}
	if g.BytesUnknown > 0 {
		dirs = append(dirs, struct {
			name string
			pick func(attribution.Point) uint64
		}{"direction unknown", func(p attribution.Point) uint64 { return p.BytesUnknown }})
	}
	var legend []legendEntry
	for i, dir := range dirs {
		l, err := plotter.NewLine(seriesXYs(g, step, first, last, dir.pick))
		if err != nil {
			return "", nil, err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		legend = append(legend, lineEntry(dir.name, l))
	}
	svg, err := svgOf(p, 6*vg.Inch, 2.5*vg.Inch)
	return svg, legend, err
}

func talkersChart(ts []talker) (template.HTML, error) {
	p := newPlot("Top talkers")
	p.X.Tick.Marker = bytesTicks{}
	p.X.Label.Text = "bytes"
	if len(ts) == 0 {
		return svgOf(p, 9*vg.Inch, 2*vg.Inch)
	}
	// Heaviest at the top: bars are drawn bottom-up.
	vals := make(plotter.Values, len(ts))
	names := make([]string, len(ts))
	for i, t := range ts {
		j := len(ts) - 1 - i
		vals[j] = float64(t.Bytes)
		names[j] = talkerLabel(t)
	}
	bars, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return "", err
	}
	bars.Horizontal = true
	bars.Color = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	bars.LineStyle.Width = 0
	p.Add(bars)
	p.NominalY(names...)
	p.X.Min = 0
	return svgOf(p, 9*vg.Inch, vg.Length(1.2+0.28*float64(len(ts)))*vg.Inch)
}

// groupsChart draws each group's bytes in and out, and of unknown
// direction when a group has such bytes (as groupChart does): a group
// whose bytes are all of unknown direction gets a bar too.
func groupsChart(r *attribution.Result, groups []attribution.Group) (template.HTML, []legendEntry, error) {
	p := newPlot("In and out by " + r.By.String())
	p.X.Tick.Marker = bytesTicks{}
	p.X.Label.Text = "bytes"
	n := len(groups)
	series := []struct {
		name string
		pick func(attribution.Group) uint64
	}{
		{"in", func(g attribution.Group) uint64 { return g.BytesIn }},
		{"out", func(g attribution.Group) uint64 { return g.BytesOut }},
	}
	if anyUnknown(groups) {
		series = append(series, struct {
			name string
			pick func(attribution.Group) uint64
		}{"direction unknown", func(g attribution.Group) uint64 { return g.BytesUnknown }})
	}
	names := make([]string, n)
	for i, g := range groups {
		names[n-1-i] = label(r.By, g)
	}
	w := vg.Points(8)
	k := len(series)
	var legend []legendEntry
	for i, s := range series {
		v := make(plotter.Values, n)
		for j, g := range groups {
			v[n-1-j] = float64(s.pick(g))
		}
		b, err := plotter.NewBarChart(v, w)
		if err != nil {
			return "", nil, err
		}
		b.Horizontal = true
		b.Color = plotutil.Color(i)
		b.LineStyle.Width = 0
		b.Offset = vg.Length(2*i-(k-1)) * w / 2 // the k bars side by side, centred on the group
		p.Add(b)
		legend = append(legend, legendEntry{Label: s.name, Color: cssColor(b.Color), Bar: true})
	}
	p.NominalY(names...)
	p.X.Min = 0
	// 0.15 inch a bar (0.3 a group of two, as ever): a third bar does not
	// squeeze the others.
	svg, err := svgOf(p, 9*vg.Inch, vg.Length(1.2+0.15*float64(k*n))*vg.Inch)
	return svg, legend, err
}

// anyUnknown reports whether a group has bytes of unknown direction.
func anyUnknown(groups []attribution.Group) bool {
	return slices.ContainsFunc(groups, func(g attribution.Group) bool { return g.BytesUnknown > 0 })
}

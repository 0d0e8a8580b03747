package html

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
)

// write is Write that turns a panic into a test error.
func write(t *testing.T, r *attribution.Result) (string, error) {
	t.Helper()
	var buf bytes.Buffer
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("panic: %v", p)
			}
		}()
		err = Write(&buf, r, Options{Now: fixture.T0})
	}()
	return buf.String(), err
}

// TestHTMLZeroValues: a Result is plain data. A group by task
// without tasks (a zero Group) failed the page with the template's
// "reflect: slice index out of range" (the JSON and CSV reports write
// it), and a Result whose Step is zero (or under a second) with a time
// series panicked dividing by zero.
func TestHTMLZeroValues(t *testing.T) {
	r := &attribution.Result{By: attribution.ByTask, Groups: []attribution.Group{{Key: "arn:aws:ecs:us-east-1:1:task/c/abc"}}}
	r.Groups[0].BytesIn, r.Groups[0].Records = 100, 1
	r.Total = attribution.Totals{Bytes: 100, Records: 1}
	page, err := write(t, r)
	if err != nil {
		t.Errorf("a group without tasks: %v", err)
	} else if !strings.Contains(page, "abc") {
		t.Errorf("the group without tasks is not on the page")
	}

	r = serviceGroups(2)
	r.Step = 0
	if _, err := write(t, r); err == nil {
		t.Errorf("a time series without a step: no error")
	}
}

// TestHTMLSeenOnWhenTheSummaryIsFull: the table report's SEEN ON
// was fixed to mark the summary's over-counts "≤" and to say "others not
// tracked" when the summary dropped interfaces (TestSeenOnWhenTheSummaryIsFull
// of package report); the HTML page still printed the over-counts as
// exact sizes and "+11 more" where 37 more interfaces carried traffic.
func TestHTMLSeenOnWhenTheSummaryIsFull(t *testing.T) {
	const unknown = 40 // each carries 1000+i bytes, one record
	res := fixture.UnknownInterfaces(t, unknown)
	page, err := write(t, res)
	if err != nil {
		t.Fatal(err)
	}
	table := html.UnescapeString(regexp.MustCompile(`(?s)<table id="unattributed">.*?</table>`).FindString(page))
	for _, m := range regexp.MustCompile(`eni-u\d+</code> \(([^)]*)\)`).FindAllStringSubmatch(table, -1) {
		if !strings.HasPrefix(m[1], "≤") && m[1] != "1.0 KiB" {
			t.Errorf("interface shown as carrying exactly %q; each carried at most 1039 B", m[1])
		}
	}
	if m := regexp.MustCompile(`\+(\d+) more</td>`).FindStringSubmatch(table); m != nil {
		if n, _ := strconv.Atoi(m[1]); n != unknown-5 {
			t.Errorf("%q: %d more interfaces carried unattributed traffic", m[0], unknown-5)
		}
	}
}

// TestHTMLTopPortsMaxError: a group's top peers show their
// over-count bound, its top ports did not: a port's estimate read as
// exact (the JSON report gives its max_error). The bound is one-sided
// (TestReviewHTMLTopBoundsOneSided): "≤" and the over-count, not "±".
func TestHTMLTopPortsMaxError(t *testing.T) {
	r := serviceGroups(1)
	r.Groups[0].TopPorts = []attribution.Port{{Protocol: 6, Port: 443, Bytes: 5000, Records: 3, MaxError: 2048}}
	page, err := write(t, r)
	if err != nil {
		t.Fatal(err)
	}
	sec := html.UnescapeString(regexp.MustCompile(`(?s)<section class="group">.*?</section>`).FindString(page))
	if !strings.Contains(sec, "≤4.9 KiB (may over-count by 2.0 KiB)") {
		t.Errorf("port 443's bound 2.0 KiB not shown:\n%s", sec)
	}
}

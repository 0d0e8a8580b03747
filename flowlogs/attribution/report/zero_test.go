package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestTableGroupWithoutTasks: a Result is plain data, and a group
// of it may have no tasks (a zero Group, a Result built or decoded by
// hand). JSON and CSV write such a group; the table indexed g.Tasks[0]
// and panicked when grouped by task.
func TestTableGroupWithoutTasks(t *testing.T) {
	r := &attribution.Result{By: attribution.ByTask, Groups: []attribution.Group{{Key: "arn:aws:ecs:us-east-1:1:task/c/abc"}},
		Total: attribution.Totals{}}
	r.Groups[0].BytesIn, r.Groups[0].Records = 100, 1
	r.Total = attribution.Totals{Bytes: 100, Records: 1}
	for _, f := range []Format{Table, JSON, CSV} {
		var buf bytes.Buffer
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%v: panic %v", f, p)
				}
			}()
			if err := Write(&buf, f, r); err != nil {
				t.Errorf("%v: %v", f, err)
			}
		}()
		if f == Table && !strings.Contains(buf.String(), "abc") {
			t.Errorf("table does not name the group:\n%s", buf.String())
		}
	}
}

// TestRevisionOutOfRange: the JSON document's revision is an int32
// (ECS's type) with minimum 0 in the schema, and the task's revision is
// what eni/history parsed from the task definition ARN, an int
// (strconv.Atoi: "web:-5" is -5, "web:3000000000" three billion). The JSON
// writer converted it with int32(), so three billion was written as
// -1294967296 and -5 as -5, both refused by the schema, while the table
// and CSV wrote "web:3000000000" and "web": the formats disagreed.
func TestRevisionOutOfRange(t *testing.T) {
	s := compileSchema(t)
	three := int64(3_000_000_000) // past int32; on a 32-bit int, negative
	for _, rev := range []int{-5, int(three)} {
		a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/a", Group: "service:web", Family: "web", Revision: rev,
			NetworkMode: netmode.ModeAWSVPC, ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")})
		addLines(t, a, flowlogs.DefaultFormat, "2 1 eni-a 10.0.0.1 10.0.0.9 1 2 6 3 100 1795600800 1795600859 ACCEPT OK")
		r := a.Result(attribution.ByTask)
		if err := validateJSON(t, s, r); err != nil {
			t.Errorf("revision %d: %v", rev, err)
		}
		var js, cs bytes.Buffer
		if err := WriteJSON(&js, r); err != nil {
			t.Fatal(err)
		}
		var d Document
		if err := json.Unmarshal(js.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		if err := WriteCSV(&cs, r); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&cs).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := "web"
		if jr := d.Groups[0].Tasks[0].Revision; jr != 0 {
			want = fmt.Sprintf("web:%d", jr)
		}
		if got := rows[1][slices.Index(csvHeader, "family")]; got != want {
			t.Errorf("revision %d: CSV family %q, JSON family %q revision %d", rev, got, d.Groups[0].Tasks[0].Family, d.Groups[0].Tasks[0].Revision)
		}
	}
}

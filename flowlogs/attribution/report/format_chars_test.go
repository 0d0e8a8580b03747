package report

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"unicode"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/internal/fixture"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestTableEscapesFormatCharacters: the table escaped control
// bytes but left Unicode format characters (category Cf) alone: a
// right-to-left override or an isolate in a service, family or task
// name reorders the rest of its row on the terminal (a spoofed row,
// cells drawn out of place), where awswire.Plain quotes the same text.
// Other non-ASCII text is as it was.
func TestTableEscapesFormatCharacters(t *testing.T) {
	a := fixture.New(t, history.Task{ARN: "arn:aws:ecs:us-east-1:1:task/c/t\u2066x\u2069",
		Group: "service:web\u202e0.001", Family: "caf\u00e9-\u65e5\u672c", NetworkMode: netmode.ModeAWSVPC, ENI: "eni-a", IPv4: netip.MustParseAddr("10.0.0.9")})
	r, err := flowlogs.ParseLine(flowlogs.DefaultFormat, "2 1 eni-a 10.0.0.1 10.0.0.9 1 2 6 3 100 1795600800 1795600859 ACCEPT OK")
	if err != nil {
		t.Fatal(err)
	}
	a.Add(r)
	for _, by := range []attribution.GroupBy{attribution.ByTask, attribution.ByService, attribution.ByFamily} {
		var table bytes.Buffer
		if err := WriteTable(&table, a.Result(by)); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsFunc(table.String(), func(r rune) bool { return unicode.Is(unicode.Cf, r) }) {
			t.Errorf("by %v: a format character reaches the terminal raw:\n%q", by, table.String())
		}
		if by == attribution.ByFamily && !strings.Contains(table.String(), "caf\u00e9-\u65e5\u672c") {
			t.Errorf("by family: the name is not as written:\n%s", table.String())
		}
	}
}

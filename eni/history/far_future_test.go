package history

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestFarFutureStop: time.UnixNano is undefined outside the years
// 1678 to 2262, and the ownership spans were built from it: a task whose
// stoppedAt lies past 2262 (a "never" sentinel some exporters write, or a
// plain typo of the year) wrapped to an end before its start and was never
// its ENI's or address's owner, even at times well inside its lifetime.
// Interval.Contains wrapped the same way.
func TestFarFutureStop(t *testing.T) {
	at := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	for _, stop := range []string{`"2300-01-01T00:00:00Z"`, `"9999-12-31T23:59:59Z"`} {
		js := `{"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/abc","lastStatus":"STOPPED","createdAt":"2026-11-25T10:00:00Z","stoppedAt":` + stop + `,
		"attachments":[{"id":"a","type":"ElasticNetworkInterface","status":"DELETED","details":[{"name":"networkInterfaceId","value":"eni-1"},{"name":"privateIPv4Address","value":"10.0.0.1"}]}]}]}`
		b := NewBuilder()
		if _, err := b.Load(strings.NewReader(js), "x.json"); err != nil {
			t.Fatal(err)
		}
		idx := b.Index()
		if _, ok := idx.TaskByENI("eni-1", at); !ok {
			t.Errorf("stoppedAt %s: no owner of the ENI at %v", stop, at)
		}
		if _, ok := idx.TaskByIP(netip.MustParseAddr("10.0.0.1"), at); !ok {
			t.Errorf("stoppedAt %s: no owner of the address at %v", stop, at)
		}
		if v := b.Tasks()[0].Valid; !v.Contains(at) {
			t.Errorf("stoppedAt %s: %v does not contain %v", stop, v, at)
		}
	}
	// And a lookup past 2262 in an open interval, or before 1678 in one
	// open at the start.
	iv := Interval{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if far := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC); !iv.Contains(far) {
		t.Errorf("%v does not contain %v", iv, far)
	}
	iv = Interval{End: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if early := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC); !iv.Contains(early) {
		t.Errorf("%v does not contain %v", iv, early)
	}
}

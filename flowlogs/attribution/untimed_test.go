package attribution

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestFirstLastOfUntimedRecords: a record of a format without start and
// end has no place in time, so it moves neither First nor Last: alone it
// leaves them zero (as the docs say of no record), and beside placed
// records it does not stretch the window back to 1970, which a merge and
// a report's header would carry.
func TestFirstLastOfUntimedRecords(t *testing.T) {
	untimed := "interface-id srcaddr dstaddr bytes packets\neni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 100 1\n"
	timed := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n" +
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41030 8080 6 17 21279 1795602844 1795602902 ACCEPT OK\n"
	add := func(a *Attributor, text string) {
		t.Helper()
		if err := a.AddAll(flowlogs.NewReader(strings.NewReader(text)).All()); err != nil {
			t.Fatal(err)
		}
	}
	a := New(mustIndex(nil, nil))
	add(a, untimed)
	if p := a.Partial(); !p.First.IsZero() || !p.Last.IsZero() || p.Total.Records != 1 {
		t.Errorf("untimed record alone: First %v, Last %v, %d records; want zero times, 1 record", p.First, p.Last, p.Total.Records)
	}
	add(a, timed)
	want := time.Unix(1795602844, 0).UTC()
	if r := a.Result(ByTask); !r.First.Equal(want) || !r.Last.Equal(want) || r.Total.Records != 2 {
		t.Errorf("untimed and timed records: First %v, Last %v, %d records; want %v for both, 2 records", r.First, r.Last, r.Total.Records, want)
	}
}

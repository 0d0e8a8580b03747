package flowlogs

import (
	"net/netip"
	"strings"
	"testing"
)

// TestFilterPrefixesIPv4Mapped: a record whose address is written
// IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address to the rest of the
// module (attribution and the history unmap it), so a Prefixes filter on
// the IPv4 prefix must keep it, through Match and while streaming; and an
// IPv4-mapped prefix must select the plain IPv4 record likewise.
func TestFilterPrefixesIPv4Mapped(t *testing.T) {
	const text = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789012 eni-0a1b2c3d4e5f60711 ::ffff:10.0.1.101 203.0.113.9 8080 41020 6 3 300 1795600800 1795600859 ACCEPT OK
2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 203.0.113.9 8080 41020 6 3 300 1795600800 1795600859 ACCEPT OK
`
	for _, tc := range []struct {
		prefix string
		want   int
	}{
		{"10.0.1.101/32", 2},
		{"10.0.0.0/8", 2},
		{"::ffff:10.0.1.101/128", 2},
		{"::ffff:10.0.0.0/104", 2},
		{"10.0.2.0/24", 0},
	} {
		f := Filter{Prefixes: []netip.Prefix{netip.MustParsePrefix(tc.prefix)}}
		n := 0
		for r, err := range NewReader(strings.NewReader(text)).All() {
			if err != nil {
				t.Fatal(err)
			}
			if f.Match(r) {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("Match %s: %d records, want %d", tc.prefix, n, tc.want)
		}
		n = 0
		for _, err := range NewReader(strings.NewReader(text), WithFilter(f)).All() {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != tc.want {
			t.Errorf("WithFilter %s: %d records, want %d", tc.prefix, n, tc.want)
		}
	}
}

package flowlogs

import (
	"errors"
	"strings"
	"testing"
)

// TestNewerFieldsAndValues probes what a record of a newer AWS
// carries: a field name this version does not know, and values of the
// enumerated fields AWS does not send today.
func TestNewerFieldsAndValues(t *testing.T) {
	hdr := "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path type pkt-src-aws-service tcp-flags encryption-status reject-reason zz-v12-field"
	f, err := ParseHeader(hdr)
	if err != nil {
		t.Fatalf("header with a v12 field: %v", err)
	}
	base := []string{"12", "111122223333", "eni-1", "10.0.0.1", "10.0.0.2", "443", "5555", "6", "10", "1000", "1700000000", "1700000060",
		"ACCEPT", "OK", "egress", "1", "IPv4", "AMAZON", "2", "1", "-", "some-value"}
	line := strings.Join(base, " ")
	r, err := ParseLine(f, line)
	if err != nil {
		t.Fatalf("baseline: %v", err)
	}
	if v, ok := r.Raw("zz-v12-field"); !ok || string(v) != "some-value" {
		t.Errorf("raw v12 field %q %v", v, ok)
	}
	for _, c := range []struct {
		idx   int
		value string
	}{
		{12, "ALERT"}, {13, "PARTIAL"}, {14, "transit"}, {15, "9"}, {16, "IPv8"}, {17, "NEW_SERVICE_2030"},
		{18, "64"}, {19, "4"}, {20, "XYZ"},
	} {
		v := append([]string(nil), base...)
		v[c.idx] = c.value
		r, err := ParseLine(f, strings.Join(v, " "))
		name := f.Name(c.idx)
		switch name {
		case "action", "log-status", "flow-direction", "type":
			// Refused by name (strict; WithLenient skips and counts the
			// line): the attribution cannot tell accepted from rejected
			// bytes, or data from NODATA/SKIPDATA, by a value it does
			// not know.
			if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), c.value) {
				t.Errorf("%s=%s: %v, want an error naming both", name, c.value, err)
			}
			// And saying which values AWS documents, so that a value
			// added since reads as that, not as damage; still ErrSyntax.
			documented := map[string]string{"action": "not ACCEPT or REJECT", "log-status": "not OK, NODATA or SKIPDATA",
				"flow-direction": "not ingress or egress", "type": "not IPv4, IPv6 or EFA"}[name]
			if err != nil && (!strings.Contains(err.Error(), documented+", the values AWS documents") || !errors.Is(err, ErrSyntax)) {
				t.Errorf("%s=%s: %v, want it to say %q and be ErrSyntax", name, c.value, err, documented)
			}
		default:
			// Carried through: a number kept as a number, a name as is.
			if err != nil || r.Bytes != 1000 || strings.TrimSpace(r.String()) == "" {
				t.Errorf("%s=%s: %v", name, c.value, err)
			}
		}
	}
}

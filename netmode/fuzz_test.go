package netmode

import (
	"encoding"
	"encoding/json"
	"slices"
	"testing"
)

// FuzzPortValues: the agent's settings and a port mapping's range, as a
// user or an instance's environment gives them, parse to a value that
// formats back to one that parses the same, or to an error with a
// message; never a panic.
func FuzzPortValues(f *testing.F) {
	for _, s := range []string{
		"[22, 2375, 2376, 51678, 51679]", "[]", "null", "", " ", "[65536]", "[-1]", `["22"]`,
		"100-200", "8000", "100-200-300", " 100-200 ", "100 - 200", "0-10", "200-100", "1-65535",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ports, err := ParseReservedPorts(s); err != nil {
			if ports != nil || err.Error() == "" {
				t.Fatalf("ParseReservedPorts(%q) = %v, %v", s, ports, err)
			}
		} else if len(ports) > 0 {
			b, err := json.Marshal(ports)
			if err != nil {
				t.Fatal(err)
			}
			again, err := ParseReservedPorts(string(b))
			if err != nil || !slices.Equal(again, ports) {
				t.Fatalf("ParseReservedPorts(%q) = %v; of %s: %v, %v", s, ports, b, again, err)
			}
		}
		if r, err := ParseDynamicHostPortRange(s); err != nil {
			if r != (PortRange{}) || err.Error() == "" {
				t.Fatalf("ParseDynamicHostPortRange(%q) = %v, %v", s, r, err)
			}
		} else {
			if r.First == 0 || r.First > r.Last {
				t.Fatalf("ParseDynamicHostPortRange(%q) = %v: not a range of ports", s, r)
			}
			if again, err := ParseDynamicHostPortRange(r.String()); err != nil || again != r {
				t.Fatalf("ParseDynamicHostPortRange(%q) = %v; of %q: %v, %v", s, r, r.String(), again, err)
			}
		}
		if r, err := ParseContainerPortRange(s); err != nil {
			if r != (PortRange{}) || err.Error() == "" {
				t.Fatalf("ParseContainerPortRange(%q) = %v, %v", s, r, err)
			}
		} else {
			if r.First == 0 || r.First >= r.Last {
				t.Fatalf("ParseContainerPortRange(%q) = %v: not a range of two ports or more", s, r)
			}
			if again, err := ParseContainerPortRange(r.String()); err != nil || again != r {
				t.Fatalf("ParseContainerPortRange(%q) = %v; of %q: %v, %v", s, r, r.String(), again, err)
			}
		}
	})
}

// FuzzTextValues: the enumerations a saved Plan, report or flag holds
// refuse text with a message, or read a value that marshals to text
// that reads back the same (not always the text read: "proto(03)" is
// read, and written "proto(3)").
func FuzzTextValues(f *testing.F) {
	for _, s := range []string{
		"", "bridge", "host", "awsvpc", "none", "default", "unknown", "Bridge",
		"linux", "windows", "tcp", "udp", "proto(3)", "proto(256)", "proto(+1)", "proto(03)",
		"warning", "error", "Severity(9)", "Mode(7)", "Constraint(200)",
	} {
		f.Add(s)
	}
	type value interface {
		encoding.TextMarshaler
		encoding.TextUnmarshaler
	}
	f.Fuzz(func(t *testing.T, s string) {
		news := []func() value{
			func() value { return new(Mode) },
			func() value { return new(OSFamily) },
			func() value { return new(Constraint) },
			func() value { return new(Protocol) },
			func() value { return new(Severity) },
		}
		for _, mk := range news {
			v := mk()
			if err := v.UnmarshalText([]byte(s)); err != nil {
				if err.Error() == "" {
					t.Fatalf("%T.UnmarshalText(%q): an error with no message", v, s)
				}
				continue
			}
			b, err := v.MarshalText()
			if err != nil {
				t.Fatalf("%T %q: MarshalText: %v", v, s, err)
			}
			w := mk()
			if err := w.UnmarshalText(b); err != nil {
				t.Fatalf("%T read %q, wrote %q, which it refuses: %v", v, s, b, err)
			}
			if b2, _ := w.MarshalText(); string(b2) != string(b) {
				t.Fatalf("%T: %q -> %q -> %q", v, s, b, b2)
			}
		}
		for _, os := range []OSFamily{Linux, Windows} {
			m, err := ParseMode(s, os)
			if err != nil {
				if m != ModeUnknown || err.Error() == "" {
					t.Fatalf("ParseMode(%q, %v) = %v, %v", s, os, m, err)
				}
				continue
			}
			if s != "" {
				if again, err := ParseMode(m.String(), os); err != nil || again != m {
					t.Fatalf("ParseMode(%q) = %v; of %q: %v, %v", s, m, m.String(), again, err)
				}
			}
		}
	})
}

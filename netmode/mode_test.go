package netmode

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		in      string
		os      OSFamily
		want    Mode
		wantErr string
	}{
		{"", Linux, ModeBridge, ""},
		{"", Windows, ModeDefault, ""},
		{"bridge", Linux, ModeBridge, ""},
		{"bridge", Windows, ModeBridge, ""},
		{"host", Linux, ModeHost, ""},
		{"awsvpc", Linux, ModeAWSVPC, ""},
		{"awsvpc", Windows, ModeAWSVPC, ""},
		{"none", Linux, ModeNone, ""},
		{"AWSVPC", Linux, ModeUnknown, `did you mean "awsvpc"?`},
		{"default", Windows, ModeUnknown, "omit networkMode"},
		{"nat", Linux, ModeUnknown, `valid values are "bridge", "host", "awsvpc" and "none"`},
		{" ", Linux, ModeUnknown, "unknown network mode"},
	}
	for _, tt := range tests {
		got, err := ParseMode(tt.in, tt.os)
		if got != tt.want {
			t.Errorf("ParseMode(%q, %v) = %v, want %v", tt.in, tt.os, got, tt.want)
		}
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("ParseMode(%q, %v): unexpected error %v", tt.in, tt.os, err)
			}
			continue
		}
		var me *ModeError
		if !errors.As(err, &me) || me.Value != tt.in {
			t.Errorf("ParseMode(%q, %v) error = %v, want *ModeError", tt.in, tt.os, err)
		} else if !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("ParseMode(%q, %v) error = %q, want it to contain %q", tt.in, tt.os, err, tt.wantErr)
		}
	}
}

func TestModeText(t *testing.T) {
	// The zero Mode round-trips as "unknown": it is the Mode of the zero
	// Plan that PlanPorts returns with an error, which must encode.
	for _, m := range append(Modes(), ModeUnknown) {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Mode
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("round trip %v: got %v, %v", m, back, err)
		}
	}
	if b, err := ModeUnknown.MarshalText(); err != nil || string(b) != "unknown" {
		t.Errorf("ModeUnknown.MarshalText = %q, %v; want \"unknown\"", b, err)
	}
	if _, err := Mode(9).MarshalText(); err == nil {
		t.Error("Mode(9).MarshalText: want error")
	}
	for _, in := range []string{"", "nat", "Bridge", "Mode(9)"} {
		var m Mode
		var me *ModeError
		if err := m.UnmarshalText([]byte(in)); !errors.As(err, &me) || me.Value != in {
			t.Errorf("UnmarshalText(%q) = %v, want *ModeError", in, err)
		}
	}
	if ModeDefault.APIValue() != "" || ModeAWSVPC.APIValue() != types.NetworkModeAwsvpc {
		t.Error("APIValue")
	}
}

func TestOSFamilyText(t *testing.T) {
	for _, f := range []OSFamily{Linux, Windows} {
		b, err := f.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back OSFamily
		if err := back.UnmarshalText(b); err != nil || back != f {
			t.Errorf("round trip %v: got %v, %v", f, back, err)
		}
	}
	for _, in := range []string{"", "Windows", "WINDOWS_SERVER_2022_CORE"} {
		var f OSFamily
		if err := f.UnmarshalText([]byte(in)); err == nil || !strings.Contains(err.Error(), "unknown OS family") {
			t.Errorf("UnmarshalText(%q) = %v, want an error", in, err)
		}
	}
}

func TestOSFamilyOf(t *testing.T) {
	tests := []struct {
		rp   *types.RuntimePlatform
		want OSFamily
	}{
		{nil, Linux},
		{&types.RuntimePlatform{}, Linux},
		{&types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyLinux}, Linux},
		{&types.RuntimePlatform{OperatingSystemFamily: types.OSFamilyWindowsServer2022Core}, Windows},
		{&types.RuntimePlatform{OperatingSystemFamily: "WINDOWS_SERVER_2031_FULL"}, Windows},
	}
	for _, tt := range tests {
		if got := OSFamilyOf(tt.rp); got != tt.want {
			t.Errorf("OSFamilyOf(%+v) = %v, want %v", tt.rp, got, tt.want)
		}
	}
}

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
	for _, m := range Modes() {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Mode
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("round trip %v: got %v, %v", m, back, err)
		}
	}
	if _, err := ModeUnknown.MarshalText(); err == nil {
		t.Error("ModeUnknown.MarshalText: want error")
	}
	if ModeDefault.APIValue() != "" || ModeAWSVPC.APIValue() != types.NetworkModeAwsvpc {
		t.Error("APIValue")
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

package netmode

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Mode is a task network mode. The zero value is ModeUnknown.
//
// The ECS API enum NetworkMode has exactly bridge, host, awsvpc and none;
// ModeDefault is Windows' Docker "nat" network, which a task gets by omitting
// networkMode (reference §1, [DG] task_definition_parameters.md#network_mode).
type Mode uint8

const (
	ModeUnknown Mode = iota // not a mode: the zero value
	ModeBridge              // Docker bridge network; the Linux default
	ModeHost                // the container instance's own network namespace
	ModeAWSVPC              // one ENI per task
	ModeNone                // loopback only
	ModeDefault             // Windows: Docker nat network (networkMode omitted)
)

// Modes lists every mode in table order.
func Modes() []Mode { return []Mode{ModeBridge, ModeHost, ModeAWSVPC, ModeNone, ModeDefault} }

var modeNames = [...]string{ModeUnknown: "unknown", ModeBridge: "bridge", ModeHost: "host", ModeAWSVPC: "awsvpc", ModeNone: "none", ModeDefault: "default"}

// String returns the task-definition spelling ("bridge", "awsvpc", ...), or
// "default" for Windows' default mode and "unknown" for the zero Mode.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// IsValid reports whether m is one of the five modes.
func (m Mode) IsValid() bool { return m >= ModeBridge && m <= ModeDefault }

// APIValue returns the value to put in a task definition's networkMode. It is
// empty for ModeDefault (Windows gets it by omitting the field) and for ModeUnknown.
func (m Mode) APIValue() types.NetworkMode {
	switch m {
	case ModeBridge, ModeHost, ModeAWSVPC, ModeNone:
		return types.NetworkMode(m.String())
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler with String's spelling. The
// zero Mode, ModeUnknown, marshals as "unknown": it is what a Plan returned
// with an error and the Properties of an invalid Mode hold, and those must
// encode. Other values outside the five modes and ModeUnknown are an error.
func (m Mode) MarshalText() ([]byte, error) {
	if !m.IsValid() && m != ModeUnknown {
		return nil, fmt.Errorf("netmode: cannot marshal invalid %v", m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts the spellings
// MarshalText produces, including "default" and "unknown" (ModeUnknown); use
// ParseMode for task-definition values, where neither is allowed and the
// empty string depends on the OS.
func (m *Mode) UnmarshalText(b []byte) error {
	for i, n := range modeNames {
		if n == string(b) {
			*m = Mode(i)
			return nil
		}
	}
	return &ModeError{Value: string(b)}
}

// OSFamily is the operating-system family a task definition targets. The
// zero value is Linux, which is what ECS assumes when runtimePlatform is
// omitted.
type OSFamily uint8

const (
	Linux OSFamily = iota
	Windows
)

func (f OSFamily) String() string {
	if f == Windows {
		return "windows"
	}
	return "linux"
}

// OSFamilyOf returns the family of runtimePlatform.operatingSystemFamily:
// every WINDOWS_SERVER_* value is Windows; LINUX, empty and a nil platform
// are Linux.
func OSFamilyOf(rp *types.RuntimePlatform) OSFamily {
	if rp != nil && strings.HasPrefix(strings.ToUpper(string(rp.OperatingSystemFamily)), "WINDOWS") {
		return Windows
	}
	return Linux
}

// ParseMode parses a task definition's networkMode value. The empty string
// (networkMode omitted) is ModeBridge on Linux and ModeDefault on Windows. The match
// is exact, as in the API (the enum is case-sensitive); anything else is a
// *ModeError that lists the valid values.
func ParseMode(s string, os OSFamily) (Mode, error) {
	switch s {
	case "":
		if os == Windows {
			return ModeDefault, nil
		}
		return ModeBridge, nil
	case "bridge":
		return ModeBridge, nil
	case "host":
		return ModeHost, nil
	case "awsvpc":
		return ModeAWSVPC, nil
	case "none":
		return ModeNone, nil
	}
	return ModeUnknown, &ModeError{Value: s, OS: os}
}

// ModeOf returns the network mode of a task definition, taking the OS family
// from its runtimePlatform.
func ModeOf(td *types.TaskDefinition) (Mode, error) {
	if td == nil {
		return ModeUnknown, fmt.Errorf("netmode: nil task definition")
	}
	return ParseMode(string(td.NetworkMode), OSFamilyOf(td.RuntimePlatform))
}

// ModeError reports a networkMode value that is not a network mode.
type ModeError struct {
	Value string   // the rejected value
	OS    OSFamily // the OS family it was parsed for
}

func (e *ModeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "netmode: unknown network mode %q: valid values are \"bridge\", \"host\", \"awsvpc\" and \"none\", or omit networkMode (bridge on Linux, default on Windows)", e.Value)
	t := strings.ToLower(strings.TrimSpace(e.Value))
	if m, err := ParseMode(t, e.OS); err == nil && t != "" {
		fmt.Fprintf(&b, "; did you mean %q?", m.APIValue())
	} else if t == "default" {
		b.WriteString("; \"default\" is not an API value: omit networkMode to get it on Windows")
	}
	return b.String()
}

// MarshalText implements encoding.TextMarshaler ("linux", "windows").
func (f OSFamily) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler: "linux" or "windows",
// exactly as MarshalText writes them; use OSFamilyOf for a task
// definition's runtimePlatform.
func (f *OSFamily) UnmarshalText(b []byte) error {
	switch string(b) {
	case "linux":
		*f = Linux
	case "windows":
		*f = Windows
	default:
		return fmt.Errorf("netmode: unknown OS family %q: want \"linux\" or \"windows\"", string(b))
	}
	return nil
}

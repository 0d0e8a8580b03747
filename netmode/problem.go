package netmode

import (
	"fmt"
	"strings"
)

// Severity says whether ECS rejects a problem or only warns about it.
type Severity uint8

const (
	// SeverityWarning: ECS accepts the task definition, but the setting is
	// ignored, changed, or fails later (at placement, CreateService or
	// container start).
	SeverityWarning Severity = iota + 1
	// SeverityError: ECS rejects the task definition, or a task from it can
	// never run.
	SeverityError
)

func (s Severity) String() string {
	switch s {
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", uint8(s))
}

// Code identifies a rule. Codes are stable: programs may match on them.
type Code string

// Problem is one way a task definition breaks a network-mode rule.
type Problem struct {
	Path     string // the offending field, e.g. "containerDefinitions[1].portMappings[0].hostPort"
	Code     Code
	Severity Severity
	Message  string // ECS's own wording where it is known
}

// Error formats the problem as "path: severity: message [code]".
func (p Problem) Error() string {
	path := p.Path
	if path == "" {
		path = "taskDefinition"
	}
	return fmt.Sprintf("%s: %s: %s [%s]", path, p.Severity, p.Message, p.Code)
}

// Problems is every problem Validate found, in task-definition order. It is
// the error Validate (and ValidateNetworkConfiguration) returns; use
// errors.As to get it back:
//
//	var ps netmode.Problems
//	if errors.As(err, &ps) { ... }
type Problems []Problem

// Error lists the problems, one per line.
func (ps Problems) Error() string {
	var b strings.Builder
	errs, warns := ps.count()
	fmt.Fprintf(&b, "netmode: %s has %d error%s and %d warning%s", ps.subject(), errs, plural(errs, "", "s"), warns, plural(warns, "", "s"))
	for _, p := range ps {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// subject is what the problems are of: a RunTask or CreateService call's
// network configuration (ValidateNetworkConfiguration's paths), else the
// task definition.
func (ps Problems) subject() string {
	for _, p := range ps {
		if p.Path != "networkConfiguration" && !strings.HasPrefix(p.Path, "networkConfiguration.") {
			return "task definition"
		}
	}
	if len(ps) == 0 {
		return "task definition"
	}
	return "network configuration"
}

// Unwrap returns each problem as an error, so errors.As can also find a
// single Problem.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}

// Err returns ps as an error, or nil when there are no problems.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// HasErrors reports whether any problem has SeverityError.
func (ps Problems) HasErrors() bool {
	errs, _ := ps.count()
	return errs > 0
}

// Filter returns the problems of severity s.
func (ps Problems) Filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// Has reports whether a problem with code c is in ps.
func (ps Problems) Has(c Code) bool {
	for _, p := range ps {
		if p.Code == c {
			return true
		}
	}
	return false
}

func (ps Problems) count() (errs, warns int) {
	for _, p := range ps {
		if p.Severity == SeverityError {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

// MarshalText implements encoding.TextMarshaler ("warning", "error"), so
// Problems encode to readable JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler, so Problems read back
// from their JSON. It accepts what MarshalText produces: "warning", "error",
// and "Severity(N)" for other values (the zero Severity is "Severity(0)").
func (s *Severity) UnmarshalText(b []byte) error {
	switch t := string(b); t {
	case "warning":
		*s = SeverityWarning
	case "error":
		*s = SeverityError
	default:
		n, ok := parseNumbered(t, "Severity(", ")")
		if !ok {
			return fmt.Errorf("netmode: unknown severity %q: want \"warning\" or \"error\"", t)
		}
		*s = Severity(n)
	}
	return nil
}

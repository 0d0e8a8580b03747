package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/ecsnet/ecsnet/netmode"
)

// TaskDefForms is what a task definition file may hold (netmode.Load
// reads them all), for the usage and the errors of the programs that
// read one: netmodes and enibudget -whatif.
const TaskDefForms = "describe-task-definition output, its taskDefinition, or a register-task-definition --cli-input-json file"

// TaskDefError says an error of netmode.Load or LoadFile after where
// (the file, or the flag and the file) in the form of the programs' other
// JSON inputs: "where: line 3, column 53: containerDefinitions[0].memory:
// want an integer, …", not the library's "file:3:53: …", so that one
// file is placed the same way by netmodes and enibudget -whatif. An open
// error names the file once ("where: open: no such file or directory").
func TaskDefError(where string, err error) error {
	var le *netmode.LoadError
	if !errors.As(err, &le) {
		return fmt.Errorf("%s: %w", where, err)
	}
	if le.Line > 0 {
		where += fmt.Sprintf(": line %d, column %d", le.Line, le.Column)
	}
	if le.Path != "" {
		where += ": " + le.Path
	}
	if pe := (*fs.PathError)(nil); errors.As(le.Err, &pe) && pe.Path == le.Name {
		return fmt.Errorf("%s: %s: %w", where, pe.Op, pe.Err)
	}
	return fmt.Errorf("%s: %w", where, le.Err)
}

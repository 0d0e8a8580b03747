package netmode

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/awswire"
)

// LoadError is an error loading a task definition, with its place in the
// input.
type LoadError struct {
	Name   string // the file name given to Load ("" if none)
	Line   int    // 1-based; 0 if unknown
	Column int    // 1-based, in bytes; 0 if unknown
	Path   string // member path in the input, e.g. "taskDefinition.networkMode"
	Err    error  // what is wrong (a *ModeError for an unknown network mode)
}

// Error formats the error as "netmode: file:line:column: path: what",
// leaving out what is unknown.
func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString("netmode: ")
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Column)
	}
	if b.Len() > len("netmode: ") {
		b.WriteString(" ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Err == nil {
		b.WriteString("invalid input")
		return b.String()
	}
	msg := e.Err.Error()
	var pe *fs.PathError
	if errors.As(e.Err, &pe) && pe.Path == e.Name {
		msg = pe.Op + ": " + pe.Err.Error() // the file is named already
	}
	b.WriteString(strings.TrimPrefix(msg, "netmode: "))
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// MaxSize is the size of the largest input Load and Read accept: task
// definitions are limited to 64 KiB by ECS; describe output adds little.
// 16 MiB leaves room for pretty-printing.
const MaxSize = 16 << 20

// LoadFile reads a task definition from a JSON file; see Load.
func LoadFile(path string) (*types.TaskDefinition, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &LoadError{Name: path, Err: err}
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a task definition from r; name is used in errors. See Load.
func Read(r io.Reader, name string) (*types.TaskDefinition, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, &LoadError{Name: name, Err: err}
	}
	if len(data) > MaxSize {
		return nil, &LoadError{Name: name, Err: fmt.Errorf("larger than %d bytes", MaxSize)}
	}
	return Load(data, name)
}

// Load decodes a task definition from any of the JSON forms the AWS CLI
// reads or prints:
//   - the output of `aws ecs describe-task-definition` ({"taskDefinition": {...}, "tags": [...]}),
//   - just its taskDefinition object,
//   - a `register-task-definition --cli-input-json` file (its tags are ignored).
//
// Timestamps may be ISO 8601 or epoch seconds; unknown members are ignored so
// output from newer CLIs still loads. Malformed JSON, a value of the wrong
// type and an unknown networkMode are a *LoadError naming the file (name),
// the line and column, and the member path. Load never panics.
func Load(data []byte, name string) (*types.TaskDefinition, error) {
	data = awswire.BlankBOM(data) // as saved by some Windows tools
	wrapped, err := topLevelHas(data, "taskDefinition")
	if err != nil {
		// Let the decoder describe the syntax error with its position.
		var td types.TaskDefinition
		if derr := awswire.Unmarshal(data, &td); derr != nil {
			return nil, loadError(name, derr)
		}
		return nil, &LoadError{Name: name, Err: err}
	}
	var td *types.TaskDefinition
	prefix := ""
	if wrapped {
		var out struct{ TaskDefinition *types.TaskDefinition }
		if err := awswire.Unmarshal(data, &out); err != nil {
			return nil, loadError(name, err)
		}
		if out.TaskDefinition == nil {
			line, col := position(data, "taskDefinition")
			return nil, &LoadError{Name: name, Line: line, Column: col, Path: "taskDefinition", Err: errors.New("taskDefinition is null")}
		}
		td, prefix = out.TaskDefinition, "taskDefinition."
	} else {
		td = new(types.TaskDefinition)
		if err := awswire.Unmarshal(data, td); err != nil {
			return nil, loadError(name, err)
		}
	}
	if _, err := ModeOf(td); err != nil {
		path := prefix + "networkMode"
		line, col := position(data, path)
		return nil, &LoadError{Name: name, Line: line, Column: col, Path: path, Err: err}
	}
	return td, nil
}

func loadError(name string, err error) error {
	var we *awswire.Error
	if errors.As(err, &we) {
		return &LoadError{Name: name, Line: we.Line, Column: we.Column, Path: we.Path, Err: errors.New(we.Msg)}
	}
	return &LoadError{Name: name, Err: err}
}

// topLevelHas reports whether data is a JSON object with member key
// (matched case-insensitively, as the decoder matches member names). It
// returns an error for anything but a well-formed JSON object.
func topLevelHas(data []byte, key string) (bool, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return false, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return false, errors.New("want a JSON object (a task definition or describe-task-definition output)")
	}
	found := false
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false, err
		}
		// The decoder matches member names case-insensitively too.
		if s, _ := k.(string); strings.EqualFold(s, key) {
			found = true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return false, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return false, errors.New("unexpected data after the top-level object")
	}
	return found, nil
}

// position returns the 1-based line and column of the value at a dotted
// member path ("taskDefinition.networkMode") in well-formed JSON, or 0, 0.
// Keys match as the decoder (awswire) matches them: exactly, or else
// case-insensitively ("NetworkMode", as CloudFormation spells it); an
// exact key wins over a folded one nearer the top, whatever follows.
func position(data []byte, path string) (line, col int) {
	want := strings.Split(path, ".")
	at, best := int64(-1), uint64(0)
	awswire.Walk(data, func(p []string, _, value int64) error {
		n := len(p)
		if !strings.EqualFold(p[n-1], want[n-1]) {
			return awswire.SkipValue
		}
		if n < len(want) {
			return nil
		}
		// A folded key weighs more the nearer the top it is.
		var folded uint64
		for i, k := range p {
			if k != want[i] {
				folded |= 1 << (len(want) - 1 - i)
			}
		}
		if at < 0 || folded < best {
			at, best = value, folded
		}
		return awswire.SkipValue
	})
	if at < 0 {
		return 0, 0
	}
	pos := awswire.PosOf(data, at)
	return pos.Line, pos.Column
}

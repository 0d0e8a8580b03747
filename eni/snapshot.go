package eni

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Snapshot is what eni reads from ECS about one cluster: the raw Describe
// outputs. Save it with [Snapshot.WriteJSON] and analyse it offline with
// [Analyze].
type Snapshot struct {
	Cluster            string
	TakenAt            time.Time
	ContainerInstances []types.ContainerInstance
	// Tasks are the tasks with desired status RUNNING (which includes
	// tasks still PROVISIONING or PENDING) and, when read with
	// ecsread.WithStoppingTasks, those told to stop that have not stopped
	// yet (ecsread.ReadTasks).
	Tasks           []types.Task
	TaskDefinitions []types.TaskDefinition
	// Failures are the `failures` of the Describe calls (e.g. a task that
	// stopped between ListTasks and DescribeTasks is MISSING).
	Failures []types.Failure
}

// ReadCluster reads a cluster live with package ecsread:
// ListContainerInstances + DescribeContainerInstances, the tasks of
// [ecsread.ReadTasks] (desired RUNNING; with ecsread.WithStoppingTasks also
// those still stopping), and DescribeTaskDefinition for every task
// definition in use (the task's network mode is only in its task
// definition; one ECS refuses to describe is a Failure, not an error).
func ReadCluster(ctx context.Context, api ecsread.API, cluster string, opts ...ecsread.Option) (*Snapshot, error) {
	s := &Snapshot{Cluster: cluster, TakenAt: time.Now().UTC()}
	arns, err := ecsread.ListContainerInstanceARNs(ctx, api, cluster, opts...)
	if err != nil {
		return nil, err
	}
	var f []types.Failure
	if len(arns) > 0 {
		if s.ContainerInstances, f, err = ecsread.DescribeContainerInstances(ctx, api, cluster, arns, opts...); err != nil {
			return nil, err
		}
		s.Failures = append(s.Failures, f...)
	}
	if s.Tasks, f, err = ecsread.ReadTasks(ctx, api, cluster, opts...); err != nil {
		return nil, err
	}
	s.Failures = append(s.Failures, f...)
	tdArns := make([]string, 0, len(s.Tasks))
	for _, t := range s.Tasks {
		tdArns = append(tdArns, aws.ToString(t.TaskDefinitionArn))
	}
	if s.TaskDefinitions, f, err = ecsread.DescribeTaskDefinitions(ctx, api, tdArns, append(opts[:len(opts):len(opts)], ecsread.WithLenient())...); err != nil {
		return nil, err
	}
	s.Failures = append(s.Failures, f...)
	return s, nil
}

// snapshotFile is the JSON form: the Describe outputs exactly as the API
// (or `aws ecs describe-* --output json`) gives them, so a snapshot can be
// assembled by hand from CLI output. Each list holds one or more outputs.
type snapshotFile struct {
	Format                     string            `json:"format"`
	Cluster                    string            `json:"cluster"`
	TakenAt                    *time.Time        `json:"takenAt,omitempty"`
	DescribeContainerInstances []json.RawMessage `json:"describeContainerInstances"`
	DescribeTasks              []json.RawMessage `json:"describeTasks"`
	DescribeTaskDefinition     []json.RawMessage `json:"describeTaskDefinition"`
}

// snapshotIn is snapshotFile as ReadSnapshot decodes it: takenAt as it
// stands, checked after (the outer field hides the embedded one's).
type snapshotIn struct {
	snapshotFile
	TakenAt json.RawMessage `json:"takenAt,omitempty"`
}

// SnapshotFormat names the JSON layout written by [Snapshot.WriteJSON].
const SnapshotFormat = "ecsnet/eni-snapshot/v1"

// WriteJSON writes the snapshot as JSON:
//
//	{"format": "ecsnet/eni-snapshot/v1", "cluster": "prod", "takenAt": "2026-…Z",
//	 "describeContainerInstances": [<DescribeContainerInstances output>, …],
//	 "describeTasks": [<DescribeTasks output>, …],
//	 "describeTaskDefinition": [<DescribeTaskDefinition output>, …]}
//
// Failures are kept in the describeTasks/describeContainerInstances outputs.
func (s *Snapshot) WriteJSON(w io.Writer) error {
	f := snapshotFile{Format: SnapshotFormat, Cluster: s.Cluster}
	if !s.TakenAt.IsZero() {
		t := s.TakenAt.UTC()
		f.TakenAt = &t
	}
	var ciFail, taskFail []types.Failure
	for _, x := range s.Failures {
		if isContainerInstanceARN(aws.ToString(x.Arn)) {
			ciFail = append(ciFail, x)
		} else {
			taskFail = append(taskFail, x)
		}
	}
	ci, err := awswire.Marshal(&ecs.DescribeContainerInstancesOutput{ContainerInstances: nonNilSlice(s.ContainerInstances), Failures: nonNilSlice(ciFail)})
	if err != nil {
		return fmt.Errorf("eni: snapshot: %w", err)
	}
	ts, err := awswire.Marshal(&ecs.DescribeTasksOutput{Tasks: nonNilSlice(s.Tasks), Failures: nonNilSlice(taskFail)})
	if err != nil {
		return fmt.Errorf("eni: snapshot: %w", err)
	}
	f.DescribeContainerInstances = []json.RawMessage{ci}
	f.DescribeTasks = []json.RawMessage{ts}
	f.DescribeTaskDefinition = []json.RawMessage{}
	for i := range s.TaskDefinitions {
		b, err := awswire.Marshal(&ecs.DescribeTaskDefinitionOutput{TaskDefinition: &s.TaskDefinitions[i]})
		if err != nil {
			return fmt.Errorf("eni: snapshot: %w", err)
		}
		f.DescribeTaskDefinition = append(f.DescribeTaskDefinition, b)
	}
	out, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("eni: snapshot: %w", err)
	}
	out = append(out, '\n')
	_, err = w.Write(out)
	return err
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func isContainerInstanceARN(arn string) bool {
	return bytes.Contains([]byte(arn), []byte(":container-instance/"))
}

// SnapshotError locates a problem in a snapshot file: which Describe
// output (member and index) and, from awswire, the path and line in it.
type SnapshotError struct {
	Name   string // file name given to ReadSnapshot
	Member string // e.g. "describeTasks[0]"
	Err    error
}

func (e *SnapshotError) Error() string {
	if e.Member == "" {
		return fmt.Sprintf("eni: snapshot %s: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("eni: snapshot %s: %s: %v", e.Name, e.Member, e.Err)
}

func (e *SnapshotError) Unwrap() error { return e.Err }

// MaxSnapshotSize is the size of the largest input ReadSnapshot accepts
// (see there).
const MaxSnapshotSize = 1 << 30

// maxSnapshotBytes is MaxSnapshotSize, a variable for tests.
var maxSnapshotBytes int64 = MaxSnapshotSize

// ReadSnapshot loads a snapshot written by [Snapshot.WriteJSON] or put
// together from `aws ecs describe-container-instances`, `describe-tasks`
// and `describe-task-definition` outputs (ISO-8601 or epoch times): one
// JSON object, with nothing but white space after it. name is used in
// errors. Put together by hand, each output goes whole into its list, as
// WriteJSON writes them; every member may be left out (a snapshot of
// container instances alone budgets them with no tasks in use):
//
//	{"cluster": "prod", "describeContainerInstances": [<describe-container-instances output>]}
//
// A bare Describe output is refused with a *SnapshotError saying so, and
// so is input larger than 1 GiB, which is read whole: a cluster at ECS's
// limit of 5,000 container instances (some 15 KB each as ECS describes
// them) running 100,000 tasks (some 5 KB each) makes about 600 MB.
func ReadSnapshot(r io.Reader, name string) (*Snapshot, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSnapshotBytes+1))
	if err != nil {
		return nil, &SnapshotError{Name: name, Err: err}
	}
	if int64(len(data)) > maxSnapshotBytes {
		return nil, &SnapshotError{Name: name, Err: fmt.Errorf("larger than %d bytes, more than a snapshot of a cluster holds", maxSnapshotBytes)}
	}
	data = awswire.BlankBOM(data) // as saved by some Windows tools
	// takenAt is read as it stands, so that a value that is no time is
	// placed like every other mistake in the file, not in time's words.
	var f snapshotIn
	dec := json.NewDecoder(bytes.NewReader(data))
	err = dec.Decode(&f)
	// The format first: a later ecsnet's layout may hold members this one
	// reads otherwise (a "tasks" member, a member of another type), and is
	// refused for what it is, not for one of them. A type error leaves
	// the rest decoded, format among them; the document must still be
	// one whole JSON value.
	var typeErr *json.UnmarshalTypeError
	var endErr error
	whole := err == nil || errors.As(err, &typeErr)
	if whole {
		endErr = awswire.AtEnd(dec, data, 0)
	}
	if whole && endErr == nil {
		if err := checkFormat(f.Format, name); err != nil {
			return nil, err
		}
	}
	if err != nil {
		// Line, column and member, in Unmarshal's words: encoding/json's
		// own text names no line and names Go's types. (A document cut
		// short stays io.ErrUnexpectedEOF, which callers word themselves.)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			err = awswire.Place(data, err)
		}
		return nil, &SnapshotError{Name: name, Err: err}
	}
	// One document, as every other reader of awswire input wants it: what
	// follows it (a stray brace, a second document) is refused, and
	// awswire.ElementStart, which places the errors below in the file,
	// finds nothing in data that goes on past it.
	if endErr != nil {
		return nil, &SnapshotError{Name: name, Err: endErr}
	}
	// A bare Describe output (what `aws ecs describe-container-instances`
	// prints) has none of a snapshot's members, and would load as an empty
	// snapshot: a cluster without instances, a budget of 0.
	if err := bareOutput(data); err != nil {
		return nil, &SnapshotError{Name: name, Err: err}
	}
	s := &Snapshot{Cluster: f.Cluster}
	if raw := bytes.TrimSpace(f.TakenAt); len(raw) > 0 && string(raw) != "null" {
		var v string
		t, err := time.Time{}, json.Unmarshal(raw, &v)
		if err == nil {
			t, err = time.Parse(time.RFC3339Nano, v)
		}
		if err != nil {
			return nil, &SnapshotError{Name: name, Err: atTop(data, "takenAt",
				"want an RFC 3339 time (2026-11-25T12:00:00Z), got "+awswire.Describe(raw))}
		}
		if !awswire.InJSONYears(t) {
			// WriteJSON writes it in UTC, where encoding/json cannot.
			return nil, &SnapshotError{Name: name, Err: atTop(data, "takenAt",
				fmt.Sprintf("want a time in the years 0 to 9999, got %s (the year %d in UTC)", awswire.Describe(raw), t.UTC().Year()))}
		}
		s.TakenAt = t
	}
	for i, raw := range f.DescribeContainerInstances {
		var out ecs.DescribeContainerInstancesOutput
		if err := awswire.Unmarshal(raw, &out); err != nil {
			return nil, &SnapshotError{Name: name, Member: fmt.Sprintf("describeContainerInstances[%d]", i), Err: inFile(err, data, "describeContainerInstances", i)}
		}
		s.ContainerInstances = append(s.ContainerInstances, out.ContainerInstances...)
		s.Failures = append(s.Failures, out.Failures...)
	}
	for i, raw := range f.DescribeTasks {
		var out ecs.DescribeTasksOutput
		if err := awswire.Unmarshal(raw, &out); err != nil {
			return nil, &SnapshotError{Name: name, Member: fmt.Sprintf("describeTasks[%d]", i), Err: inFile(err, data, "describeTasks", i)}
		}
		s.Tasks = append(s.Tasks, out.Tasks...)
		s.Failures = append(s.Failures, out.Failures...)
	}
	type seenTD struct {
		mode  tdMode
		index int
	}
	seen := map[string]seenTD{}
	for i, raw := range f.DescribeTaskDefinition {
		member := fmt.Sprintf("describeTaskDefinition[%d]", i)
		var out ecs.DescribeTaskDefinitionOutput
		if err := awswire.Unmarshal(raw, &out); err != nil {
			return nil, &SnapshotError{Name: name, Member: member, Err: inFile(err, data, "describeTaskDefinition", i)}
		}
		if out.TaskDefinition == nil {
			return nil, &SnapshotError{Name: name, Member: member, Err: errors.New("no taskDefinition member")}
		}
		td := out.TaskDefinition
		// A networkMode that is no network mode would leave its tasks'
		// mode unknown, said to be for want of the task definition.
		mode, err := modeOf(td)
		if err != nil {
			placed := atMember(data, raw, i, "networkMode", err.Error())
			placed.Err = err // a *netmode.ModeError, for errors.As
			return nil, &SnapshotError{Name: name, Member: member, Err: placed}
		}
		// Task definitions are immutable: one given twice with other
		// modes is two files mixed up, and the later must not win
		// without a word.
		if arn := aws.ToString(td.TaskDefinitionArn); arn != "" {
			if o, ok := seen[arn]; ok && o.mode != mode {
				return nil, &SnapshotError{Name: name, Member: member, Err: atMember(data, raw, i, "networkMode",
					fmt.Sprintf("task definition %s given twice, with network modes %s (describeTaskDefinition[%d]) and %s", arn, o.mode.mode, o.index, mode.mode))}
			}
			seen[arn] = seenTD{mode, i}
		}
		s.TaskDefinitions = append(s.TaskDefinitions, *td)
	}
	return s, nil
}

// bareOutput is an error placed at the first top-level member of data that
// belongs to a Describe output rather than to a snapshot, or nil.
func bareOutput(data []byte) error {
	wrap := map[string]string{
		"containerinstances": "describeContainerInstances",
		"tasks":              "describeTasks",
		"taskdefinition":     "describeTaskDefinition",
		"failures":           "describeContainerInstances or describeTasks",
	}
	var err error
	_ = awswire.Walk(data, func(p []string, _, value int64) error {
		if len(p) != 1 {
			return awswire.SkipValue
		}
		if in, ok := wrap[strings.ToLower(p[0])]; ok && err == nil {
			pos := awswire.PosOf(data, value)
			err = &awswire.Error{Path: p[0], Line: pos.Line, Column: pos.Column, Offset: pos.Offset,
				Msg: fmt.Sprintf("this is a bare Describe output, not a snapshot: put it in a list, {%q: [<the output>]}", strings.SplitN(in, " ", 2)[0])}
		}
		return awswire.SkipValue
	})
	return err
}

// checkFormat refuses a snapshot's format member other than
// SnapshotFormat ("" is one put together by hand).
func checkFormat(format, name string) error {
	if format == "" || format == SnapshotFormat {
		return nil
	}
	return &SnapshotError{Name: name, Member: "format",
		Err: fmt.Errorf("unknown format %s, perhaps written by a newer ecsnet (this one reads %q)", awswire.Quote(format), SnapshotFormat)}
}

// atTop is an error msg placed in the file at the value of the top-level
// member key.
func atTop(data []byte, key, msg string) error {
	var off int64
	_ = awswire.Walk(data, func(p []string, _, value int64) error {
		if len(p) == 1 && p[0] == key {
			off = value
		}
		return awswire.SkipValue
	})
	pos := awswire.PosOf(data, off)
	return &awswire.Error{Path: key, Line: pos.Line, Column: pos.Column, Offset: pos.Offset, Msg: msg}
}

// atMember is an error msg placed in the file at member field of the
// taskDefinition of element i of describeTaskDefinition (raw, its text),
// or at the element when the member is not there.
func atMember(data, raw []byte, i int, field, msg string) *awswire.Error {
	var off int64
	path := "taskDefinition"
	_ = awswire.Walk(raw, func(p []string, _, value int64) error {
		if !strings.EqualFold(p[0], "taskDefinition") {
			return awswire.SkipValue
		}
		if len(p) == 2 {
			if strings.EqualFold(p[1], field) {
				off, path = value, p[0]+"."+p[1]
			}
			return awswire.SkipValue
		}
		return nil
	})
	pos := awswire.PosOf(raw, off)
	if start, ok := awswire.ElementStart(data, "describeTaskDefinition", i); ok {
		pos = pos.In(awswire.PosOf(data, start))
	}
	return &awswire.Error{Path: path, Line: pos.Line, Column: pos.Column, Offset: pos.Offset, Msg: msg}
}

// inFile moves an awswire error's position from the member's own text to
// the file: a snapshot's Describe outputs are decoded one by one from
// copies of their bytes, so awswire counts lines from the member's start.
// It finds where element i of the top-level array key begins and moves
// the error there with awswire's one rule for embedded values (eni/history's
// decoder uses it too).
func inFile(err error, data []byte, key string, i int) error {
	var we *awswire.Error
	if !errors.As(err, &we) {
		return err
	}
	start, ok := awswire.ElementStart(data, key, i)
	if !ok {
		return err
	}
	return we.In(awswire.PosOf(data, start))
}

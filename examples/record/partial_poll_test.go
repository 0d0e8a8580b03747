package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	smithy "github.com/aws/smithy-go"
)

// forgetsATask is the sample cluster's ECS from the second poll on: it
// no longer lists one running task, and describing that task by ARN is
// refused (an error no retry can change). With stop, it calls stop when
// a poll after the first stopPolls starts (its list of running tasks):
// a test stopped after a number of polls, not after a time a loaded
// machine may need more of.
type forgetsATask struct {
	*ecs.Client
	mu        sync.Mutex
	lists     int
	hidden    string
	from      int // the ListTasks calls before it forgets the task
	stopPolls int
	stop      func()
	running   int // lists of running tasks: polls started
}

func (f *forgetsATask) ListTasks(ctx context.Context, in *ecs.ListTasksInput, opts ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	if in.DesiredStatus == types.DesiredStatusRunning && in.NextToken == nil && f.stop != nil {
		f.mu.Lock()
		f.running++
		stop := f.running > f.stopPolls
		f.mu.Unlock()
		if stop {
			f.stop()
		}
	}
	out, err := f.Client.ListTasks(ctx, in, opts...)
	if err != nil {
		return out, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists++
	if f.hidden == "" && in.DesiredStatus == types.DesiredStatusRunning && len(out.TaskArns) > 0 {
		f.hidden = out.TaskArns[0]
	}
	if f.lists > f.from {
		out.TaskArns = slices.DeleteFunc(out.TaskArns, func(a string) bool { return a == f.hidden })
	}
	return out, nil
}

func (f *forgetsATask) DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, opts ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	f.mu.Lock()
	hidden, forgotten := f.hidden, f.lists > f.from
	f.mu.Unlock()
	if forgotten && slices.Contains(in.Tasks, hidden) {
		return nil, &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "User is not authorized to perform: ecs:DescribeTasks"}
	}
	return f.Client.DescribeTasks(ctx, in, opts...)
}

// TestPartialPollSaysWhatWasRecorded: a poll whose only failure
// is a step after the cluster was read (here describing by ARN a task the
// file holds as running that ECS no longer lists; Primary likewise) is
// recorded but for that step, which the next poll asks again. record
// said "poll failed, retrying" for it, which is false: the poll's lines
// are in the file. It now says what was recorded and what is retried.
func TestPartialPollSaysWhatWasRecorded(t *testing.T) {
	code, stderr := runForgettingATask(t, "-q")
	want := "record: <time> cluster demo: poll recorded, except 1 task the file holds as running that ECS no longer lists (asked again at the next poll, in 20ms): "
	re := regexp.MustCompile(`record: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ cluster demo: poll recorded, except 1 task the file holds as running that ECS no longer lists \(asked again at the next poll, in 20ms\): `)
	if code != 0 || strings.Contains(stderr, "poll failed") || !re.MatchString(stderr) || !strings.Contains(stderr, "AccessDeniedException") {
		t.Errorf("exit %d, stderr:\n%.1500s\nwant exit 0 and lines saying\n%s…", code, stderr, want)
	}
}

// runForgettingATask runs record over the fake cluster for two polls, ECS
// refusing from the second on one task the file holds, with args.
func runForgettingATask(t *testing.T, args ...string) (int, string) {
	t.Helper()
	startFakes(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	inner := newClients
	newClients = func(ctx context.Context) (*clients, error) {
		c, err := inner(ctx)
		if err != nil {
			return nil, err
		}
		// From the second poll on: the first lists twice (RUNNING, STOPPED).
		c.ecs = &forgetsATask{Client: c.ecs.(*ecs.Client), from: 2, stopPolls: 2, stop: cancel}
		return c, nil
	}
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, ctx, append([]string{"-cluster", "demo", "-file", file, "-interval", "20ms"}, args...)...)
	return code, stderr
}

// TestPartialFirstPollSaysWhatWasKept: the first poll must read
// everything, and one recorded but for a part fails record (exit 1), and
// removes the history file it made: the error's "poll recorded" would
// then be false. Each case says what is true.
func TestPartialFirstPollSaysWhatWasKept(t *testing.T) {
	// A new file: EC2 refuses the primary interfaces.
	startFakes(t, "ec2:DescribeInstances")
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q")
	want := "record: cluster demo: the first poll could not read the primary interfaces of 2 EC2 instances, so " + file + " was not kept: "
	if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "recorded") {
		t.Errorf("new file: exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, want)
	}
	if _, err := os.Stat(file); err == nil {
		t.Errorf("the new history file was kept")
	}

	// A continued file, whose task ECS no longer lists from the start.
	startFakes(t)
	if code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	inner := newClients
	newClients = func(ctx context.Context) (*clients, error) {
		c, err := inner(ctx)
		if err != nil {
			return nil, err
		}
		c.ecs = &forgetsATask{Client: c.ecs.(*ecs.Client), from: 0}
		return c, nil
	}
	code, _, stderr = runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q")
	want = "record: cluster demo: the first poll was recorded in " + file + ", except 1 task the file holds as running that ECS no longer lists: "
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("continued file: exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, want)
	}
}

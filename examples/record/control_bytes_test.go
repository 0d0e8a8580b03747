package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	smithy "github.com/aws/smithy-go"
)

// osc sets the terminal's title when it reaches a terminal raw.
const osc = "\x1b]0;x\a"

// startFakesTasks is startFakes with the sample's tasks changed by edit.
func startFakesTasks(t *testing.T, edit func([]types.Task)) {
	t.Helper()
	startFakesEdited(t, nil, edit)
}

// TestProblemLineQuotesARN: a task ECS answers with an unusable
// address is a problem line naming its ARN, which is ECS's text: an OSC
// sequence in it reached the terminal raw.
func TestProblemLineQuotesARN(t *testing.T) {
	startFakesTasks(t, func(tasks []types.Task) {
		for i := range tasks {
			for j := range tasks[i].Attachments {
				for k, d := range tasks[i].Attachments[j].Details {
					if aws.ToString(d.Name) == "privateIPv4Address" {
						tasks[i].TaskArn = aws.String(aws.ToString(tasks[i].TaskArn) + osc)
						tasks[i].Attachments[j].Details[k].Value = aws.String("10.0.0.x")
						return
					}
				}
			}
		}
		t.Fatal("no task with an address in the sample")
	})
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once")
	if code != 0 || !strings.Contains(stderr, `10.0.0.x`) || strings.ContainsAny(stderr, "\x1b\a") || !strings.Contains(stderr, `\x1b]0;x\a`) {
		t.Errorf("exit %d, stderr:\n%q\nwant the problem line, its ARN quoted", code, stderr)
	}
}

// escapes is the sample's ECS refusing, from the poll after the first,
// to describe a task it no longer lists, with a message holding an OSC
// sequence (an AWS error's message is the service's text). With stop, it
// calls stop at the first DescribeTasks after one it refused: the poll
// that one failed in has ended, and said so.
type escapes struct {
	*forgetsATask
	refused *atomic.Bool
	stop    func()
}

func (e escapes) DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, opts ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	if e.stop != nil && e.refused.Load() {
		e.stop()
	}
	out, err := e.forgetsATask.DescribeTasks(ctx, in, opts...)
	if ae := (*smithy.GenericAPIError)(nil); errors.As(err, &ae) {
		e.refused.Store(true)
		return nil, &smithy.GenericAPIError{Code: ae.Code, Message: ae.Message + osc}
	}
	return out, err
}

func escapingClients(t *testing.T, from int, stop func()) {
	startFakes(t)
	inner := newClients
	newClients = func(ctx context.Context) (*clients, error) {
		c, err := inner(ctx)
		if err != nil {
			return nil, err
		}
		c.ecs = escapes{&forgetsATask{Client: c.ecs.(*ecs.Client), from: from}, new(atomic.Bool), stop}
		return c, nil
	}
}

// TestPartialPollQuotesWhy: "poll recorded, except …: why" and
// the first poll's failure (printed by cli.Code) carry AWS's message.
func TestPartialPollQuotesWhy(t *testing.T) {
	// Stopped once a poll has been refused a task and said so: a fixed
	// 300 ms allowed too few polls on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	escapingClients(t, 2, cancel)
	file := filepath.Join(t.TempDir(), "demo.history.jsonl")
	code, _, stderr := runCode(t, ctx, "-cluster", "demo", "-file", file, "-interval", "20ms", "-q")
	if code != 0 || !strings.Contains(stderr, "poll recorded, except") || strings.ContainsAny(stderr, "\x1b\a") {
		t.Errorf("later polls: exit %d, stderr:\n%.1500q", code, stderr)
	}

	// The first poll, on the same file: a failure, said by cli.Code.
	escapingClients(t, 0, nil)
	code, _, stderr = runCode(t, context.Background(), "-cluster", "demo", "-file", file, "-once", "-q")
	if code != 1 || !strings.Contains(stderr, "the first poll was recorded in") || strings.ContainsAny(stderr, "\x1b\a") {
		t.Errorf("first poll: exit %d, stderr:\n%q", code, stderr)
	}
}

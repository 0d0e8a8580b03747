package ecsread

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TaskState is what orders two descriptions of one task in time. A task
// can be described twice: by both of [ReadTasks]'s lists, in a snapshot
// put together from several describe-tasks outputs, or by a history that
// sees it again. Every reader of this module keeps the newer description
// by the one rule of [TaskState.AtLeastAsNewAs].
type TaskState struct {
	Version       int64
	LastStatus    string
	DesiredStatus string
}

// StateOf returns the state that orders task description t.
func StateOf(t *types.Task) TaskState {
	return TaskState{Version: t.Version, LastStatus: aws.ToString(t.LastStatus), DesiredStatus: aws.ToString(t.DesiredStatus)}
}

// AtLeastAsNewAs reports whether s describes its task at a moment no
// earlier than o:
//   - the higher version: ECS increments a task's version "every time a
//     task experiences a change that starts a CloudWatch event" ([API]
//     Task.version);
//   - at equal versions (or none, in hand-made files), the later
//     lastStatus in the task lifecycle: a task's states only move forward,
//     PROVISIONING to STOPPED ([DG] task-lifecycle.md);
//   - then desired STOPPED over any other: a task told to stop is never
//     told to run again;
//   - otherwise the two are the same state and it reports true, so a
//     caller that folds descriptions in read order keeps the later read.
func (s TaskState) AtLeastAsNewAs(o TaskState) bool {
	if s.Version != o.Version {
		return s.Version > o.Version
	}
	if r, ro := StatusRank(s.LastStatus), StatusRank(o.LastStatus); r != ro {
		return r > ro
	}
	return s.DesiredStatus == "STOPPED" || o.DesiredStatus != "STOPPED"
}

// Stopped reports whether a task's lastStatus says it has fully stopped
// (STOPPED, or DELETED after it): it holds no network resource any more.
func Stopped(lastStatus string) bool { return StatusRank(lastStatus) >= StatusRank("STOPPED") }

// StatusRank orders task lifecycle states (PROVISIONING → PENDING →
// ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING →
// STOPPED → DELETED) from 1 to 9; any other string is 0, before all.
func StatusRank(status string) int {
	switch status {
	case "PROVISIONING":
		return 1
	case "PENDING":
		return 2
	case "ACTIVATING":
		return 3
	case "RUNNING":
		return 4
	case "DEACTIVATING":
		return 5
	case "STOPPING":
		return 6
	case "DEPROVISIONING":
		return 7
	case "STOPPED":
		return 8
	case "DELETED":
		return 9
	}
	return 0
}

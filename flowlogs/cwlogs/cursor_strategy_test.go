package cwlogs

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// TestUnknownStrategyDamaged: a cursor whose strategy is none this
// package writes is one no read can have saved, which ErrCursorDamaged
// promises to mark (a program then tells the user to remove the file);
// it was refused with an error errors.Is did not tie to it.
func TestUnknownStrategyDamaged(t *testing.T) {
	_, c := newFake(t, fakeaws.LogsOptions{})
	cur := &Cursor{LogGroup: "flows", Strategy: "Get"}
	_, _, err := collect(t, New(c, "flows", WithResume(cur)), 0)
	if !errors.Is(err, ErrCursorDamaged) {
		t.Errorf("errors.Is(err, ErrCursorDamaged) is false: %v", err)
	}
	if errors.Is(err, ErrCursorMismatch) {
		t.Errorf("taken for another read's cursor: %v", err)
	}
	if err == nil || strings.Count(err.Error(), `"Get"`) != 1 {
		t.Errorf("error does not name the strategy once: %v", err)
	}
}

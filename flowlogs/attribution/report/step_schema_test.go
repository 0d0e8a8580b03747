package report

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
)

// TestStepSecondsSchema: DocumentSchema is "the shape WriteJSON
// prints", and a Result is plain data (one built or decoded by hand, the
// zero Result, has no Step). WriteJSON prints "step_seconds": 0 for it,
// which the schema's minimum of 1 refused.
func TestStepSecondsSchema(t *testing.T) {
	s := compileSchema(t)
	for _, r := range []*attribution.Result{{}, {By: attribution.ByService, Step: 500 * time.Millisecond}} {
		if err := validateJSON(t, s, r); err != nil {
			t.Errorf("Result with step %v: %v", r.Step, err)
		}
	}
}

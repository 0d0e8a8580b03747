package iampolicy

import (
	"strings"
	"testing"
)

// TestJSONNoStatements: a policy of no statement lists none ("[]"), as
// JSON, not "null", which no reader of a policy expects.
func TestJSONNoStatements(t *testing.T) {
	if got := JSON(); !strings.Contains(got, `"Statement": []`) {
		t.Errorf("JSON() = %s", got)
	}
}

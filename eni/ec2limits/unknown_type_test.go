package ec2limits

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni"
)

// TestUnknownTypeErrorAfterLiveLookup: a type neither EC2 (in this
// region) nor the fallback knows is an *eni.UnknownTypeError; having
// asked EC2 already, its message must not advise reading the numbers live
// with this very package, and must say that EC2 was asked.
func TestUnknownTypeErrorAfterLiveLookup(t *testing.T) {
	srv := fake()
	defer srv.Close()
	_, err := New(client(srv)).Lookup(context.Background(), "x99.large")
	var ue *eni.UnknownTypeError
	if !errors.As(err, &ue) {
		t.Fatalf("want *eni.UnknownTypeError, got %v", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "read them live with package ec2limits") || !strings.Contains(msg, "this region") {
		t.Errorf("misleading advice after a live lookup: %s", msg)
	}
}

package history

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

// TestBuilderZeroValue: Builder's option fields (NetworkMode,
// MaxValueBytes) invite a composite literal, &Builder{MaxValueBytes: n},
// and a zero Builder panicked on its first write (a nil map). Every
// method works on one as on NewBuilder's, with the same Index.
func TestBuilderZeroValue(t *testing.T) {
	feed := func(b *Builder) *Index {
		b.SetNetworkMode("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", netmode.ModeBridge)
		b.SetPrimaryInterface("i-0abc", PrimaryInterface{ENI: "eni-p", IPv4: netip.MustParseAddr("10.0.0.9")})
		if _, err := b.AddTasks(awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1), bridgeTask("b1", 32768, 0, -1)); err != nil {
			t.Fatal(err)
		}
		return b.Index()
	}
	for _, b := range []*Builder{{}, {MaxValueBytes: 1 << 20}} {
		if b.Len() != 0 || len(b.Tasks()) != 0 || b.Index() == nil {
			t.Fatalf("a zero Builder is not empty")
		}
		got, want := feed(b), feed(NewBuilder())
		if len(got.Tasks()) != 2 || len(want.Tasks()) != 2 {
			t.Errorf("a zero Builder's Index holds %d tasks, NewBuilder's %d; want 2 each", len(got.Tasks()), len(want.Tasks()))
		}
		if _, ok := got.TaskByIP(netip.MustParseAddr("10.0.1.5"), at(1)); !ok {
			t.Errorf("a zero Builder's Index does not find t1 by its address")
		}
	}
	var b Builder
	if _, err := b.AddObservation(&Observation{Tasks: []types.Task{awsvpcTask("t1", "eni-1", "10.0.1.5", 0, -1)}}); err != nil || b.Len() != 1 {
		t.Errorf("AddObservation on a zero Builder: %d tasks, %v", b.Len(), err)
	}
}

package attribution

import (
	"reflect"
	"testing"
)

// TestSnapshotLeavesPortsAlone: a Result or a Partial is a snapshot
// ("the Attributor can keep adding records afterwards"): taking them
// while records come must not change what the later records make of the
// task's port summary. Taking one used to flush the task's port cache
// into its summary, so that once the summary was full the final top
// ports (and their bounds) depended on when snapshots had been taken.
func TestSnapshotLeavesPortsAlone(t *testing.T) {
	for round := range 10 {
		next := randomFlows(uint64(round), 9)
		var fs []flow
		for i := range 3000 {
			f := next()
			// More ports than the cache (4) and the summary (2) hold.
			f.dstPort, f.srcPort = uint16(1000+i%13), uint16(2000+i%11)
			fs = append(fs, f)
		}
		plain, snapped := newTestEngine(WithTopK(3, 2)), newTestEngine(WithTopK(3, 2))
		for i := range fs {
			f, g := fs[i], fs[i]
			plain.add(&f)
			snapped.add(&g)
			switch i % 97 {
			case 0:
				snapped.result(ByTask)
			case 50:
				snapped.partial()
			}
		}
		for _, g := range allGroupBys {
			if want, got := plain.result(g), snapped.result(g); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, by %v: snapshots taken on the way changed the result: %s", round, g, firstDiff(got, want))
			}
		}
		if want, got := plain.partial(), snapped.partial(); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: snapshots taken on the way changed the partial", round)
		}
	}
}

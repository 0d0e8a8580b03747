package attribution

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestHostPortRunsEveryPort: every port of both protocols has, span for
// span, the owners per-port expansion gives it, while the index holds
// entries by the bindings, not by the ports they cover.
func TestHostPortRunsEveryPort(t *testing.T) {
	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	wide := 0
	for seed := range uint64(rounds) {
		h := rangeHistory(rand.New(rand.NewPCG(seed, 21)))
		ix := buildIndex(h)
		in := ix.instByARN[ciRange]
		want := perPortOwners(ix)
		for _, proto := range []netmode.Protocol{netmode.TCP, netmode.UDP} {
			for p := range 1 << 16 {
				k := portKey(uint8(proto), uint16(p))
				if got, w := in.hostPort(k), want[k]; !slices.Equal(got, w) {
					t.Fatalf("seed %d: %d/%d: owners %v, per port %v", seed, proto, p, got, w)
				}
			}
		}
		bindings := 0
		for _, tk := range h.Tasks() {
			bindings += len(tk.Bindings)
		}
		// Each binding adds at most two cuts, so at most two runs.
		if len(in.wide) > 2*bindings || len(in.bindings) > 2*bindings*narrowPorts {
			t.Fatalf("seed %d: %d bindings made %d wide runs and %d map entries", seed, bindings, len(in.wide), len(in.bindings))
		}
		wide += len(in.wide)
	}
	if wide == 0 {
		t.Fatal("no wide runs: the map alone was tested")
	}
}

// TestLargeHostPortRangeBounded: a range of every port is one entry.
func TestLargeHostPortRangeBounded(t *testing.T) {
	h := mustIndex([]history.Task{{
		ARN: "arn:aws:ecs:us-east-1:123456789012:task/demo/all", ContainerInstanceARN: ciRange, NetworkMode: netmode.ModeBridge,
		Bindings: []history.Binding{{Proto: netmode.UDP, HostPort: 1, HostPortLast: 65535}},
		Valid:    history.Interval{Start: at(0)},
	}}, rangeInstance())
	in := buildIndex(h).instByARN[ciRange]
	if len(in.bindings) != 0 || len(in.wide) != 1 {
		t.Fatalf("%d map entries and %d runs, want one run", len(in.bindings), len(in.wide))
	}
	for _, p := range []uint16{1, 32768, 65535} {
		if len(in.hostPort(portKey(uint8(netmode.UDP), p))) != 1 {
			t.Errorf("udp/%d: no owner", p)
		}
	}
	if in.hostPort(portKey(uint8(netmode.UDP), 0)) != nil || in.hostPort(portKey(uint8(netmode.TCP), 80)) != nil {
		t.Error("owners outside the range")
	}
}

package attribution

import (
	"net/netip"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestNoInterfaceInstanceFarSide: a record without interface-id (a
// regional NAT gateway's, flowlogs.md §2.1/§6) whose flow-direction says
// which side is the recording resource's own names a container
// instance's address on the far side only. Those bytes are already on the
// instance's own ENI, exactly as for a task's address on the far side,
// which the package documents does not count (step 4); the instance's
// outbound HTTPS through the NAT gateway must not become inbound traffic
// of the bridge task that holds host port 443.
func TestNoInterfaceInstanceFarSide(t *testing.T) {
	const (
		ci  = "arn:aws:ecs:us-east-1:123456789012:container-instance/demo/ci-nat"
		web = "arn:aws:ecs:us-east-1:123456789012:task/demo/web443"
	)
	h := mustIndex([]history.Task{{ARN: web, ContainerInstanceARN: ci, NetworkMode: netmode.ModeBridge,
		Bindings: []history.Binding{port(443, 8443)}, Valid: history.Interval{Start: at(0)}}},
		[]history.Instance{{ARN: ci, ENI: "eni-inst-nat", IPv4: netip.MustParseAddr("10.0.4.40"), Valid: history.Interval{Start: at(-60)}}})
	inst, internet := netip.MustParseAddr("10.0.4.40"), netip.MustParseAddr("52.94.1.1")
	mk := func(src, dst netip.Addr, sp, dp uint16, dir uint8) flow {
		return flow{src: src, dst: dst, srcPort: sp, dstPort: dp, proto: 6, hasPorts: true,
			bytes: 1000, packets: 10, start: at(5).Unix(), action: actionAccept, dir: dir}
	}
	for _, c := range []struct {
		name string
		f    flow
		want bool // attributed to the web task
	}{
		// The instance calls the internet on 443 through the NAT gateway:
		// into the NAT gateway, then the reply out of it.
		{"request into the NAT gateway", mk(inst, internet, 41000, 443, dirIngress), false},
		{"reply out of the NAT gateway", mk(internet, inst, 443, 41000, dirEgress), false},
		// The instance is the local side: still attributed.
		{"instance local side, ingress", mk(internet, inst, 41000, 443, dirIngress), true},
		{"instance local side, egress", mk(inst, internet, 443, 41000, dirEgress), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := New(h).e
			f := c.f
			st, m, r, _, _ := e.join(&f)
			if got := st != nil && st.info.ARN == web; got != c.want {
				t.Fatalf("attributed to %s (method %v, reason %v); want attributed %v", taskName(st), m, r, c.want)
			}
		})
	}
}

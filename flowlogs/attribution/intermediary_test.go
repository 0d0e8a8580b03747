package attribution

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// TestIntermediaryInterfaceSkipsAddressFallback: a transit gateway's ENI
// (or a client-IP-preserving load balancer's) records the real client as
// pkt-srcaddr on egress and pkt-dstaddr on ingress (reference flowlogs
// §6): a task that calls through it has those bytes on its own ENI
// already, and the address fallback took them again. With v11's
// interface-type naming an intermediary, the record is left unattributed;
// an ordinary interface (or a format without the field: a trunk ENI's
// branch traffic looks the same) still goes to the task.
func TestIntermediaryInterfaceSkipsAddressFallback(t *testing.T) {
	const head = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-srcaddr pkt-dstaddr flow-direction interface-type\n"
	at5 := at(5).Unix()
	line := func(itype string) string {
		// api1 (10.0.1.111) calls a database in another VPC through the
		// gateway: the gateway's ENI sends the request on (egress), and
		// takes the reply (ingress).
		return fmt.Sprintf("11 eni-tgw 10.9.0.5 10.9.1.7 40000 5432 6 3 300 %d %d ACCEPT OK 10.0.1.111 10.9.1.7 egress %s\n", at5, at5+30, itype) +
			fmt.Sprintf("11 eni-tgw 10.9.1.7 10.9.0.5 5432 40000 6 3 300 %d %d ACCEPT OK 10.9.1.7 10.0.1.111 ingress %s\n", at5, at5+30, itype)
	}
	for _, c := range []struct {
		itype      string
		attributed uint64
	}{{"transit_gateway", 0}, {"network_load_balancer", 0}, {"nat_gateway", 0}, {"interface", 600}, {"-", 600}} {
		a := New(fixture())
		if err := a.AddAll(flowlogs.NewReader(strings.NewReader(head+line(c.itype)), flowlogs.WithFields(Fields()...)).All()); err != nil {
			t.Fatal(err)
		}
		r := a.Result(ByTask)
		if got := r.Attributed().Bytes; got != c.attributed {
			t.Errorf("interface-type %s: %d bytes attributed, want %d (groups %+v)", c.itype, got, c.attributed, r.Groups)
		}
	}
}

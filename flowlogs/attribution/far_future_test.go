package attribution

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/netmode"
)

// TestFarFutureStop: the index's spans came from time.UnixNano,
// undefined past 2262: a task whose stop (or executionStoppedAt) lies
// beyond it wrapped to an end before its start, and its ENI's records
// were OutsideLifetime throughout its life.
func TestFarFutureStop(t *testing.T) {
	far := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tk := range []history.Task{
		{Valid: history.Interval{Start: at(0), End: far}},
		{Valid: history.Interval{Start: at(0)}, ExecutionStoppedAt: far},
	} {
		tk.ARN, tk.NetworkMode, tk.ENI = arnX1, netmode.ModeAWSVPC, "eni-far"
		tk.IPv4, _ = ips(addrs("10.0.9.9"))
		other := history.Task{ARN: arnX2, NetworkMode: netmode.ModeAWSVPC, ENI: "eni-other", IPv4: tk.IPv4,
			Valid: history.Interval{Start: at(30)}}
		e := newEngine(mustIndex([]history.Task{tk, other}, nil), defaultConfig())
		f := fl("eni-far", "10.0.9.9", "8.8.8.8", 40000, 53, 100, 10)
		e.add(&f)
		g := fl("", "10.0.9.9", "8.8.8.8", 40000, 53, 100, 10)
		e.add(&g)
		r := e.result(ByTask)
		if len(r.Groups) != 1 || r.Groups[0].Key != arnX1 || r.Groups[0].Records != 2 {
			t.Errorf("stop %v, executionStoppedAt %v: groups %+v, unattributed %+v", tk.Valid.End, tk.ExecutionStoppedAt, r.Groups, r.Unattributed)
		}
	}
}

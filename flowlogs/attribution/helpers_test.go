package attribution

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/eni/history"
)

// mustIndex is history.NewIndex for fixtures that cannot be wrong.
func mustIndex(tasks []history.Task, inst []history.Instance) *history.Index {
	h, err := history.NewIndex(tasks, inst)
	if err != nil {
		panic(err)
	}
	return h
}

// ips sets a task's or an instance's addresses: the first IPv4 and the
// first IPv6 of as.
func ips(as []netip.Addr) (v4, v6 netip.Addr) {
	for _, a := range as {
		if a.Is4() && !v4.IsValid() {
			v4 = a
		} else if a.Is6() && !v6.IsValid() {
			v6 = a
		}
	}
	return v4, v6
}

// port is a single-port TCP binding.
func port(host, container uint16) history.Binding {
	return history.Binding{Proto: 6, HostPort: host, HostPortLast: host, ContainerPort: container, ContainerPortLast: container}
}

package history

import (
	"strings"
	"testing"
)

// TestPrimaryRecordsAnyOrder: the primary interface of an EC2
// instance read from two `aws ec2 describe-instances` outputs, one taken
// while it ran and one after it was terminated (EC2 lists a terminated
// instance for a while, without network interfaces or private address),
// is the same whichever file is loaded first. The later record replaced
// the earlier one whole, so loading the terminated view last left the
// container instance without its primary ENI and address (its bridge and
// host tasks' traffic unattributed), and loading it first kept them.
func TestPrimaryRecordsAnyOrder(t *testing.T) {
	const ci = `{"containerInstances":[{"containerInstanceArn":"arn:aws:ecs:us-east-1:111122223333:container-instance/prod/c1",
"ec2InstanceId":"i-0aaa","version":7,"status":"ACTIVE","registeredAt":"2026-11-25T08:00:00Z"}]}`
	const running = `{"Reservations":[{"Instances":[{"InstanceId":"i-0aaa","PrivateIpAddress":"10.0.0.10",
"State":{"Name":"running"},"NetworkInterfaces":[{"NetworkInterfaceId":"eni-0primary","MacAddress":"0a:00:00:00:00:01",
"PrivateIpAddress":"10.0.0.10","Attachment":{"DeviceIndex":0,"NetworkCardIndex":0},
"Ipv6Addresses":[{"Ipv6Address":"2600:1f18::10"}]}]}]}]}`
	const terminated = `{"Reservations":[{"Instances":[{"InstanceId":"i-0aaa","State":{"Name":"terminated"},"NetworkInterfaces":[]}]}]}`
	// A view trimmed to the address (--query), without the interface.
	const addrOnly = `{"Reservations":[{"Instances":[{"InstanceId":"i-0aaa","PrivateIpAddress":"10.0.0.10"}]}]}`

	load := func(files ...string) Instance {
		t.Helper()
		b := NewBuilder()
		for i, f := range append([]string{ci}, files...) {
			if _, err := b.Load(strings.NewReader(f), "f"+string(rune('0'+i))); err != nil {
				t.Fatal(err)
			}
		}
		in, ok := b.Index().Instance("arn:aws:ecs:us-east-1:111122223333:container-instance/prod/c1")
		if !ok {
			t.Fatal("instance missing")
		}
		return *in
	}
	for _, other := range []string{terminated, addrOnly} {
		a, b := load(running, other), load(other, running)
		if a != b {
			t.Errorf("load order decides the instance:\n running first: %+v\n running last:  %+v", a, b)
		}
		if a.ENI != "eni-0primary" || a.MAC == "" || !a.IPv4.IsValid() || !a.IPv6.IsValid() {
			t.Errorf("primary interface lost: %+v", a)
		}
	}
}

package history

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/netmode"
)

// FieldError reports a value in ECS data that could not be used. The task or
// instance it belongs to is still recorded, without that value, so nothing
// else already read is lost. Errors from one call are joined with
// errors.Join; use errors.As to get at them.
type FieldError struct {
	ARN   string // task or container instance ARN
	Field string // path in the ECS shape, e.g. "attachments[0].details[privateIPv4Address]"
	Value string
	Err   error
	// clear clears the value in a copy of the task made by
	// withoutUnusable (the Watcher's line leaves it out); nil for a
	// container instance's.
	clear func(*types.Task)
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("history: %s: %s = %q: %v", e.ARN, e.Field, e.Value, e.Err)
}

func (e *FieldError) Unwrap() error { return e.Err }

// ErrUnknownValue is wrapped by a *FieldError for a well-formed value
// that no ECS API version this package knows sends (a host port
// binding's protocol other than tcp and udp): perhaps one ECS added since.
// The value is left out as any unusable one is, but [Builder.Load]
// counts it in [LoadStats.Unknown] instead of returning it, so one new
// value does not make a whole file unreadable.
var ErrUnknownValue = errors.New("a value this version does not know, perhaps new to ECS")

// withoutUnknown returns how many of err's *FieldErrors wrap
// ErrUnknownValue, and err without them.
func withoutUnknown(err error) (int, error) {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var kept []error
	n := 0
	for _, e := range errs {
		if fe := (*FieldError)(nil); errors.As(e, &fe) && errors.Is(fe.Err, ErrUnknownValue) {
			n++
			continue
		}
		kept = append(kept, e)
	}
	if n == 0 {
		return 0, err
	}
	return n, errors.Join(kept...)
}

// isENIAttachment reports whether an attachment type names a task ENI:
// DescribeTasks says "ElasticNetworkInterface", EventBridge task events "eni".
func isENIAttachment(typ string) bool {
	return strings.EqualFold(typ, "ElasticNetworkInterface") || strings.EqualFold(typ, "eni")
}

// taskFromSDK converts one ECS task. The returned error (possibly joined
// *FieldErrors) never prevents the conversion of the remaining fields; a nil
// task means the input had no ARN.
func taskFromSDK(in *types.Task) (*Task, error) {
	arn := deref(in.TaskArn)
	if arn == "" {
		return nil, errors.New("history: task without taskArn")
	}
	t := &Task{
		ARN:                  arn,
		ClusterARN:           deref(in.ClusterArn),
		Group:                deref(in.Group),
		TaskDefinitionARN:    deref(in.TaskDefinitionArn),
		LaunchType:           string(in.LaunchType),
		ContainerInstanceARN: deref(in.ContainerInstanceArn),
		AvailabilityZone:     deref(in.AvailabilityZone),
		LastStatus:           deref(in.LastStatus),
		DesiredStatus:        deref(in.DesiredStatus),
		Version:              in.Version,
		CreatedAt:            utc(in.CreatedAt),
		PullStartedAt:        utc(in.PullStartedAt),
		StartedAt:            utc(in.StartedAt),
		StoppingAt:           utc(in.StoppingAt),
		ExecutionStoppedAt:   utc(in.ExecutionStoppedAt),
		StoppedAt:            utc(in.StoppedAt),
	}
	t.Family, t.Revision = FamilyRevision(t.TaskDefinitionARN)
	if t.LaunchType == string(types.LaunchTypeFargate) {
		t.NetworkMode = netmode.ModeAWSVPC // Fargate supports awsvpc only
	}
	var errs []error
	fail := func(field, value string, err error, clear func(*types.Task)) {
		errs = append(errs, &FieldError{ARN: arn, Field: field, Value: value, Err: err, clear: clear})
	}
	// A detail's field name and its clear, made only for a detail that
	// fails: made for every detail, they were a large part of a load's
	// allocations.
	failDetail := func(best, k int, name, value string, err error) {
		fail(fmt.Sprintf("attachments[%d].details[%s]", best, name), value, err,
			func(t *types.Task) { t.Attachments[best].Details[k].Name = nil })
	}

	// The task ENI: prefer an attachment that already names its interface
	// (a PRECREATED attachment carries only subnetId).
	best := -1
	for i := range in.Attachments {
		a := &in.Attachments[i]
		if !isENIAttachment(deref(a.Type)) {
			continue
		}
		if best < 0 || (detail(in.Attachments[best].Details, "networkInterfaceId") == "" && detail(a.Details, "networkInterfaceId") != "") {
			best = i
		}
	}
	if best >= 0 {
		a := &in.Attachments[best]
		t.NetworkMode = netmode.ModeAWSVPC
		t.AttachmentID = deref(a.Id)
		t.AttachmentStatus = deref(a.Status)
		for k, kv := range a.Details {
			name, val := deref(kv.Name), deref(kv.Value)
			// A detail that fails is cleared, so left out
			// (withoutUnusable).
			switch name {
			case "networkInterfaceId":
				t.ENI = val
			case "macAddress":
				t.MAC = val
			case "subnetId":
				t.SubnetID = val
			case "privateIPv4Address":
				if a, err := parseAddr(val, true); err != nil {
					failDetail(best, k, name, val, err)
				} else {
					t.IPv4 = a
				}
			// The IPv6 detail key is not documented; "ipv6Address" is
			// the likely one (as in containers[].networkInterfaces[]).
			case "ipv6Address", "privateIPv6Address":
				if a, err := parseAddr(val, false); err != nil {
					failDetail(best, k, name, val, err)
				} else {
					t.IPv6 = a
				}
			}
		}
	}

	for ci := range in.Containers {
		c := &in.Containers[ci]
		for ni, n := range c.NetworkInterfaces {
			if v := deref(n.PrivateIpv4Address); v != "" && !t.IPv4.IsValid() {
				if a, err := parseAddr(v, true); err != nil {
					fail(fmt.Sprintf("containers[%d].networkInterfaces[%d].privateIpv4Address", ci, ni), v, err,
						func(t *types.Task) { t.Containers[ci].NetworkInterfaces[ni].PrivateIpv4Address = nil })
				} else {
					t.IPv4 = a
				}
			}
			if v := deref(n.Ipv6Address); v != "" && !t.IPv6.IsValid() {
				if a, err := parseAddr(v, false); err != nil {
					fail(fmt.Sprintf("containers[%d].networkInterfaces[%d].ipv6Address", ci, ni), v, err,
						func(t *types.Task) { t.Containers[ci].NetworkInterfaces[ni].Ipv6Address = nil })
				} else {
					t.IPv6 = a
				}
			}
			if t.AttachmentID == "" {
				t.AttachmentID = deref(n.AttachmentId)
			}
		}
		for bi := range c.NetworkBindings {
			b, ok, err := bindingFromSDK(deref(c.Name), &c.NetworkBindings[bi])
			if err != nil {
				// A binding cleared is left out (withoutUnusable).
				fail(fmt.Sprintf("containers[%d].networkBindings[%d]", ci, bi), bindingString(&c.NetworkBindings[bi]), err,
					func(t *types.Task) { t.Containers[ci].NetworkBindings[bi] = types.NetworkBinding{} })
				continue
			}
			if ok {
				t.Bindings = append(t.Bindings, b)
			}
		}
	}
	t.computeValid()
	return t, errors.Join(errs...)
}

func bindingFromSDK(container string, nb *types.NetworkBinding) (Binding, bool, error) {
	b := Binding{Container: container, Proto: netmode.TCP}
	switch strings.ToLower(string(nb.Protocol)) {
	case "", "tcp":
	case "udp":
		b.Proto = netmode.UDP
	default:
		return b, false, fmt.Errorf("unknown protocol %q (%w)", nb.Protocol, ErrUnknownValue)
	}
	var err error
	switch {
	case nb.HostPort != nil:
		if b.HostPort, err = port(int64(*nb.HostPort)); err != nil {
			return b, false, fmt.Errorf("hostPort: %w", err)
		}
		b.HostPortLast = b.HostPort
	case deref(nb.HostPortRange) != "":
		if b.HostPort, b.HostPortLast, err = portRange(*nb.HostPortRange); err != nil {
			return b, false, fmt.Errorf("hostPortRange: %w", err)
		}
	default:
		return b, false, nil // no host port: nothing to map
	}
	if b.HostPort == 0 {
		return b, false, nil
	}
	switch {
	case nb.ContainerPort != nil:
		if b.ContainerPort, err = port(int64(*nb.ContainerPort)); err != nil {
			return b, false, fmt.Errorf("containerPort: %w", err)
		}
		b.ContainerPortLast = b.ContainerPort
	case deref(nb.ContainerPortRange) != "":
		if b.ContainerPort, b.ContainerPortLast, err = portRange(*nb.ContainerPortRange); err != nil {
			return b, false, fmt.Errorf("containerPortRange: %w", err)
		}
	}
	if v := deref(nb.BindIP); v != "" {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return b, false, fmt.Errorf("bindIP: %w", err)
		}
		b.BindIP = a.Unmap()
	}
	return b, true, nil
}

func bindingString(nb *types.NetworkBinding) string {
	var sb strings.Builder
	if nb.HostPort != nil {
		fmt.Fprintf(&sb, "hostPort=%d ", *nb.HostPort)
	}
	if nb.HostPortRange != nil {
		fmt.Fprintf(&sb, "hostPortRange=%s ", *nb.HostPortRange)
	}
	if nb.ContainerPort != nil {
		fmt.Fprintf(&sb, "containerPort=%d ", *nb.ContainerPort)
	}
	if nb.ContainerPortRange != nil {
		fmt.Fprintf(&sb, "containerPortRange=%s ", *nb.ContainerPortRange)
	}
	fmt.Fprintf(&sb, "protocol=%s", nb.Protocol)
	return sb.String()
}

func port(v int64) (uint16, error) {
	if v < 0 || v > 65535 {
		return 0, fmt.Errorf("port %d out of range", v)
	}
	return uint16(v), nil
}

// portRange parses "LO-HI" (ECS's hostPortRange/containerPortRange form).
func portRange(s string) (lo, hi uint16, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		b = a
	}
	x, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 16)
	y, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 16)
	if err1 != nil || err2 != nil || x > y {
		return 0, 0, fmt.Errorf("bad port range %q", s)
	}
	return uint16(x), uint16(y), nil
}

// parseAddr parses an IP address; v4 says which family the field holds.
func parseAddr(s string, v4 bool) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, err
	}
	a = a.Unmap().WithZone("")
	if a.Is4() != v4 {
		if v4 {
			return netip.Addr{}, errors.New("not an IPv4 address")
		}
		return netip.Addr{}, errors.New("not an IPv6 address")
	}
	return a, nil
}

// FamilyRevision splits a task definition ARN,
// "arn:…:task-definition/FAMILY:REV", as Task's Family and Revision hold
// it: a revision that is not a positive int32 (ECS's type) is 0.
func FamilyRevision(tdARN string) (family string, revision int) {
	r := resource(tdARN)
	r = strings.TrimPrefix(r, "task-definition/")
	fam, rev, _ := strings.Cut(r, ":")
	// A revision is a positive int32 in ECS's API; anything else (a sign,
	// a number past it) is no revision, not one that wraps around when a
	// report writes it.
	n, err := strconv.ParseUint(rev, 10, 31)
	if err != nil {
		return fam, 0
	}
	return fam, int(n)
}

func detail(kvs []types.KeyValuePair, name string) string {
	for _, kv := range kvs {
		if deref(kv.Name) == name {
			return deref(kv.Value)
		}
	}
	return ""
}

// utc is the time *p in UTC (the zero time for nil). The same instant
// comes with other offsets from other sources (the AWS CLI prints local
// times, "2024-05-20T10:11:12.345000+09:00"; EventBridge and the API say
// UTC): kept as given, the same observation read from two of them would
// differ (a time.Time holds its location), and count as a change.
func utc(p *time.Time) time.Time {
	if p == nil || p.IsZero() {
		return time.Time{}
	}
	return p.UTC()
}

func deref[T any](p *T) T {
	if p == nil {
		var z T
		return z
	}
	return *p
}

package history

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"

	"github.com/ecsnet/ecsnet/netmode"
)

// LoadStats counts what a load read.
type LoadStats struct {
	Tasks     int // task observations read
	Instances int // container instance, primary interface and network mode records read
	Changed   int // observations that added or changed something
	Skipped   int // JSON values understood but carrying nothing for the history
	// Newer are events of a newer ecsnet's Watcher (Decoder.Newer),
	// skipped: the history lacks what they hold.
	Newer  int
	Errors int // bad values and unusable fields
	// Unknown are values ECS sent that this version does not know
	// (ErrUnknownValue: a host port binding's protocol other than tcp
	// and udp), left out without an error: traffic they would have
	// matched stays unattributed.
	Unknown int
	// Failures are describe output's failures: tasks or instances ECS
	// could not describe (Decoder.Failures), which the history lacks.
	Failures int
}

func (s *LoadStats) add(o LoadStats) {
	s.Tasks += o.Tasks
	s.Instances += o.Instances
	s.Changed += o.Changed
	s.Skipped += o.Skipped
	s.Newer += o.Newer
	s.Errors += o.Errors
	s.Unknown += o.Unknown
	s.Failures += o.Failures
}

// ErrNoRecords is the error of a load that read no task, container
// instance, primary interface or network mode at all: an empty file, or
// JSON of other shapes only (a describe-services output, say). It comes
// wrapped in a *ParseError naming the input.
var ErrNoRecords = errors.New("holds no tasks or container instances (want describe-tasks, describe-container-instances, run-task or stop-task output, ECS events or a Watcher's file)")

// maxErrors bounds how many errors a load returns; all are counted, and
// a last error says how many more there were.
const maxErrors = 20

// Add records one decoded observation. Records of one EC2 instance's
// primary interface merge in any order: each fills in what the others
// lack (an instance described after its termination has no interface),
// and of two different values the smaller is kept; [Builder.SetPrimaryInterface]
// instead sets the interface whole.
func (b *Builder) Add(r Record) (changed bool, err error) {
	switch {
	case r.Task != nil:
		return b.addTaskSeen(r.Task, r.Time)
	case r.Instance != nil:
		n, err := instanceFromSDK(r.Cluster, r.Instance)
		if err != nil {
			return false, err
		}
		return b.mergeInstance(n), nil
	case r.Primary != nil:
		p := r.Primary.PrimaryInterface
		p.IPv4, p.IPv6 = p.IPv4.Unmap(), p.IPv6.Unmap()
		old, ok := b.primary[r.Primary.EC2InstanceID]
		if ok {
			p = mergePrimary(old, p)
		}
		if ok && old == p {
			return false, nil
		}
		b.SetPrimaryInterface(r.Primary.EC2InstanceID, p)
		return true, nil
	case r.Mode != nil:
		if m, ok := b.modes[r.Mode.TaskDefinitionARN]; ok && m == r.Mode.NetworkMode || r.Mode.NetworkMode == netmode.ModeUnknown {
			return false, nil
		}
		b.SetNetworkMode(r.Mode.TaskDefinitionARN, r.Mode.NetworkMode)
		return true, nil
	}
	return false, nil
}

// mergePrimary merges two records of one EC2 instance's primary
// interface, whatever their order: a value one of them lacks is the
// other's (describe-instances lists a terminated instance without its
// interfaces and address, a trimmed view may give the address alone), and
// of two different values, which EC2 does not give for the interface at
// device index 0, the smaller is kept.
func mergePrimary(a, b PrimaryInterface) PrimaryInterface {
	str := func(x, y string) string {
		if x == "" || y != "" && y < x {
			return y
		}
		return x
	}
	addr := func(x, y netip.Addr) netip.Addr {
		if !x.IsValid() || y.IsValid() && y.Less(x) {
			return y
		}
		return x
	}
	return PrimaryInterface{ENI: str(a.ENI, b.ENI), MAC: str(a.MAC, b.MAC), IPv4: addr(a.IPv4, b.IPv4), IPv6: addr(a.IPv6, b.IPv6)}
}

// Load reads everything a [Decoder] understands from r (events, describe-*
// output, a Watcher's history file; gzip or not) into b. name labels errors.
// A bad value does not stop the load: the rest is still read, and the
// errors (the first 20; all are counted) are returned joined, each a
// *ParseError or *FieldError; past 20, a last *ParseError without a line
// says how many more there were. A value of ErrUnknownValue is left out
// and counted in LoadStats.Unknown, not returned.
func (b *Builder) Load(r io.Reader, name string) (LoadStats, error) {
	d := NewDecoder(r)
	d.Name, d.MaxValueBytes = name, b.MaxValueBytes
	var st LoadStats
	var errs []error
	keep := func(err error) {
		st.Errors++
		if len(errs) < maxErrors {
			errs = append(errs, err)
		}
	}
	for {
		rec, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			keep(err)
			// Only the input's own stream ending (a read error, its last
			// value cut short, gzip that cannot be read) stops the load:
			// a value cut short inside a message or a JSON string is one
			// bad value, and the values after it are still read.
			if d.s == nil || d.s.err != nil {
				break // the stream cannot continue
			}
			continue
		}
		if rec.Task != nil {
			st.Tasks++
		} else {
			st.Instances++
		}
		changed, err := b.Add(rec)
		if err != nil {
			var n int
			n, err = withoutUnknown(err)
			st.Unknown += n
		}
		if err != nil {
			// Named like the decoder's own errors; a *FieldError
			// inside is still there for errors.As.
			keep(&ParseError{Name: name, Line: rec.Line, Path: rec.Path, Err: err})
		}
		if changed {
			st.Changed++
		}
	}
	st.Skipped, st.Newer, st.Failures = d.Skipped(), d.Newer(), d.Failures()
	if st.Tasks+st.Instances == 0 && st.Errors == 0 {
		err := ErrNoRecords
		switch {
		case st.Failures > 0:
			err = fmt.Errorf("%w: its describe output lists only failures (%d tasks or instances ECS could not describe)", ErrNoRecords, st.Failures)
		case st.Newer > 0:
			err = fmt.Errorf("%w; %s skipped", ErrNoRecords, NewerEvents(st.Newer))
		case st.Skipped > 0:
			values := "values"
			if st.Skipped == 1 {
				values = "value"
			}
			err = fmt.Errorf("%w; %d JSON %s of other shapes skipped", ErrNoRecords, st.Skipped, values)
		}
		keep(&ParseError{Name: name, Err: err})
	}
	if more := st.Errors - len(errs); more > 0 {
		errs = append(errs, &ParseError{Name: name, Err: fmt.Errorf("%d more errors not shown (%d in all)", more, st.Errors)})
	}
	return st, errors.Join(errs...)
}

// LoadFiles loads saved files: `aws ecs describe-tasks` /
// `describe-container-instances` output, exported events, Watcher history
// files, in any mix. Errors name the file and line.
func (b *Builder) LoadFiles(paths ...string) (LoadStats, error) {
	var st LoadStats
	var errs []error
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			errs = append(errs, err)
			st.Errors++
			continue
		}
		s, err := b.Load(f, p)
		f.Close()
		st.add(s)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return st, errors.Join(errs...)
}

// UnknownValues says what n values of LoadStats.Unknown are, for a note
// beside the result: "1 value this version does not know (…)".
func UnknownValues(n int) string {
	what := "values this version does not know (perhaps new to ECS: a host port binding's protocol other than tcp and udp)"
	if n == 1 {
		what = "value this version does not know (perhaps new to ECS: a host port binding's protocol other than tcp and udp)"
	}
	return fmt.Sprintf("%d %s", n, what)
}

// NewerEvents says n events of a newer ecsnet's Watcher ([LoadStats.Newer],
// [Recovery.Newer]), for a note: "1 event of a newer ecsnet (a detail type
// this version does not know)".
func NewerEvents(n int) string {
	if n == 1 {
		return "1 event of a newer ecsnet (a detail type this version does not know)"
	}
	return fmt.Sprintf("%d events of a newer ecsnet (detail types this version does not know)", n)
}

package history

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	smithy "github.com/aws/smithy-go"
	"github.com/ecsnet/ecsnet/ecsread"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// Watcher polls a cluster and appends every change it sees to a history
// file, so that tasks which live for less than the hour STOPPED tasks stay
// visible in ECS are still on record when their flow logs are read.
//
// The history file is JSON lines, one event per line, in the shape of the
// EventBridge events ECS sends ("detail-type": "ECS Task State Change" with
// the task as "detail", "ECS Container Instance State Change"), with
// "source": "ecsnet.history"; two more detail types carry what ECS does not
// report (an instance's primary interface, a task definition's network
// mode). Details are trimmed to what the history uses and written in the
// awsJson wire form (times as epoch seconds). [Builder.LoadFiles] and
// [Decoder] read the file like any event archive. An event of
// "ecsnet.history" of a detail type this version does not know (a newer
// ecsnet's) is skipped, kept in the file, and counted ([Recovery.Newer],
// [LoadStats.Newer]), so that a program can say its history lacks it.
//
// Only observations that change the history are written, and a restarted
// Watcher first reads the file back, so restarts neither lose nor duplicate
// history. Each poll's lines are written with one write and synced; a line
// torn by a crash is detected when the file is opened again: completed if
// its JSON is whole, otherwise cut off (what it held is seen again on the
// next poll while ECS still shows it). A tail a power loss left filled with
// NUL bytes is cut off the same way, back to the last good line; [Recovery]
// says what was dropped. A task the file holds as running that ECS no
// longer lists (it stopped while no Watcher ran, over an hour ago) is
// described by ARN: reported MISSING, it is closed an hour before the
// poll, the latest it can have stopped, with a line that says so, so
// that none of its records is lost. This needs the cluster's ARN (Cluster
// given as one, read off its tasks or container instances, or, when there
// are none, asked of DescribeClusters where API has it): a cluster of the
// same name in another region or account would report every task MISSING. The file holds one cluster's history: opened for another
// cluster, by name or, when known, by ARN, it is refused. One
// Watcher per file: a second one is refused
// when it opens the file ([ErrInUse]; the file is locked, where the
// system has flock, and on Windows with LockFileEx), and a Watcher whose
// file was written by another program since stops with a [*WriteError]
// rather than overwrite it.
//
// To rotate, start a Watcher on a new file: its first poll records every
// task ECS still shows (running, and stopped within the last hour), so the
// new file stands alone for everything from then on; load older files
// alongside it ([Builder.LoadFiles]) for older flow logs.
//
// Once polling, a Watcher's methods may be called from several goroutines
// at once: Index (or Poll, or Close) while Run polls, say. Its fields are
// its configuration: set them before the first call.
type Watcher struct {
	API     ECSAPI
	Cluster string // name or ARN
	Path    string // the history file; created if missing

	// Interval is Run's poll period (default one minute). Stopped tasks
	// stay visible for about an hour, so any period well under that keeps
	// every task.
	Interval time.Duration
	// Options tune the ECS reads (ecsread.WithConcurrency, ecsread.WithProgress).
	Options []ecsread.Option
	// Primary, when set, is asked for the primary network interfaces of
	// EC2 instances the history does not know yet (for example with
	// ec2:DescribeInstances, the interface with device index 0).
	Primary func(ctx context.Context, ec2InstanceIDs []string) (map[string]PrimaryInterface, error)
	// Now stamps the lines' "time" (default time.Now).
	Now func() time.Time
	// OnPollError, when set, receives Run's failed polls and Run carries
	// on; otherwise Run returns the first error. Errors writing the file
	// always end Run.
	OnPollError func(error)

	mu   sync.Mutex
	b    *Builder
	f    *os.File
	size int64 // offset just past the last complete line
	rec  Recovery
	// checked is the history b was last found to be of the cluster for,
	// and checkedARN the cluster ARN it was checked against: a poll adds
	// only its cluster's tasks, so the history is checked again only when
	// read back anew or when the ARN becomes known, not on every poll.
	checked    *Builder
	checkedARN string
	// describedARN is the cluster's ARN as DescribeClusters gave it;
	// describeDenied is set when the call was denied, which a later poll
	// would only repeat (and report) every minute.
	describedARN   string
	describeDenied bool
	// badPrimary holds the instances whose primary interface Primary gave
	// a value the history cannot keep: reported once, not asked again.
	badPrimary map[string]bool
}

// NewWatcher returns a Watcher of cluster that keeps its history in path.
func NewWatcher(api ECSAPI, cluster, path string) *Watcher {
	return &Watcher{API: api, Cluster: cluster, Path: path}
}

// Recovery says what opening the history file found.
type Recovery struct {
	Lines int // complete lines read back
	// Completed is true when a final line lacked only its newline (a crash
	// between the JSON and the newline) and was completed.
	Completed bool
	// Dropped is the number of bytes cut off the end of the file: a torn
	// final line, or a tail a power loss left zero-filled (ZeroFilled).
	Dropped int64
	// DroppedLines counts the complete lines among the Dropped bytes
	// (zero for a torn line). What they held is seen again on the next
	// poll while ECS still shows it.
	DroppedLines int
	// ZeroFilled is true when the end of the file held NUL bytes: the file
	// system had recorded the last poll's write as done but not its data
	// when the machine lost power. The tail from the first line with a NUL
	// byte on was cut off (or only the NUL bytes, after a whole last line).
	ZeroFilled bool
	// Newer counts the lines read back that a newer ecsnet wrote, of a
	// detail type this version does not know ([Decoder.Newer]): kept in
	// the file, but missing from the history this Watcher holds.
	Newer int
}

// String says what was read and what was repaired, for a log line.
func (r Recovery) String() string {
	s := fmt.Sprintf("%d lines read back", r.Lines)
	if r.Completed {
		s += "; the last line's missing newline added"
	}
	switch {
	case r.ZeroFilled:
		s += fmt.Sprintf("; cut off a zero-filled tail (a power loss): %d bytes, %d whole lines", r.Dropped, r.DroppedLines)
	case r.Dropped > 0:
		s += fmt.Sprintf("; cut off a torn last line of %d bytes", r.Dropped)
	}
	if r.Newer > 0 {
		s += "; " + NewerEvents(r.Newer) + " skipped"
	}
	return s
}

// PollStats counts one poll.
type PollStats struct {
	Tasks     int // tasks observed (RUNNING and STOPPED)
	Instances int // container instances observed
	Failures  int // Describe* failures (e.g. MISSING: aged out between List and Describe)
	Appended  int // lines written
	// Problems are values in ECS's answers that could not be used
	// (*FieldError, reported by the poll that writes the task's line;
	// the rest of those tasks was recorded, and the line leaves the
	// value out, so the file reads back without an error), and the
	// Observation's NetworkModesErr (every task was recorded; those
	// without an ENI without their network mode).
	Problems []error
	// NetworkModesErr is the Observation's NetworkModesErr, also among
	// Problems: why some network modes could not be read (a
	// DescribeTaskDefinition refused or throttled past the retries).
	NetworkModesErr error
}

// ErrOtherCluster is wrapped by a Watcher's error for a history file of
// another cluster (by name, or by ARN: the same name in another region or
// account), which no later poll can change.
var ErrOtherCluster = errors.New("give each cluster its own file")

// ErrInUse is why a Watcher cannot open a history file another Watcher
// holds.
var ErrInUse = errors.New("the history file is in use by another Watcher")

// PartialPollError is [Watcher.Poll]'s error for a poll that was recorded
// but for a part of it: the primary interfaces ([Watcher.Primary]
// failed), or tasks the file holds as running that ECS no longer lists
// (describing them, or their container instances, failed). Everything
// else the poll read is in the file; the next poll asks for the missing
// part again. errors.Is and errors.As see each part's error.
type PartialPollError struct {
	// Missing says what the poll did not record, one phrase a part
	// ("the primary interfaces of 2 EC2 instances").
	Missing []string
	// Errs are why, one for each of Missing.
	Errs []error
}

func (e *PartialPollError) Error() string {
	parts := make([]string, len(e.Missing))
	for i := range e.Missing {
		parts[i] = e.Missing[i]
		if i < len(e.Errs) && e.Errs[i] != nil {
			parts[i] += " (" + e.Errs[i].Error() + ")"
		}
	}
	return "history: poll recorded, except " + strings.Join(parts, " and ") + "; asked again by the next poll"
}

func (e *PartialPollError) Unwrap() []error { return e.Errs }

// add notes a part of the poll that failed.
func (e *PartialPollError) add(missing string, err error) *PartialPollError {
	if e == nil {
		e = &PartialPollError{}
	}
	e.Missing = append(e.Missing, missing)
	e.Errs = append(e.Errs, err)
	return e
}

// count is "1 task", "2 tasks".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// WriteError is a failure to write the history file; [Watcher.Run] stops
// on it.
type WriteError struct {
	Name string
	Err  error
}

func (e *WriteError) Error() string { return "history: writing " + e.Name + ": " + e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// Open reads the history file back (creating it if missing) and repairs a
// torn final line or a zero-filled tail. Poll and Run call it when needed; calling it first lets
// a program report the recovery or a corrupt file before polling. A bad
// complete line is a *ParseError: the file is not a history file, or was
// edited, and is left untouched. So is a file whose first line is not an
// event, or the start of one, however it ends: nothing is cut from a file
// that was never a history file. So is a line longer than 64 MiB, what
// Builder.LoadFiles reads as one value by default.
func (w *Watcher) Open() (Recovery, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.open()
}

func (w *Watcher) open() (Recovery, error) {
	if w.f != nil {
		return w.rec, nil
	}
	f, err := os.OpenFile(w.Path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return Recovery{}, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return Recovery{}, fmt.Errorf("history: %s: %w", w.Path, err)
	}
	b, rec, off, fix, err := w.recover(f)
	if err != nil {
		f.Close()
		return rec, err
	}
	if err := w.sameCluster(b, w.clusterARN(nil)); err != nil {
		f.Close()
		return rec, err
	}
	// Repaired only now: a file refused (another cluster's, or damaged)
	// is left as it was.
	if err := fix.apply(f, w.Path); err != nil {
		f.Close()
		return rec, err
	}
	if rec.Completed || rec.Dropped > 0 {
		if err := f.Sync(); err != nil {
			f.Close()
			return rec, &WriteError{w.Path, err}
		}
	}
	w.f, w.b, w.size, w.rec = f, b, off, rec
	return rec, nil
}

// recover reads the history file back and says how to repair its end: a
// torn final line is completed or cut off, a zero-filled tail is cut off.
// It returns the offset just past the last good line once repaired, and
// the repair, which the caller applies when it keeps the file.
//
// A power loss can leave more than a torn line. Each poll's lines go out
// in one write followed by fsync, so only the last poll's write can be
// damaged; but file systems commit a file's new size before its data
// (ext4's and XFS's delayed allocation), so that write can read back as
// NUL bytes, in whole or in blocks, with the written blocks' lines around
// them. JSON text never holds a NUL byte: a line that does marks the start
// of such a tail. It is cut off with everything after it, provided what
// follows it is no more than one poll (every whole line after it has one
// "time"); anything else is a damaged file, refused untouched.
func (w *Watcher) recover(f *os.File) (*Builder, Recovery, int64, repair, error) {
	b := NewBuilder()
	var rec Recovery
	var off int64
	fix := repair{cut: -1, newline: -1}
	r := bufio.NewReaderSize(f, 64<<10)
	var ld lineDecoder
	var buf []byte // the lines in turn
	for line := 1; ; line++ {
		chunk, err := readLineInto(buf[:0], r, line, w.Path)
		buf = chunk
		if err != nil && err != io.EOF {
			return nil, rec, off, fix, err
		}
		if len(chunk) == 0 {
			break
		}
		if line == 1 && bytes.HasPrefix(chunk, []byte(awswire.BOM)) {
			// A byte order mark an editor put first (Windows), which
			// Builder.Load skips too: kept, and read past.
			off, chunk = int64(len(awswire.BOM)), chunk[len(awswire.BOM):]
			if len(chunk) == 0 {
				break
			}
		}
		if line == 1 {
			// Repairs cut the file, and appends extend it: both only for a
			// file of events. Anything else (a describe-tasks document, a
			// table, a gzip file) is someone else's, left untouched.
			if err := eventFile(chunk, w.Path); err != nil {
				return nil, rec, off, fix, err
			}
		}
		if bytes.IndexByte(chunk, 0) >= 0 {
			body := bytes.TrimRight(chunk, "\x00")
			if len(body) > 0 && bytes.IndexByte(body, 0) < 0 && body[len(body)-1] != '\n' {
				// The file ends with a line whole but for its newline, then
				// zeros: keep the line.
				if recs, newer, perr := ld.decode(body, line, w.Path); perr == nil && len(recs)+newer > 0 {
					end := off + int64(len(body))
					fix.cut, fix.newline = end, end
					rec.Dropped = int64(len(chunk) - len(body))
					addAll(b, recs)
					rec.Lines++
					rec.Newer += newer
					rec.Completed, rec.ZeroFilled = true, true
					return b, rec, end + 1, fix, nil
				}
			}
			n, lines, err := zeroTail(r, chunk, line, w.Path, rec.Lines == 0)
			if err != nil {
				return nil, rec, off, fix, err
			}
			fix.cut, rec.Dropped = off, n
			rec.ZeroFilled, rec.DroppedLines = true, lines
			break
		}
		if chunk[len(chunk)-1] != '\n' { // torn final line
			recs, newer, perr := ld.decode(chunk, line, w.Path)
			if perr != nil && json.Valid(chunk) {
				// Whole JSON, not torn: a bad line, refused as it is
				// with its newline (a hand edit, saved without one).
				return nil, rec, off, fix, perr
			}
			if perr == nil && (len(recs) > 0 || json.Valid(chunk)) {
				fix.newline = off + int64(len(chunk))
				addAll(b, recs)
				rec.Lines++
				rec.Newer += newer
				rec.Completed = true
				off += int64(len(chunk)) + 1
			} else {
				fix.cut, rec.Dropped = off, int64(len(chunk))
			}
			break
		}
		recs, newer, perr := ld.decode(chunk, line, w.Path)
		if perr != nil {
			return nil, rec, off, fix, perr
		}
		addAll(b, recs)
		rec.Lines++
		rec.Newer += newer
		off += int64(len(chunk))
	}
	return b, rec, off, fix, nil
}

// repair is how recover found the file's end should be mended: cut at
// cut, then a newline written at newline (-1: not).
type repair struct{ cut, newline int64 }

func (r repair) apply(f *os.File, name string) error {
	if r.cut >= 0 {
		if err := f.Truncate(r.cut); err != nil {
			return &WriteError{name, err}
		}
	}
	if r.newline >= 0 {
		if _, err := f.WriteAt([]byte{'\n'}, r.newline); err != nil {
			return &WriteError{name, err}
		}
	}
	return nil
}

// maxLineBytes bounds a line of the history file that Open reads back:
// the Decoder's default MaxValueBytes, with which Builder.LoadFiles reads
// the file. A line is one event, one task or container instance of a few
// KB, so a longer line (a file with no newline in its first 64 MiB) is no
// history file. NUL bytes do not count: a power loss during the first
// poll of a large cluster can leave a zeroed tail of hundreds of MB with
// no newline, which Open cuts. A variable for tests.
var maxLineBytes = DefaultMaxValueBytes

// readLine is r.ReadBytes('\n') that refuses, with a *ParseError at the
// line's number, a line of more than maxLineBytes bytes other than NUL and
// its newline, instead of holding it.
func readLine(r *bufio.Reader, line int, name string) ([]byte, error) {
	return readLineInto(nil, r, line, name)
}

// readLineInto is readLine, the line appended to b (b[:0], a buffer
// reused line after line).
func readLineInto(b []byte, r *bufio.Reader, line int, name string) ([]byte, error) {
	text := 0
	for {
		frag, err := r.ReadSlice('\n')
		// The newline ends the line and is no part of its event, as the
		// Decoder's bound counts the value alone.
		text += len(bytes.TrimSuffix(frag, []byte{'\n'})) - bytes.Count(frag, []byte{0})
		if text > maxLineBytes {
			return nil, &ParseError{Name: name, Line: line, Err: fmt.Errorf(
				"a line longer than %d bytes: not a history file (a line is one event); left untouched", maxLineBytes)}
		}
		b = append(b, frag...)
		if err != bufio.ErrBufferFull {
			return b, err
		}
	}
}

// eventStart is how a line of events begins, the Watcher's
// (appendLine) as EventBridge's.
const eventStart = `{"version":"0",`

// eventFile checks that first, a history file's first line or all of its
// bytes up to the end, can be a line of events: whole (ended by a newline,
// or whole JSON without one, which Open completes), an event with a
// detail type and a detail; torn or zeroed by a crash, the start of one.
func eventFile(first []byte, name string) error {
	if bytes.IndexByte(first, 0) < 0 && (first[len(first)-1] == '\n' || json.Valid(first)) {
		var ev struct {
			DetailType *string         `json:"detail-type"`
			Detail     json.RawMessage `json:"detail"`
		}
		if json.Unmarshal(first, &ev) == nil && ev.DetailType != nil && ev.Detail != nil {
			return nil
		}
	} else {
		b := first
		if i := bytes.IndexByte(b, 0); i >= 0 {
			b = b[:i]
		}
		if n := min(len(b), len(eventStart)); string(b[:n]) == eventStart[:n] {
			return nil
		}
	}
	return &ParseError{Name: name, Line: 1, Err: errors.New(
		"not a history file: its first line is not an event (a history file holds one JSON event a line, each with \"detail-type\" and \"detail\", as the Watcher writes them); left untouched")}
}

// zeroTail reads the rest of the file after first, the line at number line
// that holds NUL bytes, and returns the bytes and complete lines from
// first's start to the end, if they can be the last poll's write damaged
// by a power loss: no two whole lines in it come from different polls.
//
// With strict (no good line before first: the file may be no history file
// at all), every chunk must look like text some of whose blocks a power
// loss zeroed: no control byte but a newline, and NULs only in runs of at
// least minZeroRun bytes, or up to the end of the file. A binary file, or
// text in UTF-16, is refused, not cut to nothing.
func zeroTail(r *bufio.Reader, first []byte, line int, name string, strict bool) (int64, int, error) {
	notHistory := &ParseError{Name: name, Line: line, Err: errors.New(
		"not a history file: NUL bytes among bytes that are not the text of events; left untouched")}
	if strict && !zeroedText(first) {
		return 0, 0, notHistory
	}
	n, lines := int64(len(first)), bytes.Count(first, []byte{'\n'})
	stamp, stampLine := "", 0
	for at := line + 1; ; at++ {
		chunk, err := readLine(r, at, name)
		if err != nil && err != io.EOF {
			return 0, 0, err
		}
		if len(chunk) == 0 {
			return n, lines, nil
		}
		n += int64(len(chunk))
		if strict && !zeroedText(chunk) {
			return 0, 0, notHistory
		}
		if chunk[len(chunk)-1] != '\n' {
			continue // torn: the end of the file
		}
		lines++
		if bytes.IndexByte(chunk, 0) >= 0 {
			continue
		}
		var ev struct {
			Time string `json:"time"`
		}
		if json.Unmarshal(chunk, &ev) != nil || ev.Time == "" {
			continue // a line cut by the zeroed block before it
		}
		if stamp == "" {
			stamp, stampLine = ev.Time, at
		} else if ev.Time != stamp {
			return 0, 0, &ParseError{Name: name, Line: line, Err: fmt.Errorf(
				"NUL bytes, followed by lines of more than one poll (time %s on line %d, %s on line %d): "+
					"the file is damaged, not cut short by a power loss", stamp, stampLine, ev.Time, at)}
		}
	}
}

// minZeroRun is the shortest run of NUL bytes zeroTail takes for a block
// a power loss left unwritten (file systems zero whole blocks, 512 bytes
// or more), unless the run ends the file.
const minZeroRun = 16

// zeroedText reports whether chunk, a line read with its newline, can be
// text with zeroed blocks: no control byte but newlines, NULs in runs of
// minZeroRun or more, or a shorter run at the end of the file (a chunk
// without its newline is the file's last).
func zeroedText(chunk []byte) bool {
	atEOF := len(chunk) > 0 && chunk[len(chunk)-1] != '\n'
	for i := 0; i < len(chunk); {
		c := chunk[i]
		if c != 0 {
			if c < 0x20 && c != '\n' {
				return false
			}
			i++
			continue
		}
		j := i
		for j < len(chunk) && chunk[j] == 0 {
			j++
		}
		if j-i < minZeroRun && !(atEOF && j == len(chunk)) {
			return false
		}
		i = j
	}
	return true
}

func addAll(b *Builder, recs []Record) {
	for _, r := range recs {
		b.Add(r) // values the history file holds were usable when written
	}
}

// decodeLine decodes one line of a history file, and says how many of its
// events a newer ecsnet wrote (Decoder.Newer).
func decodeLine(line []byte, n int, name string) ([]Record, int, error) {
	var ld lineDecoder
	return ld.decode(line, n, name)
}

// lineDecoder is decodeLine for the lines of one file in turn: one
// Decoder for them all, and its queue reused, rather than a Decoder a
// line. What decode returns is good until its next call.
type lineDecoder struct{ d Decoder }

func (ld *lineDecoder) decode(line []byte, n int, name string) ([]Record, int, error) {
	d := &ld.d
	clear(d.queue)
	d.Name, d.queue, d.errs, d.newer = name, d.queue[:0], d.errs[:0], 0
	if err := d.value(line, n, "", true, 0); err != nil {
		return nil, 0, err
	}
	return d.queue, d.newer, nil
}

// Poll reads the cluster once and appends what changed. When Primary
// fails, or describing the tasks the file holds as running that ECS no
// longer lists does, the rest of the poll is still appended and a
// [*PartialPollError] returned (what failed is asked again by the next
// poll); any other error means nothing of the poll was recorded.
func (w *Watcher) Poll(ctx context.Context) (PollStats, error) {
	if _, err := w.Open(); err != nil {
		return PollStats{}, err
	}
	o, err := Observe(ctx, w.API, w.Cluster, w.Options...)
	if err != nil {
		return PollStats{}, err
	}
	st := PollStats{Tasks: len(o.Tasks), Instances: len(o.ContainerInstances), Failures: len(o.Failures)}
	if o.NetworkModesErr != nil {
		st.Problems = append(st.Problems, o.NetworkModesErr)
		st.NetworkModesErr = o.NetworkModesErr
	}

	// The cluster's ARN, from its tasks: one of the same name in another
	// region or account (the client's) is another cluster's history.
	arn := w.clusterARN(o)
	if arn == "" {
		if arn, err = w.describeCluster(ctx, o, &st); err != nil {
			return st, err // the context ended: nothing of the poll is recorded
		}
	}
	w.mu.Lock()
	err = w.sameCluster(w.b, arn)
	w.mu.Unlock()
	if err != nil {
		return st, err
	}

	// Tasks the history holds open that neither list returned: ECS
	// stopped and forgot them while no poll ran (the Watcher was down
	// longer than the hour DescribeTasks keeps stopped tasks). Described
	// by ARN, a task still known comes back; one ECS reports MISSING
	// stopped at least an hour before this poll, and is closed there.
	// Failing, it costs only those tasks (they stay open, and are
	// described again next poll): the rest is recorded, the error
	// returned after it.
	var partial *PartialPollError
	missing, what, err := w.forgotten(ctx, o, arn)
	if err != nil {
		if ctx.Err() != nil {
			return st, err
		}
		partial = partial.add(what, err)
	}
	// Counted as the lists' are: the tasks described again, their
	// instances, and the failures (MISSING among them).
	st.Tasks, st.Instances, st.Failures = len(o.Tasks), len(o.ContainerInstances), len(o.Failures)

	// A failed Primary costs only the primary interfaces (asked again
	// next poll): what was read of the cluster is recorded all the same,
	// and the error returned after it.
	var primaries map[string]PrimaryInterface
	if w.Primary != nil {
		w.mu.Lock()
		var ids []string
		for i := range o.ContainerInstances {
			id := deref(o.ContainerInstances[i].Ec2InstanceId)
			if w.b == nil || id == "" {
				continue
			}
			if _, ok := w.b.primary[id]; !ok && !w.badPrimary[id] {
				ids = append(ids, id)
			}
		}
		w.mu.Unlock()
		if len(ids) > 0 {
			slices.Sort(ids)
			ids = slices.Compact(ids)
			if primaries, err = w.Primary(ctx, ids); err != nil {
				if ctx.Err() != nil {
					return st, fmt.Errorf("history: primary interfaces: %w", err)
				}
				primaries = nil
				what := "the primary interface of 1 EC2 instance"
				if len(ids) > 1 {
					what = fmt.Sprintf("the primary interfaces of %d EC2 instances", len(ids))
				}
				partial = partial.add(what, err)
			}
		}
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.open(); err != nil { // reopened after a failed write
		return st, err
	}
	if err := w.sameCluster(w.b, arn); err != nil {
		return st, err
	}
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	stamp := now().UTC().Format(time.RFC3339Nano)
	var buf bytes.Buffer
	tds := make([]string, 0, len(o.NetworkModes))
	for td := range o.NetworkModes {
		tds = append(tds, td)
	}
	slices.Sort(tds)
	for _, td := range tds {
		r := Record{Mode: &ModeRecord{TaskDefinitionARN: td, NetworkMode: o.NetworkModes[td]}}
		if changed, _ := w.b.Add(r); changed {
			detail, _ := json.Marshal(r.Mode)
			appendLine(&buf, detailMode, stamp, td, detail)
		}
	}
	for i := range o.Tasks {
		t := trimTask(&o.Tasks[i])
		if err := w.addTask(&buf, &st, stamp, &t); err != nil {
			return st, err
		}
	}
	clusters := instanceClusters(o)
	for i := range o.ContainerInstances {
		ci := trimInstance(&o.ContainerInstances[i])
		cluster := clusterOfInstance(&o.ContainerInstances[i], o, clusters)
		n, err := instanceFromSDK(cluster, &ci)
		if err != nil {
			st.Problems = append(st.Problems, err)
			continue
		}
		if !w.b.mergeInstance(n) {
			continue
		}
		detail, err := awswire.Marshal(&ci)
		if err != nil {
			return st, err
		}
		if cluster != "" {
			c, _ := json.Marshal(cluster)
			detail = append(append(append([]byte(`{"clusterArn":`), c...), ','), detail[1:]...)
		}
		appendLine(&buf, detailInstance, stamp, deref(ci.ContainerInstanceArn), detail)
	}
	// DescribeTasks shows stopped tasks "for at least one hour": one it
	// no longer shows stopped before now - 1h.
	bound := now().Add(-time.Hour).UTC()
	for _, arn := range missing {
		o := w.b.tasks[arn]
		if o == nil || !o.Valid.IsOpen() || !o.Valid.Start.Before(bound) {
			continue // not open any more, or too young for ECS to have forgotten it
		}
		t := types.Task{
			TaskArn: ptrTo(arn), ClusterArn: ptrTo(o.ClusterARN),
			LastStatus: ptrTo("STOPPED"), DesiredStatus: ptrTo("STOPPED"),
			Version: o.Version, StoppedAt: ptrTo(bound),
			StoppedReason: ptrTo("ecsnet: ECS no longer describes the task (MISSING) at " + stamp + "; it stopped an hour or more before"),
		}
		if o.ClusterARN == "" {
			t.ClusterArn = nil
		}
		if err := w.addTask(&buf, &st, stamp, &t); err != nil {
			return st, err
		}
	}
	ids := make([]string, 0, len(primaries))
	for id := range primaries {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		// Kept as the file gives it back (an IPv6 address without its
		// zone; an IPv4 address only as IPv4), or not at all.
		pj := primaryToJSON(id, primaries[id])
		pr, err := pj.record()
		if err != nil {
			st.Problems = append(st.Problems, fmt.Errorf("history: primary interface of %s: %w (not asked again)", id, err))
			if w.badPrimary == nil {
				w.badPrimary = map[string]bool{}
			}
			w.badPrimary[id] = true
			continue
		}
		r := Record{Primary: pr}
		if changed, _ := w.b.Add(r); changed {
			detail, _ := json.Marshal(pj)
			appendLine(&buf, detailPrimary, stamp, id, detail)
		}
	}
	st.Appended = bytes.Count(buf.Bytes(), []byte{'\n'})
	if buf.Len() > 0 {
		if err := w.write(buf.Bytes()); err != nil {
			return st, err
		}
	}
	if partial != nil {
		return st, partial
	}
	return st, nil
}

// addTask adds t to the history and, when it changes the history, its
// line to buf; a task the history cannot use is one of st's problems.
func (w *Watcher) addTask(buf *bytes.Buffer, st *PollStats, stamp string, t *types.Task) error {
	// The line's "time" is what a reader of the file sees the task at
	// (Builder.Add): the history in memory must be the one read back.
	seen, _ := time.Parse(time.RFC3339Nano, stamp)
	changed, err := w.b.addTaskSeen(t, seen)
	// A value that cannot be used is reported with the line that records
	// it: a task that runs unchanged for days would otherwise report the
	// same problem on every poll.
	var fe *FieldError
	if err != nil && (changed || !errors.As(err, &fe)) {
		st.Problems = append(st.Problems, err)
	}
	if !changed {
		return nil
	}
	// The line leaves out what the history could not use (reported
	// above): it holds the task as the history keeps it, so the file
	// reads back without an error, in Builder.Load as here.
	detail, err := awswire.Marshal(withoutUnusable(t, err))
	if err != nil {
		return err
	}
	appendLine(buf, detailTask, stamp, deref(t.TaskArn), detail)
	return nil
}

// withoutUnusable returns t without the values its *FieldErrors in err
// (from taskFromSDK) name, t itself when there are none; t is not
// changed. Each FieldError clears its value in a copy (FieldError.clear):
// an address is cleared, a detail or a binding left out.
func withoutUnusable(t *types.Task, err error) *types.Task {
	var clears []func(*types.Task)
	var walk func(error)
	walk = func(e error) {
		if u, ok := e.(interface{ Unwrap() []error }); ok {
			for _, e := range u.Unwrap() {
				walk(e)
			}
			return
		}
		if fe := (*FieldError)(nil); errors.As(e, &fe) && fe.clear != nil {
			clears = append(clears, fe.clear)
		}
	}
	if err != nil {
		walk(err)
	}
	if len(clears) == 0 {
		return t
	}
	out := *t
	out.Attachments = slices.Clone(t.Attachments)
	for i := range out.Attachments {
		out.Attachments[i].Details = slices.Clone(out.Attachments[i].Details)
	}
	out.Containers = slices.Clone(t.Containers)
	for i := range out.Containers {
		c := &out.Containers[i]
		c.NetworkInterfaces, c.NetworkBindings = slices.Clone(c.NetworkInterfaces), slices.Clone(c.NetworkBindings)
	}
	for _, clear := range clears {
		clear(&out)
	}
	for i := range out.Attachments {
		a := &out.Attachments[i]
		a.Details = slices.DeleteFunc(a.Details, func(kv types.KeyValuePair) bool { return kv.Name == nil })
	}
	for i := range out.Containers {
		c := &out.Containers[i]
		c.NetworkBindings = slices.DeleteFunc(c.NetworkBindings, func(nb types.NetworkBinding) bool { return nb == types.NetworkBinding{} })
	}
	return &out
}

// sameCluster checks that the history read back is of w's cluster: a
// file keeps one cluster's history, and another cluster's tasks appended
// to it would be attributed as if they were one cluster's. arn is the
// cluster's ARN when known (Watcher.clusterARN): a cluster of the same
// name in another region or account is another cluster.
func (w *Watcher) sameCluster(b *Builder, arn string) error {
	name := lastSegment(w.Cluster)
	if name == "" || b == nil || b == w.checked && arn == w.checkedARN {
		return nil
	}
	want := name
	if arn != "" {
		want = arn
	}
	check := func(c, cARN string) error {
		if c != "" && c != name {
			return fmt.Errorf("history: %s holds the history of cluster %s, not %s: %w", w.Path, c, want, ErrOtherCluster)
		}
		if arn != "" && strings.HasPrefix(cARN, "arn:") && cARN != arn {
			return fmt.Errorf("history: %s holds the history of cluster %s, not %s: %w", w.Path, cARN, arn, ErrOtherCluster)
		}
		return nil
	}
	for _, t := range b.tasks {
		if err := check(t.Cluster(), t.ClusterARN); err != nil {
			return err
		}
	}
	for _, in := range b.instances {
		if err := check(in.Cluster(), in.ClusterARN); err != nil {
			return err
		}
	}
	w.checked, w.checkedARN = b, arn
	return nil
}

// clusterARN is the ARN of w's cluster when known: w.Cluster when it is
// one, else the clusterArn ECS reports on the tasks of o (nil: none), or
// the one its container instances' ARNs imply.
func (w *Watcher) clusterARN(o *Observation) string {
	if strings.HasPrefix(w.Cluster, "arn:") {
		return w.Cluster
	}
	if o == nil {
		return ""
	}
	name := lastSegment(w.Cluster)
	for i := range o.Tasks {
		if a := deref(o.Tasks[i].ClusterArn); strings.HasPrefix(a, "arn:") && lastSegment(a) == name {
			return a
		}
	}
	// No task: a container instance's ARN in the long format
	// (…:container-instance/CLUSTER/ID) tells the region and account.
	for i := range o.ContainerInstances {
		a := deref(o.ContainerInstances[i].ContainerInstanceArn)
		head, res, ok := strings.Cut(a, ":container-instance/")
		if parts := strings.Split(res, "/"); ok && strings.HasPrefix(head, "arn:") && len(parts) == 2 && parts[0] == name {
			return head + ":cluster/" + name
		}
	}
	return ""
}

// describeCluster returns the ARN of w's cluster, given by name, when
// neither a task nor a container instance of o tells it (a cluster scaled
// to zero) and the history holds tasks open that o does not list: closing
// them needs it (see Watcher.forgotten). It asks DescribeClusters when
// w.API has it (*ecs.Client does; [ecsread.ClusterAPI]), once a Watcher;
// when the call fails, the failure is one of st's problems and those tasks
// stay open; denied (ecs:DescribeClusters not allowed), it is not asked
// again by this Watcher. The error is the call's when ctx has ended.
func (w *Watcher) describeCluster(ctx context.Context, o *Observation, st *PollStats) (string, error) {
	api, ok := w.API.(ecsread.ClusterAPI)
	if !ok || lastSegment(w.Cluster) == "" {
		return "", nil
	}
	// What an earlier call found is under w.mu, as the history is: a
	// Poll may run beside another (Run's, and one the program asks for).
	w.mu.Lock()
	described, denied := w.describedARN, w.describeDenied
	var open []string
	if described == "" && !denied {
		open = w.openUnlisted(o, "")
	}
	w.mu.Unlock()
	if described != "" || denied || len(open) == 0 {
		return described, nil
	}
	arn, err := ecsread.ClusterARN(ctx, api, w.Cluster)
	if err != nil {
		if ctx.Err() != nil {
			return "", err
		}
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "AccessDeniedException" {
			w.mu.Lock()
			w.describeDenied = true
			w.mu.Unlock()
			err = fmt.Errorf("%w (not asked again by this Watcher)", err)
		}
		st.Problems = append(st.Problems, fmt.Errorf("history: %d tasks the file holds as running are not listed, and without the cluster's ARN none is closed: %w", len(open), err))
		return "", nil
	}
	if lastSegment(arn) != lastSegment(w.Cluster) {
		return "", nil
	}
	w.mu.Lock()
	w.describedARN = arn
	w.mu.Unlock()
	return arn, nil
}

// openUnlisted returns the tasks the history holds open that o does not
// list, of the cluster of ARN arn ("": of any). The caller holds w.mu.
func (w *Watcher) openUnlisted(o *Observation, arn string) []string {
	if w.b == nil {
		return nil
	}
	listed := make(map[string]bool, len(o.Tasks))
	for i := range o.Tasks {
		listed[deref(o.Tasks[i].TaskArn)] = true
	}
	var arns []string
	for task, t := range w.b.tasks {
		if !listed[task] && t.Valid.IsOpen() && (arn == "" || t.ClusterARN == arn) {
			arns = append(arns, task)
		}
	}
	return arns
}

// forgotten describes the tasks of w's cluster, arn, that the history
// holds open but that o does not list, adds those ECS still describes to
// o, with their container instances that neither o nor the history holds
// (an INACTIVE one ListContainerInstances left out), and returns the ARNs
// of those it reports MISSING. Failing, it adds none and says what it
// could not describe. Without the
// cluster's ARN (a name given, neither a task nor a container instance to
// read it from, and no answer from DescribeClusters) it describes none: a
// client of another region or account would find the tasks of the file's
// cluster MISSING, and close running tasks.
func (w *Watcher) forgotten(ctx context.Context, o *Observation, arn string) (missing []string, what string, err error) {
	if arn == "" {
		return nil, "", nil
	}
	w.mu.Lock()
	arns := w.openUnlisted(o, arn)
	w.mu.Unlock()
	if len(arns) == 0 {
		return nil, "", nil
	}
	slices.Sort(arns)
	ts, fs, err := ecsread.DescribeTasks(ctx, w.API, w.Cluster, arns, w.Options...)
	if err != nil {
		return nil, count(len(arns), "task", "tasks") + " the file holds as running that ECS no longer lists", err
	}
	// Observe described the instances of the tasks it read, INACTIVE
	// ones too (ListContainerInstances leaves them out): these tasks'
	// instances, deregistered as they stopped, are described as well,
	// those neither o nor the history holds, with one call. Failing, the
	// tasks are not added either: they stay open and the next poll
	// describes them, and their instances, again.
	known := make(map[string]bool, len(o.ContainerInstances))
	for i := range o.ContainerInstances {
		known[deref(o.ContainerInstances[i].ContainerInstanceArn)] = true
	}
	cis := instancesNamed(ts, known)
	w.mu.Lock()
	if w.b != nil {
		cis = slices.DeleteFunc(cis, func(a string) bool { return w.b.instances[a] != nil })
	}
	w.mu.Unlock()
	if len(cis) > 0 {
		slices.Sort(cis)
		got, cfs, err := ecsread.DescribeContainerInstances(ctx, w.API, w.Cluster, cis, w.Options...)
		if err != nil {
			return nil, count(len(arns), "task", "tasks") + " the file holds as running that ECS no longer lists (their container instances)", err
		}
		o.ContainerInstances = append(o.ContainerInstances, got...)
		o.Failures = append(o.Failures, cfs...)
	}
	o.Tasks = append(o.Tasks, ts...)
	o.Failures = append(o.Failures, fs...)
	for _, f := range fs {
		if deref(f.Reason) == "MISSING" {
			missing = append(missing, deref(f.Arn))
		}
	}
	return missing, "", nil
}

func ptrTo[T any](v T) *T { return &v }

// write appends complete lines at the end of the last complete line. On
// failure the file is cut back and the in-memory history dropped, so the
// next poll starts again from what the file really holds.
func (w *Watcher) write(p []byte) error {
	// A file that is not as this Watcher left it has another writer (a
	// second Watcher where the file cannot be locked, another program):
	// writing at w.size would overwrite its lines, and cutting the file
	// back would drop them. Stop, and leave the file as it is.
	if st, err := w.f.Stat(); err == nil && st.Size() != w.size {
		_ = w.f.Close()
		w.f, w.b = nil, nil
		return &WriteError{w.Path, fmt.Errorf("the file is %d bytes, not the %d this Watcher left: another program writes it", st.Size(), w.size)}
	}
	// A file removed or replaced (an editor's save, a rotation by rename)
	// is no longer the one the path names: lines written to it are lost,
	// and another Watcher can lock the one it names now.
	if st, err := w.f.Stat(); err == nil {
		if cur, err := os.Stat(w.Path); err != nil || !os.SameFile(st, cur) {
			_ = w.f.Close()
			w.f, w.b = nil, nil
			return &WriteError{w.Path, errors.New("the file was removed or replaced by another program since this Watcher opened it")}
		}
	}
	_, err := w.f.WriteAt(p, w.size)
	if err == nil {
		err = w.f.Sync()
	}
	if err != nil {
		_ = w.f.Truncate(w.size)
		_ = w.f.Close()
		w.f, w.b = nil, nil
		return &WriteError{w.Path, err}
	}
	w.size += int64(len(p))
	return nil
}

func appendLine(buf *bytes.Buffer, detailType, stamp, resource string, detail []byte) {
	res, _ := json.Marshal(resource)
	fmt.Fprintf(buf, `{"version":"0","detail-type":%q,"source":"ecsnet.history","time":%q,"resources":[%s],"detail":`, detailType, stamp, res)
	buf.Write(detail)
	buf.WriteString("}\n")
}

// Run polls every Interval until ctx is done. It returns ctx's error, a
// *WriteError, the error opening the file (refused, it is refused again
// on every poll), one wrapping ErrOtherCluster (the file is another
// cluster's), or (without OnPollError) the first failed poll.
func (w *Watcher) Run(ctx context.Context) error {
	iv := w.Interval
	if iv <= 0 {
		iv = time.Minute
	}
	if _, err := w.Open(); err != nil {
		return err
	}
	tick := time.NewTicker(iv)
	defer tick.Stop()
	for {
		if _, err := w.Poll(ctx); err != nil {
			var we *WriteError
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case errors.As(err, &we) || errors.Is(err, ErrOtherCluster) || w.OnPollError == nil:
				return err
			}
			w.OnPollError(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Index returns a snapshot of the history so far.
func (w *Watcher) Index() *Index {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b == nil {
		return NewBuilder().Index()
	}
	return w.b.Index()
}

// Len returns how many tasks the history holds: len(Index().Tasks())
// without making the Index, whose cost grows with the history.
func (w *Watcher) Len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b == nil {
		return 0
	}
	return w.b.Len()
}

// Close closes the history file. Index still answers afterwards; Poll,
// Run or Open read the file again.
func (w *Watcher) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil // the history stays readable with Index; Open reads the file again
	return err
}

// trimTask keeps what the history uses, so history lines stay small.
func trimTask(t *types.Task) types.Task {
	out := types.Task{
		TaskArn:              t.TaskArn,
		ClusterArn:           t.ClusterArn,
		Group:                t.Group,
		TaskDefinitionArn:    t.TaskDefinitionArn,
		LaunchType:           t.LaunchType,
		ContainerInstanceArn: t.ContainerInstanceArn,
		AvailabilityZone:     t.AvailabilityZone,
		LastStatus:           t.LastStatus,
		DesiredStatus:        t.DesiredStatus,
		Version:              t.Version,
		CreatedAt:            t.CreatedAt,
		PullStartedAt:        t.PullStartedAt,
		StartedAt:            t.StartedAt,
		StoppingAt:           t.StoppingAt,
		ExecutionStoppedAt:   t.ExecutionStoppedAt,
		StoppedAt:            t.StoppedAt,
		StopCode:             t.StopCode,
		StoppedReason:        t.StoppedReason,
	}
	for _, a := range t.Attachments {
		if isENIAttachment(deref(a.Type)) {
			out.Attachments = append(out.Attachments, a)
		}
	}
	for _, c := range t.Containers {
		if len(c.NetworkBindings) == 0 && len(c.NetworkInterfaces) == 0 {
			continue
		}
		out.Containers = append(out.Containers, types.Container{
			Name: c.Name, NetworkBindings: c.NetworkBindings, NetworkInterfaces: c.NetworkInterfaces,
		})
	}
	return out
}

func trimInstance(ci *types.ContainerInstance) types.ContainerInstance {
	out := types.ContainerInstance{
		ContainerInstanceArn: ci.ContainerInstanceArn,
		Ec2InstanceId:        ci.Ec2InstanceId,
		Status:               ci.Status,
		Version:              ci.Version,
		RegisteredAt:         ci.RegisteredAt,
	}
	for _, a := range ci.Attributes {
		switch deref(a.Name) {
		case "ecs.instance-type", "ecs.availability-zone", "ecs.os-type", "ecs.awsvpc-trunk-id":
			out.Attributes = append(out.Attributes, types.Attribute{Name: a.Name, Value: a.Value})
		}
	}
	for _, a := range ci.Attachments {
		if isENIAttachment(deref(a.Type)) {
			out.Attachments = append(out.Attachments, a)
		}
	}
	return out
}

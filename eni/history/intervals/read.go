package intervals

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/internal/parquetguard"
	"github.com/ecsnet/ecsnet/internal/parquetrows"
	"github.com/ecsnet/ecsnet/internal/tableerr"
	"github.com/ecsnet/ecsnet/netmode"
)

// Error is a problem in an intervals file or in rows given to Index: which
// file (Name, "" for rows given in memory), row (1-based) and column, and
// what. It is the error type of flowlogs/attribution/partials too.
type Error = tableerr.Error

// ErrVersion is wrapped by the Error for a file of another SchemaVersion
// (or of none: not an intervals file).
var ErrVersion = errors.New("not an intervals file of schema version " + strconv.Itoa(SchemaVersion))

// ReadParquetFile reads the intervals file name (see ReadParquet).
func ReadParquetFile(name string) ([]Row, error) {
	return parquetguard.ReadFile(name, ReadParquet)
}

// ReadParquet reads the rows of a Parquet file of size bytes that
// WriteParquet (or WritePartitioned) wrote; name is for errors. The file
// must carry this SchemaVersion under MetadataKey and every column of Row,
// its schema_version column saying the same on every row; a file written
// before that column, which lacks it, is read as the version its metadata
// says, its rows' SchemaVersion set to it (see SchemaVersion);
// each row is checked as Index checks it (known kind and owner, a key that
// matches its columns, canonical addresses, ports in range, bounds that
// agree with each other), and the first bad row ends the read with an
// *Error naming it. The sizes the file claims are checked before they are
// trusted, so a corrupt or hostile file costs memory in proportion to its
// size, not to what it claims.
func ReadParquet(r io.ReaderAt, size int64, name string) (rows []Row, err error) {
	ferr := func(row int64, col string, err error) error {
		return &Error{Pkg: "intervals", Name: name, Row: row, Column: col, Err: err}
	}
	// parquet-go panics on some corrupt pages that the guard does not
	// see (value counts that disagree with a page's contents): an error,
	// never a panic.
	defer parquetguard.Recover(&err, func(e error) error {
		n := len(rows)
		rows = nil
		return ferr(int64(n+1), "", e)
	})
	f, err := parquetguard.Open(r, size)
	if err != nil {
		return nil, ferr(0, "", err)
	}
	if err := parquetguard.CheckVersion(f, MetadataKey, SchemaVersion, ErrVersion); err != nil {
		return nil, ferr(0, "", err)
	}
	want := parquet.SchemaOf(Row{})
	// A file written before the schema_version column (version 1 by
	// its metadata, checked above) lacks it: its rows are version 1.
	_, versioned := f.Schema().Lookup(versionColumn)
	for _, col := range Columns() {
		got, ok := f.Schema().Lookup(col)
		if !ok && col == versionColumn {
			continue
		}
		if !ok {
			return nil, ferr(0, col, errors.New("column missing"))
		}
		w, _ := want.Lookup(col)
		if got.Node.Type().String() != w.Node.Type().String() || got.Node.Optional() != w.Node.Optional() {
			return nil, ferr(0, col, fmt.Errorf("column of type %v, want %v", got.Node.Type(), w.Node.Type()))
		}
	}
	pr, err := parquetrows.NewReader[Row](f, versionColumn)
	if err != nil {
		return nil, ferr(0, "", err)
	}
	// The rows are read in place, into a slice made once at the rows the
	// file claims (growing it by append's 1.25 made five times a large
	// table's rows in all), but at most minRowBytes a row of the file and
	// maxPresized: a claim past that grows as rows are read, so a hostile
	// file still costs memory in proportion to its size.
	rows = make([]Row, 0, max(min(f.NumRows(), size/minRowBytes, maxPresized), 256))
	for {
		if len(rows) == cap(rows) {
			// Full: grow only if a row is left (the rows claimed are
			// all read when the claim was true).
			if _, err := pr.Read(nil); err == io.EOF {
				break
			} else if err != nil {
				return nil, ferr(int64(len(rows)+1), "", err)
			}
			rows = slices.Grow(rows, 256)
		}
		n, err := pr.Read(rows[len(rows):cap(rows)])
		for range n {
			r := &rows[:len(rows)+1][len(rows)]
			if !versioned {
				r.SchemaVersion = SchemaVersion
			} else if r.SchemaVersion != SchemaVersion {
				return nil, ferr(int64(len(rows)+1), versionColumn,
					fmt.Errorf("%d, in a file whose metadata says %d", r.SchemaVersion, SchemaVersion))
			}
			if col, e := checkRow(r); e != nil {
				return nil, ferr(int64(len(rows)+1), col, e)
			}
			rows = rows[:len(rows)+1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ferr(int64(len(rows)+1), "", err)
		}
	}
	if len(rows) == 0 {
		return nil, ferr(0, "", errors.New("no rows"))
	}
	return rows, nil
}

// versionColumn is the column of Row.SchemaVersion, which files written
// before it lack.
const versionColumn = "schema_version"

// minRowBytes is the fewest bytes of the file a row is taken to take when
// ReadParquet makes room for the rows it claims: a large cluster's table
// takes 7 to 9 bytes a row (zstd over rows sorted by key), a Row 368 bytes
// in memory.
const minRowBytes = 4

// maxPresized bounds the rows ReadParquet makes room for before reading
// them (a million rows, 368 MB): a week of 100,000 tasks is fewer.
const maxPresized = 1 << 20

// checkRow checks one row on its own and returns the column at fault.
func checkRow(r *Row) (string, error) {
	task := true
	switch r.Kind {
	case KindTask, KindTaskENI, KindTaskAddr, KindHostPort:
	case KindInstanceENI, KindInstanceAddr:
		task = false
	default:
		return "kind", fmt.Errorf("unknown kind %q", r.Kind)
	}
	if r.Key == "" {
		return "key", errors.New("empty")
	}
	if task && r.Owner != "task" || !task && r.Owner != "instance" {
		return "owner", fmt.Errorf("%q on a %s row", r.Owner, r.Kind)
	}
	if task && r.TaskARN == "" {
		return "task_arn", errors.New("empty on a task's row")
	}
	if !task && (r.TaskARN != "" || r.ContainerInstanceARN == "") {
		return "container_instance_arn", errors.New("an instance row names a task or no container instance")
	}
	for _, a := range []struct {
		col, s string
		v6     bool
	}{{"ipv4", r.IPv4, false}, {"ipv6", r.IPv6, true}} {
		if a.s == "" {
			continue
		}
		v, err := netip.ParseAddr(a.s)
		if err != nil {
			return a.col, err
		}
		if v.Is6() != a.v6 || v.Zone() != "" || v.String() != a.s {
			return a.col, fmt.Errorf("%q is not a canonical %s address", a.s, a.col)
		}
	}
	switch r.Kind {
	case KindTask:
		if r.Key != r.TaskARN {
			return "key", fmt.Errorf("%q is not the row's task_arn %q", r.Key, r.TaskARN)
		}
	case KindTaskENI, KindInstanceENI:
		if r.Key != r.ENI {
			return "key", fmt.Errorf("%q is not the row's eni %q", r.Key, r.ENI)
		}
	case KindTaskAddr, KindInstanceAddr:
		if r.Key != r.IPv4 && r.Key != r.IPv6 {
			return "key", fmt.Errorf("%q is not one of the row's addresses", r.Key)
		}
	case KindHostPort:
		if r.Key != r.ContainerInstanceARN {
			return "key", fmt.Errorf("%q is not the row's container_instance_arn %q", r.Key, r.ContainerInstanceARN)
		}
		if r.Protocol < 0 || r.Protocol > math.MaxUint8 {
			return "protocol", fmt.Errorf("%d is not a protocol number", r.Protocol)
		}
		if r.PortFirst < 0 || r.PortLast < r.PortFirst || r.PortLast > math.MaxUint16 {
			return "port_last", fmt.Errorf("ports %d-%d", r.PortFirst, r.PortLast)
		}
	}
	if r.Kind != KindHostPort && (r.Protocol != 0 || r.PortFirst != 0 || r.PortLast != 0) {
		return "protocol", fmt.Errorf("protocol and ports on a %s row", r.Kind)
	}
	if r.NetworkMode != "" {
		var m netmode.Mode
		if err := m.UnmarshalText([]byte(r.NetworkMode)); err != nil {
			return "network_mode", err
		}
	}
	if r.TaskDefinition != "" {
		fam, rev, ok := strings.Cut(r.TaskDefinition, ":")
		n, err := strconv.Atoi(rev)
		if !ok || err != nil || n < 0 || fam != r.Family {
			return "task_definition", fmt.Errorf("%q is not family:revision of family %q", r.TaskDefinition, r.Family)
		}
	}
	return checkBounds(r)
}

// checkBounds checks that a row's seconds and timestamps tell the same
// interval, as setBounds and spanRows write them.
func checkBounds(r *Row) (string, error) {
	if (r.FirstSecond == nil) != (r.Start == nil) {
		return "first_second", errors.New("first_second and start are not both set or both null")
	}
	if (r.LastSecond == nil) != (r.End == nil) {
		return "last_second", errors.New("last_second and end are not both set or both null")
	}
	if r.Kind == KindTask { // a task's lifetime: no hand-off, no slack
		if r.LateBaseSecond != nil || r.NextFirstSecond != nil {
			return "late_base_second", errors.New("late_base_second or next_first_second on a task row")
		}
	} else if (r.LateBaseSecond == nil) != (r.LastSecond == nil) {
		return "late_base_second", errors.New("late_base_second and last_second are not both set or both null")
	}
	for _, t := range []struct {
		col string
		t   *time.Time
	}{{"start", r.Start}, {"end", r.End}} {
		if t.t != nil && (t.t.Before(minTime) || t.t.After(maxTime)) {
			return t.col, fmt.Errorf("%v is outside the years 1678 to 2262 that Unix nanoseconds hold", t.t.UTC())
		}
	}
	if r.Start != nil && *r.FirstSecond != ceilSecond(*r.Start) {
		return "first_second", fmt.Errorf("%d is not the first whole second of start %v", *r.FirstSecond, r.Start.UTC())
	}
	if r.End != nil && *r.LastSecond != lastSecond(*r.End) {
		return "last_second", fmt.Errorf("%d is not the last whole second before end %v", *r.LastSecond, r.End.UTC())
	}
	// A task's row is written even when its lifetime holds no whole
	// second (Build: no join looks at a task row's seconds), with
	// first_second > last_second; a key's row always holds one.
	if r.Kind != KindTask && r.Start != nil && r.End != nil && (!r.Start.Before(*r.End) || *r.FirstSecond > *r.LastSecond) {
		return "end", fmt.Errorf("interval [%v, %v) holds no whole second", r.Start.UTC(), r.End.UTC())
	}
	if b := r.LateBaseSecond; b != nil && *b != *r.LastSecond && *b != *r.LastSecond+1 {
		return "late_base_second", fmt.Errorf("%d is neither last_second %d nor the next", *b, *r.LastSecond)
	}
	if n := r.NextFirstSecond; n != nil && (r.LastSecond == nil || *n <= *r.LastSecond) {
		return "next_first_second", fmt.Errorf("%d does not follow the row's last second", *n)
	}
	return "", nil
}

// minTime and maxTime bound the times a history holds (Unix nanoseconds).
var minTime, maxTime = time.Unix(0, math.MinInt64+1), time.Unix(0, math.MaxInt64)

// ceilSecond is the first whole second at or after t; lastSecond the last
// whole second before t (setBounds' rule).
func ceilSecond(t time.Time) int64 {
	return -floorDiv(-t.UnixNano(), int64(time.Second))
}

func lastSecond(t time.Time) int64 {
	return floorDiv(t.UnixNano()-1, int64(time.Second))
}

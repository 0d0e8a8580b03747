package intervals

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/internal/parquetzstd"
	"github.com/ecsnet/ecsnet/internal/tmpfile"
)

// WriteParquet writes rows (in the order given; Build's is the stable one)
// as one Parquet file, zstd-compressed, with SchemaVersion in its key/value
// metadata under MetadataKey and in every row's schema_version column (a
// row given without one, 0, is written with it; a row of another version
// is refused).
func WriteParquet(w io.Writer, rows []Row) error {
	if err := checkVersions(rows); err != nil {
		return err
	}
	pw := parquet.NewGenericWriter[Row](w,
		parquet.KeyValueMetadata(MetadataKey, strconv.Itoa(SchemaVersion)),
		parquet.Compression(parquetzstd.Zstd),
		parquet.CreatedBy("ecsnet", "intervals", "v"+strconv.Itoa(SchemaVersion)))
	// Rows with their version are written as they are; rows without
	// (made by hand) through a copy, never changing the caller's rows.
	// Always in the same batches, whichever rows lack the version: where
	// the writer's calls begin and end changes the file's pages, and the
	// same rows would otherwise give other bytes.
	var batch []Row
	for len(rows) > 0 {
		n := min(len(rows), 1024)
		part := rows[:n]
		if slices.ContainsFunc(part, func(r Row) bool { return r.SchemaVersion == 0 }) {
			batch = append(batch[:0], part...)
			for i := range batch {
				if batch[i].SchemaVersion == 0 {
					batch[i].SchemaVersion = SchemaVersion
				}
			}
			part = batch
		}
		if _, err := pw.Write(part); err != nil {
			return fmt.Errorf("intervals: writing Parquet: %w", err)
		}
		rows = rows[n:]
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("intervals: writing Parquet: %w", err)
	}
	return nil
}

// checkVersions refuses rows of another SchemaVersion than this one (0,
// a row made without it, is this one).
func checkVersions(rows []Row) error {
	for i := range rows {
		if v := rows[i].SchemaVersion; v != 0 && v != SchemaVersion {
			return fmt.Errorf("intervals: row %d is of schema version %d, not %d, the version this package writes", i+1, v, SchemaVersion)
		}
	}
	return nil
}

// WriteCSV writes rows as CSV with a header line of Columns; the first
// header field carries the schema version, "schema_v1:kind", and the last
// column, schema_version, carries it on every row (for engines that read
// the rows by column, as Parquet's; a row given without it, 0, is written
// with it, a row of another version refused). Absent bounds are empty
// fields; times are RFC 3339 with microseconds, UTC.
func WriteCSV(w io.Writer, rows []Row) error {
	if err := checkVersions(rows); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := Columns()
	head[0] = "schema_v" + strconv.Itoa(SchemaVersion) + ":" + head[0]
	if err := cw.Write(head); err != nil {
		return err
	}
	num := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	ts := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	for _, r := range rows {
		rec := []string{r.Kind, r.Key, strconv.Itoa(int(r.Protocol)), strconv.Itoa(int(r.PortFirst)),
			strconv.Itoa(int(r.PortLast)), num(r.FirstSecond), num(r.LastSecond), num(r.NextFirstSecond), num(r.LateBaseSecond),
			ts(r.Start), ts(r.End), r.Owner, r.TaskARN, r.TaskID, r.ClusterARN, r.Cluster, r.ServiceGroup,
			r.Family, r.TaskDefinition, r.LaunchType, r.NetworkMode, r.ContainerInstanceARN,
			r.EC2InstanceID, r.AZ, r.SubnetID, r.ENI, r.IPv4, r.IPv6, strconv.Itoa(SchemaVersion)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// PartitionFile is the file name inside each partition directory.
const PartitionFile = "intervals.parquet"

// UnknownCluster is the cluster= directory of rows without a cluster.
// Engines that read the layout as partitions (DuckDB's hive_partitioning,
// Spark's partition discovery, an Athena table partitioned by cluster)
// put the directory's value in place of the rows' own cluster column, so
// there those rows' cluster reads "__unknown__", not "".
const UnknownCluster = "__unknown__"

// PartitionDate is the date= directory of r: the UTC date of the second
// its start falls in (Row.Start, which the table keeps rounded up to the
// microsecond, rounded down to the second), "1970-01-01"
// when it is open since always. A row owns records only from its first
// second on, so the partitions after a day own no record of that day;
// the package documentation says what else they concern.
func PartitionDate(r Row) string {
	if r.Start == nil {
		return "1970-01-01"
	}
	return r.Start.UTC().Format(time.DateOnly)
}

// WritePartitioned writes rows under dir in the Hive layout
// cluster=NAME/date=YYYY-MM-DD/intervals.parquet, date as PartitionDate
// files it (see the package documentation for what may be pruned). Rows
// without a cluster go to cluster=__unknown__ (UnknownCluster). The
// partition files of an earlier WritePartitioned into dir that this one
// does not write are removed, and their folders once empty: a row filed elsewhere now (a cluster
// learned since) would otherwise be read twice, its traffic counted
// twice. Nothing else in dir is touched. It returns the files written,
// sorted. On a file system that ignores case (macOS's and Windows'
// defaults), clusters whose names differ only by case would share a
// folder: such a write is refused, and leaves dir as it was.
//
// Every file is first written whole under a temporary name (a dot file,
// which DuckDB's glob of the layout does not match and Spark skips); only
// when all are written are they renamed into place, and then the earlier
// write's files removed. A failure while writing (a full disk, an I/O error)
// leaves dir as the earlier write left it. The set is still not replaced
// atomically: a reader that lists the files while they are renamed and
// removed, or a crash in that short span, can see new and earlier files
// together, and so a moved row twice. Readers that must never see that
// (an engine that queries while the export runs) should be given a new
// directory for each write. Copies count too: synced to S3, the removed
// files must be removed there as well (aws s3 sync --delete), or Athena
// reads a moved row twice.
func WritePartitioned(dir string, rows []Row) ([]string, error) {
	parts := map[string][]Row{}
	for _, r := range rows {
		c := cmp.Or(r.Cluster, UnknownCluster)
		p := filepath.Join(dir, "cluster="+escape(c), "date="+PartitionDate(r), PartitionFile)
		parts[p] = append(parts[p], r)
	}
	var files []string
	for p := range parts {
		files = append(files, p)
	}
	slices.Sort(files)
	temps := make([]string, 0, len(files))
	// made are the folders this write makes (dir and those above it that
	// writeTemp's MkdirAll makes, then the partitions'), deepest last:
	// removed again, if left empty, when it fails, so that a failed write
	// leaves dir as it was, folders too.
	var made []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		made = append(made, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(made)
	ok := false
	defer func() {
		for _, tmp := range temps {
			os.Remove(tmp) // after its rename, a no-op
		}
		if !ok {
			for _, d := range slices.Backward(made) {
				os.Remove(d) // only if empty: never another's file
			}
		}
	}()
	for _, p := range files {
		date := filepath.Dir(p)
		for _, d := range []string{filepath.Dir(date), date} {
			if _, err := os.Lstat(d); errors.Is(err, fs.ErrNotExist) && !slices.Contains(made, d) {
				made = append(made, d)
			}
		}
		// A folder where the file goes would fail its rename after
		// the partitions before it were renamed into place: refused
		// now, while dir is as the earlier write left it.
		if fi, err := os.Lstat(p); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("%s: is a directory", p)
		}
		tmp, err := writeTemp(p, parts[p])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		temps = append(temps, tmp)
	}
	// Now that every partition's folders exist: two partitions that
	// differ only by case (clusters "Prod" and "prod") are one folder on a
	// file system that ignores case (macOS's, Windows'), where the second
	// rename would replace the first's file, its rows lost.
	// The clusters' folders are compared, not the files: two clusters'
	// partitions of different dates collide in no file, but share the
	// one cluster= folder, whose name (the partition value engines read)
	// is then one of them for the rows of both.
	for _, same := range foldedPartitions(clusterDirs(files)) {
		for i, a := range same {
			for _, b := range same[i+1:] {
				if sameDir(a, b) {
					return nil, fmt.Errorf("%s and %s are one folder on this file system, which ignores case: clusters whose names differ only by case cannot be written here (write to a file system that tells case apart)", a, b)
				}
			}
		}
	}
	folded := foldedPartitions(files)
	for i, p := range files {
		if err := os.Rename(temps[i], p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	for _, p := range partitionFiles(dir) {
		if _, now := parts[p]; !now {
			// Not under its own name, but maybe one of this write's
			// under another case (the folder cluster=Prod of an earlier
			// write, into which a file system that ignores case put
			// cluster=prod's file): kept.
			if slices.ContainsFunc(folded[strings.ToLower(p)], func(w string) bool { return samePath(p, w) }) {
				continue
			}
			if err := os.Remove(p); err != nil {
				return nil, fmt.Errorf("removing %s, a partition of an earlier write: %w", p, err)
			}
			// Its folders too, once empty (os.Remove leaves a folder
			// that holds anything else): an empty date= folder is no
			// partition, but engines that list partitions list it.
			date := filepath.Dir(p)
			if os.Remove(date) == nil {
				os.Remove(filepath.Dir(date))
			}
		}
	}
	ok = true
	return files, nil
}

// foldedPartitions groups the partition files (or folders) by their
// lower-case path, the names a file system that ignores case may take for
// one.
func foldedPartitions(files []string) map[string][]string {
	m := make(map[string][]string, len(files))
	for _, p := range files {
		k := strings.ToLower(p)
		m[k] = append(m[k], p)
	}
	return m
}

// clusterDirs are the distinct cluster= folders of the partition files.
func clusterDirs(files []string) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, p := range files {
		if d := filepath.Dir(filepath.Dir(p)); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}

// sameDir reports whether the folders a and b are one (os.SameFile).
func sameDir(a, b string) bool {
	da, err := os.Stat(a)
	if err != nil {
		return false
	}
	db, err := os.Stat(b)
	return err == nil && os.SameFile(da, db)
}

// samePath reports whether the partition files a and b are one file: one
// folder (os.SameFile) and one name but for case. The folders are
// compared, not the files, which are still temporary files until renamed.
func samePath(a, b string) bool {
	return a == b || strings.EqualFold(filepath.Base(a), filepath.Base(b)) && sameDir(filepath.Dir(a), filepath.Dir(b))
}

// partitionFiles lists dir/cluster=*/date=*/intervals.parquet (read
// directory by directory: dir's name may hold a glob's metacharacters).
func partitionFiles(dir string) []string {
	var out []string
	sub := func(d, prefix string) []string {
		entries, _ := os.ReadDir(d)
		var names []string
		for _, e := range entries {
			if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
				names = append(names, filepath.Join(d, e.Name()))
			}
		}
		return names
	}
	for _, c := range sub(dir, "cluster=") {
		for _, d := range sub(c, "date=") {
			p := filepath.Join(d, PartitionFile)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				out = append(out, p)
			}
		}
	}
	return out
}

// writeTemp writes rows whole to a temporary file in name's directory,
// to be renamed to name, and returns its name. On failure it leaves no
// file.
func writeTemp(name string, rows []Row) (string, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return "", err
	}
	// With os.Create's permissions: the layout is for engines run by
	// other users too.
	f, err := tmpfile.Create(filepath.Dir(name), "."+PartitionFile+"-", "")
	if err != nil {
		return "", err
	}
	err = WriteParquet(f, rows)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// escape percent-encodes what Hive escapes in partition values.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 || c == '"' || c == '#' || c == '%' || c == '\'' || c == '*' || c == '/' ||
			c == ':' || c == '=' || c == '?' || c == '\\' || c == 0x7f || c == '{' || c == '[' || c == ']' || c == '^':
			out = append(out, '%', hex[c>>4], hex[c&15])
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

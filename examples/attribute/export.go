package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
	"github.com/ecsnet/ecsnet/flowlogs/parquetsource"
	"github.com/ecsnet/ecsnet/flowlogs/source"

	"github.com/ecsnet/ecsnet/internal/tmpfile"
)

// -export DIR writes the run's task history and flow logs as Parquet, and
// the same join as SQL for Athena, Spark and DuckDB (package sqlattr), so
// that the engines people already run give this run's numbers:
//
//	DIR/history.parquet   the task history (eni/history/intervals)
//	DIR/intervals/        the same rows in the layout athena.sql's history
//	                      table reads, cluster=NAME/date=YYYY-MM-DD/intervals.parquet
//	                      (intervals.WritePartitioned): aws s3 sync --delete it
//	                      to that table's LOCATION
//	DIR/flowlogs.parquet  the records, in AWS's Parquet flow-log layout,
//	                      naming in its footer the objects they were read from
//	DIR/duckdb.sql        run inside DIR: duckdb < duckdb.sql
//	DIR/spark.sql         spark-sql -f spark.sql, inside DIR
//	DIR/athena.sql        the tables over S3 (edit the locations) and the query
//
// The rows of duckdb.sql's last statement equal -format json's groups,
// reasons and total.

// exportFiles are the files -export writes.
var exportFiles = []string{"history.parquet", "intervals/", "flowlogs.parquet", "duckdb.sql", "spark.sql", "athena.sql"}

// checkExport refuses what -export cannot do before the run reads anything.
func checkExport(o options) error {
	if o.export == "" {
		if o.overwrite {
			return errors.New("-overwrite applies only with -export DIR")
		}
		return nil
	}
	if o.logGroup != "" {
		return errors.New("-export: not with -log-group (export CloudWatch Logs records with -flowlogs files, or query them where they lie)")
	}
	entries, err := os.ReadDir(o.export)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("-export: %w", err)
	case len(entries) > 0 && !o.overwrite:
		return fmt.Errorf("-export: %s is not empty (add -overwrite to replace %s there)", o.export, strings.Join(exportFiles, ", "))
	}
	return nil
}

// export writes the files. The records are read again, exactly as the
// run read them (the same objects as listed, format, window and
// lenience), but with every field, so that the Parquet file has the
// columns AWS would write.
func export(ctx context.Context, o options, in input, rd *reading, stderr io.Writer) error {
	dir := o.export
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-export: %w", err)
	}
	rows, err := intervals.Build(in.index)
	if err != nil {
		return fmt.Errorf("-export: %w", err)
	}
	// Every file is written under a temporary name first and renamed into
	// place only once all are written: over an earlier export
	// (-overwrite), a failure part of the way (the flow logs' second read,
	// a full disk) leaves the earlier export as it was, rather than a new
	// history beside the earlier flow logs and scripts, which the engines
	// would join without a word.
	var staged stagedFiles
	defer func() { staged.remove() }() // the files staged by then
	if err := staged.write(dir, "history.parquet", func(w io.Writer) error { return intervals.WriteParquet(w, rows) }); err != nil {
		return err
	}
	// The records' span as the window places them, at their start or
	// else their end: a record without a start (a "-" field) is not at
	// second 0, and would take the Athena projection back to 1970.
	var first, last time.Time
	accounts, regions := map[string]bool{}, map[string]bool{}
	var n int
	err = staged.write(dir, "flowlogs.parquet", func(w io.Writer) error {
		fw := sqlattr.NewFlowLogWriter(w)
		add := func(r *flowlogs.Record) error {
			if at, ok := placed(r); ok {
				if first.IsZero() || at.Before(first) {
					first = at
				}
				if at.After(last) {
					last = at
				}
			}
			if r.AccountID != "" && len(accounts) < 100 {
				accounts[r.AccountID] = true
			}
			if r.Region != "" && len(regions) < 100 {
				regions[r.Region] = true
			}
			n++
			return fw.Write(r)
		}
		// A second read of every object, as long as the first: it shows
		// its own progress line.
		progress := cli.NewProgress(stderr, "export", o.quiet)
		progress.Units("", "", "object bytes")
		progress.Total(rd.objects, rd.size)
		err := exportRecords(ctx, rd, add, progress)
		progress.Done()
		if err != nil {
			return err
		}
		// The file gathers the records of what was read: a partial made
		// of it names those inputs, so Merge refuses it beside theirs.
		if err := fw.SetInputs(rd.partialInputs(last)); err != nil {
			return err
		}
		return fw.Close()
	})
	if err != nil {
		return err
	}

	b := sqlattr.Builder{By: o.by, NoIPFallback: !o.ipFallback}
	clusters := map[string]bool{}
	firstDate := ""
	for _, r := range rows {
		clusters[cmp.Or(r.Cluster, intervals.UnknownCluster)] = true
		// A task's flow logs are delivered under its VPC's region, its
		// ARN's region.
		if a, err := arn.Parse(cmp.Or(r.TaskARN, r.ContainerInstanceARN)); err == nil && a.Region != "" && len(regions) < 100 {
			regions[a.Region] = true
		}
		// The earliest date WritePartitioned files a row under.
		if d := intervals.PartitionDate(r); firstDate == "" || d < firstDate {
			firstDate = d
		}
	}
	athena := sqlattr.Tables{
		FlowLogsLocation: "s3://YOUR-FLOW-LOG-BUCKET/PREFIX/AWSLogs/", FlowLogsLayout: sqlattr.ParquetHive,
		Accounts: sortedKeys(accounts), Regions: sortedKeys(regions),
		FirstDay:          firstDay(first),
		IntervalsLocation: "s3://YOUR-HISTORY-BUCKET/ecsnet/intervals/", Clusters: sortedKeys(clusters), FirstDate: firstDate,
	}
	if len(athena.Accounts) == 0 {
		athena.Accounts = []string{"123456789012"}
	}
	if len(athena.Regions) == 0 {
		athena.Regions = []string{"us-east-1"}
	}
	scripts := []struct {
		name    string
		dialect sqlattr.Dialect
		tables  sqlattr.Tables
		head    string
	}{
		{"duckdb.sql", sqlattr.DuckDB, sqlattr.Tables{}, "-- Run inside this directory: duckdb < duckdb.sql (the last statement's rows are the report).\n"},
		{"spark.sql", sqlattr.Spark, sqlattr.Tables{}, "-- Run inside this directory: spark-sql -f spark.sql (or give absolute paths or s3:// locations).\n"},
		{"athena.sql", sqlattr.Athena, athena,
			"-- Amazon Athena (engine v3). Copy intervals/ (history.parquet's rows in the cluster=/date= layout) to\n" +
				"-- the history table's LOCATION: aws s3 sync --delete intervals/ s3://YOUR-HISTORY-BUCKET/ecsnet/intervals/\n" +
				"-- (--delete: a partition a rewrite removed would be read beside its rows' new one).\n" +
				"-- Set the two LOCATIONs, run each CREATE once, then the query. The accounts and regions projected are those\n" +
				"-- of the records and of the history's ARNs: add any others whose flow logs the query is to read.\n" +
				"-- A WHERE on the flow logs' partition columns prunes what is read;\n" +
				"-- on the history's, only \"date\" <= the last day queried, never cluster (sqlattr.Builder.IntervalFilter).\n"},
	}
	for _, s := range scripts {
		b.Dialect = s.dialect
		text, err := b.Script(s.tables)
		if err != nil {
			return fmt.Errorf("-export: %w", err)
		}
		if err := staged.write(dir, s.name, func(w io.Writer) error {
			_, err := io.WriteString(w, s.head+text)
			return err
		}); err != nil {
			return err
		}
	}
	// Athena reads the history partitioned: written here, it needs no
	// code of the user's to get there, only a sync. (Over an earlier
	// export, -overwrite, the partitions no row is filed under now go.)
	// Last of the writes: it puts its own files in place.
	if _, err := intervals.WritePartitioned(filepath.Join(dir, "intervals"), rows); err != nil {
		return fmt.Errorf("-export: %w", err)
	}
	if err := staged.rename(); err != nil {
		return err
	}
	fmt.Fprintf(o.info(stderr), "attribute: exported %d intervals and %d records to %s (%s)\n", len(rows), n, dir, strings.Join(exportFiles, ", "))
	return nil
}

// firstDay is Tables.FirstDay for records from first: "" (sqlattr's
// default) when no record was placed.
func firstDay(first time.Time) string {
	if first.IsZero() {
		return ""
	}
	return first.Format("2006/01/02")
}

// exportRecords reads the run's flow logs again, into add, counting each
// object read on progress.
func exportRecords(ctx context.Context, rd *reading, add func(*flowlogs.Record) error, progress *cli.Progress) error {
	for _, src := range rd.read {
		counted, rest := countBytes(src, progress)
		done := source.WithObjectDone(func(d source.ObjectDone) { progress.Add(1, d.Stats.Records, rest(d.Object)) })
		opts := []source.Option{source.WithReaderOptions(rd.recordOptions()...), parquetsource.WithDecoder(), done}
		for r, err := range source.Records(ctx, counted, opts...) {
			if err == nil {
				err = add(r)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// stagedFiles are the export's files written whole under temporary
// names, each with its final one, to be renamed into place together.
type stagedFiles []struct{ tmp, name string }

// write writes one file of the export under a temporary name in dir (a
// dot file, which the engines' globs skip).
func (s *stagedFiles) write(dir, name string, write func(io.Writer) error) (err error) {
	// A folder in the file's place would fail its rename, after the
	// files before it (and intervals/) were put in place: refused now,
	// while the earlier export is as it was.
	if fi, err := os.Lstat(filepath.Join(dir, name)); err == nil && fi.IsDir() {
		return fmt.Errorf("-export: %s: is a directory", filepath.Join(dir, name))
	}
	// With the permissions of the file it replaces, as cli.WriteFile.
	f, err := tmpfile.Replacing(dir, "."+name+"-", "", filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("-export: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("-export: %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("-export: %s: %w", name, err)
	}
	*s = append(*s, struct{ tmp, name string }{f.Name(), filepath.Join(dir, name)})
	return nil
}

// rename puts every file in place.
func (s stagedFiles) rename() error {
	for _, f := range s {
		if err := os.Rename(f.tmp, f.name); err != nil {
			return fmt.Errorf("-export: %w", err)
		}
	}
	return nil
}

// remove removes the temporary files not renamed (after a rename, a
// no-op).
func (s stagedFiles) remove() {
	for _, f := range s {
		os.Remove(f.tmp)
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// placed is the time the window places r at, as attribution's
// Partial.Last does: its start, or without one its end.
func placed(r *flowlogs.Record) (time.Time, bool) {
	switch {
	case r.Has(flowlogs.FieldStart):
		return time.Unix(r.Start, 0).UTC(), true
	case r.Has(flowlogs.FieldEnd):
		return time.Unix(r.End, 0).UTC(), true
	}
	return time.Time{}, false
}

package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
)

// historyCache is the task history index read from S3, cached across
// the invocations of a warm container (see objectCache).
type historyCache = objectCache[*history.Index]

// newHistoryCache caches the task history of s3://bucket/key: a key ending
// in ".parquet" is the task history as a table (eni/history/intervals, as
// examples/attribute -export writes it), any other a Watcher's file as
// examples/record writes it, or anything history.Builder.Load reads (one
// JSON value, a line or an eni snapshot, of at most the library's 64 MiB,
// where attribute -tasks takes 1 GiB on a bigger machine).
func newHistoryCache(client objectAPI, bucket, key string) *historyCache {
	decode := readHistory
	if strings.HasSuffix(key, ".parquet") {
		decode = readTable
	}
	return newObjectCache(client, "history", bucket, key, decode)
}

// readHistory reads the task history as history.Builder.Load does.
func readHistory(body io.Reader, _ int64, name string) (*history.Index, error) {
	b := history.NewBuilder()
	st, err := b.Load(body, name)
	if err != nil {
		// A history with bad lines would attribute silently less: refuse it
		// and let the event source retry (or dead-letter) the objects.
		return nil, fmt.Errorf("history: %d bad values: %w", st.Errors, err)
	}
	if st.Tasks == 0 {
		return nil, fmt.Errorf("history %s: no task observations", name)
	}
	// What the history holds that this worker cannot use is left out,
	// not refused (a newer ecsnet's events, a value ECS added since):
	// the partials attribute without it, and the log says so.
	if st.Newer > 0 {
		logger.Warn(fmt.Sprintf("history %s: %s skipped: the partials lack what they hold (deploy that ecsnet)", name, history.NewerEvents(st.Newer)))
	}
	if st.Unknown > 0 {
		logger.Warn(fmt.Sprintf("history %s: %s left out: traffic they would match stays unattributed", name, history.UnknownValues(st.Unknown)))
	}
	return b.Index(), nil
}

// maxTableBytes bounds the history table read into memory: Parquet is
// read from its end, so the object is held whole. A row takes some tens
// of bytes compressed, so this is millions of ownership intervals, in a
// function of 1,769 MB (template.json). A variable for tests.
var maxTableBytes int64 = 256 << 20

// readTable reads the task history as an intervals table of size bytes
// (as HeadObject reported it) and rebuilds the history from it.
func readTable(body io.Reader, size int64, name string) (*history.Index, error) {
	if size > maxTableBytes {
		return nil, fmt.Errorf("history %s: %d bytes, more than the %d this worker reads into memory", name, size, maxTableBytes)
	}
	b, err := io.ReadAll(io.LimitReader(body, maxTableBytes+1))
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", name, err)
	}
	if int64(len(b)) > maxTableBytes {
		return nil, fmt.Errorf("history %s: more than the %d bytes this worker reads into memory", name, maxTableBytes)
	}
	rows, err := intervals.ReadParquet(bytes.NewReader(b), int64(len(b)), name)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	ix, err := intervals.Index(rows)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", name, err)
	}
	if len(ix.Tasks()) == 0 {
		return nil, fmt.Errorf("history %s: no tasks", name)
	}
	return ix, nil
}

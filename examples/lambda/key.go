package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// outputKey names the partial written for one source object:
//
//	<prefix>cluster=<cluster>/date=YYYY-MM-DD/hour=HH/<hash><ext>
//
// The date and hour are those of the flow-log file's name (the delivery
// stamp source.ParseKey reads, UTC), so a late or reordered event lands in
// the partition of the data, not of its arrival. The file name is a hash
// of bucket and key, not of the version: every delivery of the same event
// (S3 and Lambda deliver at least once, SQS and async retries repeat it)
// and every later version of the object (rewritten in place to re-encrypt
// or recompress it) writes the same key, so one object is counted once,
// as its latest version (process decides which write wins).
func outputKey(prefix, cluster string, ref objectRef, ext string) (string, error) {
	k, err := source.ParseKey(ref.Key)
	if err != nil {
		return "", err
	}
	if cluster == "" || strings.ContainsAny(cluster, "/=") {
		return "", fmt.Errorf("cluster %q: must be non-empty, without '/' or '='", cluster)
	}
	h := sha256.New()
	for _, s := range []string{ref.Bucket, ref.Key} {
		h.Write([]byte(s))
		h.Write([]byte{0}) // no ambiguity between ("ab","c") and ("a","bc")
	}
	name := hex.EncodeToString(h.Sum(nil)[:16])
	t := k.Time.UTC()
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return fmt.Sprintf("%scluster=%s/date=%s/hour=%s/%s%s", prefix, cluster, t.Format("2006-01-02"), t.Format("15"), name, ext), nil
}

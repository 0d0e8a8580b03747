package partials_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// TestReadRefusesNonCanonicalPeers: a peer row holds what Partial
// writes, the peer masked to the file's peer prefix (IPv4 as IPv4). A
// file with another prefix length, host bits set, or an IPv4-mapped
// address read without error, and then Merge kept two entries for one
// peer (each counted at the other side's bound) while Result merged or
// relabelled them: 10.9.9.9/24 under /32 peers came out as 10.9.9.9/32.
func TestReadRefusesNonCanonicalPeers(t *testing.T) {
	h := cluster(t)
	p := attribute(t, h, objects(3, 1, 200)).Partial()
	rows, err := partials.Rows(p)
	if err != nil {
		t.Fatal(err)
	}
	pr := rowOf(rows, func(r *partials.Row) bool { return r.Kind == partials.KindPeer && r.Peer != "" })
	if pr < 0 {
		t.Fatal("no peer row")
	}
	for _, peer := range []string{"10.0.0.0/8", "10.9.9.9/24", "::ffff:10.9.9.77/128", "2001:db8::/64"} {
		rs := append([]partials.Row(nil), rows...)
		rs[pr].Peer = peer
		b := writeRows(t, rs)
		_, err := partials.Read(bytes.NewReader(b), int64(len(b)), "x.parquet")
		var pe *partials.Error
		if !errors.As(err, &pe) || pe.Name != "x.parquet" || pe.Row != int64(pr+1) || pe.Column != "peer" {
			t.Errorf("peer %s: got %v, want an error at row %d column peer", peer, err, pr+1)
		}
	}
}

// TestReadRefusesUnalignedBuckets: a point's bucket_start is a
// multiple of the step from the Unix epoch, as Attributors make them. An
// unaligned one read without error: Merge kept it beside the aligned
// point of its bucket (two points for one bucket in the merged partial,
// two rows for the SQL reduce), while Result moved it to its bucket.
func TestReadRefusesUnalignedBuckets(t *testing.T) {
	h := cluster(t)
	p := attribute(t, h, objects(3, 1, 200)).Partial()
	rows, err := partials.Rows(p)
	if err != nil {
		t.Fatal(err)
	}
	pt := rowOf(rows, func(r *partials.Row) bool { return r.Kind == partials.KindPoint })
	for _, d := range []time.Duration{7 * time.Second, 500 * time.Millisecond} {
		rs := append([]partials.Row(nil), rows...)
		x := rs[pt].BucketStart.Add(d)
		rs[pt].BucketStart = &x
		b := writeRows(t, rs)
		q, err := partials.Read(bytes.NewReader(b), int64(len(b)), "x.parquet")
		var pe *partials.Error
		if !errors.As(err, &pe) || pe.Row != int64(pt+1) || pe.Column != "bucket_start" {
			t.Errorf("bucket start +%v: got %v, want an error at row %d column bucket_start", d, err, pt+1)
		}
		if q != nil {
			m, err := attribution.Merge(q, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, tp := range m.Tasks {
				for i := 1; i < len(tp.Series); i++ {
					s := m.Config.Step
					if tp.Series[i].Start.Truncate(s).Equal(tp.Series[i-1].Start.Truncate(s)) {
						t.Errorf("merged task %s has two points in the bucket of %v", tp.Task.ARN, tp.Series[i].Start)
					}
				}
			}
		}
	}
}

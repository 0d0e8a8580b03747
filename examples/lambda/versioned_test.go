package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// partialOf is the partial of body attributed alone, in memory, as the
// object key of the log bucket: what the worker must write for a version
// of key holding body.
func partialOf(t *testing.T, key string, body []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), filepath.FromSlash(strings.TrimPrefix(key, keyPrefix)))
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	b := history.NewBuilder()
	if _, err := b.Load(bytes.NewReader(sampleHistory(t)), "history"); err != nil {
		t.Fatal(err)
	}
	a := attribution.New(b.Index())
	if err := a.AddAll(source.Records(context.Background(), source.Files{file})); err != nil {
		t.Fatal(err)
	}
	k, err := source.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pp, tasks := a.PartialStream()
	p, err := encodePartial(pp, tasks, attribution.Input{Name: k.DeliveryName()})
	if err != nil {
		t.Fatal(err)
	}
	return string(p)
}

// versionedEnv is newEnv with versioning on in the log bucket and the
// key of e.objs[0] written twice since: version 1 its own bytes, version
// 2 those of e.objs[1] (other records, another ETag and size). It returns
// the two versions' events, version 2's with the later sequencer, and the
// partials each must give.
func versionedEnv(t *testing.T) (e *env, ev1, ev2 []byte, out, want1, want2 string) {
	t.Helper()
	e = newEnv(t)
	e.f.EnableVersioning(logBucket)
	o, other := e.objs[0], e.objs[1]
	v1 := e.f.PutObject(logBucket, o.key, o.body)
	v2 := e.f.PutObject(logBucket, o.key, other.body)
	if v1 == "" || v2 == "" || v1 == v2 {
		t.Fatalf("version IDs %q, %q", v1, v2)
	}
	if etag := e.etag(t, logBucket, o.key); etag != other.etag || etag == o.etag {
		t.Fatalf("the current ETag %s, want version 2's %s", etag, other.etag)
	}
	record := func(etag string, size int, version, sequencer string) []byte {
		r := s3Record(logBucket, o.key, etag, size)
		obj := r["s3"].(map[string]any)["object"].(map[string]any)
		obj["versionId"], obj["sequencer"] = version, sequencer
		return s3EventJSON(r)
	}
	ev1 = record(o.etag, len(o.body), v1, "0066A1B2C3D4E5F601")
	ev2 = record(other.etag, len(other.body), v2, "0066A1B2C3D4E5F701")
	out = e.outKey(t, o)
	want1, want2 = partialOf(t, o.key, o.body), partialOf(t, o.key, other.body)
	if want1 != e.want(t)[out] {
		t.Fatal("partialOf of the first object differs from want's")
	}
	if want1 == want2 {
		t.Fatal("the two versions give the same partial: the test could not tell them apart")
	}
	return e, ev1, ev2, out, want1, want2
}

// TestVersionedLateEventReadsItsVersion: in a versioned log bucket, the
// event of version 1 processed after the key was overwritten by version
// 2 reads version 1 (GetObject with its versionId and If-Match of its
// ETag) and writes version 1's partial; it is not skipped as in an
// unversioned bucket, where the bytes are gone.
func TestVersionedLateEventReadsItsVersion(t *testing.T) {
	e, ev1, _, out, want1, _ := versionedEnv(t)
	logged := captureLog(t)
	if _, err := e.w.handle(context.Background(), ev1); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logged.String(), "skipped") {
		t.Fatalf("version 1's event was skipped:\n%s", logged.String())
	}
	if !slices.Contains(e.f.Actions(), "s3:GetObjectVersion") {
		t.Errorf("actions %q: no version was read", e.f.Actions())
	}
	got := e.outputs(t)
	if len(got) != 1 {
		t.Fatalf("%d partials, want 1", len(got))
	}
	if got[out] != want1 {
		t.Fatalf("the partial at %s is not version 1's alone", out)
	}
}

// TestVersionedEventsLatestWins: with the events of both versions, in
// either order, the partial left is version 2's, the later sequencer's:
// version 1's event, read now that its version is served, neither
// overwrites version 2's partial nor is overwritten by anything else.
func TestVersionedEventsLatestWins(t *testing.T) {
	for _, order := range []string{"v1,v2", "v2,v1"} {
		t.Run(order, func(t *testing.T) {
			e, ev1, ev2, out, want1, want2 := versionedEnv(t)
			logged := captureLog(t)
			events := map[string][]byte{"v1": ev1, "v2": ev2}
			for _, v := range strings.Split(order, ",") {
				if _, err := e.w.handle(context.Background(), events[v]); err != nil {
					t.Fatalf("%s's event: %v", v, err)
				}
			}
			if strings.Contains(logged.String(), "skipped") {
				t.Fatalf("an event was skipped:\n%s", logged.String())
			}
			if order == "v2,v1" && !strings.Contains(logged.String(), "holds the partial of a later version") {
				t.Errorf("version 1's late event was not refused by write:\n%s", logged.String())
			}
			got := e.outputs(t)
			if len(got) != 1 {
				t.Fatalf("%d partials, want 1", len(got))
			}
			switch got[out] {
			case want2:
			case want1:
				t.Fatalf("the partial at %s is version 1's, want version 2's", out)
			default:
				t.Fatalf("the partial at %s is neither version's", out)
			}
		})
	}
}

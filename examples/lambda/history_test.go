package main

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/eni/history/intervals"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// counting counts an object cache's calls.
type counting struct {
	objectAPI
	mu          sync.Mutex
	heads, gets int
}

func (c *counting) HeadObject(ctx context.Context, in *s3.HeadObjectInput, o ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	c.mu.Lock()
	c.heads++
	c.mu.Unlock()
	return c.objectAPI.HeadObject(ctx, in, o...)
}

func (c *counting) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	c.mu.Lock()
	c.gets++
	c.mu.Unlock()
	return c.objectAPI.GetObject(ctx, in, o...)
}

// TestHistoryCache checks the history is read once per warm container,
// re-read only when its ETag changes, through throttling and 5xx.
func TestHistoryCache(t *testing.T) {
	e := newEnv(t)
	e.f.Allow("s3:GetObject") // HeadObject and GetObject: the only action the cache needs
	e.f.SetFaults(fakeaws.Faults{ThrottleEvery: 2, ServerErrorEvery: 3, DropEvery: 5})
	c := &counting{objectAPI: e.c}
	h := newHistoryCache(c, stateBucket, historyKey)
	ctx := context.Background()
	first, err := h.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Tasks()) == 0 {
		t.Fatal("history has no tasks")
	}
	for range 5 {
		ix, err := h.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ix != first {
			t.Fatal("unchanged history was read again")
		}
	}
	if c.heads != 6 || c.gets != 1 || h.loads != 1 {
		t.Fatalf("6 invocations: %d HeadObject, %d GetObject, %d loads; want 6, 1, 1", c.heads, c.gets, h.loads)
	}
	if e.f.Faulted()["s3:GetObject"] == 0 {
		t.Fatalf("faults not exercised: %v", e.f.Faulted())
	}

	// The watcher appends: a new ETag, a new read.
	e.f.PutObject(stateBucket, historyKey, append(sampleHistory(t), sampleHistory(t)...))
	second, err := h.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second == first || h.loads != 2 || c.gets != 2 {
		t.Fatalf("changed history: loads %d, gets %d, new index %v", h.loads, c.gets, second != first)
	}
	if len(second.Tasks()) != len(first.Tasks()) {
		t.Fatalf("the same observations twice: %d tasks, want %d", len(second.Tasks()), len(first.Tasks()))
	}

	// A history that does not load is an error, not an empty index.
	for _, body := range []string{"", "{not json\n", `{"hello":"world"}` + "\n"} {
		e.f.PutObject(stateBucket, historyKey, []byte(body))
		if ix, err := h.Get(ctx); err == nil {
			t.Errorf("history %q: got an index of %d tasks, want an error", body, len(ix.Tasks()))
		}
	}
	e.f.SetFaults(fakeaws.Faults{})
	h2 := newHistoryCache(e.c, stateBucket, "history/none.jsonl")
	if _, err := h2.Get(ctx); err == nil || !strings.Contains(err.Error(), "history/none.jsonl") {
		t.Fatalf("missing history file: %v", err)
	}
}

// sampleTable is the sample cluster's task history as the intervals table
// (what examples/attribute -export writes as history.parquet).
func sampleTable(t testing.TB) []byte {
	t.Helper()
	b := history.NewBuilder()
	if _, err := b.Load(bytes.NewReader(sampleHistory(t)), "history"); err != nil {
		t.Fatal(err)
	}
	rows, err := intervals.Build(b.Index())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := intervals.WriteParquet(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHistoryTable: with HISTORY_KEY naming a .parquet table, the worker
// writes the partials the JSON history of the same sample gives, but for
// the task and instance fields the table does not carry (a task's status
// and version, an instance's type and version; no report shows them), and
// their merge reports what one run over the JSON history reports, byte for
// byte. A table that is not one is refused, naming the object.
func TestHistoryTable(t *testing.T) {
	const tableKey = "history/demo.history.parquet"
	e := newEnv(t)
	want := e.want(t)
	e.f.PutObject(stateBucket, tableKey, sampleTable(t))
	e.w.history = newHistoryCache(e.api, stateBucket, tableKey)
	e.deliver(t, "s3", seq(len(e.objs)))
	got := e.outputs(t)
	if len(got) != len(want) {
		t.Fatalf("%d outputs, want %d", len(got), len(want))
	}
	ctx := context.Background()
	ix, err := e.w.history.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.Tasks()) == 0 {
		t.Fatal("the table rebuilt no tasks")
	}
	carried := func(key, body string) *attribution.Partial {
		p, err := partials.Read(strings.NewReader(body), int64(len(body)), key)
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range p.Tasks {
			tp.Task.LastStatus, tp.Task.Version = "", 0
			if tp.Instance != nil {
				tp.Instance.InstanceType, tp.Instance.Version = "", 0
			}
		}
		return p
	}
	differ := 0
	for key, body := range want {
		if got[key] != body {
			differ++
		}
		if g, w := carried(key, got[key]), carried(key, body); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: the partial from the table differs in a field the table carries:\n%+v\nwant\n%+v", key, g, w)
		}
	}
	t.Logf("%d of %d partials differ in bytes (status, version, instance type)", differ, len(want))
	checkMergeIsWhole(t, got)

	// A table larger than the worker reads into memory.
	defer func(n int64) { maxTableBytes = n }(maxTableBytes)
	maxTableBytes = 1000
	fresh := newHistoryCache(e.api, stateBucket, tableKey)
	if _, err := fresh.Get(ctx); err == nil || !strings.Contains(err.Error(), "more than the 1000") {
		t.Errorf("a table over the bound: %v", err)
	}
	maxTableBytes = 256 << 20
	for _, body := range [][]byte{[]byte("PAR1"), sampleHistory(t), sampleTable(t)[:100]} {
		e.f.PutObject(stateBucket, tableKey, body)
		if _, err := e.w.history.Get(ctx); err == nil || !strings.Contains(err.Error(), "s3://state/"+tableKey) {
			t.Errorf("a %d-byte object that is no table: %v, want an error naming it", len(body), err)
		}
	}
}

// TestHistoryLeftOutLogged: a history holding what this worker cannot use
// (a newer ecsnet's event, a binding protocol ECS added since) is read
// without it, and the log says what was left out: the partials would
// otherwise attribute less without a word.
func TestHistoryLeftOutLogged(t *testing.T) {
	log := captureLog(t)
	task := `{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/prod/aaaa","clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/prod",` +
		`"lastStatus":"RUNNING","desiredStatus":"RUNNING","version":1,"createdAt":"2026-11-25T10:00:00Z","startedAt":"2026-11-25T10:00:05Z",` +
		`"containerInstanceArn":"arn:aws:ecs:us-east-1:123456789012:container-instance/prod/ci1",` +
		`"containers":[{"name":"web","networkBindings":[{"bindIP":"0.0.0.0","containerPort":80,"hostPort":32768,"protocol":"tcp"},` +
		`{"bindIP":"0.0.0.0","containerPort":90,"hostPort":32769,"protocol":"sctp"}]}]}`
	body := `{"version":"0","id":"1","detail-type":"ECS Task State Change","source":"aws.ecs","time":"2026-11-25T10:01:00Z","detail":` + task + "}\n" +
		`{"version":"0","id":"2","detail-type":"ECS Something New","source":"ecsnet.history","time":"2026-11-25T10:02:00Z","detail":{}}` + "\n"
	if _, err := readHistory(strings.NewReader(body), int64(len(body)), "h.jsonl"); err != nil {
		t.Fatalf("readHistory: %v", err)
	}
	for _, want := range []string{
		"history h.jsonl: 1 value this version does not know (perhaps new to ECS: a host port binding's protocol other than tcp and udp) left out",
		"history h.jsonl: 1 event of a newer ecsnet",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log:\n%s\nwant a line with %q", log.String(), want)
		}
	}
}

// TestHistoryCacheLetsGoOfOldVersion: when the history's ETag changes, the
// cache holds the old index no longer while it reads the new one (a warm
// container near its memory limit held both, and the decode's garbage,
// at the moment of replacement), nor after a new version fails to decode.
func TestHistoryCacheLetsGoOfOldVersion(t *testing.T) {
	e := newEnv(t)
	h := newHistoryCache(e.c, stateBucket, historyKey)
	decode := h.decode
	held := 0
	h.decode = func(r io.Reader, n int64, name string) (*history.Index, error) {
		if h.loaded || h.value != nil {
			held++
		}
		return decode(r, n, name)
	}
	ctx := context.Background()
	if _, err := h.Get(ctx); err != nil {
		t.Fatal(err)
	}
	e.f.PutObject(stateBucket, historyKey, append(sampleHistory(t), sampleHistory(t)...))
	if _, err := h.Get(ctx); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Errorf("the old index was held while the new version was read")
	}
	e.f.PutObject(stateBucket, historyKey, []byte("not a history\n"))
	if _, err := h.Get(ctx); err == nil {
		t.Fatal("a damaged history read without an error")
	}
	if h.loaded || h.value != nil {
		t.Errorf("after a version that fails to decode, the cache still holds the last one's index")
	}
}

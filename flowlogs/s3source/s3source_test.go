package s3source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	smithy "github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"

// object is a generated flow-log object: records with unique byte
// counts (ids), ending within 5 minutes after the file's stamp.
type object struct {
	key string
	ids []int64
}

// fill uploads a bucket with two accounts (plain daily layout and Hive
// hourly under an organization segment), two regions, a file every 5
// minutes over 2.5 hours across midnight, and other services' logs.
func fill(f *fakeaws.S3, bucket string) []object {
	var objs []object
	var id int64
	t0 := time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC)
	for _, acct := range []string{"111111111111", "222222222222"} {
		for _, region := range []string{"us-east-1", "eu-west-1"} {
			for s := t0; s.Before(t0.Add(150 * time.Minute)); s = s.Add(5 * time.Minute) {
				dir := fmt.Sprintf("prod/AWSLogs/%s/vpcflowlogs/%s/%s/", acct, region, s.Format("2006/01/02"))
				if acct == "222222222222" {
					dir = fmt.Sprintf("prod/AWSLogs/o-a1b2c3d4e5/aws-account-id=%s/aws-service=vpcflowlogs/aws-region=%s/year=%s/month=%s/day=%s/hour=%s/",
						acct, region, s.Format("2006"), s.Format("01"), s.Format("02"), s.Format("15"))
				}
				key := dir + fmt.Sprintf("%s_vpcflowlogs_%s_fl-0abc_%s_%08x.log.gz", acct, region, s.Format("20060102T1504Z"), id)
				var b bytes.Buffer
				b.WriteString(header)
				o := object{key: key}
				for i := 0; i < 1+int(id%5); i++ {
					id++
					end := s.Unix() + id%300
					fmt.Fprintf(&b, "2 %s eni-%04x 10.0.0.%d 10.1.0.1 %d 443 6 3 %d %d %d ACCEPT OK\n", acct, id%9, 1+id%250, 1024+i, id, end-id%600, end)
					o.ids = append(o.ids, id)
				}
				var z bytes.Buffer
				zw := gzip.NewWriter(&z)
				zw.Write(b.Bytes())
				zw.Close()
				f.PutObject(bucket, key, z.Bytes())
				objs = append(objs, o)
			}
		}
	}
	f.PutObject(bucket, "prod/AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/25/111111111111_CloudTrail_us-east-1_20261125T0000Z_x.json.gz", []byte("{}"))
	f.PutObject(bucket, "prod/AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/11/25/manifest.json", []byte("{}"))
	f.PutObject(bucket, "other/readme.txt", []byte("hi"))
	sort.Slice(objs, func(i, j int) bool { return objs[i].key < objs[j].key })
	return objs
}

func client(f *fakeaws.S3) *s3.Client {
	return s3.NewFromConfig(fakeaws.Config(), func(o *s3.Options) {
		o.BaseEndpoint = f.BaseEndpoint()
		o.UsePathStyle = true
	})
}

// recorder logs the prefixes listed.
type recorder struct {
	API
	mu       sync.Mutex
	prefixes []string
}

func (r *recorder) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, o ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	r.mu.Lock()
	r.prefixes = append(r.prefixes, aws.ToString(in.Prefix)+"|"+aws.ToString(in.Delimiter))
	r.mu.Unlock()
	return r.API.ListObjectsV2(ctx, in, o...)
}

func TestListPrunes(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	ctx := context.Background()
	since, until := time.Date(2026, 11, 24, 23, 50, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 10, 0, 0, time.UTC)
	tests := []struct {
		name   string
		prefix string
		prune  source.Prune
		page   int32
	}{
		{"everything", "", source.Prune{}, 0},
		{"everything, small pages", "prod/", source.Prune{}, 7},
		{"account", "", source.Prune{Accounts: []string{"222222222222"}}, 3},
		{"region", "prod/AWSLogs/", source.Prune{Regions: []string{"eu-west-1"}}, 0},
		{"window across midnight", "", source.Prune{Since: since, Until: until}, 2},
		{"all filters", "prod", source.Prune{Accounts: []string{"111111111111"}, Regions: []string{"us-east-1"}, Since: since, Until: until}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for _, o := range objs {
				k, _ := source.ParseKey(o.key)
				if tt.prune.Keep(k) {
					want = append(want, o.key)
				}
			}
			rec := &recorder{API: client(f)}
			b := &Bucket{Client: rec, Bucket: "logs", Prefix: tt.prefix, Prune: tt.prune, PageSize: tt.page}
			got, err := b.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, o := range got {
				names = append(names, o.Name)
				if o.Size <= 0 || o.Key.Account == "" {
					t.Fatalf("object %+v lacks size or key", o)
				}
				if h, err := client(f).HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("logs"), Key: aws.String(o.Name)}); err != nil || aws.ToString(h.ETag) != o.ETag {
					t.Fatalf("object %+v: listed ETag %q, HeadObject's %v", o, o.ETag, err)
				}
			}
			if !slices.Equal(names, want) {
				t.Fatalf("listed %d objects, want %d:\n%q\n%q", len(names), len(want), names, want)
			}
			for _, p := range rec.prefixes {
				if strings.Contains(p, "CloudTrail") {
					t.Fatalf("listed %q: another service's logs were not pruned", p)
				}
				if !tt.prune.Since.IsZero() && (strings.Contains(p, "/22/") || strings.Contains(p, "hour=22/")) {
					t.Fatalf("listed %q outside the window", p)
				}
			}
		})
	}
}

// TestReadThroughFaults reads the bucket through the real SDK while the
// fake throttles, fails, drops connections and cuts bodies mid-stream, and
// checks the exact records read, in key order, and the IAM actions used.
func TestReadThroughFaults(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	f.Allow("s3:ListBucket", "s3:GetObject")
	f.SetFaults(fakeaws.Faults{ThrottleEvery: 3, ServerErrorEvery: 5, DropEvery: 7})
	f.SetTruncateEvery(4)
	b := &Bucket{Client: client(f), Bucket: "logs", PageSize: 5}
	readsAll(t, b, objs, source.WithConcurrency(4))
	if f.Truncated() == 0 || f.Faulted()["s3:GetObject"] == 0 || f.Faulted()["s3:ListBucket"] == 0 {
		t.Fatalf("faults not exercised: truncated %d, faulted %v", f.Truncated(), f.Faulted())
	}
	if acts := f.Actions(); !slices.Equal(acts, []string{"s3:GetObject", "s3:ListBucket"}) {
		t.Fatalf("actions used %q, want exactly s3:GetObject and s3:ListBucket", acts)
	}
}

// extra is a Source listing one more object than the bucket holds.
type extra struct {
	*Bucket
	key string
}

func (e extra) List(ctx context.Context) ([]source.Object, error) {
	objs, err := e.Bucket.List(ctx)
	return append(objs, source.Object{Name: e.key, Size: -1}), err
}

func TestReadErrorsNameTheKey(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	ctx := context.Background()
	count := func(_ source.Object, r *flowlogs.Reader) error {
		for r.Scan() {
		}
		return nil
	}
	wantObjErr := func(t *testing.T, err error, key string, target any) {
		t.Helper()
		var oe *source.ObjectError
		if !errors.As(err, &oe) || oe.Name != key || !errors.As(err, target) {
			t.Fatalf("want an ObjectError for %s wrapping %T, got %v", key, target, err)
		}
	}

	missing := "prod/AWSLogs/111111111111/vpcflowlogs/us-east-1/2026/11/25/gone.log.gz"
	err := source.Each(ctx, extra{&Bucket{Client: client(f), Bucket: "logs"}, missing}, count, source.WithConcurrency(2))
	var nsk *types.NoSuchKey
	wantObjErr(t, err, missing, &nsk)

	// Every body cut before its first byte: resuming gives up after
	// MaxResumes, naming the key.
	f.SetTruncateEvery(1)
	f.SetTruncateEmpty(true)
	b := &Bucket{Client: client(f), Bucket: "logs", Prefix: objs[0].key, MaxResumes: 3}
	err = source.Each(ctx, b, count)
	var pe *flowlogs.ParseError
	if errors.As(err, &pe) {
		t.Fatalf("a cut body must not surface as a parse error: %v", err)
	}
	var oe *source.ObjectError
	if !errors.As(err, &oe) || oe.Name != objs[0].key || !strings.Contains(err.Error(), "3 resumes") {
		t.Fatalf("want a resume failure naming %s, got %v", objs[0].key, err)
	}
	f.SetTruncateEvery(0)
	f.SetTruncateEmpty(false)

	// Missing s3:GetObject permission.
	f.Allow("s3:ListBucket")
	err = source.Each(ctx, &Bucket{Client: client(f), Bucket: "logs", Prefix: objs[0].key}, count)
	var ae smithy.APIError
	wantObjErr(t, err, objs[0].key, &ae)
	if ae.ErrorCode() != "AccessDenied" {
		t.Fatalf("want AccessDenied, got %v", err)
	}
	// Missing s3:ListBucket: the listing fails, naming the bucket and prefix.
	f.Allow("s3:GetObject")
	_, err = (&Bucket{Client: client(f), Bucket: "logs", Prefix: "prod/"}).List(ctx)
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" || !strings.Contains(err.Error(), "s3://logs/prod/") {
		t.Fatalf("want AccessDenied naming s3://logs/prod/, got %v", err)
	}
}

func TestRecordsFromS3(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	f.SetTruncateEvery(3)
	var want []int64
	for _, o := range objs {
		want = append(want, o.ids...)
	}
	var got []int64
	for rec, err := range source.Records(context.Background(), &Bucket{Client: client(f), Bucket: "logs"}, source.WithConcurrency(3)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.Bytes)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%d records, want %d in key and file order", len(got), len(want))
	}
}

// cutOnce cuts the first GetObject body after n bytes and replaces the
// object before the reader resumes.
type cutOnce struct {
	API
	n      int
	mu     sync.Mutex
	done   bool
	onCut  func()
	ranges []string
}

type cutBody struct {
	io.ReadCloser
	left  int
	onCut func()
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.onCut()
		return 0, io.ErrUnexpectedEOF
	}
	if len(p) > c.left {
		p = p[:c.left]
	}
	n, err := c.ReadCloser.Read(p)
	c.left -= n
	return n, err
}

func (c *cutOnce) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	out, err := c.API.GetObject(ctx, in, o...)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ranges = append(c.ranges, aws.ToString(in.Range)+" "+aws.ToString(in.IfMatch)+" "+aws.ToString(in.ExpectedBucketOwner))
	if err == nil && !c.done {
		c.done = true
		out.Body = &cutBody{ReadCloser: out.Body, left: c.n, onCut: c.onCut}
	}
	return out, err
}

func TestResumeIsPinnedToTheETag(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	key := objs[0].key
	owner := ""
	read := func(api API) ([]int64, error) {
		var ids []int64
		err := source.Each(context.Background(), &Bucket{Client: api, Bucket: "logs", Prefix: key, ExpectedBucketOwner: owner},
			func(_ source.Object, r *flowlogs.Reader) error {
				for r.Scan() {
					ids = append(ids, r.Record().Bytes)
				}
				return nil
			})
		return ids, err
	}
	// A cut body is resumed with a range pinned to the ETag: same records.
	c := &cutOnce{API: client(f), n: 40, onCut: func() {}}
	owner = "123456789012"
	ids, err := read(c)
	if err != nil || !slices.Equal(ids, objs[0].ids) {
		t.Fatalf("resumed read: %v, %v; want %v", ids, err, objs[0].ids)
	}
	if len(c.ranges) != 2 || !strings.HasPrefix(c.ranges[1], "bytes=40- \"") || !strings.HasSuffix(c.ranges[1], "\" 123456789012") {
		t.Fatalf("requests: %q", c.ranges)
	}
	// The object is replaced while the body is cut: the resume fails
	// (PreconditionFailed) instead of mixing two objects.
	c = &cutOnce{API: client(f), n: 40, onCut: func() { f.PutObject("logs", key, []byte("replaced")) }}
	_, err = read(c)
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "PreconditionFailed" {
		t.Fatalf("want PreconditionFailed, got %v", err)
	}
}

// TestExpectedBucketOwner: with ExpectedBucketOwner set, S3 refuses every
// request to a bucket another account owns, listing and reading alike,
// and serves them for the owner.
func TestExpectedBucketOwner(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	fill(f, "logs")
	for _, c := range []struct{ owner, code string }{{fakeaws.BucketOwner, ""}, {"210987654321", "AccessDenied"}} {
		var records atomic.Int64 // Each reads objects concurrently
		err := source.Each(context.Background(), &Bucket{Client: client(f), Bucket: "logs", ExpectedBucketOwner: c.owner},
			func(_ source.Object, r *flowlogs.Reader) error {
				for r.Scan() {
					records.Add(1)
				}
				return nil
			})
		n := records.Load()
		var ae smithy.APIError
		switch {
		case c.code == "" && (err != nil || n == 0):
			t.Errorf("the owner: %d records, %v", n, err)
		case c.code != "" && (!errors.As(err, &ae) || ae.ErrorCode() != c.code || n != 0):
			t.Errorf("another owner: %d records, %v; want %s", n, err, c.code)
		}
	}
}

func TestCanceled(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	fill(f, "logs")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range source.Records(ctx, &Bucket{Client: client(f), Bucket: "logs"}, source.WithConcurrency(2)) {
		if err != nil {
			last = err
			break
		}
		if n++; n == 10 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Fatalf("after cancel: %v (%d records)", last, n)
	}
}

// A body cut again and again, but coming on each time, is read to its
// end: MaxResumes counts the resumes in a row that brought no byte. (Every
// GetObject here sends half of what is left; a 228-byte object takes
// eight resumes, more than the default five, which a read under faults
// with four readers in lockstep could meet.)
func TestResumesThatProgressAreNotCounted(t *testing.T) {
	f := fakeaws.NewS3()
	defer f.Close()
	objs := fill(f, "logs")
	f.Allow("s3:ListBucket", "s3:GetObject")
	f.SetTruncateEvery(1)
	b := &Bucket{Client: client(f), Bucket: "logs", MaxResumes: 2}
	readsAll(t, b, objs)
	if f.Truncated() < 3*len(objs) {
		t.Fatalf("only %d bodies cut for %d objects", f.Truncated(), len(objs))
	}
}

// readsAll reads every object of b and checks that the records are the
// bucket's, objs, in key order.
func readsAll(t *testing.T, b *Bucket, objs []object, opts ...source.Option) {
	t.Helper()
	got, err := source.Map(context.Background(), b, func(o source.Object, r *flowlogs.Reader) ([]int64, error) {
		var ids []int64
		for r.Scan() {
			ids = append(ids, r.Record().Bytes)
		}
		return ids, nil
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var want [][]int64
	for _, o := range objs {
		want = append(want, o.ids)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("records differ from the bucket's (%d objects read, %d in the bucket)", len(got), len(want))
	}
}

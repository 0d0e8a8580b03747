// Package s3source reads VPC flow logs delivered to Amazon S3 through the
// aws-sdk-go-v2 s3 client: a [Bucket] is a source.Source, so source.Map,
// source.Each and source.Records read its objects in parallel.
//
// Listing walks the delivery layout (AWSLogs/<account>/vpcflowlogs/<region>/
// <yyyy>/<mm>/<dd>/[<HH>/], plain or Hive-style, with an optional
// organization segment) one level at a time with ListObjectsV2 and a "/"
// delimiter, pruning accounts, regions, other services' logs (CloudTrail,
// ELB) and partitions outside the time window before listing them; below the
// last level that can be pruned it lists flat, 1,000 keys a page. Reads use
// GetObject; a body cut mid-stream is resumed with a ranged GetObject pinned
// to the object's ETag, so nothing is read twice or lost.
//
// IAM: the caller needs s3:ListBucket on the bucket and s3:GetObject on the
// objects, nothing else:
//
//	{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::BUCKET"},
//	{"Effect": "Allow", "Action": "s3:GetObject",  "Resource": "arn:aws:s3:::BUCKET/PREFIX*"}
//
// In a bucket whose objects are encrypted with a customer managed KMS key
// (SSE-KMS), the caller also needs kms:Decrypt on that key, granted on
// the key's ARN (the AWS managed key aws/s3 and SSE-S3 need nothing more):
//
//	{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:REGION:ACCOUNT:key/KEY-ID"}
//
// Objects archived in GLACIER or DEEP_ARCHIVE without a restored copy are
// refused by List, before any object is read ([ArchivedError]).
package s3source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"golang.org/x/sync/errgroup"

	"github.com/ecsnet/ecsnet/flowlogs/source"
	"github.com/ecsnet/ecsnet/internal/awscall"
)

// API is the part of *s3.Client a Bucket uses.
type API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

var _ API = (*s3.Client)(nil)

// Bucket is a source.Source over the flow-log objects of an S3 bucket.
// Objects are named by their keys and listed in ascending key order.
type Bucket struct {
	Client API
	Bucket string
	// Prefix limits the listing to keys starting with it, e.g.
	// "prod/AWSLogs/" or "prod/AWSLogs/123456789012/vpcflowlogs/" ("" for
	// the whole bucket). In a bucket shared with other data, give the
	// prefix up to AWSLogs/: above it the walk can only guess (it looks two
	// folders deep for AWSLogs/, then lists flat).
	Prefix string
	// Prune selects by account, region and time from the keys.
	Prune source.Prune
	// ExpectedBucketOwner, when set, makes S3 refuse the requests (403)
	// if the bucket belongs to another account: a guard for buckets named
	// in configuration (x-amz-expected-bucket-owner).
	ExpectedBucketOwner string
	// Match selects objects by key; when nil, keys with flow-log delivery
	// names (source.ParseKey succeeds) are selected. Unlike source.Dir's,
	// it is called from the goroutines that list the bucket's folders, up
	// to ListParallel at once (and by every List under way, such as one
	// per source.Records ranged at once), so it must be safe for
	// concurrent use.
	Match func(key string) bool
	// ListParallel bounds concurrent ListObjectsV2 calls while walking
	// (default 8).
	ListParallel int
	// PageSize is ListObjectsV2's MaxKeys (default: S3's 1,000).
	PageSize int32
	// MaxResumes bounds how many times in a row one object's body is
	// resumed after a cut connection with no byte read since the last
	// resume (default 5). A body that comes on, however often it is cut,
	// is read to its end: a large object over a flaky connection is not
	// failed for cuts it recovered from.
	MaxResumes int
}

var _ source.Source = (*Bucket)(nil)

// preAWSLogsDepth is how many levels of a bucket prefix are walked looking
// for an AWSLogs/ folder before listing flat.
const preAWSLogsDepth = 2

// List walks the bucket and returns the selected objects in key order.
// When any selected object is archived and not restored, it returns no
// objects and an *ArchivedError naming the archived ones and holding the
// others: a caller that accepts the gap reads those (ArchivedError.Readable).
func (b *Bucket) List(ctx context.Context) ([]source.Object, error) {
	w := &walker{b: b}
	g, gctx := errgroup.WithContext(ctx)
	lim := b.ListParallel
	if lim <= 0 {
		lim = 8
	}
	g.SetLimit(lim)
	w.g = g
	err := w.spawn(gctx, b.Prefix)
	if werr := g.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	sort.Slice(w.objs, func(i, j int) bool { return w.objs[i].Name < w.objs[j].Name })
	if len(w.archived) > 0 {
		sort.Slice(w.archived, func(i, j int) bool { return w.archived[i].Key < w.archived[j].Key })
		return nil, &ArchivedError{Bucket: b.Bucket, Prefix: b.Prefix, Objects: w.archived, Readable: w.objs}
	}
	return w.objs, nil
}

type walker struct {
	b        *Bucket
	g        *errgroup.Group
	mu       sync.Mutex
	objs     []source.Object
	archived []ArchivedObject
}

// ArchivedObject is a selected object that cannot be read until restored.
type ArchivedObject struct {
	Key          string
	StorageClass string // GLACIER or DEEP_ARCHIVE
	// RestoreInProgress is true when a restore was asked for and has not
	// completed yet.
	RestoreInProgress bool
}

// ArchivedError is List's error when selected objects are archived in S3
// Glacier Flexible Retrieval (GLACIER) or Glacier Deep Archive
// (DEEP_ARCHIVE) without a restored copy: GetObject would refuse each,
// 403 InvalidObjectState, after every object before it had been read.
// An object with a completed restore, and one in Glacier Instant
// Retrieval (GLACIER_IR), is read as any other. (An object in an
// archive tier of S3 Intelligent-Tiering cannot be told from the
// listing: its read fails, saying to restore it.)
type ArchivedError struct {
	Bucket, Prefix string
	Objects        []ArchivedObject // in key order
	// Readable are the other selected objects, in key order, as List
	// would have returned them: a caller that accepts the gap reads
	// them with source.Listed{Source: bucket, Objects: Readable},
	// knowingly leaving out the records of Objects.
	Readable []source.Object
}

func (e *ArchivedError) Error() string {
	classes := map[string]int{}
	ongoing := 0
	for _, o := range e.Objects {
		classes[o.StorageClass]++
		if o.RestoreInProgress {
			ongoing++
		}
	}
	names := make([]string, 0, len(classes))
	for c, n := range classes {
		names = append(names, fmt.Sprintf("%d in %s", n, c))
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "s3source: s3://%s/%s: %d of the objects selected are archived (%s) and cannot be read until restored",
		e.Bucket, e.Prefix, len(e.Objects), strings.Join(names, ", "))
	if ongoing > 0 {
		fmt.Fprintf(&b, " (%d with a restore in progress)", ongoing)
	}
	const shown = 3
	for i, o := range e.Objects[:min(shown, len(e.Objects))] {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		b.WriteString(sep + o.Key)
	}
	if len(e.Objects) > shown {
		fmt.Fprintf(&b, " and %d more", len(e.Objects)-shown)
	}
	b.WriteString("; restore them (s3:RestoreObject, e.g. aws s3api restore-object) and read them once the restores complete, or choose a window without them")
	return b.String()
}

// needsRestore reports whether o, as ListObjectsV2 with RestoreStatus
// gives it, can be read only after a restore (API_RestoreStatus: no
// RestoreStatus when the object has not been restored,
// IsRestoreInProgress false with the expiry date once it has).
func needsRestore(o types.Object) bool {
	switch o.StorageClass {
	case types.ObjectStorageClassGlacier, types.ObjectStorageClassDeepArchive:
		return o.RestoreStatus == nil || aws.ToBool(o.RestoreStatus.IsRestoreInProgress)
	}
	return false
}

// spawn lists prefix in another goroutine if the limit allows, else in
// this one (waiting for a slot that the caller itself may hold would
// deadlock the walk).
func (w *walker) spawn(ctx context.Context, prefix string) error {
	f := func() error { return w.list(ctx, prefix) }
	if w.g.TryGo(f) {
		return nil
	}
	return f()
}

// descend reports whether prefix should be listed with a delimiter, so its
// sub-folders can be pruned, rather than flat.
func (w *walker) descend(prefix string) bool {
	dir := strings.TrimSuffix(prefix, "/")
	segs := 0
	if dir != "" {
		segs = strings.Count(dir, "/") + 1
	}
	if !strings.Contains("/"+dir+"/", "/AWSLogs/") {
		return segs <= preAWSLogsDepth
	}
	// Below AWSLogs/: [org/] account / service / region / yyyy / mm / dd / [HH].
	// The last AWSLogs/ segment, as source.ParseKey reads the layout.
	full := "/" + dir + "/"
	after := full[strings.LastIndex(full, "/AWSLogs/")+len("/AWSLogs/"):]
	depth := strings.Count(after, "/") // levels listed so far below AWSLogs
	if after != "" && !isAccountSeg(strings.SplitN(after, "/", 2)[0]) {
		depth-- // organization segment
	}
	p := &w.b.Prune
	last := 2 // list services under each account: prunes CloudTrail, ELB …
	if len(p.Regions) > 0 {
		last = 3
	}
	if !p.Since.IsZero() || !p.Until.IsZero() {
		last = 7 // down to the hour folders
	}
	return depth < last
}

func isAccountSeg(s string) bool {
	s = strings.TrimPrefix(s, "aws-account-id=")
	if len(s) != 12 {
		return false
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func (w *walker) list(ctx context.Context, prefix string) error {
	b := w.b
	in := &s3.ListObjectsV2Input{Bucket: aws.String(b.Bucket), Prefix: aws.String(prefix), ExpectedBucketOwner: b.owner(),
		// Which archived objects are restored: they are read, the others
		// refused before any object is (ArchivedError).
		OptionalObjectAttributes: []types.OptionalObjectAttributes{types.OptionalObjectAttributesRestoreStatus}}
	if b.PageSize > 0 {
		in.MaxKeys = aws.Int32(b.PageSize)
	}
	descend := w.descend(prefix)
	if descend {
		in.Delimiter = aws.String("/")
	}
	p := s3.NewListObjectsV2Paginator(b.Client, in)
	for p.HasMorePages() {
		out, err := awscall.Next(ctx, p.NextPage)
		if err != nil {
			return fmt.Errorf("s3source: listing s3://%s/%s: %s%w", b.Bucket, prefix, explain(err), err)
		}
		var found []source.Object
		var archived []ArchivedObject
		for _, o := range out.Contents {
			key := aws.ToString(o.Key)
			k, kerr := source.ParseKey(key)
			if b.Match != nil && !b.Match(key) || b.Match == nil && kerr != nil {
				continue
			}
			if !descend && !b.Prune.KeepDir(dirOf(key)) || !b.Prune.Keep(k) {
				continue
			}
			if needsRestore(o) {
				archived = append(archived, ArchivedObject{Key: key, StorageClass: string(o.StorageClass),
					RestoreInProgress: o.RestoreStatus != nil})
				continue
			}
			found = append(found, source.Object{Name: key, Size: aws.ToInt64(o.Size), Key: k, ETag: aws.ToString(o.ETag)})
		}
		w.mu.Lock()
		w.objs = append(w.objs, found...)
		w.archived = append(w.archived, archived...)
		w.mu.Unlock()
		for _, cp := range out.CommonPrefixes {
			sub := aws.ToString(cp.Prefix)
			if !b.Prune.KeepDir(strings.TrimSuffix(sub, "/")) {
				continue
			}
			if err := w.spawn(ctx, sub); err != nil {
				return err
			}
		}
	}
	return nil
}

// explain says what S3's answer means and what to do, where S3's own
// words do not ("" when they do, followed by ": " when not): a bucket in
// another Region than the client's is answered 301 PermanentRedirect
// (or 400 AuthorizationHeaderMalformed, IllegalLocationConstraintException)
// with the bucket's Region only in the x-amz-bucket-region header, and an
// archived object 403 InvalidObjectState with its storage class only in
// the error's body.
func explain(err error) string {
	var archived *types.InvalidObjectState
	if errors.As(err, &archived) {
		class := string(archived.StorageClass)
		if archived.AccessTier != "" {
			class += " " + string(archived.AccessTier)
		}
		if class == "" {
			class = "an archive"
		}
		return "archived (storage class " + class + "): restore it (s3:RestoreObject) before reading it: "
	}
	var re *smithyhttp.ResponseError
	var ae smithy.APIError
	if !errors.As(err, &re) || re.Response == nil || !errors.As(err, &ae) {
		return ""
	}
	region := re.Response.Header.Get("x-amz-bucket-region")
	switch code := ae.ErrorCode(); {
	case region == "":
		return ""
	case re.HTTPStatusCode() == http.StatusMovedPermanently, code == "AuthorizationHeaderMalformed", code == "IllegalLocationConstraintException":
		return "the bucket is in Region " + region + ", not the client's: use that Region (AWS_REGION=" + region + "): "
	}
	return ""
}

func (b *Bucket) owner() *string {
	if b.ExpectedBucketOwner == "" {
		return nil
	}
	return aws.String(b.ExpectedBucketOwner)
}

func dirOf(key string) string {
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		return key[:i]
	}
	return ""
}

// Open returns the object's body. The read is pinned to the listing's ETag
// (o.ETag, when List gave one) and resumes after a cut connection with a
// ranged GetObject pinned to the same ETag (or, without one, to the first
// response's); if the object was replaced since, the read fails
// (PreconditionFailed) rather than read other bytes than those listed.
func (b *Bucket) Open(ctx context.Context, o source.Object) (io.ReadCloser, error) {
	r := &objectReader{ctx: ctx, b: b, key: o.Name, size: -1, etag: o.ETag, listed: o.ETag != ""}
	if err := r.get(); err != nil {
		return nil, err
	}
	return r, nil
}

type objectReader struct {
	ctx     context.Context
	b       *Bucket
	key     string
	etag    string
	listed  bool  // etag is the listing's: the first GetObject is pinned too
	size    int64 // full object size, from the first response
	off     int64
	body    io.ReadCloser
	resumes int   // in a row, with no byte read between
	resumed int64 // off at the last resume
	closed  bool
}

func (r *objectReader) get() error {
	in := &s3.GetObjectInput{Bucket: aws.String(r.b.Bucket), Key: aws.String(r.key), ExpectedBucketOwner: r.b.owner()}
	if r.off > 0 {
		in.Range = aws.String("bytes=" + strconv.FormatInt(r.off, 10) + "-")
	}
	if r.etag != "" {
		// The listing's ETag, or the first response's: a resume, even one
		// of a body cut before its first byte, reads the same object.
		in.IfMatch = aws.String(r.etag)
	}
	// Tried again as the listing's pages are (awscall): a throttling
	// burst or 5xx run that outlasts the SDK's retryer, or its spent retry
	// quota, would otherwise fail the whole read of every object.
	var out *s3.GetObjectOutput
	err := awscall.Default.Do(r.ctx, func() (err error) {
		out, err = r.b.Client.GetObject(r.ctx, in)
		return err
	})
	if err != nil {
		why := explain(err)
		if r.off > 0 {
			return fmt.Errorf("s3source: resuming s3://%s/%s at byte %d: %s%w", r.b.Bucket, r.key, r.off, why, err)
		}
		if r.listed {
			return fmt.Errorf("s3source: s3://%s/%s (listed with ETag %s): %s%w", r.b.Bucket, r.key, r.etag, why, err)
		}
		return fmt.Errorf("s3source: s3://%s/%s: %s%w", r.b.Bucket, r.key, why, err)
	}
	if r.size < 0 && r.off == 0 {
		if r.etag == "" {
			r.etag = aws.ToString(out.ETag)
		}
		if out.ContentLength != nil {
			r.size = *out.ContentLength
		}
	}
	r.body = out.Body
	return nil
}

func (r *objectReader) Read(p []byte) (int, error) {
	if r.closed {
		// Not a new GetObject: the caller is done with the object.
		return 0, fmt.Errorf("s3source: s3://%s/%s: read after Close: %w", r.b.Bucket, r.key, fs.ErrClosed)
	}
	for {
		if r.body == nil {
			if err := r.get(); err != nil {
				return 0, err
			}
		}
		n, err := r.body.Read(p)
		r.off += int64(n)
		if err == nil || errors.Is(err, io.EOF) && (r.size < 0 || r.off >= r.size) {
			return n, err
		}
		if n > 0 {
			return n, nil // report the failure on the next call
		}
		if !errors.Is(err, io.EOF) && r.size >= 0 && r.off >= r.size {
			// Every byte came, and the read failed all the same: the
			// SDK's checksum validation, for one. A resume would ask
			// for bytes past the end (416) and lose why.
			return 0, fmt.Errorf("s3source: s3://%s/%s: after its %d bytes: %w", r.b.Bucket, r.key, r.size, err)
		}
		// The body was cut (unexpected EOF, reset connection): resume.
		r.body.Close()
		r.body = nil
		if ctxErr := r.ctx.Err(); ctxErr != nil {
			return 0, ctxErr
		}
		maxResumes := r.b.MaxResumes
		if maxResumes <= 0 {
			maxResumes = 5
		}
		if r.off > r.resumed {
			r.resumes = 0 // the last resume brought bytes
		}
		r.resumed = r.off
		if r.resumes++; r.resumes > maxResumes || r.etag == "" {
			return 0, fmt.Errorf("s3source: s3://%s/%s: body cut at byte %d of %d, %d resumes in a row without a byte: %w",
				r.b.Bucket, r.key, r.off, r.size, r.resumes-1, err)
		}
	}
}

func (r *objectReader) Close() error {
	r.closed = true
	if r.body == nil {
		return nil
	}
	err := r.body.Close()
	r.body = nil
	return err
}

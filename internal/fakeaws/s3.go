package fakeaws

import (
	"bytes"
	"cmp"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// S3 is a fake Amazon S3 endpoint speaking REST-XML with path-style
// addressing (http://host/<bucket>/<key>); point the real s3 client at it with
// BaseEndpoint and UsePathStyle = true. It serves the read path a flow-log
// reader needs:
//
//   - ListObjectsV2 (GET /<bucket>?list-type=2) with prefix, delimiter and
//     CommonPrefixes, max-keys (default and cap 1000), start-after and opaque
//     continuation tokens, keys in UTF-8 binary order as S3 returns them;
//   - GetObject and HeadObject (GET/HEAD /<bucket>/<key>) with ETag,
//     Last-Modified, user metadata (x-amz-meta-*), single byte ranges
//     ("bytes=a-b", "bytes=a-", "bytes=-n"), If-Match and
//     If-Unmodified-Since (412 PreconditionFailed), If-None-Match and
//     If-Modified-Since (304 Not Modified), in S3's order; a missing
//     key is 404, or 403 when [Server.Allow] leaves out s3:ListBucket, as
//     S3 answers a caller who may not list the bucket;
//   - object versions in a bucket given to [S3.EnableVersioning]: every
//     write makes a new version, its ID in the x-amz-version-id response
//     header, and a GetObject or HeadObject with a versionId serves that
//     version (its body, ETag, size, Last-Modified, metadata, and the
//     conditions judged against it); an unknown versionId is 404
//     NoSuchVersion (a bodyless 404 for HEAD), or 403 without
//     s3:ListBucket like a missing key. In a bucket without versioning,
//     the default, the one version of a key has the ID "null": that
//     versionId serves the current object, any other is 400
//     InvalidArgument, as in S3;
//   - PutObject (PUT /<bucket>/<key>, the bucket made as needed) with user
//     metadata and S3's conditional writes: If-None-Match: * fails with 412
//     PreconditionFailed when the key exists, If-Match: <etag> when it does
//     not hold that ETag (404 NoSuchKey when the key does not exist).
//
// Actions are logged under their IAM names: ListObjectsV2 is "s3:ListBucket",
// GetObject and HeadObject are "s3:GetObject" ("s3:GetObjectVersion" with a
// versionId), PutObject "s3:PutObject", so
// [Server.Allow] checks a policy. A bucket given to [S3.SetRegion] answers
// a request signed for another Region 301 PermanentRedirect, and an object
// given to [S3.SetStorageClass] GLACIER or DEEP_ARCHIVE is refused to
// GetObject, 403 InvalidObjectState, as S3 does, until [S3.SetRestore]
// completes a restore of it. Besides the shared [Faults] (SlowDown for throttling, 500
// InternalError, dropped connections), [S3.SetTruncateEvery] cuts object
// bodies mid-stream, the failure the SDK's retryer cannot see.
type S3 struct {
	*Server

	mu        sync.Mutex
	buckets   map[string]map[string]*s3Object // the current version of each key
	versioned map[string]bool                 // buckets given to EnableVersioning
	// versions holds every version of each key of a versioned bucket,
	// oldest first; the last is the current one, in buckets.
	versions      map[string]map[string][]*s3Object
	regions       map[string]string // SetRegion: the Region of a bucket, "" for any
	nextVersion   int               // how many version IDs were handed out
	truncateEvery int
	truncateEmpty bool
	gets          int
	truncated     int
}

type s3Object struct {
	body     []byte
	etag     string
	modified time.Time
	meta     map[string]string // user metadata, keys lower case without x-amz-meta-
	version  string            // "" in a bucket without versioning
	class    string            // storage class, "" for STANDARD (SetStorageClass)
	// restore is the state of a restore of an archived object
	// (SetRestore): "" none, "ongoing", or "done" with restoreExpiry.
	restore       string
	restoreExpiry time.Time
}

// BucketOwner is the account that owns every bucket of the fake S3: a
// request whose x-amz-expected-bucket-owner names another is refused.
const BucketOwner = "123456789012"

// NewS3 starts an empty fake S3; add data with PutObject.
func NewS3() *S3 {
	f := &S3{buckets: map[string]map[string]*s3Object{}, versioned: map[string]bool{},
		versions: map[string]map[string][]*s3Object{}}
	f.Server = NewRESTServer(s3Action, f.serve)
	return f
}

// CreateBucket adds an empty bucket (PutObject creates buckets as needed).
func (f *S3) CreateBucket(bucket string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.buckets[bucket] == nil {
		f.buckets[bucket] = map[string]*s3Object{}
	}
}

// EnableVersioning turns on versioning for bucket, creating it if needed,
// as PutBucketVersioning with Status Enabled does: from then on every
// write of a key adds a version, with a new version ID, and keeps the
// earlier ones, which a GetObject or HeadObject with a versionId reads.
// Objects already there become versions with the ID "null", as in S3.
// Versioning is off by default: a write replaces the object.
func (f *S3) EnableVersioning(bucket string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.versioned[bucket] {
		return
	}
	f.versioned[bucket] = true
	if f.buckets[bucket] == nil {
		f.buckets[bucket] = map[string]*s3Object{}
	}
	vs := map[string][]*s3Object{}
	for k, o := range f.buckets[bucket] {
		c := *o
		c.version = "null"
		f.buckets[bucket][k] = &c
		vs[k] = []*s3Object{&c}
	}
	f.versions[bucket] = vs
}

// PutObject stores body under bucket/key, creating the bucket as needed,
// and returns the new version's ID: in a bucket without versioning (see
// [S3.EnableVersioning]) it replaces any previous object and the ID is "".
// LastModified is fixed so responses are reproducible; in a versioned
// bucket each new version's is a second later than the last version made.
func (f *S3) PutObject(bucket, key string, body []byte) (versionID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.putLocked(bucket, key, body, nil).version
}

func (f *S3) putLocked(bucket, key string, body []byte, meta map[string]string) *s3Object {
	sum := md5.Sum(body)
	b := f.buckets[bucket]
	if b == nil {
		b = map[string]*s3Object{}
		f.buckets[bucket] = b
	}
	o := &s3Object{
		body:     append([]byte(nil), body...),
		etag:     `"` + hex.EncodeToString(sum[:]) + `"`,
		modified: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		meta:     meta,
	}
	if f.versioned[bucket] {
		f.nextVersion++
		o.version = newVersionID(f.nextVersion)
		o.modified = o.modified.Add(time.Duration(f.nextVersion) * time.Second)
		f.versions[bucket][key] = append(f.versions[bucket][key], o)
	}
	b[key] = o
	return o
}

// SetModified sets the Last-Modified time of the current version of
// bucket/key (PutObject fixes it, so responses are reproducible): a test
// of what a reader makes of an object's age, or of an object uploaded
// again with the same bytes (the same ETag, a later time). It reports
// whether the object exists.
func (f *S3) SetModified(bucket, key string, t time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.buckets[bucket][key]
	if o == nil {
		return false
	}
	o.modified = t.UTC()
	return true
}

// newVersionID makes the n-th version ID: opaque, URL-safe, and as long
// as S3's (32 characters).
func newVersionID(n int) string {
	sum := md5.Sum([]byte("version " + strconv.Itoa(n)))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:22] + fmt.Sprintf("%010d", n)
}

// Versions returns the version IDs of bucket/key, oldest first (the last
// is the current version), or nil when the bucket is not versioned or the
// key has no version.
func (f *S3) Versions(bucket, key string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []string
	for _, o := range f.versions[bucket][key] {
		ids = append(ids, o.version)
	}
	return ids
}

// versionLocked returns the version id of bucket/key, nil if there is none.
func (f *S3) versionLocked(bucket, key, id string) *s3Object {
	for _, o := range f.versions[bucket][key] {
		if o.version == id {
			return o
		}
	}
	return nil
}

// SetRegion places bucket in region: a request signed for another Region
// (the credential scope of its Authorization header) is answered as S3
// answers it, 301 PermanentRedirect with the bucket's Region in the
// x-amz-bucket-region header. Without it a bucket answers any Region.
func (f *S3) SetRegion(bucket, region string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.regions == nil {
		f.regions = map[string]string{}
	}
	f.regions[bucket] = region
}

// SetStorageClass sets the storage class of the current version of
// bucket/key, as a lifecycle transition does: listings show it, and in
// GLACIER or DEEP_ARCHIVE a GetObject is refused, 403 InvalidObjectState
// with the class, as for an object not restored (HeadObject still
// answers). It reports whether the object exists.
func (f *S3) SetStorageClass(bucket, key, class string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.buckets[bucket][key]
	if o == nil {
		return false
	}
	o.class = class
	return true
}

// SetRestore records a restore (RestoreObject) of the current version of
// bucket/key: ongoing, or completed with a temporary copy until expiry.
// A completed restore makes an object in GLACIER or DEEP_ARCHIVE
// readable again (its storage class unchanged); a listing that asks for
// it (OptionalObjectAttributes RestoreStatus, the
// x-amz-optional-object-attributes header) shows the state in each
// object's RestoreStatus, and GetObject and HeadObject in the
// x-amz-restore header. It reports whether the object exists.
func (f *S3) SetRestore(bucket, key string, ongoing bool, expiry time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.buckets[bucket][key]
	if o == nil {
		return false
	}
	o.restore, o.restoreExpiry = "done", expiry.UTC()
	if ongoing {
		o.restore, o.restoreExpiry = "ongoing", time.Time{}
	}
	return true
}

// Object returns the body and user metadata stored under bucket/key.
func (f *S3) Object(bucket, key string) (body []byte, meta map[string]string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.buckets[bucket][key]
	if o == nil {
		return nil, nil, false
	}
	return append([]byte(nil), o.body...), maps.Clone(o.meta), true
}

// Keys returns the keys of bucket, sorted.
func (f *S3) Keys(bucket string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := make([]string, 0, len(f.buckets[bucket]))
	for k := range f.buckets[bucket] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// SetTruncateEvery makes every n-th GetObject that returns a body send the
// full Content-Length header but only half of the bytes, then close the
// connection: the client sees an unexpected EOF while reading the body, after
// the SDK has already returned success. Zero disables it.
func (f *S3) SetTruncateEvery(n int) {
	f.mu.Lock()
	f.truncateEvery = n
	f.mu.Unlock()
}

// SetTruncateEmpty makes the bodies SetTruncateEvery cuts send no byte
// at all (the connection closed right after the headers), where they send
// half: a reader that resumes makes no progress.
func (f *S3) SetTruncateEmpty(on bool) {
	f.mu.Lock()
	f.truncateEmpty = on
	f.mu.Unlock()
}

// Truncated reports how many GetObject bodies were cut by SetTruncateEvery.
// They are not in Faulted: the server answered 200 and counted a normal call.
func (f *S3) Truncated() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.truncated
}

// s3Action names a request by the IAM action that authorizes it.
func s3Action(r *http.Request) string {
	bucket, key := splitS3Path(r.URL.Path)
	switch {
	case bucket == "":
		return "s3:ListAllMyBuckets"
	case key == "" && r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2":
		return "s3:ListBucket"
	case key != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Query().Has("versionId"):
		// "If you include a versionId in your request header, you must
		// have the s3:GetObjectVersion permission ... The s3:GetObject
		// permission is not required" (API_GetObject). Without
		// versioning on the bucket the fake serves the current object.
		return "s3:GetObjectVersion"
	case key != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		return "s3:GetObject"
	case key != "" && r.Method == http.MethodPut && r.Header.Get("x-amz-copy-source") == "" && onlyXID(r.URL.Query()):
		return "s3:PutObject"
	default:
		return "s3:Unsupported" + r.Method
	}
}

// onlyXID reports whether a query holds nothing but the x-id the SDK
// adds (x-id=PutObject): no sub-resource (?acl, ?tagging, ?uploadId).
func onlyXID(q url.Values) bool {
	for k := range q {
		if k != "x-id" {
			return false
		}
	}
	return true
}

// splitS3Path splits a path-style URL path "/bucket/key/with/slashes".
func splitS3Path(p string) (bucket, key string) {
	p = strings.TrimPrefix(p, "/")
	bucket, key, _ = strings.Cut(p, "/")
	return bucket, key
}

func (f *S3) serve(s *Server, w http.ResponseWriter, r *http.Request) {
	bucket, key := splitS3Path(r.URL.Path)
	// The bucket owner condition: a request naming another owner is
	// refused, 403 Access Denied, whatever it asks (S3 user guide,
	// "Verifying bucket ownership with bucket owner condition").
	if o := r.Header.Get("x-amz-expected-bucket-owner"); o != "" && o != BucketOwner {
		s.WriteError(w, &APIError{Status: 403, Code: "AccessDenied", Message: "Access Denied"})
		return
	}
	f.mu.Lock()
	region := f.regions[bucket]
	f.mu.Unlock()
	if region != "" && signedRegion(r) != region {
		// S3's answer to a request sent to another Region's endpoint
		// (or signed for one): the SDK does not follow it.
		w.Header().Set("x-amz-bucket-region", region)
		writeS3Error(w, http.StatusMovedPermanently, r.Method, "PermanentRedirect",
			"The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
			"Endpoint", bucket+".s3."+region+".amazonaws.com", "Bucket", bucket)
		return
	}
	switch act := s3Action(r); act {
	case "s3:ListBucket":
		f.listObjectsV2(s, w, r, bucket)
	case "s3:GetObject", "s3:GetObjectVersion":
		f.getObject(s, w, r, bucket, key)
	case "s3:PutObject":
		f.putObject(s, w, r, bucket, key)
	default:
		s.WriteError(w, &APIError{Status: 501, Code: "NotImplemented",
			Message: "the fake S3 does not implement " + r.Method + " " + r.URL.String()})
	}
}

type s3ListResult struct {
	XMLName               xml.Name         `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string           `xml:"Name"`
	Prefix                string           `xml:"Prefix"`
	Delimiter             string           `xml:"Delimiter,omitempty"`
	MaxKeys               int              `xml:"MaxKeys"`
	KeyCount              int              `xml:"KeyCount"`
	IsTruncated           bool             `xml:"IsTruncated"`
	ContinuationToken     string           `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string           `xml:"NextContinuationToken,omitempty"`
	StartAfter            string           `xml:"StartAfter,omitempty"`
	Contents              []s3ListContents `xml:"Contents"`
	CommonPrefixes        []s3ListPrefix   `xml:"CommonPrefixes"`
}

type s3ListContents struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	StorageClass string `xml:"StorageClass"`
	// RestoreStatus is given only when the request asks for it, and only
	// for an object with a restore ongoing or completed (API_RestoreStatus:
	// "If the object hasn't been restored, there is no header response").
	RestoreStatus *s3RestoreStatus `xml:"RestoreStatus,omitempty"`
}

type s3RestoreStatus struct {
	IsRestoreInProgress bool   `xml:"IsRestoreInProgress"`
	RestoreExpiryDate   string `xml:"RestoreExpiryDate,omitempty"`
}

type s3ListPrefix struct {
	Prefix string `xml:"Prefix"`
}

// Continuation tokens are opaque to clients; here they name the last entry
// returned ("k" a key, "p" a common prefix) so the next page resumes after it.
func encodeToken(kind byte, s string) string {
	return base64.RawURLEncoding.EncodeToString(append([]byte{kind}, s...))
}

func decodeToken(t string) (kind byte, s string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || len(b) == 0 || (b[0] != 'k' && b[0] != 'p') {
		return 0, "", false
	}
	return b[0], string(b[1:]), true
}

func (f *S3) listObjectsV2(s *Server, w http.ResponseWriter, r *http.Request, bucket string) {
	q := r.URL.Query()
	prefix, delim, startAfter, token := q.Get("prefix"), q.Get("delimiter"), q.Get("start-after"), q.Get("continuation-token")
	maxKeys := 1000
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.WriteError(w, &APIError{Code: "InvalidArgument", Message: "Provided max-keys not an integer or within integer range"})
			return
		}
		maxKeys = min(n, 1000)
	}
	// after: skip keys <= after; skipPrefix: also skip keys under a common
	// prefix already returned.
	after, skipPrefix := startAfter, ""
	if token != "" {
		kind, last, ok := decodeToken(token)
		if !ok {
			s.WriteError(w, &APIError{Code: "InvalidArgument", Message: "The continuation token provided is incorrect"})
			return
		}
		after = last // the token wins over start-after, as in S3
		if kind == 'p' {
			skipPrefix = last
		}
	}

	f.mu.Lock()
	objs, ok := f.buckets[bucket]
	keys := make([]string, 0, len(objs))
	for k := range objs {
		if strings.HasPrefix(k, prefix) && k > after && (skipPrefix == "" || !strings.HasPrefix(k, skipPrefix)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // Go compares strings bytewise: S3's UTF-8 binary order
	res := s3ListResult{Name: bucket, Prefix: prefix, Delimiter: delim, MaxKeys: maxKeys,
		ContinuationToken: token, StartAfter: startAfter}
	var lastKind byte
	var last string
	if maxKeys == 0 {
		keys = nil // an empty, complete page
	}
	// The SDK sends OptionalObjectAttributes as this header, one value a
	// header line (or comma-separated).
	withRestore := false
	for _, v := range r.Header.Values("x-amz-optional-object-attributes") {
		for _, a := range strings.Split(v, ",") {
			withRestore = withRestore || strings.TrimSpace(a) == "RestoreStatus"
		}
	}
	for _, k := range keys {
		if skipPrefix != "" && strings.HasPrefix(k, skipPrefix) {
			continue
		}
		if res.KeyCount == maxKeys {
			res.IsTruncated = true
			break
		}
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				cp := k[:len(prefix)+i+len(delim)]
				res.CommonPrefixes = append(res.CommonPrefixes, s3ListPrefix{cp})
				res.KeyCount++
				lastKind, last, skipPrefix = 'p', cp, cp
				continue
			}
		}
		o := objs[k]
		c := s3ListContents{Key: k, LastModified: o.modified.Format("2006-01-02T15:04:05.000Z"),
			ETag: o.etag, Size: int64(len(o.body)), StorageClass: cmp.Or(o.class, "STANDARD")}
		if withRestore && o.restore != "" {
			c.RestoreStatus = &s3RestoreStatus{IsRestoreInProgress: o.restore == "ongoing"}
			if o.restore == "done" {
				c.RestoreStatus.RestoreExpiryDate = o.restoreExpiry.Format("2006-01-02T15:04:05.000Z")
			}
		}
		res.Contents = append(res.Contents, c)
		res.KeyCount++
		lastKind, last = 'k', k
	}
	f.mu.Unlock()
	if !ok {
		s.WriteError(w, &APIError{Status: 404, Code: "NoSuchBucket", Message: "The specified bucket does not exist"})
		return
	}
	if res.IsTruncated {
		res.NextContinuationToken = encodeToken(lastKind, last)
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(res)
}

func (f *S3) getObject(s *Server, w http.ResponseWriter, r *http.Request, bucket, key string) {
	f.mu.Lock()
	objs, bucketOK := f.buckets[bucket]
	o := objs[key]
	id, byVersion := r.URL.Query().Get("versionId"), false
	versioned := f.versioned[bucket]
	if versioned && r.URL.Query().Has("versionId") {
		o, byVersion = f.versionLocked(bucket, key, id), true
	}
	f.mu.Unlock()
	switch {
	case !bucketOK:
		s.WriteError(w, &APIError{Status: 404, Code: "NoSuchBucket", Message: "The specified bucket does not exist"})
		return
	case !versioned && r.URL.Query().Has("versionId") && id != "null":
		// A bucket without versioning keeps one version of a key, whose
		// ID is "null"; another ID names no version S3 could have.
		bad := &APIError{Status: 400, Code: "InvalidArgument", Message: "Invalid version id specified"}
		if r.Method == http.MethodHead {
			w.WriteHeader(bad.Status) // HEAD errors carry no body
			return
		}
		s.WriteError(w, bad)
		return
	case o == nil:
		missing := &APIError{Status: 404, Code: "NoSuchKey", Message: "The specified key does not exist."}
		if byVersion {
			// "NoSuchVersion: Indicates that the version ID specified in
			// the request does not match an existing version" (S3 error
			// codes), 404.
			missing = &APIError{Status: 404, Code: "NoSuchVersion",
				Message: "The specified version does not exist."}
		}
		if !s.allows("s3:ListBucket") {
			// S3 does not tell a caller without s3:ListBucket that a key
			// is missing: 403, not 404.
			missing = &APIError{Status: 403, Code: accessDeniedCode(RESTXML), Message: "Access Denied"}
		}
		if r.Method == http.MethodHead {
			w.WriteHeader(missing.Status) // HEAD errors carry no body
			return
		}
		s.WriteError(w, missing)
		return
	}
	if (o.class == "GLACIER" || o.class == "DEEP_ARCHIVE") && o.restore != "done" && r.Method == http.MethodGet {
		// "InvalidObjectState: The operation is not valid for the
		// current state of the object", 403 (S3 error codes): an
		// archived object not restored (or whose restore is ongoing).
		writeS3Error(w, http.StatusForbidden, r.Method, "InvalidObjectState",
			"The operation is not valid for the object's storage class", "StorageClass", o.class)
		return
	}
	h := w.Header()
	if o.version != "" {
		h.Set("x-amz-version-id", o.version)
	}
	if o.class != "" {
		h.Set("x-amz-storage-class", o.class)
	}
	switch o.restore {
	case "ongoing":
		h.Set("x-amz-restore", `ongoing-request="true"`)
	case "done":
		h.Set("x-amz-restore", `ongoing-request="false", expiry-date="`+o.restoreExpiry.Format(http.TimeFormat)+`"`)
	}
	// The conditions in S3's order (API_GetObject, RFC 9110 13.2.2): an
	// If-Match present decides alone, else If-Unmodified-Since (412 when
	// they fail); then If-None-Match present decides alone, else
	// If-Modified-Since (304 when they fail).
	since := func(name string) (time.Time, bool) {
		t, err := http.ParseTime(r.Header.Get(name))
		return t, err == nil
	}
	m := r.Header.Get("If-Match")
	t, unmodified := since("If-Unmodified-Since")
	if m != "" && m != o.etag && m != "*" || m == "" && unmodified && o.modified.After(t) {
		s.WriteError(w, &APIError{Status: 412, Code: "PreconditionFailed",
			Message: "At least one of the pre-conditions you specified did not hold"})
		return
	}
	m = r.Header.Get("If-None-Match")
	t, modified := since("If-Modified-Since")
	if m != "" && (m == o.etag || m == "*") || m == "" && modified && !o.modified.After(t) {
		// 304 Not Modified, without a body (RFC 9110 15.4.5).
		h.Set("ETag", o.etag)
		h.Set("Last-Modified", o.modified.Format(http.TimeFormat))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, status := o.body, http.StatusOK
	if rg := r.Header.Get("Range"); rg != "" {
		from, to, ok := parseRange(rg, int64(len(o.body)))
		if !ok {
			h.Set("Content-Range", fmt.Sprintf("bytes */%d", len(o.body)))
			s.WriteError(w, &APIError{Status: 416, Code: "InvalidRange", Message: "The requested range is not satisfiable"})
			return
		}
		body, status = o.body[from:to+1], http.StatusPartialContent
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, to, len(o.body)))
	}
	for k, v := range o.meta {
		h.Set("x-amz-meta-"+k, v)
	}
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("ETag", o.etag)
	h.Set("Last-Modified", o.modified.Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-amz-request-id", "fake-request-id")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	f.mu.Lock()
	f.gets++
	cut := f.truncateEvery > 0 && f.gets%f.truncateEvery == 0 && len(body) > 1
	sent := len(body) / 2
	if f.truncateEmpty {
		sent = 0
	}
	f.mu.Unlock()
	if cut {
		_, _ = w.Write(body[:sent])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		f.mu.Lock()
		f.truncated++
		f.mu.Unlock()
		panic(http.ErrAbortHandler) // closes the connection mid-body
	}
	_, _ = w.Write(body)
}

// putObject stores the request's body, conditionally as S3 does: the
// test and the write are one step, so of two writers conditional on the
// same state one gets 412.
func (f *S3) putObject(s *Server, w http.ResponseWriter, r *http.Request, bucket, key string) {
	body, err := readPutBody(r)
	if err != nil {
		s.WriteError(w, &APIError{Status: 400, Code: "InvalidRequest", Message: err.Error()})
		return
	}
	meta := map[string]string{}
	for k, vs := range r.Header {
		if name, ok := strings.CutPrefix(strings.ToLower(k), "x-amz-meta-"); ok && len(vs) > 0 {
			meta[name] = vs[0]
		}
	}
	f.mu.Lock()
	old := f.buckets[bucket][key]
	var fail *APIError
	switch m := r.Header.Get("If-Match"); {
	case f.buckets[bucket] == nil:
		// S3 creates no bucket on a write (the PutObject helper does,
		// for fixtures): a wrong output bucket is an error, not a new one.
		fail = &APIError{Status: 404, Code: "NoSuchBucket", Message: "The specified bucket does not exist"}
	case r.Header.Get("If-None-Match") == "*" && old != nil:
		fail = &APIError{Status: 412, Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold"}
	case m != "" && old == nil:
		fail = &APIError{Status: 404, Code: "NoSuchKey", Message: "The specified key does not exist."}
	case m != "" && m != old.etag:
		fail = &APIError{Status: 412, Code: "PreconditionFailed", Message: "At least one of the pre-conditions you specified did not hold"}
	}
	var o *s3Object
	if fail == nil {
		o = f.putLocked(bucket, key, body, meta)
	}
	f.mu.Unlock()
	if fail != nil {
		s.WriteError(w, fail)
		return
	}
	w.Header().Set("ETag", o.etag)
	if o.version != "" {
		w.Header().Set("x-amz-version-id", o.version)
	}
	w.Header().Set("x-amz-request-id", "fake-request-id")
	w.WriteHeader(http.StatusOK)
}

// signedRegion is the Region of a SigV4 request's credential scope
// (Credential=AKID/DATE/REGION/SERVICE/aws4_request), "" if unsigned.
func signedRegion(r *http.Request) string {
	_, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	if !ok {
		return ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	if parts := strings.Split(cred, "/"); len(parts) == 5 {
		return parts[2]
	}
	return ""
}

// writeS3Error writes an S3 error with elements of its own after Code and
// Message (name, value pairs), as S3 adds Endpoint, Bucket, StorageClass;
// a HEAD answer carries no body.
func writeS3Error(w http.ResponseWriter, status int, method, code, msg string, extra ...string) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("x-amz-request-id", "fake-request-id")
	w.WriteHeader(status)
	if method == http.MethodHead {
		return
	}
	var b strings.Builder
	b.WriteString(xml.Header + "<Error><Code>")
	xml.EscapeText(&b, []byte(code))
	b.WriteString("</Code><Message>")
	xml.EscapeText(&b, []byte(msg))
	b.WriteString("</Message>")
	for i := 0; i+1 < len(extra); i += 2 {
		b.WriteString("<" + extra[i] + ">")
		xml.EscapeText(&b, []byte(extra[i+1]))
		b.WriteString("</" + extra[i] + ">")
	}
	b.WriteString("<RequestId>fake-request-id</RequestId></Error>")
	_, _ = io.WriteString(w, b.String())
}

// readPutBody reads a PutObject body, plain or in the aws-chunked
// encoding the SDK uses to send a checksum as a trailer.
func readPutBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") {
		return b, nil
	}
	var out []byte
	for {
		line, rest, ok := bytes.Cut(b, []byte("\r\n"))
		if !ok {
			return nil, fmt.Errorf("aws-chunked body: no chunk header")
		}
		sizeHex, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseInt(string(sizeHex), 16, 64)
		if err != nil || n < 0 || n > int64(len(rest)) {
			return nil, fmt.Errorf("aws-chunked body: chunk size %q", line)
		}
		if n == 0 {
			return out, nil // the trailer (checksums) follows
		}
		out = append(out, rest[:n]...)
		b = bytes.TrimPrefix(rest[n:], []byte("\r\n"))
	}
}

// parseRange parses one RFC 9110 byte range against an object of size n and
// returns inclusive offsets. Multiple ranges are not supported (S3 refuses
// them too).
func parseRange(h string, n int64) (from, to int64, ok bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false
	}
	if a == "" { // suffix range: the last b bytes
		k, err := strconv.ParseInt(b, 10, 64)
		if err != nil || k <= 0 || n == 0 {
			return 0, 0, false
		}
		return max(n-k, 0), n - 1, true
	}
	from, err := strconv.ParseInt(a, 10, 64)
	if err != nil || from < 0 || from >= n {
		return 0, 0, false
	}
	to = n - 1
	if b != "" {
		t, err := strconv.ParseInt(b, 10, 64)
		if err != nil || t < from {
			return 0, 0, false
		}
		to = min(t, n-1)
	}
	return from, to, true
}

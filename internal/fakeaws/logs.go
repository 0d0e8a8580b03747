package fakeaws

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LogsTargetPrefix is CloudWatch Logs' X-Amz-Target prefix (awsJson1_1).
const LogsTargetPrefix = "Logs_20140328"

// Service limits the fake enforces, as documented in the CloudWatch Logs API
// reference (FilterLogEvents, GetLogEvents, DescribeLogStreams).
const (
	logsMaxPageEvents   = 10000   // default and maximum events per page
	logsMaxPageBytes    = 1 << 20 // 1 MB response cap
	logsEventOverhead   = 26      // bytes CloudWatch Logs counts per event
	logsMaxStreamNames  = 100     // FilterLogEvents logStreamNames
	logsMaxDescribeSize = 50      // DescribeLogStreams limit
)

// LogEvent is one event to store in the fake.
type LogEvent struct {
	Timestamp     int64 // ms since the epoch (flow logs: record start)
	IngestionTime int64 // ms; zero means Timestamp + 1 minute
	Message       string
}

// StoredLogEvent is an event as the fake holds it, with its assigned ID.
type StoredLogEvent struct {
	Group, Stream string
	ID            string
	Timestamp     int64
	IngestionTime int64
	Message       string
}

// LogsOptions shapes the fake's paging so readers meet what the real service
// does: "This operation can return empty results while there are more log
// events available through the token" (FilterLogEvents, GetLogEvents).
type LogsOptions struct {
	// PageEvents caps events per page below the service's 10,000 (and the
	// caller's limit); zero means 10,000. The 1 MB cap always applies.
	PageEvents int
	// PartialPages makes each page's size vary deterministically between 1
	// and the cap, as real pages do.
	PartialPages bool
	// EmptyPageEvery makes every n-th page of a pagination chain empty while
	// it still carries a (new) token; it also makes FilterLogEvents return a
	// token after the last page, answered by an empty final page.
	EmptyPageEvery int
	// LastEventLag models DescribeLogStreams' eventual consistency: "The
	// lastEventTime value updates on an eventual consistency basis. It
	// typically updates in less than an hour from ingestion, but in rare
	// situations might take longer" (API reference, LogStream). With a lag,
	// lastEventTimestamp and lastIngestionTime reflect only the events
	// ingested at least LastEventLag before the call (wall clock); a stream
	// none of whose events has propagated reports neither. Zero: exact.
	LastEventLag time.Duration
}

// Logs is an in-memory CloudWatch Logs endpoint serving FilterLogEvents,
// GetLogEvents and DescribeLogStreams over the awsJson1_1 protocol. Actions
// are logged as "logs:<Operation>".
type Logs struct {
	*Server
	opts LogsOptions

	mu     sync.RWMutex
	groups map[string]*cwlLogGroup
	seq    int64
	gen    int64 // bumped on every Put; invalidates the FilterLogEvents cache

	cacheMu sync.Mutex
	cache   map[string]cwlFilterResult
}

type cwlLogGroup struct {
	name    string
	streams map[string]*cwlLogStream
	names   []string // sorted
}

type cwlLogStream struct {
	name    string
	created int64
	events  []cwlStoredEvent // sorted by (timestamp, ingestion, seq)
}

type cwlStoredEvent struct {
	ts, ingest, seq int64
	msg             string
}

func (e *cwlStoredEvent) less(o *cwlStoredEvent) bool {
	if e.ts != o.ts {
		return e.ts < o.ts
	}
	if e.ingest != o.ingest {
		return e.ingest < o.ingest
	}
	return e.seq < o.seq
}

// id imitates CloudWatch Logs' 56-digit event IDs; it is unique per event and
// stable across reads.
func (e *cwlStoredEvent) id() string { return fmt.Sprintf("%020d%036d", e.ts, e.seq) }

// NewLogs starts a fake CloudWatch Logs endpoint.
func NewLogs(opts LogsOptions) *Logs {
	l := &Logs{opts: opts, groups: map[string]*cwlLogGroup{}, cache: map[string]cwlFilterResult{}}
	l.Server = NewJSONServer(LogsTargetPrefix, "logs", map[string]JSONHandler{
		"FilterLogEvents":    l.filterLogEvents,
		"GetLogEvents":       l.getLogEvents,
		"DescribeLogStreams": l.describeLogStreams,
	})
	return l
}

// CreateLogGroup creates an empty group (Put creates groups implicitly).
func (l *Logs) CreateLogGroup(group string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.groupLocked(group)
}

func (l *Logs) groupLocked(name string) *cwlLogGroup {
	g := l.groups[name]
	if g == nil {
		g = &cwlLogGroup{name: name, streams: map[string]*cwlLogStream{}}
		l.groups[name] = g
	}
	return g
}

// Put stores events in a stream, creating the group and stream as needed.
func (l *Logs) Put(group, stream string, events ...LogEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.gen++
	g := l.groupLocked(group)
	s := g.streams[stream]
	if s == nil {
		s = &cwlLogStream{name: stream}
		g.streams[stream] = s
		i := sort.SearchStrings(g.names, stream)
		g.names = append(g.names, "")
		copy(g.names[i+1:], g.names[i:])
		g.names[i] = stream
	}
	sorted := true
	for _, ev := range events {
		l.seq++
		ing := ev.IngestionTime
		if ing == 0 {
			ing = ev.Timestamp + 60_000
		}
		se := cwlStoredEvent{ts: ev.Timestamp, ingest: ing, seq: l.seq, msg: ev.Message}
		if n := len(s.events); n > 0 && se.less(&s.events[n-1]) {
			sorted = false
		}
		s.events = append(s.events, se)
		if s.created == 0 || ing < s.created {
			s.created = ing
		}
	}
	if !sorted {
		sort.Slice(s.events, func(i, j int) bool { return s.events[i].less(&s.events[j]) })
	}
}

// DeleteLogStream removes a stream and its events, as retention or a
// DeleteLogStream call would while a reader is paging.
func (l *Logs) DeleteLogStream(group, stream string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.groups[group]
	if g == nil || g.streams[stream] == nil {
		return
	}
	l.gen++
	delete(g.streams, stream)
	i := sort.SearchStrings(g.names, stream)
	g.names = append(g.names[:i], g.names[i+1:]...)
}

// Events returns every stored event of a group, in stream-name then event
// order: the multiset a complete read must reproduce.
func (l *Logs) Events(group string) []StoredLogEvent {
	l.mu.RLock()
	defer l.mu.RUnlock()
	g := l.groups[group]
	if g == nil {
		return nil
	}
	var out []StoredLogEvent
	for _, name := range g.names {
		for i := range g.streams[name].events {
			e := &g.streams[name].events[i]
			out = append(out, StoredLogEvent{Group: group, Stream: name, ID: e.id(),
				Timestamp: e.ts, IngestionTime: e.ingest, Message: e.msg})
		}
	}
	return out
}

func cwlInvalidParam(format string, args ...any) error {
	return &APIError{Code: "InvalidParameterException", Message: fmt.Sprintf(format, args...)}
}

func cwlNotFound(what string) error {
	return &APIError{Code: "ResourceNotFoundException", Message: "The specified " + what + " does not exist."}
}

// groupFor resolves logGroupName / logGroupIdentifier (name or ARN).
func (l *Logs) groupFor(name, ident *string) (*cwlLogGroup, error) {
	switch {
	case name != nil && ident != nil:
		return nil, cwlInvalidParam("LogGroupName and LogGroupIdentifier are mutually exclusive")
	case name == nil && ident == nil:
		return nil, cwlInvalidParam("Either LogGroupName or LogGroupIdentifier must be specified")
	}
	n := ""
	if name != nil {
		n = *name
	} else {
		n = *ident
		if i := strings.Index(n, ":log-group:"); strings.HasPrefix(n, "arn:") && i >= 0 {
			n = strings.TrimSuffix(n[i+len(":log-group:"):], ":*")
		}
	}
	g := l.groups[n]
	if g == nil {
		return nil, cwlNotFound("log group")
	}
	return g, nil
}

func cwlCheckLimit(limit *int32, max int) (int, error) {
	if limit == nil {
		return max, nil
	}
	if *limit < 1 || int(*limit) > max {
		return 0, cwlInvalidParam("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *limit, max)
	}
	return int(*limit), nil
}

// pageCap is how many events the page starting at a chain position may
// hold: the caller's limit, the fake's cap, and optionally a deterministic
// partial size.
func (l *Logs) pageCap(limit int, key string, pos, n int) int {
	c := limit
	if l.opts.PageEvents > 0 && l.opts.PageEvents < c {
		c = l.opts.PageEvents
	}
	if l.opts.PartialPages && c > 1 {
		h := fnv.New32a()
		fmt.Fprintf(h, "%s/%d/%d", key, pos, n)
		c = 1 + int(h.Sum32()%uint32(c))
	}
	return c
}

// emptyPage reports whether the n-th page of a chain is served empty.
// EmptyPageEvery below 2 would never make progress and is ignored.
func (l *Logs) emptyPage(n int) bool {
	e := l.opts.EmptyPageEvery
	return e >= 2 && n%e == e-1
}

// ---- FilterLogEvents ----

type cwlFilterIn struct {
	LogGroupName        *string
	LogGroupIdentifier  *string
	LogStreamNames      []string
	LogStreamNamePrefix *string
	StartTime           *int64
	EndTime             *int64
	FilterPattern       *string
	NextToken           *string
	Limit               *int32
	Interleaved         *bool
	StartFromHead       *bool
}

type cwlFilteredEvent struct {
	LogStreamName string `json:"logStreamName"`
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
	EventID       string `json:"eventId"`
}

type cwlFilterRef struct {
	s *cwlLogStream
	i int
}

type cwlFilterResult struct {
	gen  int64
	refs []cwlFilterRef
}

type cwlChainToken struct {
	Q string `json:"q"` // query hash
	P int    `json:"p"` // position
	N int    `json:"n"` // pages served in this chain
}

func cwlEncodeToken(t cwlChainToken) string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func cwlDecodeToken(s, q string) (cwlChainToken, error) {
	var t cwlChainToken
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil || t.Q != q || t.P < 0 {
		return t, cwlInvalidParam("The specified nextToken is invalid.")
	}
	return t, nil
}

func (l *Logs) filterLogEvents(body []byte) (any, error) {
	var in cwlFilterIn
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, cwlInvalidParam("malformed request: %v", err)
	}
	limit, err := cwlCheckLimit(in.Limit, logsMaxPageEvents)
	if err != nil {
		return nil, err
	}
	if len(in.LogStreamNames) > 0 && in.LogStreamNamePrefix != nil {
		return nil, cwlInvalidParam("logStreamNames and logStreamNamePrefix are mutually exclusive")
	}
	if len(in.LogStreamNames) > logsMaxStreamNames {
		return nil, cwlInvalidParam("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length less than or equal to %d", logsMaxStreamNames)
	}
	if in.FilterPattern != nil && *in.FilterPattern != "" {
		return nil, cwlInvalidParam("the fake does not evaluate filter patterns")
	}
	if in.StartFromHead != nil && !*in.StartFromHead {
		return nil, cwlInvalidParam("the fake serves FilterLogEvents from the head only")
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	g, err := l.groupFor(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	start, end := int64(-1<<63), int64(1<<63-1)
	if in.StartTime != nil {
		start = *in.StartTime
	}
	if in.EndTime != nil {
		end = *in.EndTime
	}
	names := in.LogStreamNames
	if len(names) > 0 {
		for _, n := range names {
			if g.streams[n] == nil {
				return nil, cwlNotFound("log stream")
			}
		}
	} else {
		prefix := ""
		if in.LogStreamNamePrefix != nil {
			prefix = *in.LogStreamNamePrefix
		}
		for _, n := range g.names {
			if strings.HasPrefix(n, prefix) {
				names = append(names, n)
			}
		}
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	q := fmt.Sprintf("%s|%s|%d|%d", g.name, strings.Join(sorted, ","), start, end)
	h := fnv.New64a()
	h.Write([]byte(q))
	qh := strconv.FormatUint(h.Sum64(), 36)

	tok := cwlChainToken{Q: qh}
	if in.NextToken != nil {
		if tok, err = cwlDecodeToken(*in.NextToken, qh); err != nil {
			return nil, err
		}
	}
	refs := l.filterRefs(qh, g, sorted, start, end)
	if tok.P > len(refs) {
		return nil, cwlInvalidParam("The specified nextToken is invalid.")
	}
	out := struct {
		Events             []cwlFilteredEvent `json:"events"`
		NextToken          *string            `json:"nextToken,omitempty"`
		SearchedLogStreams []any              `json:"searchedLogStreams"`
	}{Events: []cwlFilteredEvent{}, SearchedLogStreams: []any{}}
	next := cwlChainToken{Q: qh, P: tok.P, N: tok.N + 1}
	if !l.emptyPage(tok.N) {
		c := l.pageCap(limit, qh, tok.P, tok.N)
		bytes := 0
		for next.P < len(refs) && len(out.Events) < c {
			r := refs[next.P]
			e := &r.s.events[r.i]
			sz := len(e.msg) + logsEventOverhead
			if bytes+sz > logsMaxPageBytes && len(out.Events) > 0 {
				break
			}
			bytes += sz
			out.Events = append(out.Events, cwlFilteredEvent{LogStreamName: r.s.name, Timestamp: e.ts,
				Message: e.msg, IngestionTime: e.ingest, EventID: e.id()})
			next.P++
		}
	}
	// A token means "maybe more": the service returns one after empty pages
	// and sometimes after the last page too.
	if next.P < len(refs) || (l.opts.EmptyPageEvery >= 2 && len(out.Events) > 0) {
		t := cwlEncodeToken(next)
		out.NextToken = &t
	}
	return out, nil
}

// filterRefs returns the events matching a query in the order FilterLogEvents
// documents: "sorted by event timestamp, the timestamp when the event was
// ingested by CloudWatch Logs, and the ID of the PutLogEvents request".
// Called with l.mu read-locked.
func (l *Logs) filterRefs(qh string, g *cwlLogGroup, names []string, start, end int64) []cwlFilterRef {
	l.cacheMu.Lock()
	if r, ok := l.cache[qh]; ok && r.gen == l.gen {
		l.cacheMu.Unlock()
		return r.refs
	}
	l.cacheMu.Unlock()
	var refs []cwlFilterRef
	for _, n := range names {
		s := g.streams[n]
		i := sort.Search(len(s.events), func(i int) bool { return s.events[i].ts >= start })
		for ; i < len(s.events) && s.events[i].ts <= end; i++ {
			refs = append(refs, cwlFilterRef{s, i})
		}
	}
	sort.Slice(refs, func(i, j int) bool {
		return refs[i].s.events[refs[i].i].less(&refs[j].s.events[refs[j].i])
	})
	l.cacheMu.Lock()
	if len(l.cache) > 256 {
		l.cache = map[string]cwlFilterResult{}
	}
	l.cache[qh] = cwlFilterResult{gen: l.gen, refs: refs}
	l.cacheMu.Unlock()
	return refs
}

// ---- GetLogEvents ----

type cwlGetIn struct {
	LogGroupName       *string
	LogGroupIdentifier *string
	LogStreamName      *string
	StartTime          *int64
	EndTime            *int64
	NextToken          *string
	Limit              *int32
	StartFromHead      *bool
}

type cwlOutputEvent struct {
	Timestamp     int64  `json:"timestamp"`
	Message       string `json:"message"`
	IngestionTime int64  `json:"ingestionTime"`
}

// Stream tokens look like the service's ("f/…" forward, "b/…" backward) and
// encode the position in the stream and the chain's page count, so an empty
// page still yields a new token while the end of the stream returns exactly
// the token passed in.
func cwlStreamToken(dir byte, pos, n int) string { return fmt.Sprintf("%c/%020d/%d", dir, pos, n) }

func cwlParseStreamToken(s string) (dir byte, pos, n int, err error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || (parts[0] != "f" && parts[0] != "b") {
		return 0, 0, 0, cwlInvalidParam("The specified nextToken is invalid.")
	}
	pos, err1 := strconv.Atoi(parts[1])
	n, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || pos < 0 {
		return 0, 0, 0, cwlInvalidParam("The specified nextToken is invalid.")
	}
	return parts[0][0], pos, n, nil
}

func (l *Logs) getLogEvents(body []byte) (any, error) {
	var in cwlGetIn
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, cwlInvalidParam("malformed request: %v", err)
	}
	limit, err := cwlCheckLimit(in.Limit, logsMaxPageEvents)
	if err != nil {
		return nil, err
	}
	if in.LogStreamName == nil {
		return nil, cwlInvalidParam("1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null")
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	g, err := l.groupFor(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	s := g.streams[*in.LogStreamName]
	if s == nil {
		return nil, cwlNotFound("log stream")
	}
	// Window [startTime, endTime): GetLogEvents documents endTime as
	// exclusive, unlike FilterLogEvents.
	lo, hi := 0, len(s.events)
	if in.StartTime != nil {
		lo = sort.Search(len(s.events), func(i int) bool { return s.events[i].ts >= *in.StartTime })
	}
	if in.EndTime != nil {
		hi = sort.Search(len(s.events), func(i int) bool { return s.events[i].ts >= *in.EndTime })
	}
	if hi < lo {
		hi = lo
	}
	head := in.StartFromHead != nil && *in.StartFromHead
	dir, pos, n := byte('f'), lo, 0
	if !head {
		dir, pos = 'b', hi
	}
	if in.NextToken != nil {
		if dir, pos, n, err = cwlParseStreamToken(*in.NextToken); err != nil {
			return nil, err
		}
		if dir == 'f' && !head {
			return nil, cwlInvalidParam("startFromHead must be true when nextToken is a forward token")
		}
		pos = max(lo, min(pos, hi))
	}
	out := struct {
		Events            []cwlOutputEvent `json:"events"`
		NextForwardToken  string           `json:"nextForwardToken"`
		NextBackwardToken string           `json:"nextBackwardToken"`
	}{Events: []cwlOutputEvent{}}
	key := s.name
	if dir == 'f' {
		from, to := pos, pos
		if !l.emptyPage(n) {
			c := l.pageCap(limit, key, pos, n)
			bytes := 0
			for to < hi && to-from < c {
				sz := len(s.events[to].msg) + logsEventOverhead
				if bytes+sz > logsMaxPageBytes && to > from {
					break
				}
				bytes += sz
				to++
			}
		}
		for i := from; i < to; i++ {
			e := &s.events[i]
			out.Events = append(out.Events, cwlOutputEvent{Timestamp: e.ts, Message: e.msg, IngestionTime: e.ingest})
		}
		switch {
		case to == hi && from == hi && in.NextToken != nil:
			out.NextForwardToken = *in.NextToken // end of stream: the same token
		default:
			out.NextForwardToken = cwlStreamToken('f', to, n+1)
		}
		out.NextBackwardToken = cwlStreamToken('b', from, n+1)
		return out, nil
	}
	// Backward: the page of events just before pos, oldest first.
	to, from := pos, pos
	c := l.pageCap(limit, key, pos, n)
	bytes := 0
	for from > lo && to-from < c {
		sz := len(s.events[from-1].msg) + logsEventOverhead
		if bytes+sz > logsMaxPageBytes && to > from {
			break
		}
		bytes += sz
		from--
	}
	for i := from; i < to; i++ {
		e := &s.events[i]
		out.Events = append(out.Events, cwlOutputEvent{Timestamp: e.ts, Message: e.msg, IngestionTime: e.ingest})
	}
	out.NextForwardToken = cwlStreamToken('f', to, n+1)
	if from == lo && in.NextToken != nil && to == from {
		out.NextBackwardToken = *in.NextToken
	} else {
		out.NextBackwardToken = cwlStreamToken('b', from, n+1)
	}
	return out, nil
}

// ---- DescribeLogStreams ----

type cwlDescribeIn struct {
	LogGroupName        *string
	LogGroupIdentifier  *string
	LogStreamNamePrefix *string
	OrderBy             *string
	Descending          *bool
	NextToken           *string
	Limit               *int32
}

type cwlLogStreamOut struct {
	LogStreamName       string `json:"logStreamName"`
	CreationTime        int64  `json:"creationTime"`
	FirstEventTimestamp *int64 `json:"firstEventTimestamp,omitempty"`
	LastEventTimestamp  *int64 `json:"lastEventTimestamp,omitempty"`
	LastIngestionTime   *int64 `json:"lastIngestionTime,omitempty"`
	Arn                 string `json:"arn"`
	StoredBytes         int64  `json:"storedBytes"`
}

func (l *Logs) describeLogStreams(body []byte) (any, error) {
	var in cwlDescribeIn
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, cwlInvalidParam("malformed request: %v", err)
	}
	limit, err := cwlCheckLimit(in.Limit, logsMaxDescribeSize)
	if err != nil {
		return nil, err
	}
	byTime := in.OrderBy != nil && *in.OrderBy == "LastEventTime"
	if in.OrderBy != nil && !byTime && *in.OrderBy != "LogStreamName" {
		return nil, cwlInvalidParam("1 validation error detected: Value '%s' at 'orderBy' failed to satisfy constraint", *in.OrderBy)
	}
	if byTime && in.LogStreamNamePrefix != nil {
		return nil, cwlInvalidParam("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	g, err := l.groupFor(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if in.LogStreamNamePrefix != nil {
		prefix = *in.LogStreamNamePrefix
	}
	var list []*cwlLogStream
	for _, n := range g.names {
		if strings.HasPrefix(n, prefix) {
			list = append(list, g.streams[n])
		}
	}
	if byTime {
		sort.SliceStable(list, func(i, j int) bool { return cwlLastTS(list[i]) < cwlLastTS(list[j]) })
	}
	if in.Descending != nil && *in.Descending {
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
	}
	q := fmt.Sprintf("%s|%s|%v|%v", g.name, prefix, byTime, in.Descending != nil && *in.Descending)
	h := fnv.New64a()
	h.Write([]byte(q))
	qh := strconv.FormatUint(h.Sum64(), 36)
	tok := cwlChainToken{Q: qh}
	if in.NextToken != nil {
		if tok, err = cwlDecodeToken(*in.NextToken, qh); err != nil {
			return nil, err
		}
	}
	out := struct {
		LogStreams []cwlLogStreamOut `json:"logStreams"`
		NextToken  *string           `json:"nextToken,omitempty"`
	}{LogStreams: []cwlLogStreamOut{}}
	i := min(tok.P, len(list))
	for ; i < len(list) && len(out.LogStreams) < limit; i++ {
		s := list[i]
		o := cwlLogStreamOut{LogStreamName: s.name, CreationTime: s.created,
			Arn: "arn:aws:logs:us-east-1:123456789012:log-group:" + g.name + ":log-stream:" + s.name}
		if len(s.events) > 0 {
			first := s.events[0].ts
			o.FirstEventTimestamp = &first
			cut := int64(1<<63 - 1)
			if l.opts.LastEventLag > 0 {
				cut = time.Now().Add(-l.opts.LastEventLag).UnixMilli()
			}
			last, ing, seen := int64(0), int64(0), false
			for k := range s.events {
				if e := &s.events[k]; e.ingest <= cut {
					if !seen || e.ts > last {
						last = e.ts
					}
					ing, seen = max(ing, e.ingest), true
				}
			}
			if seen {
				o.LastEventTimestamp, o.LastIngestionTime = &last, &ing
			}
		}
		out.LogStreams = append(out.LogStreams, o)
	}
	if i < len(list) {
		t := cwlEncodeToken(cwlChainToken{Q: qh, P: i, N: tok.N + 1})
		out.NextToken = &t
	}
	return out, nil
}

func cwlLastTS(s *cwlLogStream) int64 {
	if len(s.events) == 0 {
		return 0
	}
	return s.events[len(s.events)-1].ts
}

package source

import (
	"slices"
	"time"
)

// Prune selects objects by their keys before anything is read: by account,
// region and time. It only ever drops objects that cannot hold a wanted
// record; the records themselves are still filtered one by one (give the
// same window to the Reader: flowlogs.WithFilter, through
// WithReaderOptions).
//
// Time pruning follows what AWS documents about S3 delivery: files are
// published every 5 minutes, each holding records of "the previous 5
// minutes" (a reading of older docs put them in the five minutes after the
// stamp), and a record reaches S3 "in about 10 minutes" after its
// aggregation interval ends, best effort and possibly later
// (flow-log-records.html, "Aggregation interval"). A record is never in a
// file stamped more than one file before its end, so a file stamped T holds
// records ending at or before T+5m; but it may hold records that ended long
// before T, by the delivery delay. A record overlaps the window
// [Since, Until) when it ends at or after Since and starts before Until
// (flowlogs.Filter's rule), and a record ends at most
// MaxAggregationInterval plus 60 s (AWS: start and end lag the packets by
// up to 60 s) after it starts. So a file is kept when
//
//	Since - 5m <= T <= Until + MaxAggregationInterval + 60s + MaxDeliveryDelay + 5m
//
// Partitions (year/month/day/hour folders) are kept when they can hold such
// a file; AWS does not say whether a partition is chosen by the file's
// timestamp or its upload time, so a partition is also kept when it starts
// up to an hour after the window (uploads lag by minutes).
type Prune struct {
	// Accounts and Regions keep objects of these accounts and regions
	// (empty: all). An object whose key does not say is kept.
	Accounts []string
	Regions  []string
	// Since and Until bound the time window (zero: unbounded).
	Since, Until time.Time
	// MaxAggregationInterval is the flow logs' maximum aggregation
	// interval, 10 minutes (AWS's default and the maximum) when zero. Set
	// it to time.Minute for flow logs created with 60 seconds to prune
	// closer to Until.
	MaxAggregationInterval time.Duration
	// MaxDeliveryDelay is how long after its aggregation interval ends a
	// record may be delivered to S3, and so how much later than the
	// record the file holding it may be stamped: one hour when zero. AWS
	// delivers "in about 10 minutes", best effort, "might be delayed
	// beyond"; a shorter bound prunes closer to Until at the risk of
	// missing late records.
	MaxDeliveryDelay time.Duration
}

const (
	fileSlack      = 5 * time.Minute // one file: files are published every 5 minutes
	captureLag     = 60 * time.Second
	deliveryDelay  = time.Hour // default MaxDeliveryDelay: AWS says about 10 minutes, best effort
	partitionSlack = time.Hour
)

// IsZero reports whether the Prune keeps everything.
func (p *Prune) IsZero() bool {
	return len(p.Accounts) == 0 && len(p.Regions) == 0 && p.Since.IsZero() && p.Until.IsZero()
}

// stampWindow is the closed interval of file timestamps to keep; zero
// bounds are unbounded.
func (p *Prune) stampWindow() (lo, hi time.Time) {
	if !p.Since.IsZero() {
		lo = p.Since.Add(-fileSlack)
	}
	if !p.Until.IsZero() {
		agg := p.MaxAggregationInterval
		if agg <= 0 {
			agg = 10 * time.Minute
		}
		delay := p.MaxDeliveryDelay
		if delay <= 0 {
			delay = deliveryDelay
		}
		hi = p.Until.Add(agg + captureLag + delay + fileSlack)
	}
	return lo, hi
}

func (p *Prune) keepAccount(a string) bool {
	return a == "" || len(p.Accounts) == 0 || slices.Contains(p.Accounts, a)
}

func (p *Prune) keepRegion(r string) bool {
	return r == "" || len(p.Regions) == 0 || slices.Contains(p.Regions, r)
}

// Keep reports whether an object with key k can hold wanted records.
func (p *Prune) Keep(k Key) bool {
	if !p.keepAccount(k.Account) || !p.keepRegion(k.Region) {
		return false
	}
	lo, hi := p.stampWindow()
	if !k.Time.IsZero() {
		return (lo.IsZero() || !k.Time.Before(lo)) && (hi.IsZero() || !k.Time.After(hi))
	}
	if !k.Partition.IsZero() {
		to := k.Partition.AddDate(0, 0, 1)
		if k.Hourly {
			to = k.Partition.Add(time.Hour)
		}
		return p.keepInterval(k.Partition, to)
	}
	return true
}

// keepInterval reports whether a partition holding file stamps in
// [from, to) can hold a kept file.
func (p *Prune) keepInterval(from, to time.Time) bool {
	lo, hi := p.stampWindow()
	return (lo.IsZero() || to.After(lo)) && (hi.IsZero() || !from.After(hi.Add(partitionSlack)))
}

// KeepDir reports whether a directory (an S3 common prefix or a folder of
// a local copy, given by its path or key prefix) can hold wanted objects.
// Directories that follow the delivery layout are judged by their
// account, region and date; a directory below AWSLogs/<account>/ for
// another service (CloudTrail, ELB logs) is dropped; anything else is kept.
func (p *Prune) KeepDir(path string) bool {
	d, ok := parseDir(path)
	if !ok {
		return false
	}
	if !p.keepAccount(d.account) || !p.keepRegion(d.region) {
		return false
	}
	if d.depth >= depthYear {
		return p.keepInterval(d.from, d.to)
	}
	return true
}

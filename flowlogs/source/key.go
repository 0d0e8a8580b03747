package source

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Key is what the name of a flow-log object says about its content, read
// from the layout VPC Flow Logs uses when it delivers to Amazon S3
// (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html):
//
//	<prefix>/AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/[<HH>/]<file>
//	<prefix>/AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=<yyyy>/month=<mm>/day=<dd>/[hour=<HH>/]<file>
//	<file> = <account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz (text) or ….log.parquet
//
// An organization-ID segment right after AWSLogs/ (centrally delivered
// logs, as Tailpipe's default layout allows) is accepted too. A local copy
// of a bucket (aws s3 sync) has the same layout.
type Key struct {
	Prefix    string    // everything before "AWSLogs/" (bucket prefix), "" if none
	Org       string    // organization segment after AWSLogs/, "" if none
	Account   string    // 12-digit account ID
	Region    string    // e.g. "us-east-1"
	Hive      bool      // Hive-compatible partitions (aws-account-id=…)
	Hourly    bool      // per-hour partitions
	Partition time.Time // start (UTC) of the day or hour partition; zero if the key has none
	FlowLogID string    // e.g. "fl-0abc"
	Time      time.Time // the file name's timestamp (UTC, minute resolution)
	Hash      string
	Parquet   bool // a Parquet file (".parquet" in the name); otherwise text
}

// DeliveryName returns the name of the delivery the key names, wherever
// a copy of it lies: its file name without extensions
// (<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>),
// "" for a Key that is not a delivery's. A flow log delivers to one
// destination, and its files of one 5-minute interval differ in the hash
// (AWS: "multiple files may be published" per interval), so the name
// tells one delivery from every other, in a bucket, a local copy of it or
// a flat folder of downloads, compressed again or not. Partials record it
// (attribution.Input) so that a merge can refuse one delivery counted
// twice.
func (k Key) DeliveryName() string {
	if k.FlowLogID == "" {
		return ""
	}
	return k.Account + "_vpcflowlogs_" + k.Region + "_" + k.FlowLogID + "_" + k.Time.Format(fileTimeLayout) + "_" + k.Hash
}

// fileTimeLayout is the file name's timestamp, e.g. 20261125T1620Z.
const fileTimeLayout = "20060102T1504Z"

// ErrNotFlowLog is wrapped by ParseKey's errors.
var ErrNotFlowLog = errors.New("not a VPC flow-log delivery key")

// ParseKey parses an S3 key or a slash-separated path. The file name must
// be a flow-log file name; the directories are read when they follow the
// delivery layout (from an AWSLogs segment on) and ignored otherwise, so a
// flat folder of downloaded files parses too. An account or region in the
// directories that contradicts the file name is an error.
func ParseKey(key string) (Key, error) {
	dir, name := "", key
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		dir, name = key[:i], key[i+1:]
	}
	k, err := parseFileName(name)
	if err != nil {
		return Key{}, fmt.Errorf("%w: %q: %v", ErrNotFlowLog, key, err)
	}
	d, ok := parseDir(dir)
	if !ok || !d.complete() {
		return k, nil
	}
	if d.account != k.Account {
		return Key{}, fmt.Errorf("%w: %q: account %s in the path, %s in the file name", ErrNotFlowLog, key, d.account, k.Account)
	}
	if d.region != k.Region {
		return Key{}, fmt.Errorf("%w: %q: region %s in the path, %s in the file name", ErrNotFlowLog, key, d.region, k.Region)
	}
	k.Prefix, k.Org, k.Hive, k.Hourly, k.Partition = d.prefix, d.org, d.hive, d.depth == depthHour, d.from
	return k, nil
}

// parseFileName parses <account>_vpcflowlogs_<region>_<flow-log-id>_<stamp>_<hash>.<ext>.
func parseFileName(name string) (Key, error) {
	parts := strings.Split(name, "_")
	if len(parts) != 6 {
		return Key{}, errors.New("file name is not <account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.<ext>")
	}
	acct, svc, region, id, stamp, last := parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]
	hash, ext, _ := strings.Cut(last, ".")
	switch {
	case !isAccount(acct):
		return Key{}, fmt.Errorf("account %q is not 12 digits", acct)
	case svc != "vpcflowlogs":
		return Key{}, fmt.Errorf("service %q is not vpcflowlogs", svc)
	case !isRegion(region):
		return Key{}, fmt.Errorf("bad region %q", region)
	case !strings.HasPrefix(id, "fl-") || len(id) == 3:
		return Key{}, fmt.Errorf("flow log ID %q does not start with fl-", id)
	case hash == "" || ext == "":
		return Key{}, errors.New("no hash or extension after the timestamp")
	case !flowLogExt(ext):
		return Key{}, fmt.Errorf("extension %q does not end as a flow-log file's (.gz, .parquet, .log, .txt, .zst, .bz2, .xz, .lz4)", "."+ext)
	}
	t, err := time.Parse(fileTimeLayout, stamp)
	if err != nil {
		return Key{}, fmt.Errorf("timestamp %q is not YYYYMMDDTHHmmZ", stamp)
	}
	return Key{Account: acct, Region: region, FlowLogID: id, Time: t, Hash: hash,
		Parquet: strings.Contains("."+ext+".", ".parquet.")}, nil
}

// flowLogExt reports whether the extensions after a file name's hash end
// as a flow-log file's can: AWS delivers text as .log.gz (reference
// flowlogs §5.2) and Parquet with a .parquet suffix, and a copy may be
// decompressed (.log), renamed (.txt) or compressed again for a
// WithDecoder of the reader's (.zst, .bz2, .xz, .lz4). Any other last
// extension is a file beside them, such as a download in progress: the
// AWS CLI's s3 cp and sync (s3transfer) write to the name plus eight
// random hex digits (….log.gz.A1b2C3d4) and rename it once the whole
// object is there, so reading it would read a part of the object, and
// the object again once renamed.
func flowLogExt(ext string) bool {
	switch ext[strings.LastIndexByte(ext, '.')+1:] {
	case "gz", "parquet", "log", "txt", "zst", "bz2", "xz", "lz4":
		return true
	}
	return false
}

func isAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isRegion accepts lower-case letters, digits and hyphens (us-east-1,
// us-gov-west-1, cn-north-1, eu-isoe-west-1).
func isRegion(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Depths of a directory below AWSLogs/ (organization segment not counted).
const (
	depthNone    = iota // AWSLogs/ itself, or not reached
	depthAccount        // …/<account>
	depthService        // …/vpcflowlogs
	depthRegion
	depthYear
	depthMonth
	depthDay
	depthHour
)

// dirInfo is what a directory path says, possibly only its first levels
// (while walking a tree or an S3 listing).
type dirInfo struct {
	prefix   string
	awslogs  bool // the path reached AWSLogs/
	org      string
	orgOnly  bool // the last segment may be an organization ID (account unknown yet)
	hive     bool
	depth    int
	account  string
	region   string
	from, to time.Time // partition interval at depth >= depthYear
	below    bool      // segments below the hour (or day) partition: not the layout
}

func (d *dirInfo) complete() bool {
	return d.awslogs && !d.below && (d.depth == depthDay || d.depth == depthHour)
}

// parseDir reads a directory path (no file name, no trailing slash needed).
// ok is false when the path contradicts the delivery layout below AWSLogs/
// (another AWS service's logs, a malformed date), so nothing below it is a
// flow log. A path without an AWSLogs segment is ok, with nothing known.
func parseDir(dir string) (d dirInfo, ok bool) {
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return d, true
	}
	segs := strings.Split(dir, "/")
	// The layout starts at an AWSLogs segment; the path above it may hold
	// one too (a local copy kept under a folder named AWSLogs). The last
	// one that reads as the layout's start is it.
	found := false
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] != "AWSLogs" {
			continue
		}
		di, ok := parseBelow(segs, i)
		if ok && (di.awslogs || !found) {
			// The layout, or a path that is not it; but not one above a
			// later AWSLogs that contradicts the layout (a bucket's copy
			// kept under a folder named AWSLogs: its CloudTrail folder).
			return di, true
		}
		if !ok && !found {
			d, found = di, true
		}
	}
	return d, !found
}

// parseBelow is parseDir from the AWSLogs segment segs[i].
func parseBelow(segs []string, i int) (d dirInfo, ok bool) {
	d.prefix, d.awslogs = strings.Join(segs[:i], "/"), true
	rest := segs[i+1:]
	if len(rest) == 0 {
		return d, true
	}
	// An organization segment is anything that is not an account in
	// either style; it must be followed by one. When it is not, the path
	// is not the layout (nor another service's logs, which sit below an
	// account too): nothing is known of it, and nothing below it is
	// dropped, such as a folder of delivered files kept under a folder
	// named AWSLogs.
	if !isAccount(rest[0]) && !strings.HasPrefix(rest[0], "aws-account-id=") {
		d.org, rest = rest[0], rest[1:]
		if len(rest) == 0 {
			d.orgOnly = true
			return d, true
		}
		if !isAccount(rest[0]) && !strings.HasPrefix(rest[0], "aws-account-id=") {
			return dirInfo{}, true
		}
	}
	acct, hive := rest[0], false
	if v, found := strings.CutPrefix(acct, "aws-account-id="); found {
		acct, hive = v, true
	}
	if !isAccount(acct) {
		return d, false
	}
	d.hive, d.account, d.depth = hive, acct, depthAccount
	seg := func(name, s string) (string, bool) { // value of a plain or Hive segment
		if !hive {
			return s, true
		}
		return strings.CutPrefix(s, name+"=")
	}
	for _, s := range rest[1:] {
		switch d.depth {
		case depthAccount:
			if v, found := seg("aws-service", s); !found || v != "vpcflowlogs" {
				return d, false
			}
		case depthService:
			v, found := seg("aws-region", s)
			if !found || !isRegion(v) {
				return d, false
			}
			d.region = v
		case depthRegion, depthYear, depthMonth, depthDay:
			names := [...]string{depthRegion: "year", depthYear: "month", depthMonth: "day", depthDay: "hour"}
			v, found := seg(names[d.depth], s)
			if !found || !d.addDate(v) {
				return d, false
			}
		default:
			d.below = true
			return d, true
		}
		d.depth++
	}
	return d, true
}

// addDate adds the next date component (year, month, day or hour) below
// the current depth and narrows [from, to).
func (d *dirInfo) addDate(v string) bool {
	width := map[int]int{depthRegion: 4, depthYear: 2, depthMonth: 2, depthDay: 2}[d.depth]
	if len(v) != width {
		return false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return false
	}
	switch d.depth {
	case depthRegion:
		d.from = time.Date(n, 1, 1, 0, 0, 0, 0, time.UTC)
		d.to = d.from.AddDate(1, 0, 0)
	case depthYear:
		if n < 1 || n > 12 {
			return false
		}
		d.from = time.Date(d.from.Year(), time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		d.to = d.from.AddDate(0, 1, 0)
	case depthMonth:
		t := time.Date(d.from.Year(), d.from.Month(), n, 0, 0, 0, 0, time.UTC)
		if n < 1 || t.Month() != d.from.Month() {
			return false
		}
		d.from, d.to = t, t.AddDate(0, 0, 1)
	case depthDay:
		if n > 23 {
			return false
		}
		d.from = d.from.Add(time.Duration(n) * time.Hour)
		d.to = d.from.Add(time.Hour)
	}
	return true
}

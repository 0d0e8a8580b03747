package source

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func utc(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
}

const (
	name1620  = "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.gz"
	name1620p = "123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.parquet"
)

func TestParseKey(t *testing.T) {
	file := Key{Account: "123456789012", Region: "us-east-1", FlowLogID: "fl-0abc", Time: utc(2026, 11, 25, 16, 20), Hash: "ab12cd34"}
	with := func(f func(*Key)) Key { k := file; f(&k); return k }
	day, hour := utc(2026, 11, 25, 0, 0), utc(2026, 11, 25, 16, 0)
	tests := []struct {
		key  string
		want Key
	}{
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/" + name1620,
			with(func(k *Key) { k.Partition = day })},
		{"my-prefix/sub/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/16/" + name1620,
			with(func(k *Key) { k.Prefix, k.Partition, k.Hourly = "my-prefix/sub", hour, true })},
		{"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=25/" + name1620,
			with(func(k *Key) { k.Hive, k.Partition = true, day })},
		{"p/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=25/hour=16/" + name1620p,
			with(func(k *Key) { k.Prefix, k.Hive, k.Hourly, k.Partition, k.Parquet = "p", true, true, hour, true })},
		{"AWSLogs/o-a1b2c3d4e5/123456789012/vpcflowlogs/us-east-1/2026/11/25/" + name1620,
			with(func(k *Key) { k.Org, k.Partition = "o-a1b2c3d4e5", day })},
		{"AWSLogs/o-a1b2c3d4e5/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=25/hour=16/" + name1620,
			with(func(k *Key) { k.Org, k.Hive, k.Hourly, k.Partition = "o-a1b2c3d4e5", true, true, hour })},
		// A flat folder of downloaded files, and a decompressed copy.
		{"downloads/" + name1620, file},
		{name1620, file},
		{"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log", file},
		// Compressed again, for a decoder of the caller's.
		{"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.zst", file},
		// Off-layout directories are ignored, the name still counts.
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/" + name1620, file},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/16/extra/" + name1620, file},
		// GovCloud and China regions, 17-hex flow log IDs.
		{"AWSLogs/123456789012/vpcflowlogs/us-gov-west-1/2026/01/02/123456789012_vpcflowlogs_us-gov-west-1_fl-0123456789abcdef0_20260102T0000Z_fe123456.log.gz",
			Key{Account: "123456789012", Region: "us-gov-west-1", FlowLogID: "fl-0123456789abcdef0", Time: utc(2026, 1, 2, 0, 0), Hash: "fe123456", Partition: utc(2026, 1, 2, 0, 0)}},
	}
	for _, tt := range tests {
		got, err := ParseKey(tt.key)
		if err != nil {
			t.Errorf("ParseKey(%q): %v", tt.key, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseKey(%q)\n got %+v\nwant %+v", tt.key, got, tt.want)
		}
		// Every copy of one delivery has one name: the file name
		// without its extensions.
		base := tt.key[strings.LastIndexByte(tt.key, '/')+1:]
		if want, _, _ := strings.Cut(base, "."); got.DeliveryName() != want {
			t.Errorf("ParseKey(%q).DeliveryName() = %q, want %q", tt.key, got.DeliveryName(), want)
		}
	}
	if n := (Key{}).DeliveryName(); n != "" {
		t.Errorf("the zero Key's DeliveryName: %q", n)
	}
}

func TestParseKeyErrors(t *testing.T) {
	for _, key := range []string{
		"",
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/",
		"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/25/123456789012_CloudTrail_us-east-1_20261125T1620Z_abc.json.gz",
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/flows.log.gz",
		"12345678901_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.gz",  // 11-digit account
		"123456789012_vpcflowlogs_US_EAST_1_fl-0abc_20261125T1620Z_ab12cd34.log.gz", // wrong split
		"123456789012_vpcflowlogs_us-east-1_0abc_20261125T1620Z_ab12cd34.log.gz",    // no fl-
		"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1660Z_ab12cd34.log.gz", // minute 60
		"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34",        // no extension
		// The AWS CLI's download in progress, and other files beside one.
		"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.gz.A1b2C3d4",
		"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.log.gz.partial",
		"123456789012_vpcflowlogs_us-east-1_fl-0abc_20261125T1620Z_ab12cd34.json",
		// The path contradicts the name.
		"AWSLogs/210987654321/vpcflowlogs/us-east-1/2026/11/25/" + name1620,
		"AWSLogs/123456789012/vpcflowlogs/eu-west-1/2026/11/25/" + name1620,
	} {
		if k, err := ParseKey(key); !errors.Is(err, ErrNotFlowLog) {
			t.Errorf("ParseKey(%q) = %+v, %v; want ErrNotFlowLog", key, k, err)
		}
	}
}

func TestPruneKeep(t *testing.T) {
	at := func(h, m int) Key {
		return Key{Account: "123456789012", Region: "us-east-1", Time: utc(2026, 11, 25, h, m)}
	}
	window := Prune{Since: utc(2026, 11, 25, 16, 0), Until: utc(2026, 11, 25, 17, 0)}
	oneMinute := window
	oneMinute.MaxAggregationInterval = time.Minute
	tests := []struct {
		name string
		p    Prune
		k    Key
		want bool
	}{
		{"zero prune keeps all", Prune{}, at(3, 0), true},
		{"inside", window, at(16, 30), true},
		// One file of slack before Since: 15:55 may hold records ending 16:00 (2018 docs).
		{"one file before Since", window, at(15, 55), true},
		{"two files before Since", window, at(15, 50), false},
		// After Until: a record starting at 16:59:59 may end 10 min + 60 s later,
		// be delivered up to MaxDeliveryDelay (1 h) after that and sit in the
		// file stamped up to 5 min later still.
		{"last stamp after Until", window, at(18, 16), true},
		{"past the slack", window, at(18, 17), false},
		{"60 s aggregation: 18:07 kept", oneMinute, at(18, 7), true},
		{"60 s aggregation: 18:10 pruned", oneMinute, at(18, 10), false},
		{"only Since", Prune{Since: utc(2026, 11, 25, 16, 0)}, at(23, 0), true},
		{"only Until", Prune{Until: utc(2026, 11, 25, 16, 0)}, at(1, 0), true},
		{"account kept", Prune{Accounts: []string{"123456789012"}}, at(1, 0), true},
		{"account pruned", Prune{Accounts: []string{"210987654321"}}, at(1, 0), false},
		{"region pruned", Prune{Regions: []string{"eu-west-1"}}, at(1, 0), false},
		{"unknown account kept", Prune{Accounts: []string{"210987654321"}}, Key{}, true},
		{"day partition, no stamp", window, Key{Partition: utc(2026, 11, 24, 0, 0)}, false},
		{"day partition of the window", window, Key{Partition: utc(2026, 11, 25, 0, 0)}, true},
		{"hour partition after the window", window, Key{Partition: utc(2026, 11, 25, 19, 0), Hourly: true}, true},
		{"hour partition well after", window, Key{Partition: utc(2026, 11, 25, 20, 0), Hourly: true}, false},
	}
	for _, tt := range tests {
		if got := tt.p.Keep(tt.k); got != tt.want {
			t.Errorf("%s: Keep = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPruneKeepDir(t *testing.T) {
	p := Prune{Accounts: []string{"123456789012"}, Regions: []string{"us-east-1"},
		Since: utc(2026, 11, 25, 16, 0), Until: utc(2026, 11, 25, 17, 0)}
	tests := []struct {
		dir  string
		want bool
	}{
		{"", true},
		{"some/prefix", true},
		{"AWSLogs", true},
		{"AWSLogs/o-a1b2c3d4e5", true}, // organization: account not known yet
		{"AWSLogs/123456789012", true},
		{"AWSLogs/210987654321", false},
		{"AWSLogs/aws-account-id=210987654321/", false},
		{"AWSLogs/o-a1b2c3d4e5/210987654321", false},
		{"AWSLogs/123456789012/CloudTrail", false},
		{"AWSLogs/123456789012/vpcflowlogs", true},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1", true},
		{"AWSLogs/123456789012/vpcflowlogs/eu-west-1", false},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2025", false},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026", true},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/10", false},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11", true},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/24", false},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25", true},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/26", false},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/15", true}, // 15:55 file
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/14", false},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/18", true}, // delivery delay
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/19", true}, // upload-time slack
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/20", false},
		{"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=25/hour=16", true},
		{"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=24", false},
		{"AWSLogs/aws-account-id=123456789012/aws-service=elasticloadbalancing", false},
		{"AWSLogs/aws-account-id=123456789012/vpcflowlogs", false}, // mixed styles
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/13", false},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/30", false},
	}
	for _, tt := range tests {
		if got := p.KeepDir(tt.dir); got != tt.want {
			t.Errorf("KeepDir(%q) = %v, want %v", tt.dir, got, tt.want)
		}
	}
}

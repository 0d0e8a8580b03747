package source

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseKey checks that no key makes ParseKey or the pruning panic, and
// that a parsed key is consistent with its own name.
func FuzzParseKey(f *testing.F) {
	for _, k := range []string{
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/11/25/" + name1620,
		"p/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=25/hour=16/" + name1620p,
		"AWSLogs/o-a1b2c3d4e5/123456789012/vpcflowlogs/us-east-1/2026/02/29/16/" + name1620,
		"AWSLogs//vpcflowlogs/",
		"",
	} {
		f.Add(k)
	}
	p := Prune{Accounts: []string{"123456789012"}, Regions: []string{"us-east-1"},
		Since: time.Date(2026, 11, 25, 16, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, key string) {
		p.KeepDir(key)
		k, err := ParseKey(key)
		if err != nil {
			return
		}
		p.Keep(k)
		if !strings.Contains(key, k.Account+"_vpcflowlogs_"+k.Region+"_"+k.FlowLogID+"_"+k.Time.Format(fileTimeLayout)) {
			t.Fatalf("%q parsed as %+v", key, k)
		}
		if k.Hourly && k.Partition.Minute() != 0 || !k.Partition.IsZero() && k.Partition.Location() != time.UTC {
			t.Fatalf("%q: partition %v", key, k.Partition)
		}
	})
}

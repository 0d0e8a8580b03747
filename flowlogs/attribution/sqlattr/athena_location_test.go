package sqlattr_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/flowlogs/attribution/sqlattr"
)

// Tables.FlowLogsLocation is documented as the prefix "up to and including
// AWSLogs/", and the DDL appends the rest of AWS's layout to it. Given the
// bucket prefix without AWSLogs/ (the prefix the flow log was created
// with, which is what a user has at hand), the DDL was printed without a
// word and its storage.location.template points where no file lies: Athena
// then reads no record and the query's total is 0.
func TestAthenaDDLLocationWithoutAWSLogs(t *testing.T) {
	tables := sqlattr.Tables{
		Accounts: []string{"123456789012"}, Regions: []string{"us-east-1"},
		IntervalsLocation: "s3://my-ecs-history/intervals/", Clusters: []string{"prod"},
	}
	for _, layout := range []sqlattr.Layout{sqlattr.ParquetHive, sqlattr.Text} {
		for _, loc := range []string{"s3://my-flow-logs/", "s3://my-flow-logs/prefix", "s3://my-flow-logs/AWSLogs/123456789012/"} {
			tables.FlowLogsLocation, tables.FlowLogsLayout = loc, layout
			ddl, err := (&sqlattr.Builder{Dialect: sqlattr.Athena}).DDL(tables)
			if err == nil {
				t.Errorf("layout %v, FlowLogsLocation %q: DDL printed, want an error; template: %s", layout, loc, template(ddl))
			} else if !strings.Contains(err.Error(), "AWSLogs/") {
				t.Errorf("FlowLogsLocation %q: error %q does not say what is wanted", loc, err)
			}
		}
		for _, loc := range []string{"s3://my-flow-logs/AWSLogs/", "s3://my-flow-logs/prefix/AWSLogs"} {
			tables.FlowLogsLocation, tables.FlowLogsLayout = loc, layout
			if _, err := (&sqlattr.Builder{Dialect: sqlattr.Athena}).DDL(tables); err != nil {
				t.Errorf("FlowLogsLocation %q: %v", loc, err)
			}
		}
	}
}

func template(ddl string) string {
	for _, l := range strings.Split(ddl, "\n") {
		if strings.Contains(l, "storage.location.template") {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

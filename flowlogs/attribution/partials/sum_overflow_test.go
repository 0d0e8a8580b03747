package partials_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/partials"
)

// TestWriteSumPastInt64: Write's doc says "A count that does not fit a signed 64-bit column ... is an
// error". A task's bytes column is in + out + unknown; each of those fits,
// and their sum (2^64 here) does not: it wrapped to 0 and was written
// without an error, as a file Read then refuses (in + out + unknown is not
// its bytes). The same for a point's bytes.
func TestWriteSumPastInt64(t *testing.T) {
	base := func() *attribution.Partial {
		a := attribution.New(nil)
		p := a.Partial()
		p.Total = attribution.Totals{Bytes: math.MaxInt64, Packets: 1, Records: 1}
		return p
	}
	task := attribution.TaskPart{Task: &history.Task{ARN: "arn:aws:ecs:us-east-1:123456789012:task/demo/t1"},
		Counters: attribution.Counters{BytesIn: math.MaxInt64, BytesOut: math.MaxInt64, BytesUnknown: 2, PacketsIn: 1, Records: 1}}
	p := base()
	p.Tasks = []attribution.TaskPart{task}
	var buf bytes.Buffer
	if err := partials.Write(&buf, p); err == nil {
		_, rerr := partials.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()), "x")
		t.Errorf("task of bytes %d + %d + %d (2^64) written without an error; Read says: %v",
			task.BytesIn, task.BytesOut, task.BytesUnknown, rerr)
	}
	if _, err := partials.Rows(p); err == nil {
		t.Errorf("Rows: task of bytes 2^64 without an error")
	}

	pt := task
	pt.Counters = attribution.Counters{BytesIn: 10, PacketsIn: 1, Records: 1}
	pt.Series = []attribution.Point{{Start: t0, BytesIn: math.MaxInt64, BytesOut: math.MaxInt64, BytesUnknown: 2}}
	p = base()
	p.Tasks = []attribution.TaskPart{pt}
	buf.Reset()
	if err := partials.Write(&buf, p); err == nil {
		t.Errorf("point of bytes 2^64 written without an error")
	}
}

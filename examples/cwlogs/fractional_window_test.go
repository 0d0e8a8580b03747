package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"
)

// TestFractionalWindowPrinted: -since and -until with a fraction of
// a second were read as given (CloudWatch Logs by milliseconds: records,
// at whole seconds, from the next second on) but printed truncated to
// the second, so the JSON's window named a second whose records were not
// read (since) and left out one whose records were (until, exclusive).
func TestFractionalWindowPrinted(t *testing.T) {
	c, _ := fakes(t)
	var out, errOut bytes.Buffer
	args := []string{"-log-group", "vpc-flow", "-format", "json", "-eni", "eni-00000000000000000",
		"-since", "2026-11-20T12:00:00.5Z", "-until", "2026-11-20T12:05:00Z"}
	if err := run(context.Background(), args, &out, &errOut, c); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	var doc struct {
		Since, Until string
		ENIs         []struct{ Records uint64 }
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	since, _ := time.Parse(time.RFC3339, doc.Since)
	until, _ := time.Parse(time.RFC3339, doc.Until)
	// The records read start at 12:01 … 12:04, one a minute.
	var want uint64
	for m := 0; m < 10; m++ {
		if s := t0.Add(time.Duration(m) * time.Minute); !s.Before(since) && s.Before(until) {
			want++
		}
	}
	if len(doc.ENIs) != 1 || doc.ENIs[0].Records != want {
		t.Fatalf("window printed [%s, %s) holds %d records; read: %s", doc.Since, doc.Until, want, out.String())
	}
}

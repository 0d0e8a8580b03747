package html_test

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report/html"
	"github.com/ecsnet/ecsnet/netmode"
)

// ExampleWrite writes the self-contained page (inline SVG charts, no
// script, nothing fetched) to a buffer; a tool would write it to a file.
func ExampleWrite() {
	h, err := history.NewIndex([]history.Task{{
		ARN:         "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
		Group:       "service:web",
		Family:      "web",
		NetworkMode: netmode.ModeAWSVPC,
		ENI:         "eni-0a1b2c3d4e5f60711",
		IPv4:        netip.MustParseAddr("10.0.1.101"),
		Valid:       history.Interval{Start: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)},
	}}, nil)
	if err != nil {
		panic(err)
	}
	a := attribution.New(h)
	for _, line := range []string{
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41020 8080 6 30 36793 1795600800 1795600859 ACCEPT OK",
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.1.5 8080 41020 6 438 613504 1795601100 1795601159 ACCEPT OK",
	} {
		rec, err := flowlogs.ParseLine(flowlogs.DefaultFormat, line)
		if err != nil {
			panic(err)
		}
		a.Add(rec)
	}
	var page bytes.Buffer
	err = html.Write(&page, a.Result(attribution.ByService), html.Options{
		Title: "demo cluster",
		Now:   time.Date(2026, 11, 25, 11, 0, 0, 0, time.UTC), // reproducible output
	})
	if err != nil {
		panic(err)
	}
	s := page.String()
	fmt.Println("charts drawn:", strings.Contains(s, "<svg"))
	fmt.Println("titled:", strings.Contains(s, "<title>demo cluster</title>"))
	fmt.Println("scripts:", strings.Contains(s, "<script"))
	// Output:
	// charts drawn: true
	// titled: true
	// scripts: false
}

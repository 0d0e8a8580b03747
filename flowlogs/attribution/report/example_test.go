package report_test

import (
	"encoding/csv"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/eni/history"
	"github.com/ecsnet/ecsnet/flowlogs"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/pricing"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/report"
	"github.com/ecsnet/ecsnet/netmode"
)

// sample attributes a few flow-log records to one awsvpc task of service
// web; one record is on an ENI no task owned.
func sample() *attribution.Result { return sampleAttributor().Result(attribution.ByService) }

func sampleAttributor() *attribution.Attributor {
	h, err := history.NewIndex([]history.Task{{
		ARN:         "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
		Group:       "service:web",
		Family:      "web",
		Revision:    7,
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
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.1.5 8080 41020 6 438 613504 1795600800 1795600859 ACCEPT OK",
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.2.66 10.0.1.101 33005 22 6 1 60 1795601100 1795601159 REJECT OK",
		"2 123456789012 eni-0f6a7b8c9d0e1bc66 10.0.1.200 93.184.216.34 60000 443 6 3 2500 1795600800 1795600859 ACCEPT OK",
	} {
		rec, err := flowlogs.ParseLine(flowlogs.DefaultFormat, line)
		if err != nil {
			panic(err)
		}
		a.Add(rec)
	}
	return a
}

// ExampleWriteCSVStream writes a CSV report a group at a time, without
// taking a whole Result: at ten thousand tasks a Result holds as much
// memory again as the rollups. WriteJSONStream does the same for the JSON
// document.
func ExampleWriteCSVStream() {
	a := sampleAttributor()
	head, groups := a.ResultStream(attribution.ByService)
	if err := report.WriteCSVStream(os.Stdout, head, groups); err != nil {
		panic(err)
	}
	// Output:
	// kind,key,bytes_in,bytes_out,packets_in,packets_out,bytes,packets,records,accepted_bytes,rejected_bytes,bytes_unknown_direction,packets_unknown_direction,service,family,network_mode,container_instance_arn,ec2_instance_id,tasks,inferred_bytes,inferred_records,bytes_unknown,bytes_same_az,bytes_cross_az,bytes_other_vpc,bytes_on_premises,bytes_internet,bytes_aws_service,cost_unknown,cost_same_az,cost_cross_az,cost_other_vpc,cost_on_premises,cost_internet,cost_aws_service,cost,unpriced_bytes,bytes_public,cost_public,bytes_load_balancer,cost_load_balancer,currency
	// group,service:web,36853,613504,31,438,650357,469,3,650297,60,0,0,web,web:7,awsvpc,,,1,0,0,650357,0,0,0,0,0,0,,,,,,,,,,0,,0,,
	// unattributed,unknown ENI,,,,,2500,3,1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
	// total,,,,,,652857,472,4,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
}

// ExampleWrite renders one result in each text format; the format usually
// comes from a flag through ParseFormat.
func ExampleWrite() {
	res := sample()
	for _, name := range []string{"table", "json", "csv"} {
		f, err := report.ParseFormat(name)
		if err != nil {
			panic(err)
		}
		fmt.Printf("--- %s\n", f)
		if err := report.Write(os.Stdout, f, res); err != nil {
			panic(err)
		}
	}
	// Output:
	// --- table
	// Traffic by service, records starting 2026-11-25 10:00:00 to 2026-11-25 10:05:00 UTC
	//
	// SERVICE      TASKS  IN        OUT        REJECTED  RECORDS  NOTE
	// service:web  1      36.0 KiB  599.1 KiB  60 B      3
	//
	// UNATTRIBUTED  BYTES      PACKETS  RECORDS  SEEN ON
	// unknown ENI   2.4 KiB    3        1        eni-0f6a7b8c9d0e1bc66 (2.4 KiB)
	// attributed    635.1 KiB  469      3
	// total         637.6 KiB  472      4
	//
	// Attributed 635.1 KiB of 637.6 KiB (99.6%).
	// Attributed bytes by peer: unknown 635.1 KiB.
	// Records attributed by task ENI 3.
	// --- json
	// {
	//   "groups": [
	//     {
	//       "key": "service:web",
	//       "bytes_in": 36853,
	//       "bytes_out": 613504,
	//       "packets_in": 31,
	//       "packets_out": 438,
	//       "records": 3,
	//       "accepted_bytes": 650297,
	//       "rejected_bytes": 60,
	//       "tasks": [
	//         {
	//           "arn": "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
	//           "id": "3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
	//           "cluster": "demo",
	//           "service": "web",
	//           "group": "service:web",
	//           "family": "web",
	//           "revision": 7,
	//           "task_definition_arn": "",
	//           "network_mode": "awsvpc",
	//           "launch_type": "",
	//           "container_instance_arn": "",
	//           "ec2_instance_id": "",
	//           "az": "",
	//           "eni": "eni-0a1b2c3d4e5f60711",
	//           "addresses": [
	//             "10.0.1.101"
	//           ],
	//           "start": "2026-11-25T09:00:00Z"
	//         }
	//       ],
	//       "ecs_field_only_tasks": 0,
	//       "inferred_bytes": 0,
	//       "inferred_records": 0,
	//       "inferred": false,
	//       "class_bytes": {
	//         "aws_service": 0,
	//         "cross_az": 0,
	//         "internet": 0,
	//         "load_balancer": 0,
	//         "on_premises": 0,
	//         "other_vpc": 0,
	//         "public": 0,
	//         "same_az": 0,
	//         "unknown": 650357
	//       },
	//       "top_peers": [
	//         {
	//           "prefix": "10.0.1.5/32",
	//           "service": "",
	//           "class": "unknown",
	//           "bytes": 650297,
	//           "packets": 468,
	//           "records": 2,
	//           "max_error": 0
	//         },
	//         {
	//           "prefix": "10.0.2.66/32",
	//           "service": "",
	//           "class": "unknown",
	//           "bytes": 60,
	//           "packets": 1,
	//           "records": 1,
	//           "max_error": 0
	//         }
	//       ],
	//       "top_ports": [
	//         {
	//           "protocol": 6,
	//           "port": 8080,
	//           "bytes": 650297,
	//           "packets": 468,
	//           "records": 2,
	//           "max_error": 0
	//         },
	//         {
	//           "protocol": 6,
	//           "port": 22,
	//           "bytes": 60,
	//           "packets": 1,
	//           "records": 1,
	//           "max_error": 0
	//         }
	//       ],
	//       "class_bytes_in": {
	//         "aws_service": 0,
	//         "cross_az": 0,
	//         "internet": 0,
	//         "load_balancer": 0,
	//         "on_premises": 0,
	//         "other_vpc": 0,
	//         "public": 0,
	//         "same_az": 0,
	//         "unknown": 36853
	//       },
	//       "class_bytes_out": {
	//         "aws_service": 0,
	//         "cross_az": 0,
	//         "internet": 0,
	//         "load_balancer": 0,
	//         "on_premises": 0,
	//         "other_vpc": 0,
	//         "public": 0,
	//         "same_az": 0,
	//         "unknown": 613504
	//       }
	//     }
	//   ],
	//   "unattributed": [
	//     {
	//       "reason": "unknown ENI",
	//       "bytes": 2500,
	//       "packets": 3,
	//       "records": 1,
	//       "top_interfaces": [
	//         {
	//           "id": "eni-0f6a7b8c9d0e1bc66",
	//           "bytes": 2500,
	//           "records": 1,
	//           "max_error": 0
	//         }
	//       ]
	//     }
	//   ],
	//   "total": {
	//     "bytes": 652857,
	//     "packets": 472,
	//     "records": 4
	//   },
	//   "by": "service",
	//   "first": "2026-11-25T10:00:00Z",
	//   "last": "2026-11-25T10:05:00Z",
	//   "step_seconds": 300,
	//   "incomplete": false
	// }
	// --- csv
	// kind,key,bytes_in,bytes_out,packets_in,packets_out,bytes,packets,records,accepted_bytes,rejected_bytes,bytes_unknown_direction,packets_unknown_direction,service,family,network_mode,container_instance_arn,ec2_instance_id,tasks,inferred_bytes,inferred_records,bytes_unknown,bytes_same_az,bytes_cross_az,bytes_other_vpc,bytes_on_premises,bytes_internet,bytes_aws_service,cost_unknown,cost_same_az,cost_cross_az,cost_other_vpc,cost_on_premises,cost_internet,cost_aws_service,cost,unpriced_bytes,bytes_public,cost_public,bytes_load_balancer,cost_load_balancer,currency
	// group,service:web,36853,613504,31,438,650357,469,3,650297,60,0,0,web,web:7,awsvpc,,,1,0,0,650357,0,0,0,0,0,0,,,,,,,,,,0,,0,,
	// unattributed,unknown ENI,,,,,2500,3,1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
	// total,,,,,,652857,472,4,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
}

// ExampleNewDocument reads the stable JSON document as Go values, for a
// tool that sends the figures elsewhere rather than printing them.
func ExampleNewDocument() {
	d := report.NewDocument(sample())
	for _, g := range d.Groups {
		fmt.Printf("%s: in %d B, out %d B, rejected %d B\n", g.Key, g.BytesIn, g.BytesOut, g.RejectedBytes)
	}
	for _, u := range d.Unattributed {
		fmt.Printf("unattributed (%s): %d B\n", u.Reason, u.Bytes)
	}
	fmt.Printf("total: %d B in %d records\n", d.Total.Bytes, d.Total.Records)
	// Output:
	// service:web: in 36853 B, out 613504 B, rejected 60 B
	// unattributed (unknown ENI): 2500 B
	// total: 652857 B in 4 records
}

// ExampleWithPrices adds what the traffic cost to a report, at your prices
// (pricing.Load) or the built-in ones (pricing.BuiltIn, `-prices
// us-east-1` of the attribute program). Peers are classed by AZ with the
// subnets (attribution.WithTopology; ec2topology reads them from EC2);
// bytes to public addresses stay unpriced, and the report says so.
// WriteJSON and WriteCSV take the same option: a prices object and a cost
// per group in the JSON, cost columns in the CSV.
func ExampleWithPrices() {
	h, err := history.NewIndex([]history.Task{{
		ARN:   "arn:aws:ecs:us-east-1:123456789012:task/demo/3f6c1a9e5b2d4e8f9a0b1c2d3e4f5a6b",
		Group: "service:web", Family: "web", NetworkMode: netmode.ModeAWSVPC, AvailabilityZone: "us-east-1a",
		ENI: "eni-0a1b2c3d4e5f60711", IPv4: netip.MustParseAddr("10.0.1.101"),
		Valid: history.Interval{Start: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)},
	}}, nil)
	if err != nil {
		panic(err)
	}
	a := attribution.New(h, attribution.WithTopology(attribution.Topology{Subnets: []attribution.Subnet{
		{ID: "subnet-0a", Prefix: netip.MustParsePrefix("10.0.1.0/24"), AZ: "us-east-1a", VPC: "vpc-1"},
		{ID: "subnet-0b", Prefix: netip.MustParsePrefix("10.0.2.0/24"), AZ: "us-east-1b", VPC: "vpc-1"},
	}}))
	for _, line := range []string{
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 41020 8080 6 900000 2147483648 1795600800 1795600859 ACCEPT OK",
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.2.66 8080 41020 6 1300000 3221225472 1795600800 1795600859 ACCEPT OK",
		"2 123456789012 eni-0a1b2c3d4e5f60711 10.0.1.101 93.184.216.34 60000 443 6 500000 1073741824 1795600800 1795600859 ACCEPT OK",
	} {
		rec, err := flowlogs.ParseLine(flowlogs.DefaultFormat, line)
		if err != nil {
			panic(err)
		}
		a.Add(rec)
	}
	prices, err := pricing.Load(strings.NewReader(`{"region": "us-east-1", "as_of": "2026-11-01", "source": "our invoice",
  "currency": "USD", "bytes_per_gb": 1073741824,
  "classes": {"same_az": {"in_per_gb": 0, "out_per_gb": 0}, "cross_az": {"in_per_gb": 0.01, "out_per_gb": 0.01}}}`), "prices.json")
	if err != nil {
		panic(err)
	}
	if err := report.WriteTable(os.Stdout, a.Result(attribution.ByService), report.WithPrices(prices)); err != nil {
		panic(err)
	}
	// Output:
	// Traffic by service, records starting 2026-11-25 10:00:00 to 2026-11-25 10:00:00 UTC
	//
	// SERVICE      TASKS  IN       OUT      REJECTED  RECORDS  COST USD  NOTE
	// service:web  1      2.0 GiB  4.0 GiB  0 B       3        0.03+
	//
	// UNATTRIBUTED  BYTES    PACKETS  RECORDS  SEEN ON
	// (none)
	// attributed    6.0 GiB  2700000  3
	// total         6.0 GiB  2700000  3
	//
	// Attributed 6.0 GiB of 6.0 GiB (100.0%).
	// Attributed bytes by peer: same AZ 2.0 GiB, cross-AZ 3.0 GiB, public (internet or AWS) 1.0 GiB.
	// Data transfer at us-east-1 prices as of 2026-11-01: 0.03+ USD in all; 1.0 GiB not priced (classes or directions the table has no price for: public (internet or AWS) 1.0 GiB; a cost marked + leaves them out). Prices: our invoice.
	// Records attributed by task ENI 3.
}

// ExampleWriteCSV writes a whole Result as CSV: a row per group, then one
// per unattributed reason and the total, each with every column (a column
// that does not apply to a row's kind is empty). Read back with
// encoding/csv, by the header's names.
func ExampleWriteCSV() {
	var b strings.Builder
	if err := report.WriteCSV(&b, sample()); err != nil {
		panic(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		panic(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, row := range rows[1:] {
		fmt.Printf("%-12s %-14s bytes %-7s records %s\n", row[col["kind"]], row[col["key"]], row[col["bytes"]], row[col["records"]])
	}
	// Output:
	// group        service:web    bytes 650357  records 3
	// unattributed unknown ENI    bytes 2500    records 1
	// total                       bytes 652857  records 4
}

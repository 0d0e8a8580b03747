package flowlogs_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"

	"github.com/ecsnet/ecsnet/flowlogs"
)

// An S3 text file: a header line, then records. Lines from AWS's
// documentation.
const s3Object = `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA
`

func ExampleReader() {
	// The input may be gzip-compressed (as S3 delivers it) or plain.
	r := flowlogs.NewReader(strings.NewReader(s3Object), flowlogs.WithSource("example.log"))
	defer r.Close()
	for r.Scan() {
		rec := r.Record()
		if rec.LogStatus != flowlogs.StatusOK {
			fmt.Println(rec.InterfaceID, rec.LogStatus)
			continue
		}
		fmt.Println(rec.InterfaceID, rec.SrcAddr, "->", netip.AddrPortFrom(rec.DstAddr, rec.DstPort), rec.Action, rec.Bytes)
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}
	fmt.Println("totals are lower bounds:", r.Stats().Incomplete())
	// Output:
	// eni-1235b8ca123456789 172.31.16.139 -> 172.31.16.21:22 ACCEPT 4249
	// eni-1235b8ca123456789 172.31.9.69 -> 172.31.9.12:3389 REJECT 4249
	// eni-11111111aaaaaaaaa SKIPDATA
	// totals are lower bounds: true
}

// Aggregating bytes per interface: decode only the fields needed. The
// interned InterfaceID strings make good map keys.
func ExampleWithFields() {
	r := flowlogs.NewReader(strings.NewReader(s3Object),
		flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes))
	total := map[string]int64{}
	for r.Scan() {
		rec := r.Record()
		total[rec.InterfaceID] += rec.Bytes
	}
	fmt.Println(total, r.Err())
	// Output: map[eni-11111111aaaaaaaaa:0 eni-1235b8ca123456789:8498] <nil>
}

// A source that stores fields apart (Parquet columns) asks which fields
// the caller's options need, and reads only those.
func ExampleSelection() {
	fmt.Println(flowlogs.Selection(
		flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes),
		flowlogs.WithFilter(flowlogs.Filter{Action: flowlogs.ActionReject})))
	fmt.Println(flowlogs.Selection().IsEmpty()) // no WithFields: every field
	// Output:
	// interface-id bytes action log-status
	// true
}

func ExampleWithFilter() {
	r := flowlogs.NewReader(strings.NewReader(s3Object), flowlogs.WithFilter(flowlogs.Filter{
		Action:   flowlogs.ActionReject,
		Prefixes: []netip.Prefix{netip.MustParsePrefix("172.31.0.0/16")},
	}))
	for rec, err := range r.All() {
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Println(rec.SrcAddr, rec.DstPort, rec.Action)
	}
	// Output: 172.31.9.69 3389 REJECT
}

// Input already in memory (a downloaded object, a memory-mapped file) is
// parsed where it is, without copying.
func ExampleNewReaderBytes() {
	r := flowlogs.NewReaderBytes([]byte(s3Object), flowlogs.WithFields(flowlogs.FieldBytes))
	var total int64
	for r.Scan() {
		total += r.Record().Bytes
	}
	fmt.Println(total, r.Stats().Records, r.Err())
	// Output: 8498 3 <nil>
}

// One big plain file on several cores: Split cuts it at line starts, one
// Reader per part reads it, and merging the parts' results in part order
// gives the same answer whatever the scheduling.
func ExampleSplit() {
	file := strings.NewReader(s3Object) // an *os.File in real use
	parts, _, err := flowlogs.Split(file, file.Size(), 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	bytesPerPart := make([]int64, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// With the format Split found; a header of another format
			// inside the part is an error (ErrHeaderInPart), not a misread.
			r := part.NewReader(flowlogs.WithFields(flowlogs.FieldBytes))
			for r.Scan() {
				bytesPerPart[i] += r.Record().Bytes
			}
			if err := r.Err(); err != nil {
				fmt.Println(err)
			}
		}()
	}
	wg.Wait()
	fmt.Println(len(parts), bytesPerPart)
	// Output: 2 [4249 4249]
}

// CloudWatch Logs messages have no header: give the flow log's LogFormat
// (from ec2:DescribeFlowLogs). Unknown fields are kept by name.
func ExampleParseLine() {
	f, err := flowlogs.ParseLogFormat("${interface-id} ${srcaddr} ${bytes} ${ecs-task-id} ${brand-new-field}")
	if err != nil {
		fmt.Println(err)
		return
	}
	rec, err := flowlogs.ParseLine(f, "eni-0a1b2c3d 10.0.1.23 3456 0123456789abcdef xyz")
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := rec.Value("brand-new-field")
	fmt.Println(rec.InterfaceID, rec.SrcAddr, rec.Bytes, rec.ECSTaskID, v, rec.Has(flowlogs.FieldDstAddr))
	// Output: eni-0a1b2c3d 10.0.1.23 3456 0123456789abcdef xyz false
}

// Records without a header line (a CloudWatch Logs export, a Firehose
// stream) are read with the flow log's LogFormat, as ec2:DescribeFlowLogs
// returns it (package flowlogs/cwlogs/ec2format looks it up).
func ExampleParseLogFormat() {
	f, err := flowlogs.ParseLogFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction}")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Header())
	const export = `5 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 36793 1795600800 1795600859 ACCEPT OK ingress
5 eni-0a1b2c3d4e5f60711 10.0.1.101 10.0.1.5 613504 1795600800 1795600859 ACCEPT OK egress
`
	r := flowlogs.NewReader(strings.NewReader(export), flowlogs.WithFormat(f))
	for r.Scan() {
		rec := r.Record()
		fmt.Println(rec.InterfaceID, rec.FlowDirection, rec.Bytes)
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// version interface-id srcaddr dstaddr bytes start end action log-status flow-direction
	// eni-0a1b2c3d4e5f60711 ingress 36793
	// eni-0a1b2c3d4e5f60711 egress 613504
}

// A Parser decodes many lines of one format without allocating.
func ExampleParser() {
	p := flowlogs.NewParser(flowlogs.DefaultFormat, flowlogs.FieldSet{})
	var rec flowlogs.Record
	for _, msg := range []string{
		"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK",
		"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
	} {
		if err := p.Parse([]byte(msg), &rec); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(rec.LogStatus, rec.Has(flowlogs.FieldBytes), rec.StartTime().Format("2006-01-02T15:04:05Z"))
	}
	// Output:
	// OK true 2014-12-14T04:06:50Z
	// NODATA false 2015-05-10T18:01:16Z
}

func ExampleParseError() {
	r := flowlogs.NewReader(strings.NewReader(s3Object+"2 1 eni-1 10.0.0.1 10.0.0.2 1 99999 6 1 1 1 2 ACCEPT OK\n"),
		flowlogs.WithSource("s3://bucket/key.log.gz"))
	for r.Scan() {
	}
	var pe *flowlogs.ParseError
	if errors.As(r.Err(), &pe) {
		fmt.Println(pe.Line, pe.Field, pe.Value, errors.Is(pe, flowlogs.ErrRange))
		fmt.Println(pe)
	}
	// Output:
	// 5 dstport 99999 true
	// flowlogs: s3://bucket/key.log.gz:5: field dstport: "99999": value out of range
}

func ExampleWithLenient() {
	in := s3Object + "this is not a record\n"
	r := flowlogs.NewReader(strings.NewReader(in), flowlogs.WithLenient(10))
	n := 0
	for r.Scan() {
		n++
	}
	fmt.Println(n, r.Stats().Malformed, r.Malformed()[0].Line, r.Err())
	// Output: 3 1 5 <nil>
}

func ExampleParseFormat() {
	// An S3 header line and the LogFormat of the same flow log.
	h, _ := flowlogs.ParseFormat("version interface-id srcaddr pkt-srcaddr ecs-service-name")
	l, _ := flowlogs.ParseFormat("${version} ${interface-id} ${srcaddr} ${pkt-srcaddr} ${ecs-service-name}")
	fmt.Println(h.Equal(l), h.Version(), h.Position(flowlogs.FieldSrcAddr))
	fmt.Println(h)
	// Output:
	// true 7 2
	// ${version} ${interface-id} ${srcaddr} ${pkt-srcaddr} ${ecs-service-name}
}

// Symbol numbers the distinct values of a string field, so a hot loop can
// index a slice instead of hashing the string of every record.
func ExampleRecord_Symbol() {
	r := flowlogs.NewReader(strings.NewReader(s3Object),
		flowlogs.WithFields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes))
	var bytesBySym []int64
	names := map[uint32]string{}
	for r.Scan() {
		rec := r.Record()
		sym := rec.Symbol(flowlogs.FieldInterfaceID) // 0 if absent or past 65,536 values: use a map then
		for int(sym) >= len(bytesBySym) {
			bytesBySym = append(bytesBySym, 0)
		}
		bytesBySym[sym] += rec.Bytes
		names[sym] = rec.InterfaceID
	}
	for sym := 1; sym < len(bytesBySym); sym++ {
		fmt.Println(sym, names[uint32(sym)], bytesBySym[sym])
	}
	// Output:
	// 1 eni-1235b8ca123456789 8498
	// 2 eni-11111111aaaaaaaaa 0
}

// flows is a RowSource: rows of typed values, as a columnar file or a
// database query gives them.
type flows struct {
	rows [][]flowlogs.Value
	next int
}

func (f *flows) ReadRow() ([]flowlogs.Value, error) {
	if f.next == len(f.rows) {
		return nil, io.EOF
	}
	f.next++
	return f.rows[f.next-1], nil
}

func ExampleNewRowReader() {
	format, _ := flowlogs.NewFormat(flowlogs.FieldInterfaceID, flowlogs.FieldDstPort, flowlogs.FieldBytes, flowlogs.FieldLogStatus)
	text := func(s string) flowlogs.Value { return flowlogs.TextValue([]byte(s)) }
	src := &flows{rows: [][]flowlogs.Value{
		{text("eni-0a"), flowlogs.IntValue(443), flowlogs.IntValue(1500), text("OK")},
		{text("eni-0b"), flowlogs.IntValue(70000), flowlogs.IntValue(40), text("OK")}, // a port out of range
		{text("eni-0a"), {}, {}, text("NODATA")},                                      // absent values
	}}
	r := flowlogs.NewRowReader(src, format, flowlogs.WithLenient(1))
	defer r.Close()
	for r.Scan() {
		rec := r.Record()
		fmt.Println(r.Line(), rec.InterfaceID, rec.DstPort, rec.Bytes, rec.LogStatus, rec.Has(flowlogs.FieldBytes))
	}
	fmt.Println(r.Malformed()[0])
	// Output:
	// 1 eni-0a 443 1500 OK true
	// 3 eni-0a 0 0 NODATA false
	// flowlogs: line 2: field dstport: "70000": value out of range
}

// A program that splits an S3 text file into lines itself (here a
// bufio.Scanner; a Reader does all of this on its own) takes the format
// from the first line and parses the others with a Parser of it.
func ExampleParseHeader() {
	sc := bufio.NewScanner(strings.NewReader(s3Object))
	sc.Scan()
	f, err := flowlogs.ParseHeader(sc.Text())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("version", f.Version(), "fields", f.Len(), "has flow-direction:", f.Has(flowlogs.FieldFlowDirection))

	p := flowlogs.NewParser(f, flowlogs.Fields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldLogStatus))
	var rec flowlogs.Record
	for sc.Scan() {
		if err := p.Parse(sc.Bytes(), &rec); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rec.InterfaceID, rec.Bytes, rec.LogStatus)
	}
	// Output:
	// version 2 fields 14 has flow-direction: false
	// eni-1235b8ca123456789 4249 OK
	// eni-1235b8ca123456789 4249 OK
	// eni-11111111aaaaaaaaa 0 SKIPDATA
}

// Two flow logs of different formats can deliver into one CloudWatch Logs
// group, whose messages have no header: a MultiParser tells them apart by
// field count (and by value where counts tie), keyed by log stream so that
// each stream's format is tried first. Their LogFormats come from
// ec2:DescribeFlowLogs (package flowlogs/cwlogs/ec2format).
func ExampleNewMultiParser() {
	v2 := flowlogs.DefaultFormat
	v5, err := flowlogs.ParseLogFormat("${version} ${interface-id} ${srcaddr} ${dstaddr} ${bytes} ${start} ${end} ${action} ${log-status} ${flow-direction}")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := flowlogs.NewMultiParser([]*flowlogs.Format{v2, v5}, flowlogs.Fields(flowlogs.FieldInterfaceID, flowlogs.FieldBytes, flowlogs.FieldFlowDirection))
	var rec flowlogs.Record
	for _, ev := range []struct{ stream, message string }{
		{"eni-1235b8ca123456789-all", "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"},
		{"eni-0a1b2c3d4e5f60711-all", "5 eni-0a1b2c3d4e5f60711 10.0.1.5 10.0.1.101 36793 1795600800 1795600859 ACCEPT OK ingress"},
	} {
		if err := m.Parse(ev.stream, []byte(ev.message), &rec); err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(m.Format().Len(), "fields:", rec.InterfaceID, rec.Bytes, rec.FlowDirection, rec.Has(flowlogs.FieldFlowDirection))
	}
	// Output:
	// 14 fields: eni-1235b8ca123456789 4249 - false
	// 10 fields: eni-0a1b2c3d4e5f60711 36793 ingress true
}

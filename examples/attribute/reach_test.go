package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/parquet-go/parquet-go"

	"github.com/ecsnet/ecsnet/internal/fakeaws"
)

// sampleRow is the sample's record format as AWS writes it to Parquet:
// the columns in format order, "-" as null.
type sampleRow struct {
	Version          *int32  `parquet:"version,optional"`
	AccountID        *string `parquet:"account_id,optional"`
	InterfaceID      *string `parquet:"interface_id,optional"`
	SrcAddr          *string `parquet:"srcaddr,optional"`
	DstAddr          *string `parquet:"dstaddr,optional"`
	SrcPort          *int32  `parquet:"srcport,optional"`
	DstPort          *int32  `parquet:"dstport,optional"`
	Protocol         *int32  `parquet:"protocol,optional"`
	Packets          *int64  `parquet:"packets,optional"`
	Bytes            *int64  `parquet:"bytes,optional"`
	Start            *int64  `parquet:"start,optional"`
	End              *int64  `parquet:"end,optional"`
	Action           *string `parquet:"action,optional"`
	LogStatus        *string `parquet:"log_status,optional"`
	VPCID            *string `parquet:"vpc_id,optional"`
	SubnetID         *string `parquet:"subnet_id,optional"`
	InstanceID       *string `parquet:"instance_id,optional"`
	TCPFlags         *int32  `parquet:"tcp_flags,optional"`
	Type             *string `parquet:"type,optional"`
	PktSrcAddr       *string `parquet:"pkt_srcaddr,optional"`
	PktDstAddr       *string `parquet:"pkt_dstaddr,optional"`
	AZID             *string `parquet:"az_id,optional"`
	PktSrcAWSService *string `parquet:"pkt_src_aws_service,optional"`
	PktDstAWSService *string `parquet:"pkt_dst_aws_service,optional"`
	FlowDirection    *string `parquet:"flow_direction,optional"`
	TrafficPath      *int32  `parquet:"traffic_path,optional"`
}

// sampleLines returns each sample flow-log file (by path under
// sample/flowlogs) as its text lines, header included.
func sampleLines(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := fs.WalkDir(sample, "sample/flowlogs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := sample.ReadFile(p)
		if err != nil {
			return err
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return err
		}
		text, err := io.ReadAll(zr)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, "sample/flowlogs/")] = strings.Split(strings.TrimSpace(string(text)), "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// toParquet converts a sample file's lines to a Parquet file.
func toParquet(t *testing.T, lines []string) []byte {
	t.Helper()
	str := func(s string) *string {
		if s == "-" {
			return nil
		}
		return &s
	}
	i32 := func(s string) *int32 {
		if s == "-" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		v := int32(n)
		return &v
	}
	i64 := func(s string) *int64 {
		if s == "-" {
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return &n
	}
	var rows []sampleRow
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 26 {
			t.Fatalf("%d fields in %q", len(f), l)
		}
		rows = append(rows, sampleRow{i32(f[0]), str(f[1]), str(f[2]), str(f[3]), str(f[4]), i32(f[5]), i32(f[6]), i32(f[7]),
			i64(f[8]), i64(f[9]), i64(f[10]), i64(f[11]), str(f[12]), str(f[13]), str(f[14]), str(f[15]), str(f[16]), i32(f[17]),
			str(f[18]), str(f[19]), str(f[20]), str(f[21]), str(f[22]), str(f[23]), str(f[24]), i32(f[25])})
	}
	var b bytes.Buffer
	w := parquet.NewGenericWriter[sampleRow](&b, parquet.Compression(&parquet.Gzip))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// parquetName is a delivery name's Parquet form.
func parquetName(key string) string { return strings.TrimSuffix(key, ".log.gz") + ".log.parquet" }

// fakeS3 serves objects through the real SDK client for s3:// paths.
func fakeS3(t *testing.T, objects map[string][]byte) {
	t.Helper()
	f := fakeaws.NewS3()
	t.Cleanup(f.Close)
	f.CreateBucket("flow-logs")
	for k, v := range objects {
		f.PutObject("flow-logs", k, v)
	}
	// Only the policy's S3 actions: -iam-policy covers s3:// too.
	var allowed []string
	for _, m := range regexp.MustCompile(`"(s3:[A-Za-z]+)"`).FindAllStringSubmatch(iamPolicy, -1) {
		allowed = append(allowed, m[1])
	}
	f.Allow(allowed...)
	saved := newClients
	t.Cleanup(func() { newClients = saved })
	newClients = func(context.Context) (*clients, error) {
		return &clients{
			s3: s3.NewFromConfig(fakeaws.Config(), func(o *s3.Options) {
				o.BaseEndpoint = f.BaseEndpoint()
				o.UsePathStyle = true
			}),
			now: func() time.Time { return time.Date(2026, 11, 25, 11, 10, 0, 0, time.UTC) },
		}, nil
	}
}

// TestEverySourceMatchesSample reads the sample's flow logs as a local
// Parquet tree, as text objects in S3, and as Parquet objects in S3: each
// answer equals the embedded run's, also over a window that prunes.
func TestEverySourceMatchesSample(t *testing.T) {
	dir := writeSample(t)
	tasks := sampleTasks(t, dir)
	network := filepath.Join(dir, "sample", "network")
	netFlag := network + "/describe-subnets.json," + network + "/describe-vpcs.json"
	lines := sampleLines(t)
	pq := filepath.Join(t.TempDir(), "parquet")
	objects := map[string][]byte{}
	for key, l := range lines {
		p := toParquet(t, l)
		objects["prod/"+parquetName(key)] = p
		gz, err := sample.ReadFile("sample/flowlogs/" + key)
		if err != nil {
			t.Fatal(err)
		}
		objects["text/"+key] = gz
		writeFile(t, pq, filepath.FromSlash(parquetName(key)), string(p))
	}
	fakeS3(t, objects)
	for _, win := range [][]string{nil, {"-since", "2026-11-25T10:20:00Z", "-until", "2026-11-25T10:40:00Z"}} {
		args := append([]string{"-format", "csv", "-by", "service"}, win...)
		want, _ := runOut(t, args...)
		for _, flowlogs := range []string{pq, "s3://flow-logs/text/", "s3://flow-logs/prod/AWSLogs/"} {
			got, stderr := runOut(t, append(args, "-tasks", tasks, "-network", netFlag, "-flowlogs", flowlogs)...)
			if got != want {
				t.Errorf("-flowlogs %s %v:\n%s\nwant\n%s\nstderr %s", flowlogs, win, got, want, stderr)
			}
		}
	}
	code, _, stderr := runCode(t, "-tasks", tasks, "-flowlogs", "s3://flow-logs/nothing/")
	if code != 1 || !strings.Contains(stderr, "no flow-log files in s3://flow-logs/nothing/") {
		t.Errorf("empty prefix: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCode(t, "-tasks", tasks, "-flowlogs", "s3:///x"); code != 1 || !strings.Contains(stderr, "want s3://bucket/prefix") {
		t.Errorf("no bucket: exit %d, %s", code, stderr)
	}
}

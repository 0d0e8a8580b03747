package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/ecsnet/ecsnet/eni/history"
)

// scale is one generated platform: a cluster's tasks over a span and the
// flow-log records they exchange with a pool of peers.
type scale struct {
	Tasks   int           // awsvpc tasks at the start; a quarter is replaced half-way
	Span    time.Duration // the records' time span
	Records int
	Peers   int // distinct peer addresses, drawn by a Zipf law
	Seed    uint64
	// Group, when above 1, writes the records grouped by interface in
	// windows of that many records, each interface's in the order drawn:
	// the same records, in the order of a source that delivers one
	// interface's records together (a CloudWatch Logs stream holds one
	// interface's). Every sum attribution gives is the same; the top-K
	// summaries of a task that a NAT gateway's interface records too may
	// differ within their error bounds, as its records interleave anew.
	Group int
}

var start = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

const account = "123456789012"

func (s scale) instances() int { return max(50, s.Tasks/20) }

func taskARN(i int, replaced bool) string {
	if replaced {
		return fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/r%031x", account, i)
	}
	return fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/%032x", account, i)
}

func taskENI(i int, replaced bool) string {
	if replaced {
		return fmt.Sprintf("eni-r%016x", i)
	}
	return fmt.Sprintf("eni-%017x", i)
}

// taskAddr gives task i its address; its replacement reuses it, as ECS
// may hand a freed address in the subnet to the next ENI.
func taskAddr(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(16 + i>>16), byte(i >> 8), byte(i)})
}

func instanceAddr(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}) }

func peerAddr(p int) netip.Addr {
	// The pool spans in-VPC services (10.2/16, 10.3/16 …) and the internet.
	if p%5 == 4 {
		return netip.AddrFrom4([4]byte{byte(52 + p>>16&63), byte(p >> 8), byte(p), 7})
	}
	return netip.AddrFrom4([4]byte{10, byte(2 + p>>16), byte(p >> 8), byte(p)})
}

// history builds the cluster through the public API, from the shapes
// DescribeTasks and DescribeContainerInstances return.
func (s scale) history() (*history.Index, error) {
	b := history.NewBuilder()
	half := start.Add(s.Span / 2)
	nInst := s.instances()
	var tasks []types.Task
	for i := range nInst {
		ci := fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container-instance/scale/%032x", account, i)
		ec2 := fmt.Sprintf("i-%017x", i)
		if err := b.AddContainerInstances("scale", types.ContainerInstance{
			ContainerInstanceArn: aws.String(ci), Ec2InstanceId: aws.String(ec2),
			RegisteredAt: aws.Time(start.Add(-time.Hour)), Status: aws.String("ACTIVE"),
		}); err != nil {
			return nil, err
		}
		b.SetPrimaryInterface(ec2, history.PrimaryInterface{ENI: fmt.Sprintf("eni-i%016x", i), IPv4: instanceAddr(i)})
		tasks = append(tasks, types.Task{
			TaskArn:    aws.String(fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task/scale/b%031x", account, i)),
			ClusterArn: aws.String("arn:aws:ecs:us-east-1:" + account + ":cluster/scale"), Group: aws.String("service:bridge"),
			TaskDefinitionArn:    aws.String("arn:aws:ecs:us-east-1:" + account + ":task-definition/bridge:1"),
			ContainerInstanceArn: aws.String(ci), LaunchType: types.LaunchTypeEc2, LastStatus: aws.String("RUNNING"),
			CreatedAt: aws.Time(start.Add(-time.Minute)), StartedAt: aws.Time(start),
			Containers: []types.Container{{Name: aws.String("web"), NetworkBindings: []types.NetworkBinding{{
				BindIP: aws.String("0.0.0.0"), HostPort: aws.Int32(32768), ContainerPort: aws.Int32(8080), Protocol: types.TransportProtocolTcp}}}},
		})
	}
	for i := range s.Tasks {
		t := awsvpcTask(i, false, i%nInst, nInst)
		if i%4 == 0 {
			t.LastStatus = aws.String("STOPPED")
			t.ExecutionStoppedAt, t.StoppedAt = aws.Time(half), aws.Time(half)
			r := awsvpcTask(i, true, i%nInst, nInst)
			r.CreatedAt, r.StartedAt = aws.Time(half), aws.Time(half)
			tasks = append(tasks, r)
		}
		tasks = append(tasks, t)
	}
	if _, err := b.AddTasks(tasks...); err != nil {
		return nil, err
	}
	return b.Index(), nil
}

func awsvpcTask(i int, replaced bool, inst, _ int) types.Task {
	svc := i % 50
	return types.Task{
		TaskArn:              aws.String(taskARN(i, replaced)),
		ClusterArn:           aws.String("arn:aws:ecs:us-east-1:" + account + ":cluster/scale"),
		Group:                aws.String(fmt.Sprintf("service:s%d", svc)),
		TaskDefinitionArn:    aws.String(fmt.Sprintf("arn:aws:ecs:us-east-1:%s:task-definition/f%d:1", account, svc)),
		ContainerInstanceArn: aws.String(fmt.Sprintf("arn:aws:ecs:us-east-1:%s:container-instance/scale/%032x", account, inst)),
		LaunchType:           types.LaunchTypeEc2,
		AvailabilityZone:     aws.String("us-east-1a"),
		LastStatus:           aws.String("RUNNING"),
		CreatedAt:            aws.Time(start.Add(-time.Minute)),
		StartedAt:            aws.Time(start),
		Attachments: []types.Attachment{{Type: aws.String("ElasticNetworkInterface"), Status: aws.String("ATTACHED"),
			Details: []types.KeyValuePair{
				{Name: aws.String("networkInterfaceId"), Value: aws.String(taskENI(i, replaced))},
				{Name: aws.String("subnetId"), Value: aws.String("subnet-0abc")},
				{Name: aws.String("privateIPv4Address"), Value: aws.String(taskAddr(i).String())},
			}}},
	}
}

// writeRecords writes s.Records v5 records (with flow-direction) in time
// order: ENI popularity skewed (exponential), ~5 % REJECT, a tenth on the
// instances' primary ENIs (bridge host port), a tenth on a NAT gateway ENI
// no task owns, 1 in 50 on an interface nobody owns and 1 in 200 NODATA. Same scale, same bytes.
func (s scale) writeRecords(w io.Writer) error {
	rng := rand.New(rand.NewPCG(s.Seed, 7))
	zipf := rand.NewZipf(rng, 1.1, 4, uint64(max(s.Peers, 2)-1))
	bw := bufio.NewWriterSize(w, 1<<20)
	out := io.Writer(bw)
	var g *grouper
	if s.Group > 1 {
		g = &grouper{w: bw, n: s.Group}
		out = g
	}
	bw.WriteString("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n")
	half := start.Add(s.Span / 2).Unix()
	nInst := s.instances()
	var line []byte
	for k := range s.Records {
		ts := start.Unix() + int64(k)*int64(s.Span/time.Second)/int64(s.Records)
		i := int(rng.ExpFloat64()*float64(s.Tasks)/6) % s.Tasks
		eni := taskENI(i, i%4 == 0 && ts >= half)
		local := taskAddr(i)
		peer := peerAddr(int(zipf.Uint64()))
		action := "ACCEPT"
		if rng.IntN(20) == 0 {
			action = "REJECT"
		}
		src, dst, sp, dp, dir := local, peer, 40000+rng.IntN(20000), 443, "egress"
		switch k % 10 {
		case 0:
			n := i % nInst
			eni = fmt.Sprintf("eni-i%016x", n)
			src, dst, sp, dp, dir = peer, instanceAddr(n), 40000+rng.IntN(20000), 32768, "ingress"
		case 1:
			eni = "eni-0natgateway00001"
		case 2, 3, 4:
			src, dst, sp, dp, dir = peer, local, 40000+rng.IntN(20000), 8080, "ingress"
		case 5:
			if k%50 == 5 { // an interface no task or instance owns, between two peers
				eni, src = "eni-0fffffffffffffff0", peerAddr(k%s.Peers)
			}
		}
		if k%200 == 9 { // no traffic in the window on an owned interface
			line = fmt.Appendf(line[:0], "5 %s %s - - - - - - - %d %d - NODATA vpc-0abc subnet-0abc - - - - - us-east-1 use1-az1 - - - - - -\n", account, eni, ts, ts+59)
			if _, err := out.Write(line); err != nil {
				return err
			}
			continue
		}
		line = fmt.Appendf(line[:0], "5 %s %s %s %s %d %d 6 %d %d %d %d %s OK vpc-0abc subnet-0abc - 2 IPv4 %s %s us-east-1 use1-az1 - - - - %s -\n",
			account, eni, src, dst, sp, dp, 1+rng.IntN(50), 40+rng.IntN(60000), ts, ts+59, action, src, dst, dir)
		if _, err := out.Write(line); err != nil {
			return err
		}
	}
	if g != nil {
		if err := g.flush(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// grouper is an io.Writer of whole record lines that holds n of them at a
// time and writes them sorted by interface ID, stably.
type grouper struct {
	w     io.Writer
	n     int
	buf   []byte
	lines [][2]int // each line's start and end in buf
	order []int
}

func (g *grouper) Write(line []byte) (int, error) {
	g.lines = append(g.lines, [2]int{len(g.buf), len(g.buf) + len(line)})
	g.buf = append(g.buf, line...)
	if len(g.lines) == g.n {
		return len(line), g.flush()
	}
	return len(line), nil
}

func (g *grouper) flush() error {
	eni := func(i int) []byte { // a line's third field
		l := g.buf[g.lines[i][0]:g.lines[i][1]]
		for range 2 {
			l = l[bytes.IndexByte(l, ' ')+1:]
		}
		return l[:bytes.IndexByte(l, ' ')]
	}
	g.order = g.order[:0]
	for i := range g.lines {
		g.order = append(g.order, i)
	}
	slices.SortStableFunc(g.order, func(a, b int) int { return bytes.Compare(eni(a), eni(b)) })
	for _, i := range g.order {
		if _, err := g.w.Write(g.buf[g.lines[i][0]:g.lines[i][1]]); err != nil {
			return err
		}
	}
	g.buf, g.lines = g.buf[:0], g.lines[:0]
	return nil
}

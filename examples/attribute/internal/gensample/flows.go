package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// iface is a network interface that the VPC-wide flow log records.
type iface struct {
	eni, subnet, instanceID, azID string
}

var azIDs = map[string]string{"us-east-1a": "use1-az4", "us-east-1b": "use1-az6"}

func taskIface(t *task) iface {
	return iface{t.eni, t.inst.subnet, t.inst.id, azIDs[t.inst.az]}
}

func instIface(in *instance) iface {
	return iface{in.eni, in.subnet, in.id, azIDs[in.az]}
}

var (
	natIface = iface{natENI, ci1.subnet, "-", azIDs["us-east-1a"]}
	dbIface  = iface{dbENI, ci2.subnet, "-", azIDs["us-east-1b"]}
)

type record struct {
	ifc            iface
	src, dst       string
	sp, dp         int
	packets, bytes int
	start, end     int64
	action, status string
	flags          int
	pktSrc, pktDst string
	srcSvc, dstSvc string
	dir            string
	path           string
}

func (r record) line() string {
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	if r.status != "OK" {
		return fmt.Sprintf("5 %s %s - - - - - - - %d %d - %s %s %s %s - - - - %s - - - -",
			account, r.ifc.eni, r.start, r.end, r.status, vpc, r.ifc.subnet, r.ifc.instanceID, r.ifc.azID)
	}
	return fmt.Sprintf("5 %s %s %s %s %d %d 6 %d %d %d %d %s OK %s %s %s %d IPv4 %s %s %s %s %s %s %s",
		account, r.ifc.eni, r.src, r.dst, r.sp, r.dp, r.packets, r.bytes, r.start, r.end, r.action,
		vpc, r.ifc.subnet, r.ifc.instanceID, r.flags, dash(r.pktSrc), dash(r.pktDst), r.ifc.azID,
		dash(r.srcSvc), dash(r.dstSvc), r.dir, dash(r.path))
}

type gen struct {
	rng  *rand.Rand
	recs []record
}

// window returns a record's start and end in minute m: the first packet a
// few seconds in, the last before the minute ends (60-second aggregation).
func (g *gen) window(m int) (int64, int64) {
	s := at(time.Duration(m)*time.Minute).Unix() + int64(g.rng.IntN(6))
	return s, s + 50 + int64(g.rng.IntN(9))
}

func (g *gen) n(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// exchange is one request/response pair between a client and a server in
// minute m, recorded on each side whose interface is given (zero iface =
// not recorded): the client's egress request and ingress response, the
// server's ingress request and egress response.
type exchange struct {
	m                  int
	client, server     string
	cport, sport       int
	reqBytes, rspBytes int
	clientIf, serverIf iface
	// What the client's and server's records show as the packet-level
	// far address and AWS service, when different from the IP header.
	clientPktPeer, serverPktPeer string
	clientSvc, serverSvc         string
	clientPath                   string // traffic-path of the client's egress
	serverPath                   string
	action                       string
}

func (g *gen) add(x exchange) {
	start, end := g.window(x.m)
	action := x.action
	if action == "" {
		action = "ACCEPT"
	}
	reqPk, rspPk := max(1, x.reqBytes/1200), max(1, x.rspBytes/1400)
	peerOr := func(p, def string) string {
		if p != "" {
			return p
		}
		return def
	}
	if x.clientIf.eni != "" {
		g.recs = append(g.recs,
			record{ifc: x.clientIf, src: x.client, dst: x.server, sp: x.cport, dp: x.sport, packets: reqPk, bytes: x.reqBytes,
				start: start, end: end, action: action, status: "OK", pktSrc: x.client, pktDst: peerOr(x.clientPktPeer, x.server),
				dstSvc: x.clientSvc, dir: "egress", path: x.clientPath},
			record{ifc: x.clientIf, src: x.server, dst: x.client, sp: x.sport, dp: x.cport, packets: rspPk, bytes: x.rspBytes,
				start: start, end: end, action: action, status: "OK", pktSrc: peerOr(x.clientPktPeer, x.server), pktDst: x.client,
				srcSvc: x.clientSvc, dir: "ingress"})
	}
	if x.serverIf.eni != "" {
		g.recs = append(g.recs,
			record{ifc: x.serverIf, src: x.client, dst: x.server, sp: x.cport, dp: x.sport, packets: reqPk, bytes: x.reqBytes,
				start: start, end: end, action: action, status: "OK", pktSrc: peerOr(x.serverPktPeer, x.client), pktDst: x.server,
				srcSvc: x.serverSvc, dir: "ingress"},
		)
		if action == "ACCEPT" {
			g.recs = append(g.recs,
				record{ifc: x.serverIf, src: x.server, dst: x.client, sp: x.sport, dp: x.cport, packets: rspPk, bytes: x.rspBytes,
					start: start, end: end, action: action, status: "OK", pktSrc: x.server, pktDst: peerOr(x.serverPktPeer, x.client),
					dstSvc: x.serverSvc, dir: "egress", path: x.serverPath})
		}
	}
}

func (g *gen) status(m int, ifc iface, status string) {
	start, end := g.window(m)
	g.recs = append(g.recs, record{ifc: ifc, start: start, end: end, status: status})
}

func generate() []record {
	g := &gen{rng: rand.New(rand.NewPCG(20261125, 6))}
	apis := []*task{api1, api2, api1b}
	for m := range 60 {
		ts := at(time.Duration(m)*time.Minute + 30*time.Second)
		var live []*task
		for _, a := range apis {
			if a.alive(ts) && ts.Sub(a.started) > 30*time.Second {
				live = append(live, a)
			}
		}
		// ALB → web (both nodes, cross-zone on), ALB → admin via host port.
		for i, w := range []*task{web1, web2} {
			for j, alb := range []string{albA, albB} {
				g.add(exchange{m: m, client: alb, server: w.ip, cport: 41000 + 10*(m/10) + 2*i + j, sport: 8080,
					reqBytes: g.n(18000, 42000), rspBytes: g.n(250000, 900000), serverIf: taskIface(w), serverPath: "1"})
			}
		}
		g.add(exchange{m: m, client: albB, server: ci2.ip, cport: 43000 + m/10, sport: admin.hostPort,
			reqBytes: g.n(3000, 9000), rspBytes: g.n(20000, 60000), serverIf: instIface(ci2), serverPath: "1"})
		// web → api, round robin over the api tasks up at the time.
		for i, w := range []*task{web1, web2} {
			a := live[(m+i)%len(live)]
			g.add(exchange{m: m, client: w.ip, server: a.ip, cport: 50000 + 97*m%9000 + i, sport: 9000,
				reqBytes: g.n(6000, 16000), rspBytes: g.n(40000, 120000),
				clientIf: taskIface(w), serverIf: taskIface(a), clientPath: "1", serverPath: "1"})
		}
		// api → database (its ENI is logged too, an unknown interface).
		for _, a := range live {
			g.add(exchange{m: m, client: a.ip, server: dbIP, cport: 51000 + m%7, sport: 5432,
				reqBytes: g.n(2000, 6000), rspBytes: g.n(30000, 90000), clientIf: taskIface(a), serverIf: dbIface,
				clientPath: "1", serverPath: "1"})
		}
		// api → internet through the NAT gateway, every 3 minutes: the
		// same bytes on the api ENI and on the NAT gateway's ENI.
		if m%3 == 0 {
			for _, a := range live {
				req, rsp := g.n(1500, 4000), g.n(8000, 30000)
				cp := 52000 + m
				g.add(exchange{m: m, client: a.ip, server: natIP, cport: cp, sport: 443, reqBytes: req, rspBytes: rsp,
					clientIf: taskIface(a), clientPktPeer: internetHost, clientPath: "1",
					serverIf: natIface, serverPktPeer: "", serverPath: "1"})
				// The NAT's own side towards the internet.
				g.add(exchange{m: m, client: natIP, server: internetHost, cport: 60000 + m, sport: 443,
					reqBytes: req, rspBytes: rsp, clientIf: natIface, clientPath: "8"})
			}
		}
		// web → S3 through the gateway endpoint, every 2 minutes.
		if m%2 == 0 {
			for i, w := range []*task{web1, web2} {
				g.add(exchange{m: m, client: w.ip, server: s3Addr, cport: 53000 + m + i, sport: 443,
					reqBytes: g.n(1000, 3000), rspBytes: g.n(100000, 400000), clientIf: taskIface(w),
					clientSvc: "S3", clientPath: "7"})
			}
		}
		// Prometheus scrapes node-exporter (host mode) on the instance's ENI.
		g.add(exchange{m: m, client: prometheus, server: ci1.ip, cport: 44000 + m/15, sport: exporter.hostPort,
			reqBytes: g.n(300, 500), rspBytes: g.n(60000, 80000), serverIf: instIface(ci1), serverPath: "1"})
		// A scanner probing SSH on web-2, rejected by its security group.
		if m%10 == 5 {
			g.add(exchange{m: m, client: scanner, server: web2.ip, cport: 33000 + m, sport: 22,
				reqBytes: 60, rspBytes: 0, serverIf: taskIface(web2), action: "REJECT"})
		}
		// The deployment at 10:30: image pulls from ECR on both instances,
		// through their own ENIs (SNAT, no host port).
		if m >= 30 && m <= 32 {
			for _, in := range instances {
				g.add(exchange{m: m, client: in.ip, server: ecrAddr, cport: 45000 + m, sport: 443,
					reqBytes: g.n(20000, 40000), rspBytes: g.n(2_000_000, 5_000_000), clientIf: instIface(in),
					clientSvc: "AMAZON", clientPath: "8"})
			}
		}
	}
	g.status(20, instIface(ci2), "SKIPDATA")
	g.status(31, taskIface(api1b), "NODATA")
	// A record of the replaced task's ENI stamped well after it stopped.
	g.add(exchange{m: 36, client: api1.ip, server: dbIP, cport: 51999, sport: 5432, reqBytes: 900, rspBytes: 0,
		clientIf: taskIface(api1), clientPath: "1"})
	g.recs = g.recs[:len(g.recs)-1] // only its egress line arrived
	sort.SliceStable(g.recs, func(i, j int) bool { return g.recs[i].end < g.recs[j].end })
	return g.recs
}

// flowLogFiles delivers the records as S3 does: one gzip object per
// 5 minutes, named by the period, holding the records whose end falls in it.
func flowLogFiles() map[string][]byte {
	byStamp := map[int64][]string{}
	for _, r := range generate() {
		stamp := r.end - r.end%300
		byStamp[stamp] = append(byStamp[stamp], r.line())
	}
	out := map[string][]byte{}
	for stamp, lines := range byStamp {
		t := time.Unix(stamp, 0).UTC()
		var body bytes.Buffer
		body.WriteString(flowLogFormat + "\n")
		body.WriteString(strings.Join(lines, "\n") + "\n")
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(body.Bytes())
		w.Close()
		h := fnv.New32a()
		h.Write(body.Bytes())
		name := fmt.Sprintf("flowlogs/AWSLogs/%s/vpcflowlogs/%s/%s/%s_vpcflowlogs_%s_%s_%s_%08x.log.gz",
			account, region, t.Format("2006/01/02"), account, region, flowLogID, t.Format("20060102T1504Z"), h.Sum32())
		out[name] = gz.Bytes()
	}
	return out
}

// Command gen writes a deterministic synthetic VPC Flow Log file in the
// default (v2) format with an S3-style header line, for the side-by-side
// benchmark in bench/README.md.
//
// The data looks like a busy VPC: 5,000 interfaces with skewed popularity
// (a few carry most flows), ~5 % REJECT, ~0.3 % NODATA and ~0.1 % SKIPDATA
// records (a fifth of the SKIPDATA ones still carrying bytes, as seen in
// the wild), ~8 % IPv6 flows. The same -n and -seed always give the same
// bytes.
//
//	go run ./bench/gen -n 10000000 -o data/v2.log
//	go run ./bench/gen -n 10000000 -gzip -o data/v2.log.gz
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/klauspost/compress/gzip"
)

const header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"

func main() {
	n := flag.Int("n", 10_000_000, "number of records")
	out := flag.String("o", "", "output file (default stdout)")
	gz := flag.Bool("gzip", false, "gzip the output (as S3 delivers it)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()

	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			log.Fatal(err)
		}
		defer func() {
			if err := f.Close(); err != nil {
				log.Fatal(err)
			}
		}()
		w = f
	}
	var zw *gzip.Writer
	if *gz {
		zw = gzip.NewWriter(w)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := generate(bw, *n, *seed); err != nil {
		log.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			log.Fatal(err)
		}
	}
}

func generate(w *bufio.Writer, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	const nENI = 5000
	enis := make([][]byte, nENI)
	eniIP := make([][]byte, nENI)
	for i := range enis {
		enis[i] = fmt.Appendf(nil, "eni-0%016x", rng.Uint64())
		eniIP[i] = fmt.Appendf(nil, "10.%d.%d.%d", rng.IntN(16), rng.IntN(256), 1+rng.IntN(254))
	}
	accounts := [][]byte{[]byte("123456789012"), []byte("210987654321"), []byte("111122223333")}
	ports := []int{443, 443, 443, 80, 5432, 6379, 8080, 53}
	if _, err := w.WriteString(header); err != nil {
		return err
	}
	var line []byte
	t := int64(1_763_900_000)
	for i := 0; i < n; i++ {
		if i%2000 == 0 {
			t++ // records roughly in time order, 10-minute windows
		}
		x := rng.Float64()
		e := int(nENI * x * x * x) // skewed popularity
		line = line[:0]
		line = append(line, "2 "...)
		line = append(line, accounts[e%len(accounts)]...)
		line = append(line, ' ')
		line = append(line, enis[e]...)
		line = append(line, ' ')
		switch r := rng.IntN(10000); {
		case r < 40: // NODATA (0.3 %) or SKIPDATA (0.1 %)
			status := "NODATA"
			counters := "- -"
			if r >= 30 {
				status = "SKIPDATA"
				if r%4 == 0 {
					counters = strconv.Itoa(1+rng.IntN(50)) + " " + strconv.Itoa(100+rng.IntN(50000))
				}
			}
			line = append(line, "- - - - - "...)
			line = append(line, counters...)
			line = append(line, ' ')
			line = strconv.AppendInt(line, t, 10)
			line = append(line, ' ')
			line = strconv.AppendInt(line, t+600, 10)
			line = append(line, " - "...)
			line = append(line, status...)
		default:
			v6 := rng.IntN(100) < 8
			peer := func() {
				if v6 {
					line = fmt.Appendf(line, "2600:1f18:%x:%x:%x::%x", rng.IntN(4096), rng.IntN(65536), rng.IntN(65536), 1+rng.IntN(65535))
				} else if rng.IntN(3) == 0 {
					line = fmt.Appendf(line, "%d.%d.%d.%d", 3+rng.IntN(200), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
				} else {
					line = fmt.Appendf(line, "10.%d.%d.%d", rng.IntN(16), rng.IntN(256), 1+rng.IntN(254))
				}
			}
			self := func() {
				if v6 {
					line = fmt.Appendf(line, "2600:1f18:%x::%x", e, e+1)
				} else {
					line = append(line, eniIP[e]...)
				}
			}
			server := ports[rng.IntN(len(ports))]
			client := 32768 + rng.IntN(28232)
			ingress := rng.IntN(2) == 0
			if ingress {
				peer()
				line = append(line, ' ')
				self()
			} else {
				self()
				line = append(line, ' ')
				peer()
			}
			line = append(line, ' ')
			if ingress {
				line = strconv.AppendInt(line, int64(client), 10)
				line = append(line, ' ')
				line = strconv.AppendInt(line, int64(server), 10)
			} else {
				line = strconv.AppendInt(line, int64(server), 10)
				line = append(line, ' ')
				line = strconv.AppendInt(line, int64(client), 10)
			}
			proto := "6"
			if server == 53 {
				proto = "17"
			}
			packets := 1 + rng.IntN(2000)
			bytes := packets * (40 + rng.IntN(1400))
			line = append(line, ' ')
			line = append(line, proto...)
			line = append(line, ' ')
			line = strconv.AppendInt(line, int64(packets), 10)
			line = append(line, ' ')
			line = strconv.AppendInt(line, int64(bytes), 10)
			line = append(line, ' ')
			line = strconv.AppendInt(line, t-int64(rng.IntN(600)), 10)
			line = append(line, ' ')
			line = strconv.AppendInt(line, t, 10)
			if rng.IntN(20) == 0 {
				line = append(line, " REJECT OK"...)
			} else {
				line = append(line, " ACCEPT OK"...)
			}
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

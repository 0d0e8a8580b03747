package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ecsnet/ecsnet/examples/internal/cli"
	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
	"github.com/ecsnet/ecsnet/internal/awswire"
)

// readTopology reads `aws ec2 describe-subnets`, `describe-vpcs` and
// `describe-network-interfaces` output files with ec2topology.Read, which
// tells them apart by their members (Subnets, Vpcs, NetworkInterfaces; a
// file may hold several) and whose errors give the file, line, column and
// member path of a bad value, and merges them with ec2topology.Merge, which
// refuses files whose AZ names disagree (several accounts' subnets). Of the
// network interfaces, the Application and Classic Load Balancer nodes are
// kept (attribution.PeerLoadBalancer). A file of none of the three (another
// describe output, or one listing nothing) is an error: it would classify
// nothing, without a word. Only an empty list of network interfaces is
// taken, with a note: ELB's interfaces (the requester-id filter the README
// gives) are none in a region without load balancers.
func readTopology(open func(string) (io.ReadCloser, error), note io.Writer, names ...string) (attribution.Topology, error) {
	var t ec2topology.Topology
	for _, name := range names {
		f, err := open(name)
		if err != nil {
			return t.Topology, err
		}
		b, err := cli.ReadMax(f, maxTopologyBytes)
		f.Close()
		if errors.Is(err, cli.ErrTooLarge) {
			return t.Topology, fmt.Errorf("%s: larger than %d bytes, more than describe output of a region's subnets, VPCs and network interfaces", name, maxTopologyBytes)
		}
		if err != nil {
			return t.Topology, fmt.Errorf("%s: %w", name, err)
		}
		more, err := ec2topology.Read(bytes.NewReader(b), name)
		if err != nil {
			return t.Topology, err
		}
		if len(more.Subnets) == 0 && len(more.VPCs) == 0 && more.Interfaces == 0 {
			if !listsInterfaces(b) {
				return t.Topology, fmt.Errorf("%s: no subnets, VPCs or network interfaces (want aws ec2 describe-subnets, describe-vpcs or describe-network-interfaces output)", name)
			}
			fmt.Fprintf(note, "attribute: note: %s lists no network interfaces: no load balancer nodes from it (right for a region without load balancers)\n", name)
		}
		if t, err = ec2topology.Merge(t, more); err != nil {
			return t.Topology, err
		}
	}
	return t.Topology, nil
}

// maxTopologyBytes is ec2topology.Read's bound (see there): a file is
// read here first (listsInterfaces looks at it again), and not past it.
// A variable for tests.
var maxTopologyBytes int64 = ec2topology.MaxSize

// listsInterfaces reports whether b, describe output that ec2topology.Read
// took, has a NetworkInterfaces list, empty or not.
func listsInterfaces(b []byte) bool {
	var doc struct{ NetworkInterfaces []json.RawMessage }
	return json.Unmarshal(awswire.BlankBOM(b), &doc) == nil && doc.NetworkInterfaces != nil
}

func openFile(name string) (io.ReadCloser, error) { return os.Open(name) }

func openSample(name string) (io.ReadCloser, error) { return sample.Open(name) }

func sampleTopology() (attribution.Topology, error) {
	names, err := fs.Glob(sample, "sample/network/*.json")
	if err != nil {
		return attribution.Topology{}, err
	}
	return readTopology(openSample, io.Discard, names...)
}

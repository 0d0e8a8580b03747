package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/attribution/ec2topology"
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
// nothing, without a word.
func readTopology(open func(string) (io.ReadCloser, error), names ...string) (attribution.Topology, error) {
	var t ec2topology.Topology
	for _, name := range names {
		f, err := open(name)
		if err != nil {
			return t.Topology, err
		}
		more, err := ec2topology.Read(f, name)
		f.Close()
		if err != nil {
			return t.Topology, err
		}
		if len(more.Subnets) == 0 && len(more.VPCs) == 0 && more.Interfaces == 0 {
			return t.Topology, fmt.Errorf("%s: no subnets, VPCs or network interfaces (want aws ec2 describe-subnets, describe-vpcs or describe-network-interfaces output)", name)
		}
		if t, err = ec2topology.Merge(t, more); err != nil {
			return t.Topology, err
		}
	}
	return t.Topology, nil
}

func openFile(name string) (io.ReadCloser, error) { return os.Open(name) }

func openSample(name string) (io.ReadCloser, error) { return sample.Open(name) }

func sampleTopology() (attribution.Topology, error) {
	names, err := fs.Glob(sample, "sample/network/*.json")
	if err != nil {
		return attribution.Topology{}, err
	}
	return readTopology(openSample, names...)
}

// Command gen writes eni's built-in instance-type table (table_gen.go) from
// the data files in eni/data. Run it with `go generate ./eni`.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ecsnet/ecsnet/eni/internal/limitsdata"
)

func main() {
	limits := flag.String("limits", "data/eni-limits.tsv", "EC2 ENI limits TSV")
	trunking := flag.String("trunking", "data/eni-trunking.tsv", "ECS trunking TSV")
	unsupported := flag.String("unsupported", "data/eni-trunking-unsupported.tsv", "trunking unsupported list")
	out := flag.String("o", "table_gen.go", "output file")
	flag.Parse()
	if err := run(*limits, *trunking, *unsupported, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(limitsPath, trunkingPath, unsupPath, out string) error {
	open := func(p string) (*limitsdata.File, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return limitsdata.ParseTSV(f, p)
	}
	l, err := open(limitsPath)
	if err != nil {
		return err
	}
	t, err := open(trunkingPath)
	if err != nil {
		return err
	}
	uf, err := os.Open(unsupPath)
	if err != nil {
		return err
	}
	defer uf.Close()
	u, err := limitsdata.ParseUnsupported(uf, unsupPath)
	if err != nil {
		return err
	}
	src, err := limitsdata.Generate(l, t, u)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}

package eni

import (
	"bytes"
	"context"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/eni/internal/limitsdata"
)

func parseData(t *testing.T) (l, tr *limitsdata.File, u *limitsdata.Unsupported) {
	t.Helper()
	open := func(p string) *limitsdata.File {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		out, err := limitsdata.ParseTSV(f, p)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	l, tr = open("data/eni-limits.tsv"), open("data/eni-trunking.tsv")
	f, err := os.Open("data/eni-trunking-unsupported.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if u, err = limitsdata.ParseUnsupported(f, "unsupported"); err != nil {
		t.Fatal(err)
	}
	return l, tr, u
}

// The committed table must be exactly what the generator makes of the
// committed data, so the two cannot drift.
func TestGeneratedTableMatchesData(t *testing.T) {
	l, tr, u := parseData(t)
	want, err := limitsdata.Generate(l, tr, u)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("table_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("table_gen.go is stale: run go generate ./eni")
	}
	if len(l.Rows) != 1391 || len(tr.Rows) != 435 {
		t.Fatalf("rows: limits %d trunking %d", len(l.Rows), len(tr.Rows))
	}
}

// Every number of every row in the data files is reachable through Lookup.
func TestEveryDataNumberReachable(t *testing.T) {
	l, tr, u := parseData(t)
	ctx := context.Background()
	trunk := map[string]limitsdata.Row{}
	for _, r := range tr.Rows {
		trunk[r.InstanceType] = r
	}
	if got := len(BuiltinTypes()); got != len(l.Rows) {
		t.Fatalf("%d built-in types, %d rows", got, len(l.Rows))
	}
	for _, r := range l.Rows {
		it, err := Builtin().Lookup(ctx, r.InstanceType)
		if err != nil {
			t.Fatal(err)
		}
		if it.MaxENIs != r.MaxENIs || it.IPv4PerENI != r.IPv4PerENI || it.IPv6PerENI != r.IPv6PerENI ||
			it.NetworkCards != r.NetworkCards || it.DefaultCardENIs != r.MaxENIsDefaultCard ||
			it.DefaultCardIndex != r.DefaultNetworkCardIndex || it.Hypervisor != r.Hypervisor || it.BareMetal != r.BareMetal {
			t.Fatalf("%s: got %+v, row %+v", r.InstanceType, it, r)
		}
		tr, ok := trunk[r.InstanceType]
		switch {
		case ok:
			if it.Trunking.Tasks != tr.TasksWithTrunking || it.Trunking.PublishedWithout != tr.TasksWithoutTrunking {
				t.Fatalf("%s: trunking %+v, row %+v", r.InstanceType, it.Trunking, tr)
			}
			bits, err := limitsdata.FlagBits(tr.Notes)
			if err != nil || Flag(bits) != it.Trunking.Flags {
				t.Fatalf("%s: flags %v, notes %v", r.InstanceType, it.Trunking.Flags, tr.Notes)
			}
			want := TrunkingSupported
			if tr.TasksWithTrunking <= 0 {
				want = TrunkingUnknown
			}
			if it.Trunking.Status != want {
				t.Fatalf("%s: status %v", r.InstanceType, it.Trunking.Status)
			}
		case u.Types[r.InstanceType] || u.Families[it.Family()]:
			if it.Trunking.Status != TrunkingUnsupported {
				t.Fatalf("%s: status %v, want unsupported", r.InstanceType, it.Trunking.Status)
			}
		default:
			if it.Trunking.Status != TrunkingUnknown || it.Trunking.Flags != 0 {
				t.Fatalf("%s: trunking %+v, want unknown", r.InstanceType, it.Trunking)
			}
		}
	}
	// The flag bit order in the generator and in eni agree.
	for i, n := range limitsdata.FlagNotes {
		bits, _ := limitsdata.FlagBits([]string{n})
		if Flag(bits) != Flag(1)<<i || Flag(bits).String() != flagText[i] {
			t.Fatalf("flag %d (%s) out of step", i, n)
		}
	}
}

// The unsupported list is the one quoted in the trunking file's header.
func TestUnsupportedListMatchesHeader(t *testing.T) {
	_, tr, u := parseData(t)
	header := strings.Join(tr.Header, " ")
	for name := range u.Families {
		if !strings.Contains(header, " "+name+" ") && !strings.Contains(header, name+";") && !strings.Contains(header, "/"+name) && !strings.Contains(header, "("+name+"/") {
			t.Errorf("family %s not in the trunking header", name)
		}
	}
	for name := range u.Types {
		if !strings.Contains(header, name) {
			t.Errorf("type %s not in the trunking header", name)
		}
	}
	// And the other way: every family and type the header quotes is in
	// the list (one dropped from it read as trunking unknown, and the
	// check above still passed).
	h := regexp.MustCompile(`\s*#\s*`).ReplaceAllString(header, " ")
	m := regexp.MustCompile(`families (.*?); types (.*?)\. `).FindStringSubmatch(h)
	if m == nil {
		t.Fatal("the header's list of families and types not found")
	}
	for _, f := range strings.Fields(m[1]) {
		if !u.Families[f] {
			t.Errorf("family %s quoted in the trunking header, missing from the list", f)
		}
	}
	for _, ty := range strings.Fields(m[2]) {
		if !u.Types[ty] {
			t.Errorf("type %s quoted in the trunking header, missing from the list", ty)
		}
	}
}

func TestUnknownTypeSaysHowToSupplyNumbers(t *testing.T) {
	_, err := Builtin().Lookup(context.Background(), "x99.large")
	var ue *UnknownTypeError
	if !errors.As(err, &ue) || ue.InstanceType != "x99.large" {
		t.Fatalf("got %v", err)
	}
	for _, s := range []string{"x99.large", "ParseLimitsTSV", "ec2limits", "max_enis"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message lacks %q: %v", s, err)
		}
	}
}

func lookup(t *testing.T, name string) InstanceType {
	t.Helper()
	it, err := Builtin().Lookup(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestBudgetsAcrossFamilies(t *testing.T) {
	cases := []struct {
		name                  string
		opt                   BudgetOptions
		trunking              bool
		tasks, ecsTasks, enis int
		status                TrunkingStatus
		note                  string
	}{
		{"t3.micro", BudgetOptions{}, false, 1, 1, 2, TrunkingUnsupported, ""},
		{"t3.large", BudgetOptions{Trunking: true}, false, 2, 2, 3, TrunkingUnsupported, "does not support"},
		{"c5.large", BudgetOptions{}, false, 2, 2, 3, TrunkingSupported, ""},
		{"c5.large", BudgetOptions{Trunking: true}, true, 10, 10, 12, TrunkingSupported, ""},
		{"m5.8xlarge", BudgetOptions{Trunking: true}, true, 60, 60, 62, TrunkingSupported, ""},
		{"m5.large", BudgetOptions{OtherENIs: 1}, false, 1, 2, 3, TrunkingSupported, "ECS counts only ENIs it attached"},
		{"m5.large", BudgetOptions{OtherENIs: 5}, false, 0, 2, 6, TrunkingSupported, "ECS counts only ENIs it attached"},
		{"m5.large", BudgetOptions{Trunking: true, OtherENIs: 1}, true, 10, 10, 13, TrunkingSupported, "ordinary ENI slots"},
		// p4d: 60 ENIs over 4 network cards; ECS counts all cards.
		{"p4d.24xlarge", BudgetOptions{}, false, 59, 59, 60, TrunkingSupported, ""},
		{"p4d.24xlarge", BudgetOptions{Trunking: true}, true, 120, 120, 122, TrunkingSupported, ""},
		// a metal type with a trunking row, and one the guide lists as unsupported.
		{"m5.metal", BudgetOptions{Trunking: true}, false, 14, 14, 15, TrunkingUnsupported, "does not support"},
		{"c6i.metal", BudgetOptions{Trunking: true}, true, 120, 120, 122, TrunkingSupported, ""},
		// Windows never trunks.
		{"m5.xlarge", BudgetOptions{Trunking: true, Windows: true}, false, 3, 3, 4, TrunkingUnsupported, "Linux only"},
		// Types newer than the 2023 trunking table.
		{"c7i.large", BudgetOptions{Trunking: true}, false, 2, 2, 3, TrunkingUnknown, "not in ECS's trunking table"},
		// Flagged rows, handled deliberately.
		{"i4i.large", BudgetOptions{Trunking: true}, false, 2, 2, 3, TrunkingUnknown, "documentation error"},
		{"i4i.xlarge", BudgetOptions{Trunking: true}, true, 8, 8, 10, TrunkingSupported, "fit no pattern"},
		{"u-18tb1.metal", BudgetOptions{Trunking: true}, true, 12, 12, 14, TrunkingSupported, "lower than without"},
		{"m5n.large", BudgetOptions{Trunking: true}, true, 10, 10, 12, TrunkingSupported, "lists this family"},
		{"c6in.32xlarge", BudgetOptions{}, false, 15, 15, 16, TrunkingSupported, "13 tasks without trunking"},
	}
	for _, c := range cases {
		b := TypeBudget(lookup(t, c.name), c.opt)
		if b.Trunking != c.trunking || b.Tasks != c.tasks || b.ECSTasks != c.ecsTasks || b.InstanceENIs != c.enis || b.TrunkingStatus != c.status {
			t.Errorf("%s %+v: got trunking=%v tasks=%d ecs=%d enis=%d status=%v", c.name, c.opt, b.Trunking, b.Tasks, b.ECSTasks, b.InstanceENIs, b.TrunkingStatus)
		}
		joined := strings.Join(b.Notes, "\n")
		if c.note != "" && !strings.Contains(joined, c.note) {
			t.Errorf("%s: notes %q lack %q", c.name, joined, c.note)
		}
		if c.note == "" && len(b.Notes) != 0 {
			t.Errorf("%s: unexpected notes %q", c.name, joined)
		}
		// Ordinary slots: max ENIs less the primary, and the trunk with
		// trunking; without trunking they are ECS's task count.
		own := 1
		if b.Trunking {
			own = 2
		}
		if want := b.MaxENIs - own; b.OrdinarySlots != want || !b.Trunking && b.OrdinarySlots != b.ECSTasks {
			t.Errorf("%s %+v: %d ordinary slots of %d ENIs, want %d", c.name, c.opt, b.OrdinarySlots, b.MaxENIs, want)
		}
	}
}

func TestCustomDataLayeredOverBuiltin(t *testing.T) {
	ctx := context.Background()
	tsv := "# my numbers\ninstance_type\tmax_enis\tipv4_per_eni\ttasks_with_trunking\n" +
		"x99.large\t4\t15\t20\n" +
		"i4i.large\t3\t10\t10\n"
	tab, err := ParseLimitsTSV(strings.NewReader(tsv), "mine.tsv")
	if err != nil {
		t.Fatal(err)
	}
	l := Layer(tab, Builtin())
	b, err := BudgetFor(ctx, l, "x99.large", BudgetOptions{Trunking: true})
	if err != nil || b.Tasks != 20 || !b.Trunking {
		t.Fatalf("x99: %+v %v", b, err)
	}
	// The file fixes i4i.large's broken published trunking limit.
	b, err = BudgetFor(ctx, l, "i4i.large", BudgetOptions{Trunking: true})
	if err != nil || b.Tasks != 10 {
		t.Fatalf("i4i.large: %+v %v", b, err)
	}
	// IPv6 unknown in the file is filled from the built-in row.
	it, _ := l.Lookup(ctx, "i4i.large")
	if it.IPv6PerENI != 10 || it.Source != "mine.tsv + built-in" {
		t.Fatalf("layered: %+v", it)
	}
	// Types the file lacks come from the built-in table.
	if b, err := BudgetFor(ctx, l, "c5.large", BudgetOptions{}); err != nil || b.Tasks != 2 {
		t.Fatalf("c5.large: %+v %v", b, err)
	}
	js := `[
  {"instance_type": "x99.large", "max_enis": 4},
  {"instance_type": "x99.xlarge", "max_enis": "many"}
]`
	_, err = ParseLimitsJSON(strings.NewReader(js), "mine.json")
	var de *DataError
	if !errors.As(err, &de) || de.Line != 3 || de.Column != "max_enis" {
		t.Fatalf("got %v", err)
	}
	tab, err = ParseLimitsJSON(strings.NewReader(`[{"instance_type":"x99.large","max_enis":4,"ipv6_per_eni":null}]`), "ok.json")
	if err != nil || tab.Len() != 1 {
		t.Fatal(err)
	}
	for _, bad := range []string{
		"instance_type\tmax_enis\tbogus\nx\t1\t2\n",
		"instance_type\tmax_enis\nx\tfour\n",
		"instance_type\tmax_enis\nx\t-1\n",
		"instance_type\tmax_enis\nx\t1\t2\n",
		"instance_type\tmax_enis\nx\t1\nx\t2\n",
		"instance_type\tipv4_per_eni\nx\t1\n",
		"",
	} {
		if _, err := ParseLimitsTSV(strings.NewReader(bad), "bad.tsv"); !errors.As(err, &de) {
			t.Errorf("%q: got %v", bad, err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	ctx := context.Background()
	l := Builtin()
	for i := 0; i < b.N; i++ {
		if _, err := l.Lookup(ctx, "m5.xlarge"); err != nil {
			b.Fatal(err)
		}
	}
}

package ecsnet

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMELinks: every relative link of README.md names a file or
// directory of the repository.
func TestREADMELinks(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range regexp.MustCompile(`\]\(([^)\s]+)\)`).FindAllStringSubmatch(string(b), -1) {
		target, _, _ := strings.Cut(m[1], "#")
		if target == "" || strings.Contains(target, "://") {
			continue
		}
		n++
		if _, err := os.Stat(filepath.FromSlash(target)); err != nil {
			t.Errorf("README links to %s, which is not in the repository", m[1])
		}
	}
	if n == 0 {
		t.Fatal("no relative links found in README.md")
	}
}

// TestTourNames: the package-qualified names the README's Go snippets and
// doc.go's tour call, and doc.go's doc links (netmode.PlanPorts,
// [github.com/ecsnet/ecsnet/flowlogs/attribution.Attributor.Partial], …),
// are the module's: the snippets are fragments that cannot be compiled as
// they are, so a renamed or removed function would leave them stale
// unnoticed. Methods called on a snippet's variables (a.Groups) are not
// checked.
func TestTourNames(t *testing.T) {
	api := moduleAPI(t)
	byName := map[string]string{} // package name → import path, for names unique in the module
	for path, p := range api {
		if _, dup := byName[p.name]; dup {
			byName[p.name] = ""
			continue
		}
		byName[p.name] = path
	}
	check := func(where, pkgPath, sym string) {
		p := api[pkgPath]
		if p == nil {
			t.Errorf("%s: package %s is not in the module", where, pkgPath)
			return
		}
		typ, member, _ := strings.Cut(sym, ".")
		if !p.names[typ] || member != "" && !p.members[typ+"."+member] {
			t.Errorf("%s: %s.%s is not in package %s", where, p.name, sym, pkgPath)
		}
	}
	qualified := regexp.MustCompile(`\b([a-z][a-z0-9]*)\.([A-Z]\w*(?:\.[A-Z]\w*)?)`)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	tour, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var code []string
	for _, block := range strings.Split(string(readme), "```go")[1:] {
		code = append(code, strings.Split(block, "```")[0])
	}
	for _, line := range strings.Split(string(tour), "\n") {
		if strings.HasPrefix(line, "//\t") {
			code = append(code, line)
		}
	}
	n := 0
	for _, c := range code {
		for _, m := range qualified.FindAllStringSubmatch(c, -1) {
			if path := byName[m[1]]; path != "" {
				n++
				check("snippet "+m[0], path, m[2])
			}
		}
	}
	for _, m := range regexp.MustCompile(`\[(github\.com/ecsnet/ecsnet[\w/]*)(?:\.([A-Z][\w.]*))?\]`).FindAllStringSubmatch(string(tour), -1) {
		n++
		if m[2] == "" {
			check("doc link "+m[0], m[1], "")
			continue
		}
		check("doc link "+m[0], m[1], m[2])
	}
	if n < 20 {
		t.Fatalf("only %d names checked: the extraction is broken", n)
	}
}

type pkgAPI struct {
	name    string
	names   map[string]bool // exported top-level names ("" too, for the package itself)
	members map[string]bool // Type.Method and Type.Field
}

// moduleAPI returns the exported names of the module's packages (not
// examples, bench or internal ones), by import path.
func moduleAPI(t *testing.T) map[string]*pkgAPI {
	t.Helper()
	api := map[string]*pkgAPI{}
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		switch d.Name() {
		case "examples", "bench", "internal", "testdata", "sqltest":
			return filepath.SkipDir
		}
		if strings.HasPrefix(d.Name(), ".") && dir != "." {
			return filepath.SkipDir
		}
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			return err
		}
		for _, pkg := range pkgs {
			p := &pkgAPI{name: pkg.Name, names: map[string]bool{"": true}, members: map[string]bool{}}
			for _, f := range pkg.Files {
				for _, decl := range f.Decls {
					switch decl := decl.(type) {
					case *ast.FuncDecl:
						if decl.Recv == nil {
							p.names[decl.Name.Name] = true
							continue
						}
						recv := decl.Recv.List[0].Type
						if star, ok := recv.(*ast.StarExpr); ok {
							recv = star.X
						}
						if id, ok := recv.(*ast.Ident); ok {
							p.members[id.Name+"."+decl.Name.Name] = true
						}
					case *ast.GenDecl:
						for _, spec := range decl.Specs {
							switch spec := spec.(type) {
							case *ast.TypeSpec:
								p.names[spec.Name.Name] = true
								if st, ok := spec.Type.(*ast.StructType); ok {
									for _, field := range st.Fields.List {
										for _, name := range field.Names {
											p.members[spec.Name.Name+"."+name.Name] = true
										}
									}
								}
							case *ast.ValueSpec:
								for _, name := range spec.Names {
									p.names[name.Name] = true
								}
							}
						}
					}
				}
			}
			api[filepath.ToSlash(filepath.Join("github.com/ecsnet/ecsnet", dir))] = p
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

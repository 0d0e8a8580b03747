package ecsnet

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestDocLinks: every doc link ([Name], [*T], [T.Method], [pkg.Name],
// [github.com/ecsnet/ecsnet/flowlogs.Reader], [io.Reader], …) in the
// comments of every package of the module (not of the nested module
// sqltest, which publishes no API) names something that exists. go doc and pkg.go.dev render a
// link whose target is gone as plain bracketed text, silently, and a
// package path that is not one as a link to a page that is not there.
//
// Links are found as go/doc/comment finds them, but with a parser that
// accepts every target; each is then resolved as go/doc resolves it: a
// bare name against the package's own symbols, a package name against the
// package's imports, its own name and the standard library's one-element
// paths, then the symbol against that package's exported API, read from
// the repository, GOROOT/src or, for a dependency, the directory go list
// finds in the module cache (GOPROXY=off: the test never downloads).
// Package, type, func, method, const, var, field and interface-method
// comments are checked, line comments too; _test.go files are not.
//
// Not links, and not failures: a bracketed lower-case word ([optional])
// that is not the name of a module package, and a citation key that a
// package comment defines as a URL ([DG], netmode's ECS Developer Guide),
// cited in other comments where it is plain text on purpose. A failure:
// [Type.unexported], which can never be a doc link.
func TestDocLinks(t *testing.T) {
	c := loadModule(t)
	n := 0
	for _, p := range c.pkgs {
		n += c.checkPackage(p)
	}
	t.Logf("%d doc links in %d packages", n, len(c.pkgs))
	if n < 200 {
		t.Fatalf("only %d doc links found: the extraction is broken", n)
	}
	for _, e := range c.errs {
		t.Error(e)
	}
}

// loadModule parses the packages of the module.
func loadModule(t *testing.T) *linkChecker {
	c := newLinkChecker(t)
	if err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if dir != "." && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		// A nested module (sqltest) resolves its links against its own
		// dependencies, which CI downloads only after this module's
		// tests have run; it publishes no API.
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); dir != "." && err == nil {
			return filepath.SkipDir
		}
		return c.loadDir(dir)
	}); err != nil {
		t.Fatal(err)
	}
	if len(c.local) < 30 {
		t.Fatalf("only %d packages read: the walk is broken", len(c.local))
	}
	for _, p := range c.pkgs {
		for _, def := range p.doc.Parser().Parse(p.doc.Doc).Links {
			c.citations[def.Text] = true
		}
	}
	return c
}

// A srcPkg is one package of the module as parsed for its comments.
type srcPkg struct {
	dir, path, modRoot string
	fset               *token.FileSet
	groups             []*ast.CommentGroup
	imports            map[string]string // import path → its name in p, if renamed, or ""
	types              map[string]*typeMembers
	doc                *doc.Package
}

type linkChecker struct {
	t       *testing.T
	pkgs    []*srcPkg
	local   map[string]*doc.Package // the module's packages, by import path
	src     map[string]*srcPkg      // the same
	lastEl  map[string]bool         // the last elements of their paths
	modules map[string]string       // module root directory → module path
	ext     map[string]*doc.Package // other packages, by import path; nil: not found
	// citations are the texts of the link definitions of package
	// comments ([DG]: https://…): used elsewhere, [DG] is a citation,
	// plain text on purpose.
	citations map[string]bool
	errs      []string
}

func newLinkChecker(t *testing.T) *linkChecker {
	return &linkChecker{
		t:       t,
		local:   map[string]*doc.Package{},
		src:     map[string]*srcPkg{},
		lastEl:  map[string]bool{},
		modules: map[string]string{},
		ext:     map[string]*doc.Package{},

		citations: map[string]bool{},
	}
}

var modulePathRE = regexp.MustCompile(`(?m)^module\s+(\S+)`)

// module returns the root directory and the path of the module dir is in.
func (c *linkChecker) module(dir string) (root, path string) {
	for root = dir; ; root = filepath.Dir(root) {
		if path, ok := c.modules[root]; ok {
			return root, path
		}
		if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
			m := modulePathRE.FindSubmatch(b)
			if m == nil {
				c.t.Fatalf("%s: no module line", filepath.Join(root, "go.mod"))
			}
			c.modules[root] = string(m[1])
			return root, string(m[1])
		}
		if root == "." {
			c.t.Fatal("no go.mod above the test's directory")
		}
	}
}

// loadDir parses the non-test Go files of dir, one srcPkg per package
// clause (a //go:build ignore generator is a package of its own).
func (c *linkChecker) loadDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	byName := map[string][]*ast.File{}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if byName[f.Name.Name] == nil {
			names = append(names, f.Name.Name)
		}
		byName[f.Name.Name] = append(byName[f.Name.Name], f)
	}
	if len(names) == 0 {
		return nil
	}
	root, modPath := c.module(dir)
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return err
	}
	path := modPath
	if rel != "." {
		path += "/" + filepath.ToSlash(rel)
	}
	sort.Strings(names)
	for i, name := range names {
		files := byName[name]
		p := &srcPkg{dir: dir, path: path, modRoot: root, fset: fset, imports: map[string]string{}}
		for _, f := range files {
			p.groups = append(p.groups, fileComments(f)...)
			for _, imp := range f.Imports {
				ipath, _ := strconv.Unquote(imp.Path.Value)
				if imp.Name != nil {
					p.imports[ipath] = imp.Name.Name
				} else if _, ok := p.imports[ipath]; !ok {
					p.imports[ipath] = ""
				}
			}
		}
		p.types = localTypes(files)
		// NewFromFiles filters the ASTs down to the exported API: the
		// comments and the types' members are collected first.
		p.doc, err = doc.NewFromFiles(fset, files, path)
		if err != nil {
			return err
		}
		c.pkgs = append(c.pkgs, p)
		if i == 0 || name != "main" && c.local[path].Name == "main" {
			c.local[path] = p.doc
			c.src[path] = p
		}
	}
	c.lastEl[path[strings.LastIndex(path, "/")+1:]] = true
	return nil
}

// fileComments returns the comments of f go doc renders: the package's,
// and those of every declaration, spec, field and interface method.
func fileComments(f *ast.File) []*ast.CommentGroup {
	var out []*ast.CommentGroup
	add := func(cgs ...*ast.CommentGroup) {
		for _, cg := range cgs {
			if cg != nil {
				out = append(out, cg)
			}
		}
	}
	add(f.Doc)
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			add(n.Doc)
			return false // comments in bodies are not rendered
		case *ast.GenDecl:
			if n.Tok != token.IMPORT {
				add(n.Doc)
			}
		case *ast.TypeSpec:
			add(n.Doc, n.Comment)
		case *ast.ValueSpec:
			add(n.Doc, n.Comment)
		case *ast.Field:
			add(n.Doc, n.Comment)
		}
		return true
	})
	return out
}

// A link is one doc link as written.
type link struct {
	pkgName string // the package as written, if it is a name, not a path
	doc     *comment.DocLink
}

func (l link) String() string {
	s := l.doc.ImportPath
	if l.pkgName != "" {
		s = l.pkgName
	}
	for _, part := range []string{l.doc.Recv, l.doc.Name} {
		if part == "" {
			continue
		}
		if s != "" {
			s += "."
		}
		s += part
	}
	return "[" + s + "]"
}

var pkgNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// checkPackage checks the doc links of p's comments and returns how many
// it found.
func (c *linkChecker) checkPackage(p *srcPkg) int {
	real := p.doc.Parser()
	lax := &comment.Parser{
		LookupPackage: func(name string) (string, bool) {
			if !pkgNameRE.MatchString(name) {
				return "", false
			}
			return "\x00" + name, true
		},
		LookupSym: func(recv, name string) bool { return true },
	}
	n := 0
	for _, cg := range p.groups {
		var links []link
		walkDocLinks(lax.Parse(cg.Text()), func(l *comment.DocLink) {
			if l.ImportPath == "" && l.Name == "" {
				return // [], as in "the empty list []"
			}
			lk := link{doc: l}
			if name, ok := strings.CutPrefix(l.ImportPath, "\x00"); ok {
				lk.pkgName = name
			}
			links = append(links, lk)
		})
		for _, lk := range links {
			n++
			if msg := c.resolve(p, real, lk); msg != "" {
				c.errs = append(c.errs, fmt.Sprintf("%s: %s %s", c.where(p, cg, lk.String()), lk, msg))
			}
		}
		// [Type.unexported] is not a doc link, however it is meant.
		walkPlain(real.Parse(cg.Text()), false, func(text string) {
			for _, m := range unexportedRefRE.FindAllStringSubmatch(text, -1) {
				if p.types[m[2]] == nil && c.byName(m[2]) == nil && m[2] != p.doc.Name {
					continue
				}
				if ast.IsExported(m[3]) {
					continue // a doc link, reported above if it does not resolve
				}
				n++
				ref := "[" + m[2] + "." + m[3] + "]"
				c.errs = append(c.errs, fmt.Sprintf("%s: %s is plain text: an unexported name cannot be a doc link (write it without brackets)", c.where(p, cg, ref), ref))
			}
		})
	}
	return n
}

var unexportedRefRE = regexp.MustCompile(`(^|[\s\pP])\[\*?([A-Za-z_]\w*)\.([A-Za-z_]\w*)\]`)

// resolve returns why lk, in a comment of p, does not resolve, or "".
func (c *linkChecker) resolve(p *srcPkg, real *comment.Parser, lk link) string {
	l := lk.doc
	path := l.ImportPath
	switch {
	case lk.pkgName != "" && l.Recv == "" && l.Name == "":
		// [word]: a package link only if word is a package's name.
		if !c.lastEl[lk.pkgName] {
			return ""
		}
		var ok bool
		if path, ok = real.LookupPackage(lk.pkgName); !ok {
			if path, ok = comment.DefaultLookupPackage(lk.pkgName); !ok {
				return "is plain text: package " + lk.pkgName + " is not imported here (write its import path)"
			}
		}
	case lk.pkgName != "":
		var ok bool
		if p.types[lk.pkgName] != nil {
			return "is plain text: " + lk.pkgName + " is unexported, and an unexported name cannot be a doc link (write it without brackets)"
		}
		if path, ok = real.LookupPackage(lk.pkgName); !ok {
			if path, ok = comment.DefaultLookupPackage(lk.pkgName); !ok {
				return "is plain text: package " + lk.pkgName + " is not imported by " + p.path + " (write its import path)"
			}
		}
	case path == "":
		if l.Name == "" || l.Recv == "" && c.citations[l.Name] {
			return ""
		}
		if !real.LookupSym(l.Recv, l.Name) {
			return "is plain text: " + p.path + " has no exported " + strings.TrimPrefix(l.Recv+"."+l.Name, ".")
		}
		return ""
	}
	target := c.pkg(p, path)
	if target == nil {
		return "links to " + path + ", which is not a package"
	}
	if l.Name == "" {
		return ""
	}
	if !target.Parser().LookupSym(l.Recv, l.Name) {
		return "links to nothing: " + path + " has no exported " + strings.TrimPrefix(l.Recv+"."+l.Name, ".")
	}
	return ""
}

// pkg returns the package of the import path, as linked from p, or nil.
func (c *linkChecker) pkg(p *srcPkg, path string) *doc.Package {
	if d, ok := c.local[path]; ok {
		return d
	}
	if d, ok := c.ext[path]; ok {
		return d
	}
	var dir string
	if first, _, _ := strings.Cut(path, "/"); !strings.Contains(first, ".") {
		dir = filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path))
	} else {
		// A dependency: go list finds it in the module cache, offline.
		cmd := exec.Command("go", "list", "-e", "-f", "{{.Dir}}", "--", path)
		cmd.Dir = p.modRoot
		cmd.Env = append(os.Environ(), "GOPROXY=off")
		out, err := cmd.Output()
		if err != nil {
			c.t.Logf("go list %s: %v", path, err)
		}
		dir = strings.TrimSpace(string(out))
	}
	c.ext[path] = readPkg(dir, path)
	return c.ext[path]
}

// readPkg returns the exported API of the package in dir, or nil if there
// is none.
func readPkg(dir, path string) *doc.Package {
	if dir == "" {
		return nil
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.SkipObjectResolution)
	if err != nil || len(pkgs) == 0 {
		return nil
	}
	var files []*ast.File
	want := path[strings.LastIndex(path, "/")+1:]
	for name, pkg := range pkgs {
		if len(pkgs) > 1 && name != want && (name == "main" || name == "documentation") {
			continue
		}
		for _, f := range pkg.Files {
			files = append(files, f)
		}
		break
	}
	d, err := doc.NewFromFiles(fset, files, path)
	if err != nil {
		return nil
	}
	return d
}

// walkDocLinks calls f for each doc link of d.
func walkDocLinks(d *comment.Doc, f func(*comment.DocLink)) {
	var text func([]comment.Text)
	text = func(ts []comment.Text) {
		for _, t := range ts {
			switch t := t.(type) {
			case *comment.DocLink:
				f(t)
			case *comment.Link:
				text(t.Text)
			}
		}
	}
	var blocks func([]comment.Block)
	blocks = func(bs []comment.Block) {
		for _, b := range bs {
			switch b := b.(type) {
			case *comment.Paragraph:
				text(b.Text)
			case *comment.Heading:
				text(b.Text)
			case *comment.List:
				for _, it := range b.Items {
					blocks(it.Content)
				}
			}
		}
	}
	blocks(d.Content)
}

// where returns the file:line of s in cg, or of cg if s is not found as
// written.
func (c *linkChecker) where(p *srcPkg, cg *ast.CommentGroup, s string) string {
	for _, cm := range cg.List {
		i := strings.Index(cm.Text, s)
		if i < 0 && strings.HasPrefix(s, "[") {
			i = strings.Index(cm.Text, "[*"+s[1:])
		}
		if i < 0 {
			continue
		}
		pos := p.fset.Position(cm.Pos())
		pos.Line += strings.Count(cm.Text[:i], "\n")
		return fmt.Sprintf("%s:%d", filepath.ToSlash(pos.Filename), pos.Line)
	}
	pos := p.fset.Position(cg.Pos())
	return fmt.Sprintf("%s:%d", filepath.ToSlash(pos.Filename), pos.Line)
}

// TestDocNames: the names comments give in prose rather than as links,
// pkg.Name, pkg.Type.Member and Type.Member (flowlogs.ParseFormat,
// "Builder.Load counts it in LoadStats.Unknown"), name what exists: a
// rename leaves them stale as silently as a link. pkg is the package
// itself, a package of the module it imports, or a package of the module
// whose name no other has; Type is a type of the package, exported or not,
// and Member one of its methods or fields, promoted ones included. The
// code blocks of comments are read too. Names of other packages, members
// of a type that embeds one of another package, and the plural of a type
// (flowlogs.Values) are not failures.
func TestDocNames(t *testing.T) {
	c := loadModule(t)
	n := 0
	for _, p := range c.pkgs {
		n += c.checkNames(p)
	}
	t.Logf("%d names in prose checked", n)
	if n < 200 {
		t.Fatalf("only %d names checked: the extraction is broken", n)
	}
	for _, e := range c.errs {
		t.Error(e)
	}
}

var dottedRE = regexp.MustCompile(`(?:^|[^\w./-])([A-Za-z_]\w*)\.([A-Z]\w*)(?:\.([A-Z]\w*))?`)

// checkNames checks the dotted names of p's comments and returns how many
// it checked.
func (c *linkChecker) checkNames(p *srcPkg) int {
	byName := map[string]*srcPkg{p.doc.Name: p}
	for ipath, name := range p.imports {
		d := c.src[ipath]
		if d == nil {
			continue
		}
		if name == "" {
			name = d.doc.Name
		}
		byName[name] = d
	}
	n := 0
	for _, cg := range p.groups {
		var texts []string
		walkPlain(p.doc.Parser().Parse(cg.Text()), true, func(s string) { texts = append(texts, s) })
		for _, text := range texts {
			for _, m := range dottedRE.FindAllStringSubmatch(text, -1) {
				name := m[0][strings.Index(m[0], m[1]):]
				var in *srcPkg
				recv, sym := "", m[2]
				switch {
				case byName[m[1]] != nil:
					in = byName[m[1]]
				case p.types[m[1]] != nil:
					in, recv, sym, m[3] = p, m[1], m[2], ""
				case c.byName(m[1]) != nil:
					in = c.byName(m[1])
				default:
					continue
				}
				if m[3] != "" {
					recv, sym = m[2], m[3]
				}
				n++
				if !in.has(recv, sym) {
					c.errs = append(c.errs, fmt.Sprintf("%s: %s: %s has no %s", c.where(p, cg, name), name, in.path, strings.TrimPrefix(recv+"."+sym, ".")))
				}
			}
		}
	}
	return n
}

// walkPlain calls f for each run of prose of d, its plain and italic text
// (not its doc links or URLs), and for each of its code blocks if code.
func walkPlain(d *comment.Doc, code bool, f func(string)) {
	var text func([]comment.Text)
	text = func(ts []comment.Text) {
		for _, t := range ts {
			switch t := t.(type) {
			case comment.Plain:
				f(string(t))
			case comment.Italic:
				f(string(t))
			case *comment.Link:
				text(t.Text)
			}
		}
	}
	var blocks func([]comment.Block)
	blocks = func(bs []comment.Block) {
		for _, b := range bs {
			switch b := b.(type) {
			case *comment.Paragraph:
				text(b.Text)
			case *comment.Heading:
				text(b.Text)
			case *comment.Code:
				if code {
					f(b.Text)
				}
			case *comment.List:
				for _, it := range b.Items {
					blocks(it.Content)
				}
			}
		}
	}
	blocks(d.Content)
}

// byName returns the package of the module named name, if there is one
// and only one, not a command.
func (c *linkChecker) byName(name string) *srcPkg {
	var found *srcPkg
	for _, d := range c.src {
		if d.doc.Name == name && name != "main" {
			if found != nil {
				return nil
			}
			found = d
		}
	}
	return found
}

// typeMembers are the methods and fields of a type of the package, and
// the types it embeds.
type typeMembers struct {
	members map[string]bool
	embeds  []string // "" for a type of another package
}

// localTypes returns the members of the types declared in files, exported
// or not.
func localTypes(files []*ast.File) map[string]*typeMembers {
	types := map[string]*typeMembers{}
	get := func(name string) *typeMembers {
		if types[name] == nil {
			types[name] = &typeMembers{members: map[string]bool{}}
		}
		return types[name]
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if decl.Recv == nil || len(decl.Recv.List) != 1 {
					continue
				}
				recv := decl.Recv.List[0].Type
				if star, ok := recv.(*ast.StarExpr); ok {
					recv = star.X
				}
				switch r := recv.(type) {
				case *ast.IndexExpr:
					recv = r.X
				case *ast.IndexListExpr:
					recv = r.X
				}
				if id, ok := recv.(*ast.Ident); ok {
					get(id.Name).members[decl.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, spec := range decl.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					t := get(ts.Name.Name)
					var fields *ast.FieldList
					switch typ := ts.Type.(type) {
					case *ast.StructType:
						fields = typ.Fields
					case *ast.InterfaceType:
						fields = typ.Methods
					case *ast.Ident: // type T U has U's fields; T = U its methods too
						t.embeds = append(t.embeds, typ.Name)
					case *ast.SelectorExpr, *ast.IndexExpr, *ast.IndexListExpr:
						t.embeds = append(t.embeds, "") // unknown
					}
					if fields == nil {
						continue
					}
					for _, field := range fields.List {
						for _, name := range field.Names {
							t.members[name.Name] = true
						}
						if len(field.Names) > 0 {
							continue
						}
						e := field.Type
						if star, ok := e.(*ast.StarExpr); ok {
							e = star.X
						}
						switch e := e.(type) {
						case *ast.Ident:
							t.members[e.Name] = true
							t.embeds = append(t.embeds, e.Name)
						case *ast.SelectorExpr:
							t.members[e.Sel.Name] = true
							t.embeds = append(t.embeds, "")
						default:
							t.embeds = append(t.embeds, "")
						}
					}
				}
			}
		}
	}
	return types
}

// has reports whether p declares recv.sym, a method or field of its type
// recv (promoted ones included), or sym if recv is "". A plural counts
// ("the batch as flowlogs.Values"); a type that embeds one of another
// package may have any member.
func (p *srcPkg) has(recv, sym string) bool {
	if recv == "" {
		one, _ := strings.CutSuffix(sym, "s")
		return p.doc.Parser().LookupSym("", sym) || p.types[sym] != nil || p.types[one] != nil
	}
	return p.hasMember(recv, sym, 0)
}

func (p *srcPkg) hasMember(typ, sym string, depth int) bool {
	t := p.types[typ]
	if t == nil {
		return true // not a type of p (type T int): not ours to say
	}
	if t.members[sym] {
		return true
	}
	for _, e := range t.embeds {
		if e == "" || depth < 10 && p.hasMember(e, sym, depth+1) {
			return true
		}
	}
	return false
}

package ecsnet

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// compileOnly are the Examples that are meant to be compiled, not run.
var compileOnly = map[string]bool{
	"eni/history: ExampleWatcher_Run": true, // runs until interrupted
}

// TestExamplesRun: an Example without an output comment is only compiled
// by go test, never run, and a comment line directly above "// Output:"
// hides it (four Examples' outputs went unchecked so). Every Example here
// must run, but those listed in compileOnly.
func TestExamplesRun(t *testing.T) {
	byDir := map[string][]string{}
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, "_test.go") {
			byDir[filepath.Dir(p)] = append(byDir[filepath.Dir(p)], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for dir, names := range byDir {
		fset := token.NewFileSet()
		files := make([]*ast.File, 0, len(names))
		for _, name := range names {
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		for _, ex := range doc.Examples(files...) {
			n++
			key := filepath.ToSlash(dir) + ": Example" + ex.Name
			if ex.Output == "" && !ex.EmptyOutput && !compileOnly[key] {
				t.Errorf("%s has no output comment go test can see: it is compiled, never run", key)
			}
		}
	}
	if n == 0 {
		t.Fatal("no Examples found")
	}
}

package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/errname"
)

// Source is a set of flow-log objects: local files, a directory tree, an S3
// bucket. Implementations in this module: [Files], [Dir] and
// s3source.Bucket. [Map], [Each] and [Records] call Open from up to
// WithConcurrency goroutines at once: it must be safe for concurrent use.
type Source interface {
	// List returns the objects to read, already pruned, in the order
	// their records are delivered by [Records] and results by [Map]:
	// ascending name for trees and buckets.
	List(ctx context.Context) ([]Object, error)
	// Open returns the bytes of an object returned by List: flow-log
	// text, gzip-compressed or not, or Parquet. The caller closes it.
	Open(ctx context.Context, o Object) (io.ReadCloser, error)
}

// Object is one flow-log file of a Source.
type Object struct {
	// Name identifies the object in errors and results: the file path
	// or the S3 key.
	Name string
	// Size is the object's size in bytes, -1 when unknown.
	Size int64
	// Key holds what the name says (account, region, time, format); it
	// is the zero Key when the name is not a delivery name.
	Key Key
	// ETag is the S3 listing's entity tag, quotes and all ("" for local
	// files): objects of one ETag and size hold the same bytes, which
	// tells a copy under another key.
	ETag string
}

// IsParquet reports whether the object is a Parquet file, by its name.
func (o Object) IsParquet() bool {
	return o.Key.Parquet || strings.HasSuffix(o.Name, ".parquet")
}

// String describes an object for logs: its name and size.
func (o Object) String() string {
	if o.Size < 0 {
		return o.Name
	}
	return fmt.Sprintf("%s (%d bytes)", o.Name, o.Size)
}

// ObjectError is the failure to list, open or read one object. Errors
// returned by this package's readers wrap it, so errors.As finds which
// object failed; a *flowlogs.ParseError inside tells the line and field.
type ObjectError struct {
	Name string // the object's Name
	Err  error
}

func (e *ObjectError) Error() string {
	// The parser's errors (made with WithSource) and s3source's already
	// name the object; say it once.
	msg := e.Err.Error()
	if errname.Names(msg, e.Name) {
		return msg
	}
	return e.Name + ": " + msg
}

func (e *ObjectError) Unwrap() error { return e.Err }

// Listed is a Source whose listing is already made: List returns Objects,
// and Open opens each through Source, as Source would read it. Objects are
// Source's own (from its List, perhaps narrowed, or from an error of it,
// such as s3source's ArchivedError.Readable); Listed does not check them.
type Listed struct {
	Source  Source
	Objects []Object
}

// List returns l.Objects.
func (l Listed) List(context.Context) ([]Object, error) { return l.Objects, nil }

// Open opens o through l.Source.
func (l Listed) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	return l.Source.Open(ctx, o)
}

// Files is a Source over local files, read in the order given, without
// pruning. Files whose names follow the delivery layout carry their Key.
type Files []string

// List returns the files in the order given. A missing file is an error,
// and so is a file named twice (by one path, or by two that clean to
// one): its records would be counted twice.
func (fl Files) List(ctx context.Context) ([]Object, error) {
	objs := make([]Object, 0, len(fl))
	given := make(map[string]string, len(fl))
	for _, p := range fl {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = filepath.Clean(p)
		}
		if first, twice := given[abs]; twice {
			return nil, &ObjectError{Name: p, Err: fmt.Errorf("given twice (first as %s): its records would be counted twice", first)}
		}
		given[abs] = p
		st, err := os.Stat(p)
		if err != nil {
			return nil, &ObjectError{Name: p, Err: err}
		}
		if !st.Mode().IsRegular() {
			return nil, &ObjectError{Name: p, Err: errors.New("not a regular file")}
		}
		k, _ := ParseKey(filepath.ToSlash(p))
		objs = append(objs, Object{Name: p, Size: st.Size(), Key: k})
	}
	return objs, nil
}

// Open opens the file.
func (fl Files) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	return os.Open(o.Name)
}

// Dir is a Source over a directory tree laid out like flow-log delivery to
// S3 (a local copy made with aws s3 sync, for example; see [Key]), or any
// folder of delivered files. Directories and files are pruned by Prune
// while walking, so a narrow window over years of logs reads only a few
// folders.
type Dir struct {
	// Root is the directory to walk.
	Root string
	// Prune selects by account, region and time.
	Prune Prune
	// Match selects files by their slash-separated path relative to
	// Root. When nil, files with flow-log delivery names are selected
	// (ParseKey succeeds) and other files, such as manifests, are ignored.
	// Hidden files and directories below Root are left out either way.
	Match func(rel string) bool
}

// hidden reports whether a file or directory name is hidden: it starts
// with a dot (.git, a sync tool's temporary folder or file). Flow-log
// delivery never names a folder or file so.
func hidden(name string) bool { return strings.HasPrefix(name, ".") }

// List walks the tree and returns the selected files, named by their
// path (Root joined with the relative path), in ascending order of
// relative path — the order of an S3 listing of the same keys. Hidden
// files and directories below Root (a name starting with ".": a .git, a
// sync tool's temporary folder or file) are neither walked nor selected,
// whatever Match says; Root itself may be one.
func (d *Dir) List(ctx context.Context) ([]Object, error) {
	given := filepath.Clean(d.Root)
	root := given
	// WalkDir does not follow a symbolic link at the root; a link to a
	// tree (a mounted bucket copy) is common, so resolve it. Objects are
	// still named under Root, as the user gave it.
	if st, err := os.Lstat(root); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if r, err := filepath.EvalSymlinks(root); err == nil {
			root = r
		}
	}
	named := func(path string) string {
		if root == given {
			return path
		}
		if rel, err := filepath.Rel(root, path); err == nil {
			return filepath.Join(given, rel)
		}
		return path
	}
	var objs []Object
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if path != root && e != nil && hidden(e.Name()) {
			// Not walked, and not read: also a hidden folder that
			// cannot be read is no error.
			if e.IsDir() && err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if err != nil {
			return &ObjectError{Name: named(path), Err: err}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return &ObjectError{Name: named(path), Err: err}
		}
		name := filepath.Join(given, rel) // path, under Root as given
		rel = filepath.ToSlash(rel)
		// Judge the whole path, so a Root inside the layout (…/AWSLogs/
		// <account>/vpcflowlogs/<region>) still prunes by date.
		full := filepath.ToSlash(path)
		if e.IsDir() {
			if rel != "." && !d.Prune.KeepDir(full) {
				return filepath.SkipDir
			}
			return nil
		}
		// A link to a file is the file (a tree assembled from links);
		// anything else that is not a regular file is no object.
		stat := e.Info
		if e.Type()&fs.ModeSymlink != 0 {
			stat = func() (fs.FileInfo, error) { return os.Stat(path) }
		} else if !e.Type().IsRegular() {
			return nil
		}
		k, kerr := ParseKey(full)
		if d.Match != nil && !d.Match(rel) || d.Match == nil && kerr != nil {
			return nil
		}
		if !d.Prune.Keep(k) {
			return nil
		}
		info, err := stat()
		if err != nil {
			return &ObjectError{Name: name, Err: err}
		}
		if !info.Mode().IsRegular() {
			return nil // a link to a directory or a device
		}
		objs = append(objs, Object{Name: name, Size: info.Size(), Key: k})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// WalkDir visits entries in lexical order per directory, which is not
	// the order of whole keys ("a/b" < "a.b" but "a-" < "a/"); sort by the
	// relative key so the order matches S3's.
	sort.Slice(objs, func(i, j int) bool {
		return filepath.ToSlash(objs[i].Name) < filepath.ToSlash(objs[j].Name)
	})
	return objs, nil
}

// Open opens the file.
func (d *Dir) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	return os.Open(o.Name)
}

package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/flowlogs/attribution"
	"github.com/ecsnet/ecsnet/flowlogs/source"
)

// reached is a file or object an input argument reached: named, or
// found under a directory or prefix named.
type reached struct {
	arg  string      // the argument as given
	name string      // the file's path, or s3://bucket/key
	info os.FileInfo // nil for an S3 object
	// An S3 object's size and ETag, as listed: objects of one ETag and
	// size hold the same bytes.
	size int64
	etag string
	// gathers are the objects whose records a local Parquet file holds
	// (gatheredInputs): -export's flowlogs.parquet.
	gathers []attribution.Input
	// input is the input name of a file or object that is not a
	// delivery's (inputName), set by sameInputs when a file read
	// gathers others' records.
	input string
}

func (r reached) String() string {
	if r.name == r.arg {
		return r.name
	}
	return r.name + " (in " + r.arg + ")"
}

// localFiles lists what each local argument of flagName reaches: the file
// named, or every file under a directory named whose name ends with one
// of suffixes, in path order, walked as source.Dir walks a tree (a root
// that is a symbolic link is followed), leaving out hidden files and
// directories. Each is as os.Stat sees it, the file read also through a
// link. A directory holding none is an error: it reaches nothing.
func localFiles(flagName string, args []string, suffixes ...string) ([]reached, error) {
	var out []reached
	for _, arg := range args {
		fi, err := os.Stat(arg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagName, err)
		}
		if !fi.IsDir() {
			out = append(out, reached{arg: arg, name: arg, info: fi})
			continue
		}
		objs, err := (&source.Dir{Root: arg, Match: func(rel string) bool {
			for _, part := range strings.Split(rel, "/") {
				if strings.HasPrefix(part, ".") {
					return false
				}
			}
			return slices.ContainsFunc(suffixes, func(s string) bool { return strings.HasSuffix(rel, s) })
		}}).List(context.Background())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagName, err)
		}
		if len(objs) == 0 {
			return nil, fmt.Errorf("%s: no %s files in directory %s", flagName, orList(suffixes), arg)
		}
		for _, o := range objs {
			info, err := os.Stat(o.Name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", flagName, err)
			}
			out = append(out, reached{arg: arg, name: o.Name, info: info})
		}
	}
	return out, nil
}

// names are the files' or objects' names.
func names(rs []reached) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.name
	}
	return out
}

// orList is "a", "a or b", "a, b or c".
func orList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// checkOnce returns an error naming both spellings of the first file or
// object reached twice. Whatever it holds would be counted twice, a
// mistake (a directory and a file in it, overlapping prefixes, a list
// pasted twice) that a total cannot show; quietly reading it once would
// hide the mistake in the arguments instead. A file is compared as the
// file it is (os.SameFile), so a link or another spelling of its path is
// caught too; an S3 object by bucket and key.
//
// A copy is another file, and only its records make it a mistake: two
// files of one format's header alone, or two empty ones, are alike and
// count nothing. So copies are returned, not refused: copyOf maps the
// index of each file or object with the bytes of an earlier one to that
// one's, for the caller to refuse once it has read what the copy holds.
// Local files are compared by their bytes; S3 objects by ETag and size
// (a copy under another prefix), and a local file with an object by its
// MD5, which is the ETag of an object not uploaded in parts (a local copy
// of a prefix given with the prefix). Only the files and objects for
// which counted says true (all when it is nil) are compared for copies:
// copies of what merges harmlessly need no reading.
func checkOnce(flagName string, rs []reached, counted func(reached) bool) (copyOf map[int]int, err error) {
	// Only files of one size can be the same or alike: grouping by size
	// keeps a delivery tree of many files from costing a comparison per
	// pair.
	bySize := map[int64][]int{}
	objects := map[string]int{}
	for i, r := range rs {
		if r.info == nil {
			if j, ok := objects[r.name]; ok {
				return nil, twice(flagName, "the same object", rs[j], r)
			}
			objects[r.name] = i
			continue
		}
		for _, j := range bySize[r.info.Size()] {
			if os.SameFile(rs[j].info, r.info) {
				return nil, twice(flagName, "the same file", rs[j], r)
			}
		}
		bySize[r.info.Size()] = append(bySize[r.info.Size()], i)
	}
	// Of files of one size, only those of one beginning are compared
	// whole: files not alike differ there, so each file is read once
	// more up to headBytes, and a copy whole.
	type key struct {
		size int64
		head string
	}
	markCopy := func(i, j int) { copyOf = addCopy(copyOf, i, j) }
	compared := func(i int) bool { return counted == nil || counted(rs[i]) }
	alike := map[key][]int{}
	for size, idx := range bySize {
		idx = slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return !compared(i) })
		if len(idx) < 2 || size == 0 {
			continue
		}
		for _, i := range idx {
			h, ok := hashFile(rs[i].name, fnv.New64a(), headBytes)
			if !ok {
				continue
			}
			k := key{size, string(h)}
			for _, j := range alike[k] {
				if sameBytes(rs[j].name, rs[i].name) {
					markCopy(i, j)
					break
				}
			}
			alike[k] = append(alike[k], i)
		}
	}
	type tag struct {
		size int64
		etag string
	}
	tagged := map[tag]int{}
	plain := map[int64][]int{} // objects whose ETag is an MD5, by size
	for i, r := range rs {
		if r.info != nil || r.etag == "" || r.size <= 0 || !compared(i) {
			continue
		}
		t := tag{r.size, r.etag}
		if j, ok := tagged[t]; ok {
			markCopy(i, j)
			continue
		}
		tagged[t] = i
		if isMD5(r.etag) {
			plain[r.size] = append(plain[r.size], i)
		}
	}
	for i, r := range rs {
		if r.info == nil || len(plain[r.info.Size()]) == 0 || !compared(i) {
			continue
		}
		sum, ok := hashFile(r.name, md5.New(), -1)
		if !ok {
			continue
		}
		for _, j := range plain[r.info.Size()] {
			if strings.Trim(rs[j].etag, `"`) == hex.EncodeToString(sum) {
				markCopy(i, j)
				break
			}
		}
	}
	return copyOf, nil
}

// addCopy notes in copyOf that of files i and j, one holds the other's
// bytes or records: the later one is the copy, of the first found.
func addCopy(copyOf map[int]int, i, j int) map[int]int {
	i, j = max(i, j), min(i, j)
	if _, ok := copyOf[i]; ok {
		return copyOf
	}
	if copyOf == nil {
		copyOf = map[int]int{}
	}
	copyOf[i] = j
	return copyOf
}

// isMD5 reports whether ETag e is an object's MD5: 32 hexadecimal digits,
// not the "<digest>-<parts>" of a multipart upload.
func isMD5(e string) bool {
	e = strings.Trim(e, `"`)
	if len(e) != 32 {
		return false
	}
	_, err := hex.DecodeString(e)
	return err == nil
}

// headBytes is how much of a file is hashed to tell files that differ
// before comparing the rest.
const headBytes = 16 << 10

// hashFile hashes the first limit bytes of file name with h (all of it
// when limit is negative) and returns the sum; false when it cannot be
// read (reading it for the run says why).
func hashFile(name string, h hash.Hash, limit int64) ([]byte, bool) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var r io.Reader = f
	if limit >= 0 {
		r = io.LimitReader(f, limit)
	}
	if _, err := io.Copy(h, r); err != nil {
		return nil, false
	}
	return h.Sum(nil), true
}

func twice(flagName, what string, a, b reached) error {
	return fmt.Errorf("%s: %s and %s are %s, given twice: give it once", flagName, a, b, what)
}

// copyError is the error for a file with the bytes of another, or of
// the same delivery, holding records: a copy that would count them twice.
func copyError(flagName string, a, b reached, records int64) error {
	if in, ok := sharedInput(a, b); ok {
		return fmt.Errorf("%s: %s and %s both hold records of %s (an -export's flowlogs.parquet gathers the records of what it was made of): %d records would be counted twice; give one", flagName, a, b, in, records)
	}
	if dn := deliveryOf(a.name); dn != "" && dn == deliveryOf(b.name) {
		return fmt.Errorf("%s: %s and %s are copies of one flow-log delivery, %s: its %d records would be counted twice; give it once", flagName, a, b, dn, records)
	}
	return fmt.Errorf("%s: %s and %s hold the same bytes, a copy: its %d records would be counted twice; give it once", flagName, a, b, records)
}

// deliveryOf is the delivery a file or object name names
// (source.Key.DeliveryName), "" for another name. A local path is read
// with slashes, as source.Files and source.Dir read it: ParseKey takes
// the file name after the last slash, and on Windows a path's separator
// is a backslash.
func deliveryOf(name string) string {
	if !strings.HasPrefix(name, "s3://") {
		name = filepath.ToSlash(name)
	}
	k, err := source.ParseKey(name)
	if err != nil {
		return ""
	}
	return k.DeliveryName()
}

// sameBytes reports whether files a and b hold the same bytes; one it
// cannot read is not alike (reading it for the run says why).
func sameBytes(a, b string) bool {
	fa, err := os.Open(a)
	if err != nil {
		return false
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false
	}
	defer fb.Close()
	ba, bb := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, ea := io.ReadFull(fa, ba)
		nb, eb := io.ReadFull(fb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false
		}
		if ea == io.EOF || ea == io.ErrUnexpectedEOF {
			return eb == ea
		}
		if ea != nil || eb != nil {
			return false
		}
	}
}

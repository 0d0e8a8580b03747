// Package tmpfile creates the temporary files that writers rename into
// place once whole.
package tmpfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Create makes a new file in dir named prefix, a random number and
// suffix, open for reading and writing, with the permissions os.Create
// gives (0666 less the process's umask). os.CreateTemp makes its files
// 0600: renamed into place, such a file is readable by its owner alone,
// where the same file written directly would follow the umask, readable
// by the engines and sync jobs that run as other users.
func Create(dir, prefix, suffix string) (*os.File, error) {
	return create(dir, prefix, suffix, 0o666)
}

// Replacing is Create for a file to be renamed over path: when path is
// a regular file, the new file has its permissions instead (a file the
// user made private stays so when a run rewrites it). It is created with
// them, never wider, so that no other user can open it, in the moment
// before a chmod, and read what is written to it after. Restoring the
// bits the umask took is best effort: a file system without permissions
// (some network and FUSE mounts) refuses the chmod, and the file is
// written all the same.
func Replacing(dir, prefix, suffix, path string) (*os.File, error) {
	old, err := os.Stat(path)
	if err != nil || !old.Mode().IsRegular() {
		return Create(dir, prefix, suffix)
	}
	perm := old.Mode().Perm()
	f, err := create(dir, prefix, suffix, perm)
	if err == nil {
		_ = f.Chmod(perm)
	}
	return f, err
}

func create(dir, prefix, suffix string, perm fs.FileMode) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return f, err
	}
}

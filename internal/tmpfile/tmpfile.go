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
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		return f, err
	}
}

//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package history

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on the history file for as
// long as it is open, so that a second Watcher (a recorder restarted
// while the old one still runs) is refused instead of writing over the
// first one's lines. The lock goes with the file's close, and with the
// process. Any other failure (some NFS, FUSE and CIFS mounts answer
// ENOLCK or EOPNOTSUPP) leaves the file unlocked, as where there is no
// flock: write's size check still stops a Watcher whose file another
// wrote.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrInUse
	}
	return nil
}

//go:build windows

package history

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockOffset is where the lock lies: one byte far past any history file's
// end. Windows' locks are mandatory: one over the lines would fail every
// read of them by another handle (attribute -tasks reading the file while
// record writes it), where flock's are advisory.
const lockOffset = 1 << 62

// lockFile takes an exclusive lock on the history file for as long as it
// is open (LockFileEx; released with the handle, and with the process), so
// that a second Watcher is refused instead of writing over the first
// one's lines. Any other failure (a network share that takes no locks)
// leaves the file unlocked, and write's size check still stops a Watcher
// whose file another wrote.
func lockFile(f *os.File) error {
	ol := &windows.Overlapped{Offset: uint32(lockOffset & 0xffffffff), OffsetHigh: uint32(lockOffset >> 32)}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return ErrInUse
	}
	return nil
}

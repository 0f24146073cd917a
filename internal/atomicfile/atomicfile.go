// Package atomicfile writes files so that a reader never sees a half-written
// one and an interrupted writer leaves the previous file intact
// (ARCHITECTURE.md rule 7: outputs are written atomically).
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write creates or replaces path with what write produces: it
// writes a temporary file in path's directory, syncs it, sets mode 0644 and
// renames it to path, then syncs the directory (where the system allows).
// On any error the temporary file is removed and path is left as it was.
func Write(path string, write func(io.Writer) error) error {
	return writeFile(path, write, true)
}

// WriteUnsynced is Write without the syncs to disk: as atomic for a reader
// and against a killed writer (the rename is), but after a power loss the
// file may be empty or short. For files that are cheap to recompute and
// checked when read back (a sweep's run files: a run whose file does not
// decode is run again); the syncs would serialize parallel writers.
func WriteUnsynced(path string, write func(io.Writer) error) error {
	return writeFile(path, write, false)
}

func writeFile(path string, write func(io.Writer) error, sync bool) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if sync {
		if err = f.Sync(); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if !sync {
		return nil
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable; best effort
		d.Sync()
		d.Close()
	}
	return nil
}

package reports

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ecssim/ecssim/internal/atomicfile"
	"github.com/ecssim/ecssim/sim"
)

// The files WriteDir writes, by name.
const (
	ResultsFile    = "results.json"
	TimeseriesFile = "timeseries.csv"
)

// WriteDir writes the report folder of a run: dir/results.json (WriteJSON),
// dir/timeseries.csv (WriteTimeseriesCSV of res.Series), dir/report.html
// (WriteHTML) and every figure as dir/figures/NAME.svg and NAME.png,
// creating dir and its parents as needed. Each file is written atomically: to a temporary
// file in dir, flushed to disk, then renamed over the final name, so a
// reader never sees a half-written file and an interrupted run leaves the
// previous file intact. The caller makes sure these names are not its
// inputs (WriteDir cannot know them).
func WriteDir(dir string, res *sim.Result) error { return WriteDirWith(dir, res) }

// WriteDirWith is WriteDir with extra sections in report.html.
func WriteDirWith(dir string, res *sim.Result, extra ...Section) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("reports: creating %s: %w", dir, err)
	}
	if err := WriteFileAtomic(filepath.Join(dir, ResultsFile), func(w io.Writer) error {
		return WriteJSON(w, res)
	}); err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, TimeseriesFile), func(w io.Writer) error {
		return WriteTimeseriesCSV(w, res.Series)
	}); err != nil {
		return err
	}
	figs, err := Figures(res)
	if err != nil {
		return err
	}
	if len(figs) > 0 {
		fdir := filepath.Join(dir, FiguresDir)
		if err := os.MkdirAll(fdir, 0o755); err != nil {
			return fmt.Errorf("reports: creating %s: %w", fdir, err)
		}
		for _, f := range figs {
			for _, out := range []struct {
				ext string
				b   []byte
			}{{".svg", f.SVG}, {".png", f.PNG}} {
				if err := WriteFileAtomic(filepath.Join(fdir, f.Name+out.ext), func(w io.Writer) error {
					_, err := w.Write(out.b)
					return err
				}); err != nil {
					return err
				}
			}
		}
	}
	return WriteFileAtomic(filepath.Join(dir, ReportFile), func(w io.Writer) error {
		return WriteHTML(w, res, figs, extra...)
	})
}

// FiguresDir is the folder of a report folder that holds the figures.
const FiguresDir = "figures"

// WriteFileAtomic creates or replaces path with what write produces,
// atomically: see atomicfile.Write.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, write)
}

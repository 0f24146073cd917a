package workloads

import (
	"errors"
	"fmt"
)

// LineError is a user error at a position in an input file read by one of
// the readers. Line is 1-based; Column is 1-based or 0 when unknown. The
// caller adds the file name: fmt.Sprintf("%s:%d:%d: %v", file, e.Line, e.Column, e.Err).
type LineError struct {
	Line   int
	Column int
	Err    error
}

// Error formats the position and the cause, e.g. "line 12, column 3: bad value".
func (e *LineError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

func lineErrorf(line, col int, format string, args ...any) error {
	return &LineError{Line: line, Column: col, Err: fmt.Errorf(format, args...)}
}

// errNoData is returned (wrapped) by readers that found no data rows.
var errNoData = errors.New("no data rows")

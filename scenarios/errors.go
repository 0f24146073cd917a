package scenarios

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a scenario file, positioned at the key (or table
// header) it concerns. Line and Col are 1-based; Col counts bytes.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

// Error formats e as "FILE:LINE:COL: msg".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrorList is every problem found in one scenario, sorted by line, then
// column, then message. Parse and Load return it (as error) when it is not
// empty.
type ErrorList []*Error

// Error joins the errors' lines with "\n".
func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
}

// problems collects errors keyed by scenario path (see positions.go) and
// positions them with the index when they are turned into an ErrorList.
type problems struct {
	file string
	idx  *posIndex
	list ErrorList
	seen map[string]bool
	bad  map[string]bool // paths whose value could not be decoded
}

func newProblems(file string, idx *posIndex) *problems {
	return &problems{file: file, idx: idx, seen: map[string]bool{}, bad: map[string]bool{}}
}

// at records a problem at the key path (falling back to its closest
// present ancestor). Identical problems at the same path are kept once.
func (p *problems) at(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if k := path + "\x00" + msg; !p.seen[k] {
		p.seen[k] = true
		ps := p.idx.lookup(path)
		p.list = append(p.list, &Error{File: p.file, Line: ps.line, Col: ps.col, Msg: msg})
	}
}

// errs returns the sorted list, or nil when there is no problem.
func (p *problems) errs() error {
	if len(p.list) == 0 {
		return nil
	}
	p.list.sort()
	return p.list
}

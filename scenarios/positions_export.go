package scenarios

import "fmt"

// Positions locates key paths in a TOML document other than a scenario
// (a sweep's study file, say), with the scenario's path syntax: keys
// joined by ".", an array element as "[i]", e.g. "vary[1].values[2]".
type Positions struct {
	file string
	ix   *posIndex
}

// NewPositions indexes src, the text of file (which should parse as TOML;
// on text it does not understand, lookups fall back to line 1).
func NewPositions(file string, src []byte) *Positions {
	return &Positions{file: file, ix: buildIndex(src)}
}

// Errorf returns an error positioned at path, or at its closest ancestor
// written in the file, or at 1:1.
func (p *Positions) Errorf(path, format string, a ...any) *Error {
	ps := p.ix.lookup(path)
	return &Error{File: p.file, Line: ps.line, Col: ps.col, Msg: fmt.Sprintf(format, a...)}
}

// Has reports whether path is written in the file.
func (p *Positions) Has(path string) bool { return p.ix.has(path) }

// Sorted returns l sorted by line, then column, then message, as Parse
// returns its errors.
func (l ErrorList) Sorted() ErrorList {
	out := append(ErrorList(nil), l...)
	out.sort()
	return out
}

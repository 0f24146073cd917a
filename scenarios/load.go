package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// Load reads the scenario file at path, decodes it, applies the defaults
// and validates it. On success s.File is path. A scenario with problems
// gives an ErrorList (as error) naming every one of them; a file that
// cannot be read gives that I/O error.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse is Load on bytes: filename is used in messages and its directory
// resolves the relative paths inside the scenario.
func Parse(filename string, data []byte) (*Scenario, error) {
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			// The position is recomputed from the byte offset: the
			// library's column is off by one at the start of a line.
			ps := pos{max(pe.Position.Line, 1), max(pe.Position.Col, 1)}
			if start := pe.Position.Start; start > 0 && start <= len(data) {
				// For an unclosed "[[name]" the library's offset is the
				// first ']' (read without a new position), one before
				// the character its message names.
				if strings.Contains(pe.Message, "table array name delimiter") && start < len(data) && data[start] == ']' {
					start++
				}
				ps = buildLines(data).at(start)
			}
			return nil, ErrorList{{File: filename, Line: ps.line, Col: ps.col, Msg: "malformed TOML: " + pe.Message}}
		}
		return nil, ErrorList{{File: filename, Line: 1, Col: 1, Msg: "malformed TOML: " + err.Error()}}
	}
	idx := buildIndex(data)
	p := newProblems(filename, idx)
	d := &decoder{p: p, present: map[string]bool{}}
	s := &Scenario{File: filename}
	d.decodeValue("", topLevel, raw, reflectValueOf(s))
	delete(d.present, "")
	applyDefaults(s, d.present)
	v := &validator{s: s, p: p, has: d.present, dir: filepath.Dir(filename)}
	v.validate()
	if err := p.errs(); err != nil {
		return nil, err
	}
	resolve(s)
	return s, nil
}

// ResolvePath returns p relative to the scenario file's directory (p
// unchanged when absolute or "builtin").
func (s *Scenario) ResolvePath(p string) string {
	if p == "" || p == "builtin" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(s.File), p)
}

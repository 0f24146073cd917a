package scenarios

import (
	"sort"
	"strconv"
	"strings"
)

// A key path names a value in a scenario: keys joined by ".", an element of
// an array (of tables or of values) as "[i]" after its key, e.g.
// "services[1].load.cpu_per_request" or
// "cluster.default_capacity_provider_strategy[0].weight". The root is "".
//
// BurntSushi/toml does not expose key positions, so posIndex scans the
// TOML text once more (after it parsed successfully) and records where each
// path first appears: table headers, [[array]] headers with per-parent
// element counters, dotted keys, keys inside inline tables, and elements of
// arrays. It never fails: on text it does not understand it stops early and
// lookups fall back to line 1.

type pos struct{ line, col int }

type posIndex struct {
	src        []byte
	lineStarts lines
	m          map[string]pos
	arrCount   map[string]int // concrete path of an array of tables -> elements seen
}

// buildIndex scans src. It must not panic on any input.
func buildIndex(src []byte) *posIndex {
	ix := &posIndex{src: src, lineStarts: buildLines(src), m: map[string]pos{}, arrCount: map[string]int{}}
	s := &scanner{ix: ix, src: src}
	s.document()
	return ix
}

// lookup returns the position of path, or of its closest recorded
// ancestor, or 1:1.
func (ix *posIndex) lookup(path string) pos {
	for {
		if p, ok := ix.m[path]; ok {
			return p
		}
		if path == "" {
			return pos{1, 1}
		}
		path = parentPath(path)
	}
}

// has reports whether path was written in the file.
func (ix *posIndex) has(path string) bool { _, ok := ix.m[path]; return ok }

func parentPath(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

func indexPath(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }

func (ix *posIndex) set(path string, off int) {
	if _, ok := ix.m[path]; ok {
		return
	}
	ix.m[path] = ix.lineStarts.at(off)
}

// lines holds the byte offset at which each line starts.
type lines []int

func buildLines(src []byte) lines {
	ls := lines{0}
	for i, c := range src {
		if c == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

// at returns the 1-based line and byte column of offset off.
func (ls lines) at(off int) pos {
	line := sort.Search(len(ls), func(i int) bool { return ls[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	return pos{line + 1, off - ls[line] + 1}
}

type scanner struct {
	ix  *posIndex
	src []byte
	i   int
}

func (s *scanner) eof() bool { return s.i >= len(s.src) }

func (s *scanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

// skipSpace skips blanks, and with nl also newlines and comments.
func (s *scanner) skipSpace(nl bool) {
	for !s.eof() {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			s.i++
		case nl && c == '\n':
			s.i++
		case nl && c == '#':
			s.skipLine()
		default:
			return
		}
	}
}

func (s *scanner) skipLine() {
	for !s.eof() && s.src[s.i] != '\n' {
		s.i++
	}
}

func (s *scanner) document() {
	cur := ""
	for {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.src[s.i] == '[' {
			cur = s.header()
		} else if !s.keyValue(cur) {
			return
		}
		if s.i <= start { // no progress: give up rather than loop
			return
		}
		s.skipSpace(false)
		if !s.eof() && s.src[s.i] == '#' {
			s.skipLine()
		}
	}
}

// header reads [a.b] or [[a.b]] and returns the concrete table path.
func (s *scanner) header() string {
	start := s.i
	double := s.peek(1) == '['
	s.i++
	if double {
		s.i++
	}
	keys, _ := s.key()
	path := ""
	for k, seg := range keys {
		p := joinPath(path, seg.name)
		if k == len(keys)-1 && double {
			n := s.ix.arrCount[p]
			s.ix.arrCount[p] = n + 1
			s.ix.set(p, start)
			path = indexPath(p, n)
			s.ix.set(path, start)
			break
		}
		if n := s.ix.arrCount[p]; n > 0 {
			s.ix.set(p, start)
			path = indexPath(p, n-1)
		} else {
			path = p
		}
		s.ix.set(path, start)
	}
	s.skipLine()
	return path
}

type keySeg struct {
	name string
	off  int
}

// key reads a possibly dotted key; ok is false when none is there.
func (s *scanner) key() (segs []keySeg, ok bool) {
	for {
		s.skipSpace(false)
		if s.eof() {
			return segs, len(segs) > 0
		}
		off := s.i
		var name string
		switch c := s.src[s.i]; {
		case c == '"' || c == '\'':
			name = s.quoted()
		case isBare(c):
			for !s.eof() && isBare(s.src[s.i]) {
				s.i++
			}
			name = string(s.src[off:s.i])
		default:
			return segs, len(segs) > 0
		}
		segs = append(segs, keySeg{name, off})
		s.skipSpace(false)
		if s.eof() || s.src[s.i] != '.' {
			return segs, true
		}
		s.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a one-line string key and returns its text (escapes left
// as written, which is enough for the keys of a scenario).
func (s *scanner) quoted() string {
	q := s.src[s.i]
	s.i++
	start := s.i
	for !s.eof() && s.src[s.i] != q && s.src[s.i] != '\n' {
		if q == '"' && s.src[s.i] == '\\' {
			s.i++
		}
		s.i++
	}
	end := min(s.i, len(s.src))
	if !s.eof() && s.src[s.i] == q {
		s.i++
	}
	return string(s.src[start:end])
}

// keyValue reads key = value under table base.
func (s *scanner) keyValue(base string) bool {
	segs, ok := s.key()
	if !ok {
		return false
	}
	path := base
	for _, seg := range segs {
		path = joinPath(path, seg.name)
		s.ix.set(path, seg.off)
	}
	s.skipSpace(false)
	if s.eof() || s.src[s.i] != '=' {
		return false
	}
	s.i++
	s.value(path, 0)
	return true
}

const maxNesting = 64

// value skips one value, recording the keys of inline tables and the
// elements of arrays under path.
func (s *scanner) value(path string, depth int) {
	s.skipSpace(false)
	if s.eof() || depth > maxNesting {
		return
	}
	switch c := s.src[s.i]; c {
	case '{':
		s.i++
		for {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if s.src[s.i] == '}' {
				s.i++
				return
			}
			if s.src[s.i] == ',' {
				s.i++
				continue
			}
			start := s.i
			if !s.keyValue(path) || s.i <= start {
				return
			}
		}
	case '[':
		s.i++
		for n := 0; ; {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			switch s.src[s.i] {
			case ']':
				s.i++
				return
			case ',':
				s.i++
				continue
			}
			start := s.i
			p := indexPath(path, n)
			s.ix.set(p, s.i)
			s.value(p, depth+1)
			n++
			if s.i <= start {
				return
			}
		}
	case '"', '\'':
		if s.peek(1) == c && s.peek(2) == c {
			s.i += 3
			for !s.eof() {
				if s.src[s.i] == '\\' && c == '"' {
					s.i += 2
					continue
				}
				if s.src[s.i] == c && s.peek(1) == c && s.peek(2) == c {
					s.i += 3
					for !s.eof() && s.src[s.i] == c { // up to two quotes may end the content
						s.i++
					}
					return
				}
				s.i++
			}
			return
		}
		s.quoted()
	default:
		for !s.eof() {
			switch s.src[s.i] {
			case ',', ']', '}', '\n', '#':
				return
			}
			s.i++
		}
	}
}

package planner

import (
	"fmt"
	"regexp"
	"strings"
)

// The rewriting of a scenario's TOML text (--apply): find the k-th
// [[NAME]] table of the file for the scenario's k-th entry, replace or add
// one-line keys, drop lines and sub-tables, insert or append lines, and
// keep every other byte of the file, comments included.

// block is one [[NAME]] table of a TOML file: lines [start, end), with the
// line of each key written directly in it (not in a sub-table).
type block struct {
	start, end int
	keys       map[string]int
}

var (
	headerRe    = regexp.MustCompile(`^\s*(\[\[?)\s*([A-Za-z0-9_.\-"]+)\s*\]\]?`)
	keyRe       = regexp.MustCompile(`^\s*([A-Za-z0-9_\-]+)\s*=`)
	keyPrefixRe = regexp.MustCompile(`^\s*[A-Za-z0-9_\-]+\s*=\s*`)
)

// tableBlocks finds the [[name]] tables of lines in order. A table runs to
// the next header that is neither a sub-table of name ([name.x],
// [[name.x]]) nor, of course, inside it; keys are those before its first
// sub-table header.
//
// Model assumption (of the rewriter, not of ECS): no multi-line string
// holds a line that looks like a header.
func tableBlocks(lines []string, name string) []block {
	var out []block
	cur := -1
	direct := false
	for i, l := range lines {
		if m := headerRe.FindStringSubmatch(l); m != nil {
			key := m[2]
			switch {
			case m[1] == "[[" && key == name:
				if cur >= 0 {
					out[cur].end = i
				}
				out = append(out, block{start: i, keys: map[string]int{}})
				cur, direct = len(out)-1, true
			case cur >= 0 && strings.HasPrefix(key, name+"."):
				direct = false
			default:
				if cur >= 0 {
					out[cur].end = i
					cur = -1
				}
			}
			continue
		}
		if cur >= 0 && direct {
			out[cur].addKey(l, i)
		}
	}
	if cur >= 0 {
		out[cur].end = len(lines)
	}
	return out
}

// subTables finds the tables with header exactly [name] or [[name]]
// inside the lines of b, in order, each with the keys written directly in
// it (up to the next header).
func subTables(lines []string, b block, name string) []block {
	var out []block
	cur := -1
	for i := b.start + 1; i < b.end; i++ {
		if m := headerRe.FindStringSubmatch(lines[i]); m != nil {
			if cur >= 0 {
				out[cur].end = i
				cur = -1
			}
			if m[2] == name {
				out = append(out, block{start: i, keys: map[string]int{}})
				cur = len(out) - 1
			}
			continue
		}
		if cur >= 0 {
			out[cur].addKey(lines[i], i)
		}
	}
	if cur >= 0 {
		out[cur].end = b.end
	}
	return out
}

// addKey records line i's key in b when the line is a "key = ..." line
// and the key is not recorded yet.
func (b *block) addKey(line string, i int) {
	if m := keyRe.FindStringSubmatch(line); m != nil {
		if _, dup := b.keys[m[1]]; !dup {
			b.keys[m[1]] = i
		}
	}
}

// valueSpan returns where the value of a "key = value  # comment" line
// starts and ends; ok is false when the line is no such line or the value
// goes on past it (a multi-line array, table or string). A value is a
// quoted string, an array or inline table (brackets and braces balanced,
// strings aside), or a bare token up to white space or '#'.
func valueSpan(line string) (start, end int, ok bool) {
	p := keyPrefixRe.FindStringIndex(line)
	if p == nil || p[1] >= len(line) {
		return 0, 0, false
	}
	start = p[1]
	switch c := line[start]; c {
	case '"', '\'':
		if j := strings.IndexByte(line[start+1:], c); j >= 0 {
			return start, start + j + 2, true
		}
		return 0, 0, false
	case '[', '{':
		depth, inStr := 0, byte(0)
		for i := start; i < len(line); i++ {
			switch c := line[i]; {
			case inStr != 0:
				if c == inStr {
					inStr = 0
				}
			case c == '"' || c == '\'':
				inStr = c
			case c == '[' || c == '{':
				depth++
			case c == ']' || c == '}':
				if depth--; depth == 0 {
					return start, i + 1, true
				}
			}
		}
		return 0, 0, false
	}
	end = start
	for end < len(line) && !strings.ContainsRune(" \t\r\n#", rune(line[end])) {
		end++
	}
	return start, end, true
}

// replaceValue replaces the value of a one-line "key = value" (a scalar,
// or an array or inline table on that line) keeping the indentation and
// any trailing comment and newline; another line comes back unchanged.
func replaceValue(line, value string) string {
	s, e, ok := valueSpan(line)
	if !ok {
		return line
	}
	return line[:s] + value + line[e:]
}

// oneLine reports whether a "key = value" line holds its whole value.
func oneLine(l string) bool {
	_, _, ok := valueSpan(l)
	return ok
}

// tomlEdit is a TOML file being rewritten: its lines, edited in place
// (a line dropped is ""), lines to insert after a line, and lines to
// append at the end.
type tomlEdit struct {
	lines    []string
	inserts  map[int][]string
	appended []string
}

func newTOMLEdit(src []byte) *tomlEdit {
	return &tomlEdit{lines: strings.SplitAfter(string(src), "\n"), inserts: map[int][]string{}}
}

// tables returns the file's [[name]] tables, which must be want in number
// (the k-th table being the scenario's k-th entry; the inline-array form
// of the entries is not supported).
func (e *tomlEdit) tables(name string, want int) ([]block, error) {
	bs := tableBlocks(e.lines, name)
	if len(bs) != want {
		return nil, fmt.Errorf("cannot rewrite the file: it has %d [[%s]] tables for %d entries (inline arrays are not supported)", len(bs), name, want)
	}
	return bs, nil
}

// sub returns the [name] or [[name]] sub-tables of b.
func (e *tomlEdit) sub(b block, name string) []block { return subTables(e.lines, b, name) }

// set replaces key's value in b (see replaceValue), or adds "key = value"
// after b's header. A value that goes on past its line is an error.
func (e *tomlEdit) set(b block, key, value string) error {
	i, ok := b.keys[key]
	if !ok {
		e.insertAfter(b.start, key+" = "+value+"\n")
		return nil
	}
	if !oneLine(e.lines[i]) {
		return fmt.Errorf("%s is not a one-line value", key)
	}
	e.lines[i] = replaceValue(e.lines[i], value)
	return nil
}

// drop removes key's line from b (nothing when absent); a value that goes
// on past its line is an error.
func (e *tomlEdit) drop(b block, key string) error {
	i, ok := b.keys[key]
	if !ok {
		return nil
	}
	if !oneLine(e.lines[i]) {
		return fmt.Errorf("%s is not a one-line value", key)
	}
	e.lines[i] = ""
	return nil
}

// dropTables removes b's [name] and [[name]] sub-tables whole.
func (e *tomlEdit) dropTables(b block, name string) {
	for _, s := range e.sub(b, name) {
		for i := s.start; i < s.end; i++ {
			e.lines[i] = ""
		}
	}
}

// insertAfter puts text (whole lines) after line i.
func (e *tomlEdit) insertAfter(i int, text string) {
	e.inserts[i] = append(e.inserts[i], text)
}

// lastLine is the index of b's last line that is not blank.
func (e *tomlEdit) lastLine(b block) int {
	last := b.end - 1
	for last > b.start && strings.TrimSpace(e.lines[last]) == "" {
		last--
	}
	return last
}

// bytes renders the file: each line, its inserts after it (starting on a
// line of their own), then the appended lines.
func (e *tomlEdit) bytes() []byte {
	var b strings.Builder
	for i, l := range e.lines {
		b.WriteString(l)
		if ins := e.inserts[i]; len(ins) > 0 {
			if l != "" && !strings.HasSuffix(l, "\n") {
				b.WriteString("\n")
			}
			for _, s := range ins {
				b.WriteString(s)
			}
		}
	}
	if len(e.appended) > 0 {
		if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
			b.WriteString("\n")
		}
		for _, s := range e.appended {
			b.WriteString(s)
		}
	}
	return []byte(b.String())
}

package planner

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecssim/ecssim/scenarios"
)

// ApplyToTOML rewrites src, the text sc was parsed from, with changes
// applied exactly as Recommend verified them: the cpu and memory lines of
// the service's [[task_definitions]] table are rewritten in place, or (for
// a task definition shared with something else, see planChanges) a copy of
// the table is appended at the end of the file under a new family and the
// service's task_definition line names it. Everything else of the file,
// comments included, is kept byte for byte.
//
// It needs the task definitions and services written as [[task_definitions]]
// and [[services]] tables (the form of every example), the k-th table being
// sc's k-th entry; other forms give an error. The caller validates the
// result (scenarios.Parse).
func ApplyToTOML(src []byte, sc *scenarios.Scenario, changes []Change) ([]byte, error) {
	plans, err := planChanges(sc, changes)
	if err != nil {
		return nil, err
	}
	lines := strings.SplitAfter(string(src), "\n")
	tds := tableBlocks(lines, "task_definitions")
	svcs := tableBlocks(lines, "services")
	if len(tds) != len(sc.TaskDefinitions) || len(svcs) != len(sc.Services) {
		return nil, fmt.Errorf("cannot rewrite the file: it has %d [[task_definitions]] and %d [[services]] tables for %d task definitions and %d services (inline arrays are not supported)",
			len(tds), len(svcs), len(sc.TaskDefinitions), len(sc.Services))
	}
	// edits[i] replaces line i; inserts[i] goes after line i.
	edits := map[int]string{}
	inserts := map[int][]string{}
	var appended []string
	setKey := func(b block, key, value string) {
		if i, ok := b.keys[key]; ok {
			edits[i] = replaceValue(lines[i], value)
			return
		}
		inserts[b.start] = append(inserts[b.start], key+" = "+value+"\n")
	}
	for _, p := range plans {
		cpu, mem := strconv.Itoa(p.change.CPU), strconv.Itoa(p.change.Memory)
		td := tds[p.taskDef]
		if !p.clone {
			setKey(td, "cpu", cpu)
			setKey(td, "memory", mem)
			continue
		}
		// The copy: the table's lines with family, revision, cpu and
		// memory replaced (added after the header when absent).
		appended = append(appended, "\n")
		vals := map[string]string{"family": strconv.Quote(p.cloneFam), "revision": "1", "cpu": cpu, "memory": mem}
		for i := td.start; i < td.end; i++ {
			l := lines[i]
			for _, key := range []string{"family", "revision", "cpu", "memory"} {
				if j, ok := td.keys[key]; ok && j == i {
					l = replaceValue(l, vals[key])
				}
			}
			if !strings.HasSuffix(l, "\n") {
				l += "\n"
			}
			appended = append(appended, l)
			if i == td.start {
				for _, key := range []string{"family", "revision", "cpu", "memory"} {
					if _, ok := td.keys[key]; !ok {
						appended = append(appended, key+" = "+vals[key]+"\n")
					}
				}
			}
		}
		ref := p.cloneFam + ":1"
		setKey(svcs[p.service], "task_definition", strconv.Quote(ref))
	}
	for _, p := range plans {
		r := p.change.Autoscaling
		if r == nil {
			continue
		}
		sb := svcs[p.service]
		as := subTables(lines, sb, "services.autoscaling")
		if len(as) != 1 {
			return nil, fmt.Errorf("cannot rewrite the autoscaling range of service %q: want one [services.autoscaling] table after its [[services]] header, found %d", p.change.Service, len(as))
		}
		setKey(as[0], "min_capacity", strconv.Itoa(r.MinCapacity))
		setKey(as[0], "max_capacity", strconv.Itoa(r.MaxCapacity))
		sched := subTables(lines, sb, "services.autoscaling.scheduled")
		if slices.ContainsFunc(r.ScheduledMaxCapacity, func(m *int) bool { return m != nil }) && len(sched) != len(r.ScheduledMaxCapacity) {
			return nil, fmt.Errorf("cannot rewrite the scheduled actions of service %q: %d [[services.autoscaling.scheduled]] tables for %d actions", p.change.Service, len(sched), len(r.ScheduledMaxCapacity))
		}
		for k, m := range r.ScheduledMaxCapacity {
			if m != nil {
				setKey(sched[k], "max_capacity", strconv.Itoa(*m))
			}
		}
	}
	var b strings.Builder
	for i, l := range lines {
		if e, ok := edits[i]; ok {
			l = e
		}
		b.WriteString(l)
		if ins := inserts[i]; len(ins) > 0 {
			if !strings.HasSuffix(l, "\n") {
				b.WriteString("\n")
			}
			for _, s := range ins {
				b.WriteString(s)
			}
		}
	}
	if len(appended) > 0 {
		out := b.String()
		if !strings.HasSuffix(out, "\n") {
			b.WriteString("\n")
		}
		for _, s := range appended {
			b.WriteString(s)
		}
	}
	return []byte(b.String()), nil
}

// block is one [[NAME]] table of a TOML file: lines [start, end), with the
// line of each key written directly in it (not in a sub-table).
type block struct {
	start, end int
	keys       map[string]int
}

var (
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([A-Za-z0-9_.\-"]+)\s*\]\]?`)
	keyRe    = regexp.MustCompile(`^\s*([A-Za-z0-9_\-]+)\s*=`)
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
			if m := keyRe.FindStringSubmatch(l); m != nil {
				if _, dup := out[cur].keys[m[1]]; !dup {
					out[cur].keys[m[1]] = i
				}
			}
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
			if m := keyRe.FindStringSubmatch(lines[i]); m != nil {
				if _, dup := out[cur].keys[m[1]]; !dup {
					out[cur].keys[m[1]] = i
				}
			}
		}
	}
	if cur >= 0 {
		out[cur].end = b.end
	}
	return out
}

// valueRe splits "key = value  # comment\n" into key part, value and rest.
var valueRe = regexp.MustCompile(`^(\s*[A-Za-z0-9_\-]+\s*=\s*)("[^"]*"|'[^']*'|[^#\s]+)(.*)$`)

// replaceValue replaces the value of a one-line "key = value" keeping the
// indentation and any trailing comment and newline.
func replaceValue(line, value string) string {
	nl := ""
	if strings.HasSuffix(line, "\n") {
		nl = "\n"
		line = strings.TrimSuffix(line, "\n")
	}
	if strings.HasSuffix(line, "\r") {
		nl = "\r" + nl
		line = strings.TrimSuffix(line, "\r")
	}
	m := valueRe.FindStringSubmatch(line)
	if m == nil {
		return line + nl
	}
	return m[1] + value + m[3] + nl
}

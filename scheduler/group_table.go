package scheduler

// groupTable holds the number of tasks of each group on each instance (only
// groups with at least one task). An instance's first groupSlots groups sit
// in one 64-byte line of slots at a place computed from its id alone, so
// Reserve and Release on a large cluster fetch it in parallel with the
// instance's own line instead of after it; the rest, rare, go in more.
// Order within an instance's list carries no meaning.
type groupTable struct {
	slots []groupCount   // groupSlots per instance; the list ends at the first slot with n == 0
	more  [][]groupCount // by instance: the groups beyond its slots, when all are in use
}

// groupSlots is the number of groups an instance keeps in its line.
const groupSlots = 8

// grow makes room for one more instance (the next id), with no tasks.
func (t *groupTable) grow() {
	var empty [groupSlots]groupCount
	t.slots = append(t.slots, empty[:]...)
	t.more = append(t.more, nil)
}

// line returns instance id's slots.
func (t *groupTable) line(id InstanceID) []groupCount {
	i := int(id) * groupSlots
	return t.slots[i : i+groupSlots : i+groupSlots]
}

// count returns the number of tasks of group g on instance id.
func (t *groupTable) count(id InstanceID, g int32) int32 {
	s := t.line(id)
	for i := range s {
		if s[i].n == 0 {
			return 0
		}
		if s[i].group == g {
			return s[i].n
		}
	}
	for _, gc := range t.more[id] {
		if gc.group == g {
			return gc.n
		}
	}
	return 0
}

// lists returns instance id's groups: those in its slots and the rest.
func (t *groupTable) lists(id InstanceID) (first, rest []groupCount) {
	s := t.line(id)
	n := 0
	for n < len(s) && s[n].n != 0 {
		n++
	}
	return s[:n], t.more[id]
}

// add adds delta to the count of group g on instance id, dropping the group
// when its count reaches 0, and returns the new count. The count must not go
// negative (a programmer error: Release checks first).
func (t *groupTable) add(id InstanceID, g, delta int32) int32 {
	s := t.line(id)
	i := 0
	for i < len(s) && s[i].n != 0 && s[i].group != g {
		i++
	}
	if i < len(s) && s[i].n == 0 { // not there, and room in the line
		s[i] = groupCount{group: g, n: delta}
		return delta
	}
	var p *groupCount
	if i < len(s) {
		p = &s[i]
	} else {
		m := t.more[id]
		j := 0
		for j < len(m) && m[j].group != g {
			j++
		}
		if j == len(m) {
			t.more[id] = append(m, groupCount{group: g, n: delta})
			return delta
		}
		p = &m[j]
	}
	p.n += delta
	if p.n > 0 {
		return p.n
	}
	// drop it: the instance's last group takes its place
	if m := t.more[id]; len(m) > 0 {
		*p = m[len(m)-1]
		t.more[id] = m[:len(m)-1]
		return 0
	}
	last := len(s) - 1 // the line's last group; p is s[i], now with n == 0
	for last > i && s[last].n == 0 {
		last--
	}
	s[i] = s[last]
	s[last] = groupCount{}
	return 0
}

package scheduler

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// ReadVBP reads a vector bin packing instance in the VPSolver .vbp format:
// the number of dimensions d; the d bin capacities; the number of item
// types m; then m lines of d sizes followed by the demand (count) of that
// type. Values are whitespace-separated integers; line breaks are not
// significant. It returns an error for a malformed file (with the 1-based
// number of the offending value), for extra values after the last item, and
// for any problem Pack would reject as malformed or with an item larger than
// the bin.
func ReadVBP(r io.Reader) (PackProblem, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	sc.Split(bufio.ScanWords)
	pos := 0
	next := func(what string) (int64, error) {
		pos++
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return 0, fmt.Errorf("vbp: reading %s: %w", what, err)
			}
			return 0, fmt.Errorf("vbp: value %d (%s): unexpected end of input", pos, what)
		}
		v, err := strconv.ParseInt(sc.Text(), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("vbp: value %d (%s): %q is not an integer", pos, what, sc.Text())
		}
		return v, nil
	}
	d, err := next("dimensions")
	if err != nil {
		return PackProblem{}, err
	}
	if d <= 0 || d > 1<<16 {
		return PackProblem{}, fmt.Errorf("vbp: %d dimensions, want 1 to 65536", d)
	}
	var p PackProblem
	p.Capacity = make([]int64, d)
	for k := range p.Capacity {
		if p.Capacity[k], err = next(fmt.Sprintf("capacity %d", k)); err != nil {
			return PackProblem{}, err
		}
	}
	m, err := next("item types")
	if err != nil {
		return PackProblem{}, err
	}
	if m < 0 || m > 1<<24 {
		return PackProblem{}, fmt.Errorf("vbp: %d item types, want 0 to 16777216", m)
	}
	p.Sizes = make([][]int64, m)
	p.Counts = make([]int, m)
	for i := range p.Sizes {
		p.Sizes[i] = make([]int64, d)
		for k := range p.Sizes[i] {
			if p.Sizes[i][k], err = next(fmt.Sprintf("item %d size %d", i, k)); err != nil {
				return PackProblem{}, err
			}
		}
		c, err := next(fmt.Sprintf("item %d demand", i))
		if err != nil {
			return PackProblem{}, err
		}
		if c < 0 || c > 1<<31-1 {
			return PackProblem{}, fmt.Errorf("vbp: item %d demand %d out of range", i, c)
		}
		p.Counts[i] = int(c)
	}
	if sc.Scan() {
		return PackProblem{}, fmt.Errorf("vbp: value %d: unexpected %q after the last item", pos+1, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return PackProblem{}, fmt.Errorf("vbp: %w", err)
	}
	if err := p.check(); err != nil {
		return PackProblem{}, err
	}
	return p, nil
}

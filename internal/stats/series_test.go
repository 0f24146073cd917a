package stats

import (
	"math"
	"testing"
)

func TestSeries(t *testing.T) {
	var s Series // the zero Series is ready to use
	nan := float32(math.NaN())
	in := []float32{12.5, nan, 0, 100}
	for _, v := range in {
		s.Append(v)
	}
	if s.Len() != 4 {
		t.Fatalf("Len = %d, want 4", s.Len())
	}
	for i, want := range in {
		got := s.At(i)
		if math.Float32bits(got) != math.Float32bits(want) {
			t.Errorf("At(%d) = %v, want %v", i, got, want)
		}
	}
	vs := s.Values()
	if len(vs) != 4 || vs[0] != 12.5 || !math.IsNaN(float64(vs[1])) || vs[3] != 100 {
		t.Errorf("Values = %v", vs)
	}
	// Appending to the returned slice must not write into the Series.
	_ = append(vs, 7)
	s.Append(8)
	if s.At(4) != 8 {
		t.Errorf("At(4) = %v, want 8", s.At(4))
	}
}

func TestNewSeries(t *testing.T) {
	s := NewSeries(43_200)
	if s.Len() != 0 || cap(s.v) != 43_200 {
		t.Errorf("Len %d cap %d, want 0 and 43200", s.Len(), cap(s.v))
	}
	if NewSeries(-1).Len() != 0 {
		t.Error("NewSeries(-1) not empty")
	}
}

func TestSeriesAtPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("At(0) on an empty Series did not panic")
		}
	}()
	var s Series
	s.At(0)
}

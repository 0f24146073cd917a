package scenarios

import "testing"

func TestQuickExamples(t *testing.T) {
	for _, e := range Examples() {
		s, err := LoadExample(e.Name)
		if err != nil {
			t.Errorf("%s:\n%v", e.Name, err)
			continue
		}
		t.Logf("%s: %q sha %s", e.Name, e.Description, s.SHA256()[:12])
	}
}

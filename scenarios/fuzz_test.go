package scenarios

import "testing"

// FuzzParse: Parse never panics, and a failure is always an ErrorList of
// positioned errors. Run: go test -fuzz FuzzParse -fuzztime 30s ./scenarios
func FuzzParse(f *testing.F) {
	for _, e := range Examples() {
		src, _ := ExampleSource(e.Name)
		f.Add(src)
	}
	f.Add([]byte("name = \"t\"\nduration = \"1d\"\n[cluster\n"))
	f.Add([]byte("a = { b = [ { c = 1 }, { d = '''x\ny''' } ] }\n[[s]]\n[s.t]\nx.y.z = 1\n"))
	f.Add([]byte("name = 1\nduration = []\nstart = 07:00:00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.toml", data)
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error is not a non-empty ErrorList: %T %v", err, err)
			}
			for _, e := range list {
				if e.Line < 1 || e.Col < 1 {
					t.Fatalf("bad position: %v", e)
				}
			}
			return
		}
		_ = s.SHA256()
	})
}

package scenarios

import "testing"

// FuzzParse: Parse never panics, and a failure is always an ErrorList of
// positioned errors. Run: go test -fuzz FuzzParse -fuzztime 30s ./scenarios
func FuzzParse(f *testing.F) {
	// Small seeds: the fuzzer minimizes every new input it finds, which
	// takes long on whole examples.
	f.Add([]byte(ruleBase))
	f.Add([]byte("name = \"p\"\nduration = \"7d\"\n[cluster]\ndefault_capacity_provider_strategy = [ { capacity_provider = \"FARGATE\", base = 2 }, { capacity_provider = \"FARGATE_SPOT\", weight = 3 } ]\n[[task_definitions]]\nfamily = \"w\"\ncpu = 512\nmemory = 1024\nstartup_time = { dist = \"lognormal\", median = \"35s\", p95 = \"80s\" }\n[[services]]\nname = \"w\"\ntask_definition = \"w:1\"\ndesired_count = 2\n  [services.load]\n  requests_per_second = { pattern = \"diurnal\", min = 1, max = 9, peak = \"14:00\" }\n  cpu_per_request = \"4ms\"\n[[events]]\nat = \"1d\"\ntype = \"deploy\"\nservice = \"w\"\ntask_definition = \"w\"\n"))
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

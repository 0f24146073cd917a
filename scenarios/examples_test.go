package scenarios

import (
	"sort"
	"strings"
	"testing"
)

func TestExamplesLoad(t *testing.T) {
	ex := Examples()
	var names []string
	for _, e := range ex {
		names = append(names, e.Name)
		s, err := LoadExample(e.Name)
		if err != nil {
			t.Errorf("%s:\n%v", e.Name, err)
			continue
		}
		if s.File != "examples/"+e.Name+".toml" {
			t.Errorf("%s: File = %q", e.Name, s.File)
		}
		if e.Description == "" || e.Description != s.Description {
			t.Errorf("%s: description %q, scenario says %q", e.Name, e.Description, s.Description)
		}
		src, _ := ExampleSource(e.Name)
		if !strings.HasPrefix(string(src), "# "+e.Name+":") {
			t.Errorf("%s: needs a header comment starting %q", e.Name, "# "+e.Name+":")
		}
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("not sorted: %v", names)
	}
	for _, want := range []string{"ec2-batch", "production-web-cluster", "web-platform"} {
		if _, ok := ExampleSource(want); !ok {
			t.Errorf("missing example %s", want)
		}
	}
	if _, err := LoadExample("nope"); err == nil {
		t.Error("LoadExample(nope) succeeded")
	}
	if _, ok := ExampleSource("../load.go"); ok {
		t.Error("ExampleSource reads outside examples/")
	}
}

// TestWebPlatformResolved checks the resolved references of the default
// example: the fields the simulator reads.
func TestWebPlatformResolved(t *testing.T) {
	s, err := LoadExample("web-platform")
	if err != nil {
		t.Fatal(err)
	}
	web, api := &s.Services[0], &s.Services[1]
	if web.TaskDef == nil || web.TaskDef.Ref() != "web:1" {
		t.Errorf("web TaskDef = %v", web.TaskDef)
	}
	if len(web.Strategy) != 2 || web.Strategy[0].CapacityProvider != "FARGATE" || web.Strategy[0].Base != 2 || web.Strategy[1].W() != 3 {
		t.Errorf("web Strategy = %+v, want the cluster default", web.Strategy)
	}
	if api.TaskDef == nil || api.TaskDef.Ref() != "api:1" || api.TaskDef.NetworkMode != "bridge" {
		t.Errorf("api TaskDef = %+v", api.TaskDef)
	}
	if len(api.Strategy) != 1 || api.Strategy[0].CapacityProvider != "general" {
		t.Errorf("api Strategy = %+v", api.Strategy)
	}
	if s.ProviderIndex("general") != 0 || s.ProviderIndex("batch-spot") != 1 || s.ProviderIndex("FARGATE") != -1 {
		t.Error("ProviderIndex")
	}
	thumbs := &s.Jobs[1]
	if thumbs.Strategy != nil || thumbs.LaunchType != "FARGATE" || thumbs.TaskDef.Family != "etl" {
		t.Errorf("thumbnails: %+v", thumbs)
	}
	if td := s.TaskDefinitionByRef("web"); td == nil || td.Revision != 2 {
		t.Errorf(`TaskDefinitionByRef("web") = %v, want revision 2 (the highest)`, td)
	}
	if s.TaskDefinitionByRef("web:3") != nil || s.TaskDefinitionByRef("nope") != nil {
		t.Error("TaskDefinitionByRef of a missing ref is not nil")
	}
}

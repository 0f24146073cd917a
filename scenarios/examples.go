package scenarios

import (
	"embed"
	"io/fs"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed examples/*.toml
var exampleFS embed.FS

// Example names an embedded example scenario; Description is its
// `description` key.
type Example struct {
	Name        string
	Description string
}

// Examples returns the embedded examples sorted by name.
func Examples() []Example {
	entries, err := fs.ReadDir(exampleFS, "examples")
	if err != nil {
		panic("scenarios: embedded examples: " + err.Error())
	}
	var out []Example
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".toml")
		if !ok {
			continue
		}
		src, _ := ExampleSource(name)
		var head struct {
			Description string `toml:"description"`
		}
		_, _ = toml.Decode(string(src), &head) // examples are tested to parse
		out = append(out, Example{Name: name, Description: head.Description})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ExampleSource returns the TOML text of the embedded example name.
func ExampleSource(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, false
	}
	b, err := exampleFS.ReadFile("examples/" + name + ".toml")
	if err != nil {
		return nil, false
	}
	return b, true
}

// LoadExample parses the embedded example name like Load; its File (and
// the file named in messages) is "examples/NAME.toml".
func LoadExample(name string) (*Scenario, error) {
	src, ok := ExampleSource(name)
	if !ok {
		var names []string
		for _, e := range Examples() {
			names = append(names, e.Name)
		}
		return nil, ErrorList{{File: "examples/" + name + ".toml", Line: 1, Col: 1,
			Msg: "no embedded example " + name + " (have " + strings.Join(names, ", ") + ")"}}
	}
	return Parse("examples/"+name+".toml", src)
}

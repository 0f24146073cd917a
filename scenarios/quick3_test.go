package scenarios

import (
	"errors"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestQuickPE(t *testing.T) {
	for _, src := range []string{"a = 1\nb = \n", "a = 1\n[a\n", "a = 1\nb = \"x\nc=1", "x = [1,\n2,,]\n", "a = 1\na = 2\n", "[t]\nx=1\n[t]\ny=2\n", "a = 1\nb = { c = 1,\n d=2 }\n", "a = 1\n   = 2\n", "a = 1\nb = 1979-13-01T00:00:00Z\n", "a = 1\nb = 99999999999999999999\n"} {
		var m map[string]any
		_, err := toml.Decode(src, &m)
		var pe toml.ParseError
		errors.As(err, &pe)
		t.Logf("%q: line %d col %d start %d len %d: %s", src, pe.Position.Line, pe.Position.Col, pe.Position.Start, pe.Position.Len, pe.Message)
	}
}

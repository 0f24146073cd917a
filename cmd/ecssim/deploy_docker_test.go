package main

// Static checks of the Dockerfile (see deploy_test.go).

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ---- Dockerfile -----------------------------------------------------------------

// dockerInstr is one Dockerfile instruction: its keyword (upper case) and
// the rest, continuation lines joined.
type dockerInstr struct {
	Cmd, Arg string
	Line     int
}

// parseDockerfile splits a Dockerfile into instructions: comment lines
// (parser directives included) dropped, lines ending in a backslash joined.
func parseDockerfile(src string) []dockerInstr {
	var out []dockerInstr
	var cur strings.Builder
	start := 0
	for i, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && cur.Len() == 0) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSpace(strings.TrimSuffix(trimmed, "\\")) + " ")
			continue
		}
		cur.WriteString(trimmed)
		cmd, arg, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, dockerInstr{Cmd: strings.ToUpper(cmd), Arg: strings.TrimSpace(arg), Line: start})
		cur.Reset()
	}
	return out
}

// dockerStage is one FROM ... [AS name] and its instructions.
type dockerStage struct {
	Base, Name string
	Instrs     []dockerInstr
}

// deployDocker is what the Dockerfile says.
type deployDocker struct {
	Volumes []string // the final stage's VOLUME paths, cleaned
}

func checkDeployDockerfile(t *testing.T) deployDocker {
	t.Helper()
	f := deployDockerfile
	var stages []dockerStage
	for _, in := range parseDockerfile(string(deployRead(t, f))) {
		if in.Cmd == "FROM" {
			var fields []string
			for _, w := range strings.Fields(in.Arg) {
				if !strings.HasPrefix(w, "--") { // --platform=...
					fields = append(fields, w)
				}
			}
			st := dockerStage{Base: fields[0]}
			if len(fields) == 3 && strings.EqualFold(fields[1], "AS") {
				st.Name = fields[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			if in.Cmd != "ARG" {
				t.Errorf("%s:%d: %s before the first FROM", f, in.Line, in.Cmd)
			}
			continue
		}
		stages[len(stages)-1].Instrs = append(stages[len(stages)-1].Instrs, in)
	}
	if len(stages) < 2 {
		t.Fatalf("%s: %d FROM stages, want a build stage and a final stage", f, len(stages))
	}
	final := stages[len(stages)-1]

	// The build: a `go build` of ./cmd/ecssim writing one binary.
	var built, buildStage string
	for si, st := range stages[:len(stages)-1] {
		for _, in := range st.Instrs {
			if in.Cmd != "RUN" || !strings.Contains(in.Arg, "go build") {
				continue
			}
			words := strings.Fields(in.Arg)
			if k := slices.Index(words, "-o"); k >= 0 && k+1 < len(words) {
				built = strings.Trim(words[k+1], `"'`)
			} else {
				t.Errorf("%s:%d: RUN go build has no -o OUT", f, in.Line)
			}
			if !slices.Contains(words, "./cmd/ecssim") {
				t.Errorf("%s:%d: RUN go build does not build ./cmd/ecssim", f, in.Line)
			}
			if !slices.Contains(words, "-trimpath") {
				t.Errorf("%s:%d: RUN go build has no -trimpath", f, in.Line)
			}
			if !slices.Contains(words, "CGO_ENABLED=0") && (strings.Contains(final.Base, "distroless/static") || final.Base == "scratch") {
				t.Errorf("%s:%d: RUN go build without CGO_ENABLED=0, but the final stage %s has no libc", f, in.Line, final.Base)
			}
			buildStage = st.Name
			if buildStage == "" {
				buildStage = strconv.Itoa(si)
			}
			// The Go image must be at least go.mod's Go version: the
			// official images set GOTOOLCHAIN=local.
			checkDockerGoVersion(t, f, st.Base)
		}
	}
	if built == "" {
		t.Fatalf("%s: no build stage RUNs go build -o OUT ./cmd/ecssim", f)
	}
	// The build context is the repository root: what the build stages COPY
	// from it must exist there.
	for _, st := range stages[:len(stages)-1] {
		for _, in := range st.Instrs {
			if in.Cmd != "COPY" || strings.Contains(in.Arg, "--from") {
				continue
			}
			words := strings.Fields(in.Arg)
			for _, src := range words[:len(words)-1] {
				if strings.HasPrefix(src, "--") || src == "." {
					continue
				}
				if _, err := os.Stat(filepath.Join(deployRoot, src)); err != nil {
					t.Errorf("%s:%d: COPY %s: not in the build context (the repository root): %v", f, in.Line, src, err)
				}
			}
		}
	}

	// The final stage copies the binary and runs it.
	var binary string
	var out deployDocker
	hasWorkdir, hasEntry := false, false
	var entry []string
	for _, in := range final.Instrs {
		switch in.Cmd {
		case "COPY":
			words := strings.Fields(in.Arg)
			if len(words) == 3 && words[0] == "--from="+buildStage && words[1] == built {
				binary = words[2]
				if strings.HasSuffix(binary, "/") {
					binary += path.Base(built)
				}
			}
		case "WORKDIR":
			hasWorkdir = true
		case "VOLUME":
			var vs []string
			if json.Unmarshal([]byte(in.Arg), &vs) != nil {
				vs = strings.Fields(in.Arg)
			}
			for _, v := range vs {
				out.Volumes = append(out.Volumes, path.Clean(v))
			}
		case "ENTRYPOINT":
			entry, hasEntry = nil, true
			if err := json.Unmarshal([]byte(in.Arg), &entry); err != nil {
				t.Errorf("%s:%d: ENTRYPOINT %s is not the exec (JSON array) form, so arguments would go through a shell the image lacks: %v", f, in.Line, in.Arg, err)
			}
		}
	}
	switch {
	case binary == "":
		t.Errorf("%s: the final stage has no COPY --from=%s %s DEST of the built binary", f, buildStage, built)
	case !hasEntry:
		t.Errorf("%s: the final stage has no ENTRYPOINT", f)
	case len(entry) == 0:
		// reported above: not the exec form
	case entry[0] != binary:
		t.Errorf("%s: ENTRYPOINT %q does not run %s, where the binary built by go build -o %s is copied", f, entry, binary, built)
	}
	if !hasWorkdir {
		t.Errorf("%s: the final stage has no WORKDIR", f)
	}
	if !slices.Contains(out.Volumes, "/results") {
		t.Errorf("%s: the final stage has no VOLUME /results (got %q)", f, out.Volumes)
	}
	return out
}

// checkDockerGoVersion checks that a golang:X.Y[...] base image is at
// least the go directive of go.mod (major.minor).
func checkDockerGoVersion(t *testing.T, f, base string) {
	t.Helper()
	m := regexp.MustCompile(`^(?:docker\.io/)?(?:library/)?golang:(\d+)\.(\d+)`).FindStringSubmatch(base)
	if m == nil {
		t.Errorf("%s: the build stage's base %q is not golang:X.Y...", f, base)
		return
	}
	mod, err := os.ReadFile(filepath.Join(deployRoot, "go.mod"))
	if err != nil {
		t.Fatalf("go.mod: %v", err)
	}
	g := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindSubmatch(mod)
	if g == nil {
		t.Fatalf("go.mod: no go directive")
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	img := atoi(m[1])*1000 + atoi(m[2])
	want := atoi(string(g[1]))*1000 + atoi(string(g[2]))
	if img < want {
		t.Errorf("%s: FROM %s is older than go.mod's go %s.%s", f, base, g[1], g[2])
	}
}

func TestDeployDockerfile(t *testing.T) {
	checkDeployDockerfile(t)
}

func TestDeployDockerfileParser(t *testing.T) {
	got := parseDockerfile("# syntax=docker/dockerfile:1\nFROM a AS b\n\n# c\nRUN x \\\n    y\nENTRYPOINT [\"/e\"]\n")
	want := []dockerInstr{{"FROM", "a AS b", 2}, {"RUN", "x y", 5}, {"ENTRYPOINT", `["/e"]`, 7}}
	if !slices.Equal(got, want) {
		t.Errorf("parseDockerfile = %+v, want %+v", got, want)
	}
}

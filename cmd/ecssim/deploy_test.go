package main

// The deployment files under deploy/ (the Dockerfile, the Kubernetes and AWS
// Batch manifests, the GNU parallel script) are checked here statically:
// ARCHITECTURE.md ("Where it goes past one machine") says this machine has
// no Docker engine or cluster, so the files are parsed strictly and their
// fields and paths cross-checked against each other and against the
// command line of `ecssim sweep` (SCENARIO.md "A study file for ecssim
// sweep"). Every failed check names the file and the field.

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// deployDir is deploy/ relative to this package's directory; deployRoot is
// the repository root, the Docker build context.
const (
	deployDir  = "../../deploy"
	deployRoot = "../.."
)

// The deployment files, relative to the repository root (as failures name them).
const (
	deployDockerfile  = "deploy/Dockerfile"
	deployReadme      = "deploy/README.md"
	deployK8sJob      = "deploy/kubernetes/sweep-job.yaml"
	deployK8sMerge    = "deploy/kubernetes/merge-job.yaml"
	deployK8sPVC      = "deploy/kubernetes/results-pvc.yaml"
	deployBatchJobDef = "deploy/aws-batch/job-definition.json"
	deployBatchSubmit = "deploy/aws-batch/submit-job.json"
	deployBatchMerge  = "deploy/aws-batch/merge-job.json"
	deployParallelSh  = "deploy/gnu-parallel.sh"
)

// deployRead returns a deployment file's content; a missing file fails the
// test at once.
func deployRead(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(deployRoot, filepath.FromSlash(file)))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return b
}

// ---- the ecssim sweep command line in a manifest -----------------------------

// deploySweepArgs is an `ecssim sweep` command line as a manifest gives it
// (without the binary: the image's ENTRYPOINT is ecssim).
type deploySweepArgs struct {
	Merge    bool   // `sweep merge DIR`
	Study    string // the study file (sweep) or "" (merge)
	Dir      string // --out (sweep) or DIR (merge)
	Shard    string // --shard as given
	Shards   int    // N of --shard auto/N
	Parallel string // --parallel as given, "" when absent
}

// deployShardAuto is --shard auto/N, the only form a batch engine's
// manifest can use (each shard reads its index from the environment).
var deployShardAuto = regexp.MustCompile(`^auto/([1-9][0-9]*)$`)

// parseDeploySweep reads args the way `ecssim sweep` and `ecssim sweep
// merge` take them (cmd_sweep.go); a flag the command does not have is an
// error, so a misspelt flag in a manifest fails here and not on the cluster.
func parseDeploySweep(args []string) (deploySweepArgs, error) {
	var a deploySweepArgs
	if len(args) == 0 || args[0] != "sweep" {
		return a, fmt.Errorf("want the arguments to start with \"sweep\", got %q", args)
	}
	if len(args) > 1 && args[1] == "merge" {
		a.Merge = true
		var pos []string
		for _, s := range args[2:] {
			switch {
			case s == "--quiet":
			case strings.HasPrefix(s, "-"):
				return a, fmt.Errorf("sweep merge: unknown flag %q", s)
			default:
				pos = append(pos, s)
			}
		}
		if len(pos) != 1 {
			return a, fmt.Errorf("sweep merge: want one DIR, got %q", pos)
		}
		a.Dir = pos[0]
		return a, nil
	}
	var pos []string
	rest := args[1:]
	for k := 0; k < len(rest); k++ {
		s := rest[k]
		if !strings.HasPrefix(s, "-") {
			pos = append(pos, s)
			continue
		}
		name, val, hasVal := strings.Cut(s, "=")
		switch name {
		case "--quiet":
			if hasVal {
				return a, fmt.Errorf("sweep: %q: --quiet takes no value here", s)
			}
			continue
		case "--shard", "--out", "--parallel", "--cpuprofile", "--memprofile":
		default:
			return a, fmt.Errorf("sweep: unknown flag %q", s)
		}
		if !hasVal {
			if k+1 >= len(rest) {
				return a, fmt.Errorf("sweep: flag %s has no value", name)
			}
			k++
			val = rest[k]
		}
		switch name {
		case "--shard":
			a.Shard = val
		case "--out":
			a.Dir = val
		case "--parallel":
			if n, err := strconv.Atoi(val); err != nil || n < 0 {
				return a, fmt.Errorf("sweep: --parallel %q: want an integer >= 0", val)
			}
			a.Parallel = val
		}
	}
	if len(pos) != 1 {
		return a, fmt.Errorf("sweep: want one STUDY.toml, got %q", pos)
	}
	a.Study = pos[0]
	m := deployShardAuto.FindStringSubmatch(a.Shard)
	if m == nil {
		return a, fmt.Errorf("sweep: --shard %q: a batch engine's shards need auto/N with N >= 1", a.Shard)
	}
	a.Shards, _ = strconv.Atoi(m[1])
	if a.Dir == "" {
		return a, errors.New("sweep: no --out: every shard must write to the same shared DIR")
	}
	return a, nil
}

// deployUnder reports whether the container path p is dir or inside it.
func deployUnder(p, dir string) bool {
	p, dir = path.Clean(p), path.Clean(dir)
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

// deployImageName is an image reference without its registry and
// repository path: "ecssim:latest" of "123.dkr.ecr.../ecssim:latest".
func deployImageName(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	return ref[strings.LastIndex(ref, "/")+1:]
}

func TestDeploySweepArgsParser(t *testing.T) {
	for _, c := range []struct {
		args []string
		want deploySweepArgs
		err  bool
	}{
		{args: []string{"sweep", "/s/study.toml", "--shard", "auto/4", "--out", "/r/x", "--parallel", "0", "--quiet"},
			want: deploySweepArgs{Study: "/s/study.toml", Dir: "/r/x", Shard: "auto/4", Shards: 4, Parallel: "0"}},
		{args: []string{"sweep", "--shard=auto/12", "--out=/r", "s.toml"},
			want: deploySweepArgs{Study: "s.toml", Dir: "/r", Shard: "auto/12", Shards: 12}},
		{args: []string{"sweep", "merge", "/r/x"}, want: deploySweepArgs{Merge: true, Dir: "/r/x"}},
		{args: []string{"run", "s.toml"}, err: true},
		{args: []string{"sweep", "s.toml", "--shard", "1/4", "--out", "/r"}, err: true}, // a fixed index in a manifest
		{args: []string{"sweep", "s.toml", "--shard", "auto/0", "--out", "/r"}, err: true},
		{args: []string{"sweep", "s.toml", "--shards", "auto/4", "--out", "/r"}, err: true},
		{args: []string{"sweep", "s.toml", "--shard", "auto/4"}, err: true}, // no --out
		{args: []string{"sweep", "merge"}, err: true},
		{args: []string{"sweep", "s.toml", "--parallel", "-1", "--shard", "auto/2", "--out", "/r"}, err: true},
	} {
		got, err := parseDeploySweep(c.args)
		if (err != nil) != c.err || (err == nil && got != c.want) {
			t.Errorf("parseDeploySweep(%q) = %+v, %v; want %+v, error %v", c.args, got, err, c.want, c.err)
		}
	}
	for _, c := range []struct {
		p, dir string
		want   bool
	}{
		{"/results/x", "/results", true},
		{"/results", "/results/", true},
		{"/resultsx/a", "/results", false},
		{"/a/../results/x", "/results", true},
	} {
		if got := deployUnder(c.p, c.dir); got != c.want {
			t.Errorf("deployUnder(%q, %q) = %v, want %v", c.p, c.dir, got, c.want)
		}
	}
	if got := deployImageName("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/ecssim:latest"); got != "ecssim:latest" {
		t.Errorf("deployImageName = %q, want ecssim:latest", got)
	}
}

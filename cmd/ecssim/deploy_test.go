package main

// The deployment files under deploy/ (the Dockerfile, the Kubernetes and AWS
// Batch manifests, the GNU parallel script) are checked here statically:
// ARCHITECTURE.md ("Where it goes past one machine") says this machine has
// no Docker engine or cluster, so the files are parsed strictly and their
// fields and paths cross-checked against each other and against the
// command line of `ecssim sweep` (SCENARIO.md "A study file for ecssim
// sweep"). Every failed check names the file and the field.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
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

// ---- Kubernetes ---------------------------------------------------------------

// The Kubernetes types model the subset of the batch/v1 Job and v1
// PersistentVolumeClaim APIs the manifests use, with the API's field names.
// They are decoded strictly: a field not modelled here (a typo, or a real
// field new to the manifests) fails the test; add a new real field here
// with its exact name from the Kubernetes API reference.
type k8sObjectMeta struct {
	Name        string            `yaml:"name"`
	Namespace   string            `yaml:"namespace"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type k8sJob struct {
	APIVersion string        `yaml:"apiVersion"`
	Kind       string        `yaml:"kind"`
	Metadata   k8sObjectMeta `yaml:"metadata"`
	Spec       struct {
		CompletionMode          string               `yaml:"completionMode"`
		Completions             *int                 `yaml:"completions"`
		Parallelism             *int                 `yaml:"parallelism"`
		BackoffLimit            *int                 `yaml:"backoffLimit"`
		BackoffLimitPerIndex    *int                 `yaml:"backoffLimitPerIndex"`
		MaxFailedIndexes        *int                 `yaml:"maxFailedIndexes"`
		ActiveDeadlineSeconds   *int                 `yaml:"activeDeadlineSeconds"`
		TTLSecondsAfterFinished *int                 `yaml:"ttlSecondsAfterFinished"`
		PodFailurePolicy        *k8sPodFailurePolicy `yaml:"podFailurePolicy"`
		Template                struct {
			Metadata k8sObjectMeta `yaml:"metadata"`
			Spec     k8sPodSpec    `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type k8sPodFailurePolicy struct {
	Rules []struct {
		Action      string `yaml:"action"`
		OnExitCodes *struct {
			ContainerName string `yaml:"containerName"`
			Operator      string `yaml:"operator"`
			Values        []int  `yaml:"values"`
		} `yaml:"onExitCodes"`
		OnPodConditions []struct {
			Type   string `yaml:"type"`
			Status string `yaml:"status"`
		} `yaml:"onPodConditions"`
	} `yaml:"rules"`
}

type k8sPodSpec struct {
	RestartPolicy      string            `yaml:"restartPolicy"`
	ServiceAccountName string            `yaml:"serviceAccountName"`
	NodeSelector       map[string]string `yaml:"nodeSelector"`
	Tolerations        []map[string]any  `yaml:"tolerations"`
	SecurityContext    map[string]any    `yaml:"securityContext"`
	Containers         []k8sContainer    `yaml:"containers"`
	Volumes            []k8sVolume       `yaml:"volumes"`
}

type k8sContainer struct {
	Name            string   `yaml:"name"`
	Image           string   `yaml:"image"`
	ImagePullPolicy string   `yaml:"imagePullPolicy"`
	Command         []string `yaml:"command"`
	Args            []string `yaml:"args"`
	Env             []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	Resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	} `yaml:"resources"`
	SecurityContext map[string]any `yaml:"securityContext"`
	VolumeMounts    []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
		SubPath   string `yaml:"subPath"`
	} `yaml:"volumeMounts"`
}

type k8sVolume struct {
	Name      string `yaml:"name"`
	ConfigMap *struct {
		Name        string         `yaml:"name"`
		Items       []k8sKeyToPath `yaml:"items"`
		DefaultMode *int           `yaml:"defaultMode"`
	} `yaml:"configMap"`
	PersistentVolumeClaim *struct {
		ClaimName string `yaml:"claimName"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"persistentVolumeClaim"`
}

// k8sKeyToPath is a ConfigMap volume's item: key Key as file Path.
type k8sKeyToPath struct {
	Key  string `yaml:"key"`
	Path string `yaml:"path"`
}

type k8sPVC struct {
	APIVersion string        `yaml:"apiVersion"`
	Kind       string        `yaml:"kind"`
	Metadata   k8sObjectMeta `yaml:"metadata"`
	Spec       struct {
		AccessModes      []string `yaml:"accessModes"`
		StorageClassName *string  `yaml:"storageClassName"`
		VolumeMode       string   `yaml:"volumeMode"`
		Resources        struct {
			Requests map[string]string `yaml:"requests"`
		} `yaml:"resources"`
	} `yaml:"spec"`
}

// deployYAML decodes the single YAML document of file into v, rejecting
// unknown fields and further documents.
func deployYAML(t *testing.T, file string, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(deployRead(t, file)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		t.Fatalf("%s: want one YAML document, found another (or: %v)", file, err)
	}
}

// k8sMount is a container's volume mount with the volume it names.
type k8sMount struct {
	Path     string
	ReadOnly bool
	Volume   *k8sVolume
}

// k8sPod checks what every ecssim Job's pod needs and returns its one
// container and its mounts; problems are reported against file.
func k8sPod(t *testing.T, file string, job *k8sJob) (k8sContainer, []k8sMount) {
	t.Helper()
	if job.APIVersion != "batch/v1" || job.Kind != "Job" {
		t.Errorf("%s: apiVersion/kind = %s/%s, want batch/v1/Job", file, job.APIVersion, job.Kind)
	}
	if job.Metadata.Name == "" {
		t.Errorf("%s: metadata.name is empty", file)
	}
	pod := job.Spec.Template.Spec
	switch pod.RestartPolicy {
	case "Never":
	case "OnFailure":
		if job.Spec.PodFailurePolicy != nil {
			t.Errorf("%s: spec.template.spec.restartPolicy = OnFailure, but spec.podFailurePolicy needs Never", file)
		}
	default:
		t.Errorf("%s: spec.template.spec.restartPolicy = %q, want Never or OnFailure (a Job's pods may not restart Always)", file, pod.RestartPolicy)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%s: spec.template.spec.containers has %d entries, want one (ecssim)", file, len(pod.Containers))
	}
	c := pod.Containers[0]
	if c.Image == "" {
		t.Errorf("%s: spec.template.spec.containers[0].image is empty", file)
	}
	if len(c.Command) != 0 {
		t.Errorf("%s: containers[0].command = %q overrides the image's ENTRYPOINT /ecssim; give args only", file, c.Command)
	}
	for _, e := range c.Env {
		if slices.Contains(shardIndexEnv, e.Name) {
			t.Errorf("%s: containers[0].env sets %s, which the batch engine sets per shard", file, e.Name)
		}
	}
	if pfp := job.Spec.PodFailurePolicy; pfp != nil {
		for i, r := range pfp.Rules {
			if r.OnExitCodes != nil && r.OnExitCodes.ContainerName != "" && r.OnExitCodes.ContainerName != c.Name {
				t.Errorf("%s: spec.podFailurePolicy.rules[%d].onExitCodes.containerName = %q, but the container is %q", file, i, r.OnExitCodes.ContainerName, c.Name)
			}
		}
	}
	vols := map[string]*k8sVolume{}
	for i := range pod.Volumes {
		v := &pod.Volumes[i]
		if vols[v.Name] != nil {
			t.Errorf("%s: spec.template.spec.volumes has %q twice", file, v.Name)
		}
		vols[v.Name] = v
	}
	var mounts []k8sMount
	used := map[string]bool{}
	for i, m := range c.VolumeMounts {
		v := vols[m.Name]
		if v == nil {
			t.Errorf("%s: containers[0].volumeMounts[%d].name = %q, not in spec.template.spec.volumes", file, i, m.Name)
			continue
		}
		if m.SubPath != "" {
			t.Errorf("%s: containers[0].volumeMounts[%d].subPath is set; the checks here assume whole-volume mounts", file, i)
		}
		used[m.Name] = true
		mounts = append(mounts, k8sMount{Path: m.MountPath, ReadOnly: m.ReadOnly, Volume: v})
	}
	for name := range vols {
		if !used[name] {
			t.Errorf("%s: spec.template.spec.volumes[%q] is mounted by no container", file, name)
		}
	}
	return c, mounts
}

// k8sMountOf returns the mount a container path lies on: the deepest mount
// path that holds it (a nested mount hides its parent there), or nil.
func k8sMountOf(mounts []k8sMount, p string) *k8sMount {
	var best *k8sMount
	for i := range mounts {
		m := &mounts[i]
		if deployUnder(p, m.Path) && (best == nil || len(path.Clean(m.Path)) > len(path.Clean(best.Path))) {
			best = m
		}
	}
	return best
}

// k8sResultsMount checks that dir is on a writable mount of the claim and
// returns that mount's path.
func k8sResultsMount(t *testing.T, file, field, dir string, mounts []k8sMount, claim string) string {
	t.Helper()
	if !path.IsAbs(dir) {
		t.Errorf("%s: %s %q is not an absolute path", file, field, dir)
	}
	m := k8sMountOf(mounts, dir)
	switch {
	case m == nil:
		t.Errorf("%s: %s %q is under no volumeMounts[].mountPath: the shards' run files would stay in the pod", file, field, dir)
		return ""
	case m.Volume.PersistentVolumeClaim == nil:
		t.Errorf("%s: %s %q is on volume %q, which is not a persistentVolumeClaim", file, field, dir, m.Volume.Name)
	case m.Volume.PersistentVolumeClaim.ClaimName != claim:
		t.Errorf("%s: %s %q is on claim %q, but %s names the claim %q", file, field, dir, m.Volume.PersistentVolumeClaim.ClaimName, deployK8sPVC, claim)
	case m.ReadOnly || m.Volume.PersistentVolumeClaim.ReadOnly:
		t.Errorf("%s: %s %q is on a read-only mount %s", file, field, dir, m.Path)
	}
	return m.Path
}

// deployK8s is what the Kubernetes manifests say, for the cross-checks of
// other tests.
type deployK8s struct {
	Image        string // the sweep Job's image
	Shards       int
	ResultsMount string // mountPath of the results claim
	ConfigMap    string // the study's ConfigMap
	StudyKey     string // the study's key in it
}

// checkDeployK8s checks the three Kubernetes manifests and returns what
// they say.
func checkDeployK8s(t *testing.T) deployK8s {
	t.Helper()
	var out deployK8s

	var pvc k8sPVC
	deployYAML(t, deployK8sPVC, &pvc)
	if pvc.APIVersion != "v1" || pvc.Kind != "PersistentVolumeClaim" {
		t.Errorf("%s: apiVersion/kind = %s/%s, want v1/PersistentVolumeClaim", deployK8sPVC, pvc.APIVersion, pvc.Kind)
	}
	if pvc.Metadata.Name == "" {
		t.Errorf("%s: metadata.name is empty", deployK8sPVC)
	}
	if !slices.Contains(pvc.Spec.AccessModes, "ReadWriteMany") {
		t.Errorf("%s: spec.accessModes = %q, want ReadWriteMany: every shard's pod writes the same directory at once", deployK8sPVC, pvc.Spec.AccessModes)
	}
	if pvc.Spec.Resources.Requests["storage"] == "" {
		t.Errorf("%s: spec.resources.requests.storage is empty (the API requires it)", deployK8sPVC)
	}

	// The sweep: an Indexed Job whose shard count is the N of auto/N.
	var job k8sJob
	deployYAML(t, deployK8sJob, &job)
	c, mounts := k8sPod(t, deployK8sJob, &job)
	out.Image = c.Image
	if job.Spec.CompletionMode != "Indexed" {
		t.Errorf("%s: spec.completionMode = %q, want Indexed (JOB_COMPLETION_INDEX is set only for Indexed Jobs)", deployK8sJob, job.Spec.CompletionMode)
	}
	args, err := parseDeploySweep(c.Args)
	if err != nil || args.Merge {
		t.Fatalf("%s: spec.template.spec.containers[0].args: %v (merge %v)", deployK8sJob, err, args.Merge)
	}
	out.Shards = args.Shards
	switch {
	case job.Spec.Completions == nil:
		t.Errorf("%s: spec.completions is missing, want N = %d of --shard %s", deployK8sJob, args.Shards, args.Shard)
	case *job.Spec.Completions != args.Shards:
		t.Errorf("%s: spec.completions = %d, want N = %d of args --shard %s (index I of shard I/N is 0..completions-1)", deployK8sJob, *job.Spec.Completions, args.Shards, args.Shard)
	}
	if p := job.Spec.Parallelism; p == nil || *p < 1 || *p > args.Shards {
		t.Errorf("%s: spec.parallelism = %v, want 1..%d (at most one pod per shard)", deployK8sJob, deployIntText(p), args.Shards)
	}
	if job.Spec.BackoffLimit == nil && job.Spec.BackoffLimitPerIndex == nil {
		t.Errorf("%s: spec: neither backoffLimit nor backoffLimitPerIndex is set; a failed shard would get the default 6 retries shared by all shards", deployK8sJob)
	}
	if job.Spec.PodFailurePolicy == nil {
		t.Errorf("%s: spec.podFailurePolicy is missing: exit code 2 (invalid study) should fail the Job, not be retried", deployK8sJob)
	}
	out.ResultsMount = k8sResultsMount(t, deployK8sJob, "args --out", args.Dir, mounts, pvc.Metadata.Name)
	if m := k8sMountOf(mounts, args.Study); m == nil || m.Volume.ConfigMap == nil {
		t.Errorf("%s: args study file %q is on no configMap volume mount", deployK8sJob, args.Study)
	} else {
		out.ConfigMap = m.Volume.ConfigMap.Name
		out.StudyKey = path.Base(args.Study)
		if path.Dir(path.Clean(args.Study)) != path.Clean(m.Path) {
			t.Errorf("%s: args study file %q is not directly in the ConfigMap mount %s (a ConfigMap key has no directories)", deployK8sJob, args.Study, m.Path)
		}
		if items := m.Volume.ConfigMap.Items; len(items) > 0 && !slices.ContainsFunc(items, func(it k8sKeyToPath) bool { return it.Path == out.StudyKey }) {
			t.Errorf("%s: volumes[%q].configMap.items maps no key to %q", deployK8sJob, m.Volume.Name, out.StudyKey)
		}
	}
	// --parallel 0 defers to the study, whose 0 is GOMAXPROCS: the pod's
	// CPU limit then decides how many runs share its CPU request.
	if c.Resources.Requests["cpu"] == "" || c.Resources.Requests["memory"] == "" {
		t.Errorf("%s: containers[0].resources.requests = %v, want cpu and memory", deployK8sJob, c.Resources.Requests)
	}
	if args.Parallel == "0" && c.Resources.Limits["cpu"] == "" {
		t.Errorf("%s: args --parallel 0 runs GOMAXPROCS runs at once, but containers[0].resources.limits.cpu is unset, so GOMAXPROCS is the node's core count, not the %s CPUs requested", deployK8sJob, c.Resources.Requests["cpu"])
	}

	// The merge: one pod, `sweep merge` of the sweep's --out, on the same claim.
	var merge k8sJob
	deployYAML(t, deployK8sMerge, &merge)
	mc, mmounts := k8sPod(t, deployK8sMerge, &merge)
	if merge.Spec.CompletionMode == "Indexed" || (merge.Spec.Completions != nil && *merge.Spec.Completions != 1) {
		t.Errorf("%s: spec.completionMode/completions = %q/%s, want one NonIndexed completion", deployK8sMerge, merge.Spec.CompletionMode, deployIntText(merge.Spec.Completions))
	}
	if merge.Metadata.Name == job.Metadata.Name {
		t.Errorf("%s: metadata.name %q is the sweep Job's name", deployK8sMerge, merge.Metadata.Name)
	}
	margs, err := parseDeploySweep(mc.Args)
	switch {
	case err != nil:
		t.Errorf("%s: containers[0].args: %v", deployK8sMerge, err)
	case !margs.Merge:
		t.Errorf("%s: containers[0].args = %q, want sweep merge DIR", deployK8sMerge, mc.Args)
	case path.Clean(margs.Dir) != path.Clean(args.Dir):
		t.Errorf("%s: containers[0].args DIR = %q, want the sweep Job's --out %q", deployK8sMerge, margs.Dir, args.Dir)
	default:
		k8sResultsMount(t, deployK8sMerge, "args DIR", margs.Dir, mmounts, pvc.Metadata.Name)
	}
	if mc.Image != c.Image {
		t.Errorf("%s: containers[0].image = %q, want the sweep Job's %q", deployK8sMerge, mc.Image, c.Image)
	}
	return out
}

func deployIntText(p *int) string {
	if p == nil {
		return "<unset>"
	}
	return strconv.Itoa(*p)
}

func TestDeployKubernetes(t *testing.T) {
	k := checkDeployK8s(t)
	readme := string(deployRead(t, deployReadme))
	// The ConfigMap the Job mounts is the one README tells to create, with
	// the study under the key the args name.
	if k.ConfigMap != "" {
		create := "kubectl create configmap " + k.ConfigMap
		if !strings.Contains(readme, create) {
			t.Errorf("%s: no %q command for the ConfigMap %s mounts", deployReadme, create, deployK8sJob)
		}
		if key := "--from-file=" + k.StudyKey + "="; !strings.Contains(readme, key) {
			t.Errorf("%s: the ConfigMap command has no %q key, the study file %s args name", deployReadme, key, deployK8sJob)
		}
	}
	for _, f := range []string{deployK8sPVC, deployK8sJob, deployK8sMerge} {
		if !strings.Contains(readme, "kubectl apply -f "+f) {
			t.Errorf("%s: no \"kubectl apply -f %s\"", deployReadme, f)
		}
	}
}

// ---- AWS Batch ----------------------------------------------------------------

// The AWS Batch types model the subset of the RegisterJobDefinition and
// SubmitJob request bodies the files use, with the API's field names,
// decoded strictly like the Kubernetes ones.
type batchJobDefinition struct {
	JobDefinitionName    string              `json:"jobDefinitionName"`
	Type                 string              `json:"type"`
	PlatformCapabilities []string            `json:"platformCapabilities"`
	ContainerProperties  *batchContainer     `json:"containerProperties"`
	RetryStrategy        *batchRetryStrategy `json:"retryStrategy"`
	Timeout              *struct {
		AttemptDurationSeconds int `json:"attemptDurationSeconds"`
	} `json:"timeout"`
	Parameters         map[string]string `json:"parameters"`
	PropagateTags      bool              `json:"propagateTags"`
	Tags               map[string]string `json:"tags"`
	SchedulingPriority *int              `json:"schedulingPriority"`
}

type batchContainer struct {
	Image                string          `json:"image"`
	Command              []string        `json:"command"`
	JobRoleArn           string          `json:"jobRoleArn"`
	ExecutionRoleArn     string          `json:"executionRoleArn"`
	ResourceRequirements []batchResource `json:"resourceRequirements"`
	Environment          []batchEnv      `json:"environment"`
	RuntimePlatform      *struct {
		OperatingSystemFamily string `json:"operatingSystemFamily"`
		CPUArchitecture       string `json:"cpuArchitecture"`
	} `json:"runtimePlatform"`
	FargatePlatformConfiguration *struct {
		PlatformVersion string `json:"platformVersion"`
	} `json:"fargatePlatformConfiguration"`
	NetworkConfiguration *struct {
		AssignPublicIP string `json:"assignPublicIp"`
	} `json:"networkConfiguration"`
	ReadonlyRootFilesystem bool              `json:"readonlyRootFilesystem"`
	User                   string            `json:"user"`
	Volumes                []batchVolume     `json:"volumes"`
	MountPoints            []batchMountPoint `json:"mountPoints"`
	LogConfiguration       map[string]any    `json:"logConfiguration"`
	EphemeralStorage       *struct {
		SizeInGiB int `json:"sizeInGiB"`
	} `json:"ephemeralStorage"`
}

type batchResource struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

type batchEnv struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type batchVolume struct {
	Name string `json:"name"`
	Host *struct {
		SourcePath string `json:"sourcePath"`
	} `json:"host"`
	EfsVolumeConfiguration *struct {
		FileSystemID          string `json:"fileSystemId"`
		RootDirectory         string `json:"rootDirectory"`
		TransitEncryption     string `json:"transitEncryption"`
		TransitEncryptionPort *int   `json:"transitEncryptionPort"`
		AuthorizationConfig   *struct {
			AccessPointID string `json:"accessPointId"`
			IAM           string `json:"iam"`
		} `json:"authorizationConfig"`
	} `json:"efsVolumeConfiguration"`
}

type batchMountPoint struct {
	SourceVolume  string `json:"sourceVolume"`
	ContainerPath string `json:"containerPath"`
	ReadOnly      bool   `json:"readOnly"`
}

type batchRetryStrategy struct {
	Attempts       int `json:"attempts"`
	EvaluateOnExit []struct {
		OnStatusReason string `json:"onStatusReason"`
		OnReason       string `json:"onReason"`
		OnExitCode     string `json:"onExitCode"`
		Action         string `json:"action"`
	} `json:"evaluateOnExit"`
}

type batchSubmitJob struct {
	JobName         string `json:"jobName"`
	JobQueue        string `json:"jobQueue"`
	JobDefinition   string `json:"jobDefinition"`
	ArrayProperties *struct {
		Size int `json:"size"`
	} `json:"arrayProperties"`
	DependsOn []struct {
		JobID string `json:"jobId"`
		Type  string `json:"type"`
	} `json:"dependsOn"`
	ContainerOverrides *struct {
		Command              []string        `json:"command"`
		Environment          []batchEnv      `json:"environment"`
		ResourceRequirements []batchResource `json:"resourceRequirements"`
	} `json:"containerOverrides"`
	Parameters    map[string]string   `json:"parameters"`
	RetryStrategy *batchRetryStrategy `json:"retryStrategy"`
	Timeout       *struct {
		AttemptDurationSeconds int `json:"attemptDurationSeconds"`
	} `json:"timeout"`
	PropagateTags *bool             `json:"propagateTags"`
	Tags          map[string]string `json:"tags"`
}

// deployJSON decodes file into v, rejecting unknown fields and trailing data.
func deployJSON(t *testing.T, file string, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(deployRead(t, file)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if dec.More() {
		t.Fatalf("%s: data after the JSON object", file)
	}
}

// fargateMemory lists the MEMORY values (MiB) Fargate accepts for each
// VCPU value, from the AWS Batch API reference, ResourceRequirement
// ("value": the supported VCPU and MEMORY combinations on Fargate).
var fargateMemory = map[string][3]int{ // {from, to, step}
	"0.25": {512, 2048, 0}, // 512, 1024 or 2048
	"0.5":  {1024, 4096, 1024},
	"1":    {2048, 8192, 1024},
	"2":    {4096, 16384, 1024},
	"4":    {8192, 30720, 1024},
	"8":    {16384, 61440, 4096},
	"16":   {32768, 122880, 8192},
}

func fargateSizeOK(vcpu, memory string) bool {
	r, ok := fargateMemory[vcpu]
	m, err := strconv.Atoi(memory)
	if !ok || err != nil || m < r[0] || m > r[1] {
		return false
	}
	if r[2] == 0 {
		return m == 512 || m == 1024 || m == 2048
	}
	return (m-r[0])%r[2] == 0
}

func TestDeployFargateSizes(t *testing.T) {
	for _, c := range []struct {
		vcpu, mem string
		want      bool
	}{
		{"2", "4096", true}, {"2", "16384", true}, {"2", "2048", false}, {"2", "4500", false},
		{"1", "2048", true}, {"0.25", "1536", false}, {"8", "20480", true}, {"8", "17408", false}, {"3", "6144", false},
	} {
		if got := fargateSizeOK(c.vcpu, c.mem); got != c.want {
			t.Errorf("fargateSizeOK(%s vCPU, %s MiB) = %v, want %v", c.vcpu, c.mem, got, c.want)
		}
	}
}

// batchSize returns the VCPU and MEMORY of reqs, overridden by over.
func batchSize(reqs, over []batchResource) (vcpu, memory string) {
	for _, rs := range [][]batchResource{reqs, over} {
		for _, r := range rs {
			switch r.Type {
			case "VCPU":
				vcpu = r.Value
			case "MEMORY":
				memory = r.Value
			}
		}
	}
	return vcpu, memory
}

// batchMountOf returns the mount point a container path lies on (the
// deepest that holds it) and its volume, or nils.
func batchMountOf(c *batchContainer, p string) (*batchMountPoint, *batchVolume) {
	var best *batchMountPoint
	for i := range c.MountPoints {
		m := &c.MountPoints[i]
		if deployUnder(p, m.ContainerPath) && (best == nil || len(path.Clean(m.ContainerPath)) > len(path.Clean(best.ContainerPath))) {
			best = m
		}
	}
	if best == nil {
		return nil, nil
	}
	for i := range c.Volumes {
		if c.Volumes[i].Name == best.SourceVolume {
			return best, &c.Volumes[i]
		}
	}
	return best, nil
}

// batchResultsMount checks that dir is on a writable EFS mount point of c.
func batchResultsMount(t *testing.T, file, field, dir string, c *batchContainer) {
	t.Helper()
	if !path.IsAbs(dir) {
		t.Errorf("%s: %s %q is not an absolute path", file, field, dir)
	}
	m, v := batchMountOf(c, dir)
	switch {
	case m == nil:
		t.Errorf("%s: %s %q is under no containerProperties.mountPoints[].containerPath: the run files would stay in the container", file, field, dir)
	case v == nil:
		t.Errorf("%s: %s %q is on mount point %s, whose sourceVolume %q is not in containerProperties.volumes", file, field, dir, m.ContainerPath, m.SourceVolume)
	case v.EfsVolumeConfiguration == nil:
		t.Errorf("%s: %s %q is on volume %q, which has no efsVolumeConfiguration (every shard must see the same directory)", file, field, dir, v.Name)
	case m.ReadOnly:
		t.Errorf("%s: %s %q is on a read-only mount point %s", file, field, dir, m.ContainerPath)
	}
}

// deployBatch is what the AWS Batch files say.
type deployBatch struct {
	Image  string
	Shards int
}

func checkDeployBatch(t *testing.T) deployBatch {
	t.Helper()
	var def batchJobDefinition
	deployJSON(t, deployBatchJobDef, &def)
	if def.JobDefinitionName == "" {
		t.Errorf("%s: jobDefinitionName is empty", deployBatchJobDef)
	}
	if def.Type != "container" {
		t.Errorf("%s: type = %q, want container", deployBatchJobDef, def.Type)
	}
	fargate := slices.Equal(def.PlatformCapabilities, []string{"FARGATE"})
	if !fargate && !slices.Equal(def.PlatformCapabilities, []string{"EC2"}) {
		t.Errorf("%s: platformCapabilities = %q, want [FARGATE] or [EC2]", deployBatchJobDef, def.PlatformCapabilities)
	}
	c := def.ContainerProperties
	if c == nil {
		t.Fatalf("%s: containerProperties is missing", deployBatchJobDef)
	}
	if c.Image == "" {
		t.Errorf("%s: containerProperties.image is empty", deployBatchJobDef)
	}
	for _, e := range c.Environment {
		if slices.Contains(shardIndexEnv, e.Name) {
			t.Errorf("%s: containerProperties.environment sets %s, which AWS Batch sets per child", deployBatchJobDef, e.Name)
		}
	}
	// Volumes and mount points refer to each other.
	vols := map[string]bool{}
	for i, v := range c.Volumes {
		if vols[v.Name] {
			t.Errorf("%s: containerProperties.volumes has %q twice", deployBatchJobDef, v.Name)
		}
		vols[v.Name] = true
		if e := v.EfsVolumeConfiguration; e != nil {
			if e.FileSystemID == "" {
				t.Errorf("%s: containerProperties.volumes[%d].efsVolumeConfiguration.fileSystemId is empty", deployBatchJobDef, i)
			}
			// AWS Batch API reference, EFSVolumeConfiguration and
			// EFSAuthorizationConfig: an access point needs transit
			// encryption, and rootDirectory omitted or "/" (the access
			// point's path is used); so does IAM authorization.
			if a := e.AuthorizationConfig; a != nil && (a.AccessPointID != "" || a.IAM == "ENABLED") {
				if e.TransitEncryption != "ENABLED" {
					t.Errorf("%s: containerProperties.volumes[%d].efsVolumeConfiguration.transitEncryption = %q, want ENABLED with an access point or IAM", deployBatchJobDef, i, e.TransitEncryption)
				}
				if a.AccessPointID != "" && e.RootDirectory != "" && e.RootDirectory != "/" {
					t.Errorf("%s: containerProperties.volumes[%d].efsVolumeConfiguration.rootDirectory = %q, want it omitted or \"/\" with an access point", deployBatchJobDef, i, e.RootDirectory)
				}
			}
		}
	}
	for i, m := range c.MountPoints {
		if !vols[m.SourceVolume] {
			t.Errorf("%s: containerProperties.mountPoints[%d].sourceVolume = %q, not in containerProperties.volumes", deployBatchJobDef, i, m.SourceVolume)
		}
	}
	if fargate {
		if c.ExecutionRoleArn == "" {
			t.Errorf("%s: containerProperties.executionRoleArn is empty; Fargate needs it to pull the image and write logs", deployBatchJobDef)
		}
		if v, m := batchSize(c.ResourceRequirements, nil); !fargateSizeOK(v, m) {
			t.Errorf("%s: containerProperties.resourceRequirements VCPU %q, MEMORY %q is not a Fargate size", deployBatchJobDef, v, m)
		}
	} else if v, m := batchSize(c.ResourceRequirements, nil); v == "" || m == "" {
		t.Errorf("%s: containerProperties.resourceRequirements VCPU %q, MEMORY %q: want both", deployBatchJobDef, v, m)
	}
	if rs := def.RetryStrategy; rs != nil && (rs.Attempts < 1 || rs.Attempts > 10) {
		t.Errorf("%s: retryStrategy.attempts = %d, want 1..10", deployBatchJobDef, rs.Attempts)
	}
	defOK := func(file, name string) {
		if n, _, _ := strings.Cut(name, ":"); n != def.JobDefinitionName && !strings.Contains(name, ":job-definition/"+def.JobDefinitionName) {
			t.Errorf("%s: jobDefinition = %q, want %s's jobDefinitionName %q", file, name, deployBatchJobDef, def.JobDefinitionName)
		}
	}

	// The array job: one child per shard.
	var sub batchSubmitJob
	deployJSON(t, deployBatchSubmit, &sub)
	defOK(deployBatchSubmit, sub.JobDefinition)
	command, field := c.Command, deployBatchJobDef+": containerProperties.command"
	if o := sub.ContainerOverrides; o != nil && len(o.Command) > 0 {
		command, field = o.Command, deployBatchSubmit+": containerOverrides.command"
	}
	args, err := parseDeploySweep(command)
	if err != nil || args.Merge {
		t.Fatalf("%s: %v (merge %v)", field, err, args.Merge)
	}
	switch {
	case sub.ArrayProperties == nil:
		t.Errorf("%s: arrayProperties is missing, want size = N = %d of --shard %s", deployBatchSubmit, args.Shards, args.Shard)
	case sub.ArrayProperties.Size != args.Shards:
		t.Errorf("%s: arrayProperties.size = %d, want N = %d of --shard %s in %s", deployBatchSubmit, sub.ArrayProperties.Size, args.Shards, args.Shard, field)
	case sub.ArrayProperties.Size < 2 || sub.ArrayProperties.Size > 10000:
		t.Errorf("%s: arrayProperties.size = %d; AWS Batch array jobs have 2 to 10,000 children", deployBatchSubmit, sub.ArrayProperties.Size)
	}
	batchResultsMount(t, field, "--out", args.Dir, c)
	if m, v := batchMountOf(c, args.Study); m == nil || v == nil {
		t.Errorf("%s: the study file %q is on no mount point with a volume", field, args.Study)
	}

	// The merge: depends on the array job, merges its --out.
	var merge batchSubmitJob
	deployJSON(t, deployBatchMerge, &merge)
	defOK(deployBatchMerge, merge.JobDefinition)
	if merge.JobQueue != sub.JobQueue {
		t.Errorf("%s: jobQueue = %q, want the array job's %q", deployBatchMerge, merge.JobQueue, sub.JobQueue)
	}
	if merge.ArrayProperties != nil {
		t.Errorf("%s: arrayProperties is set; the merge is one job", deployBatchMerge)
	}
	if len(merge.DependsOn) == 0 {
		t.Errorf("%s: dependsOn is empty; the merge must wait for the array job", deployBatchMerge)
	}
	for i, d := range merge.DependsOn {
		if d.JobID == "" {
			t.Errorf("%s: dependsOn[%d].jobId is empty", deployBatchMerge, i)
		}
		if d.Type != "" {
			t.Errorf("%s: dependsOn[%d].type = %q; N_TO_N and SEQUENTIAL are for array jobs, the merge waits for the whole array job without a type", deployBatchMerge, i, d.Type)
		}
	}
	if merge.ContainerOverrides == nil {
		t.Fatalf("%s: containerOverrides is missing; it must run sweep merge DIR", deployBatchMerge)
	}
	margs, err := parseDeploySweep(merge.ContainerOverrides.Command)
	switch {
	case err != nil:
		t.Errorf("%s: containerOverrides.command: %v", deployBatchMerge, err)
	case !margs.Merge:
		t.Errorf("%s: containerOverrides.command = %q, want sweep merge DIR", deployBatchMerge, merge.ContainerOverrides.Command)
	case path.Clean(margs.Dir) != path.Clean(args.Dir):
		t.Errorf("%s: containerOverrides.command DIR = %q, want the array job's --out %q", deployBatchMerge, margs.Dir, args.Dir)
	default:
		batchResultsMount(t, deployBatchMerge, "containerOverrides.command DIR", margs.Dir, c)
	}
	if v, m := batchSize(c.ResourceRequirements, merge.ContainerOverrides.ResourceRequirements); fargate && !fargateSizeOK(v, m) {
		t.Errorf("%s: containerOverrides.resourceRequirements VCPU %q, MEMORY %q is not a Fargate size", deployBatchMerge, v, m)
	}
	return deployBatch{Image: c.Image, Shards: args.Shards}
}

func TestDeployAWSBatch(t *testing.T) {
	b := checkDeployBatch(t)
	readme := string(deployRead(t, deployReadme))
	for _, s := range []string{
		"aws batch register-job-definition --cli-input-json file://" + deployBatchJobDef,
		"aws batch submit-job --cli-input-json file://" + deployBatchSubmit,
		"aws batch submit-job --cli-input-json file://" + deployBatchMerge,
		"--depends-on jobId=",
		"aws s3 sync",
	} {
		if !strings.Contains(readme, s) {
			t.Errorf("%s: does not document %q", deployReadme, s)
		}
	}
	if b.Shards == 0 {
		t.Errorf("%s: no shard count found", deployBatchJobDef)
	}
}

// TestDeployAgree checks the files against each other: one image name, and
// the Kubernetes results mount is the image's VOLUME.
func TestDeployAgree(t *testing.T) {
	k := checkDeployK8s(t)
	b := checkDeployBatch(t)
	d := checkDeployDockerfile(t)
	readme := string(deployRead(t, deployReadme))
	if deployImageName(k.Image) != deployImageName(b.Image) {
		t.Errorf("%s: containers[0].image %q and %s: containerProperties.image %q name different images", deployK8sJob, k.Image, deployBatchJobDef, b.Image)
	}
	// The manifests' image is a placeholder; README must say how it is
	// built and pushed.
	if !strings.Contains(readme, "docker build -f "+deployDockerfile) {
		t.Errorf("%s: no \"docker build -f %s\" (the build context is the repository root)", deployReadme, deployDockerfile)
	}
	if !strings.Contains(readme, "-t "+k.Image) {
		t.Errorf("%s: the docker build command does not tag %q, the image %s names", deployReadme, k.Image, deployK8sJob)
	}
	if !strings.Contains(readme, "docker push") {
		t.Errorf("%s: does not document pushing the image (docker push)", deployReadme)
	}
	if k.ResultsMount != "" && !slices.Contains(d.Volumes, path.Clean(k.ResultsMount)) {
		t.Errorf("%s: the results claim is mounted at %s, but %s declares VOLUME %q", deployK8sJob, k.ResultsMount, deployDockerfile, d.Volumes)
	}
	if k.Shards != b.Shards {
		t.Logf("%s shards into %d and %s into %d (allowed: each engine's file is consistent on its own)", deployK8sJob, k.Shards, deployBatchJobDef, b.Shards)
	}
}

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

// ---- GNU parallel ---------------------------------------------------------------

func deployBash(t *testing.T) string {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skipf("bash not found: %s cannot be checked (%v)", deployParallelSh, err)
	}
	return bash
}

func TestDeployGNUParallelScript(t *testing.T) {
	bash := deployBash(t)
	script := filepath.Join(deployRoot, filepath.FromSlash(deployParallelSh))
	src := string(deployRead(t, deployParallelSh))
	if !strings.HasPrefix(src, "#!/usr/bin/env bash\n") && !strings.HasPrefix(src, "#!/bin/bash\n") {
		t.Errorf("%s: the first line is not a bash shebang", deployParallelSh)
	}
	if !strings.Contains(src, "\nset -euo pipefail\n") {
		t.Errorf("%s: no \"set -euo pipefail\" line", deployParallelSh)
	}
	if fi, err := os.Stat(script); err == nil && fi.Mode()&0o111 == 0 {
		t.Errorf("%s: not executable (mode %v)", deployParallelSh, fi.Mode())
	}
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Errorf("%s: bash -n: %v\n%s", deployParallelSh, err, out)
	}
	// Missing arguments: the usage on stderr, exit code 2 (invalid usage).
	for _, args := range [][]string{nil, {"s.toml", "out"}, {"s.toml", "out", "0"}, {"s.toml", "out", "x"}} {
		cmd := exec.Command(bash, append([]string{script}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(stderr.String(), "usage: gnu-parallel.sh STUDY.toml DIR N") {
			t.Errorf("%s %q: %v, stderr %q; want exit 2 and the usage", deployParallelSh, args, err, stderr.String())
		}
	}
}

// TestDeployGNUParallelRuns runs the script with a stand-in for ecssim
// that logs its arguments: N shard commands, then the merge after them
// all, and no merge when a shard fails.
func TestDeployGNUParallelRuns(t *testing.T) {
	bash := deployBash(t)
	if _, err := exec.LookPath("parallel"); err != nil {
		t.Skipf("GNU parallel not installed (Debian package parallel): %s's shard runs are not exercised", deployParallelSh)
	}
	script, err := filepath.Abs(filepath.Join(deployRoot, filepath.FromSlash(deployParallelSh)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fake := filepath.Join(dir, "ecssim")
	// One line per call, arguments separated by "|"; $4 is the --shard value.
	if err := os.WriteFile(fake, []byte(`#!/usr/bin/env bash
printf '%s|' "$@" >> "$FAKE_LOG"; printf '\n' >> "$FAKE_LOG"
if [ -n "${FAKE_FAIL:-}" ] && [ "${4:-}" = "$FAKE_FAIL" ]; then exit 1; fi
`), 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(fail string, args ...string) ([]string, error) {
		log := filepath.Join(dir, "log"+fail)
		cmd := exec.Command(bash, append([]string{script}, args...)...)
		cmd.Dir = dir
		var env []string
		for _, e := range os.Environ() {
			if name, _, _ := strings.Cut(e, "="); name != "PARALLEL" && name != "ECSSIM_PARALLEL" {
				env = append(env, e)
			}
		}
		cmd.Env = append(env, "ECSSIM="+fake, "FAKE_LOG="+log, "FAKE_FAIL="+fail)
		out, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(log)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if err != nil {
			err = fmt.Errorf("%v\n%s", err, out)
		}
		return lines, err
	}

	// A study path with a space: the shard command must keep it one argument.
	lines, err := run("", "my study.toml", "out", "3")
	if err != nil {
		t.Fatalf("%s \"my study.toml\" out 3: %v", deployParallelSh, err)
	}
	want := []string{
		"sweep|my study.toml|--shard|0/3|--out|out|--quiet|",
		"sweep|my study.toml|--shard|1/3|--out|out|--quiet|",
		"sweep|my study.toml|--shard|2/3|--out|out|--quiet|",
		"sweep|merge|out|",
	}
	if len(lines) != len(want) {
		t.Fatalf("%s: ecssim was called %q, want %q", deployParallelSh, lines, want)
	}
	shards := slices.Clone(lines[:3]) // the shards run in any order
	sort.Strings(shards)
	if !slices.Equal(append(shards, lines[3]), want) {
		t.Errorf("%s: ecssim was called %q, want the shards %q in any order, then %q", deployParallelSh, lines, want[:3], want[3])
	}

	lines, err = run("1/2", "s.toml", "o", "2")
	if err == nil {
		t.Errorf("%s: a failing shard: exit 0, want an error", deployParallelSh)
	}
	if slices.Contains(lines, "sweep|merge|o|") {
		t.Errorf("%s: a shard failed, but merge ran: %q", deployParallelSh, lines)
	}
}

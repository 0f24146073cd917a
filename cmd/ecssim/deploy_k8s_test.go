package main

// Static checks of the Kubernetes Indexed Job, its results claim and the merge Job (see deploy_test.go).

import (
	"bytes"
	"errors"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

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

package main

// Static checks of the AWS Batch job definition and the array and merge submissions (see deploy_test.go).

import (
	"bytes"
	"encoding/json"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

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

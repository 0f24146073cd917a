package pricing

// InstanceType holds the facts about an EC2 instance type that placement and
// registration need.
type InstanceType struct {
	Name      string  // "m6i.xlarge"
	Family    string  // "m6i"
	VCPU      int     // vCPUs
	MemoryGiB float64 // memory in GiB
	// Arch is the ECS attribute ecs.cpu-architecture value: "x86_64" or "arm64".
	Arch string
	// MaxENIs is the maximum number of network interfaces of the instance.
	MaxENIs int
	// IPv4PerENI is the number of IPv4 addresses per network interface.
	IPv4PerENI int
	// TrunkENIs is the ECS awsvpc trunking task ENI limit; 0 means the type
	// does not support trunking (for example t3).
	TrunkENIs int
	// Source says where the row comes from, with its date.
	Source string
}

// TaskENIs returns the number of awsvpc tasks the instance can hold by
// network interfaces: MaxENIs-1 (the primary interface belongs to the
// instance), or TrunkENIs when trunking is on and the type supports it.
// Source: ECS Developer Guide [task-networking-awsvpc], [container-instance-eni].
func (t InstanceType) TaskENIs(trunking bool) int {
	if trunking && t.TrunkENIs > 0 {
		return t.TrunkENIs
	}
	if t.MaxENIs < 1 {
		return 0
	}
	return t.MaxENIs - 1
}

// RegisteredCPU returns the CPU units the instance registers with ECS:
// VCPU × 1024.
func (t InstanceType) RegisteredCPU() int { return t.VCPU * 1024 }

// RegisteredMemory returns the memory in MiB the instance registers with
// ECS: MemoryGiB × 1024 − reservedMiB (ECS_RESERVED_MEMORY).
//
// Model assumption: the agent registers the full nominal memory less the
// reservation (the real agent registers somewhat less, as the OS takes its
// share); SCENARIO.md "Identity". The result is never negative.
func (t InstanceType) RegisteredMemory(reservedMiB int) int {
	m := int(t.MemoryGiB*1024) - reservedMiB
	if m < 0 {
		return 0
	}
	return m
}

// Sources of the instance-type rows.
const (
	srcSpecs = "EC2 User Guide, instance type specifications (vCPU, memory, ENIs: " +
		"'Maximum IP addresses per network interface'), 2026-01"
	srcTrunk = "; trunk task ENIs: ECS Developer Guide [eni-trunking-supported-instance-types], " +
		"m5-class figures, 2026-01 (check before relying on it)"
	srcNoTrunk = "; no awsvpc trunking support (ECS Developer Guide " +
		"[eni-trunking-supported-instance-types]), 2026-01"
	srcOnDemandUSE1 = "Amazon EC2 On-Demand pricing, Linux, us-east-1, 2026-01"
	// Model assumption: us-west-2 Linux on-demand prices for these families
	// equal us-east-1's (AWS publishes the same figures for both regions).
	srcOnDemandUSW2 = "Amazon EC2 On-Demand pricing, Linux, us-west-2 (same as us-east-1 " +
		"for these families), 2026-01"
)

// ec2Regions are the regions where the builtin catalog has EC2 on-demand
// prices. eu-west-1 and eu-central-1 are deliberately absent (see Builtin).
var ec2Regions = []string{"us-east-1", "us-west-2"}

// sizeFacts are the per-size facts shared by the m5, m6i, m7i, c6i, c7i,
// r6i, m6g and m7g families.
type sizeFacts struct {
	suffix     string
	vcpu       int
	maxENIs    int
	ipv4PerENI int
	trunkENIs  int
}

var standardSizes = []sizeFacts{
	{"large", 2, 3, 10, 10},
	{"xlarge", 4, 4, 15, 20},
	{"2xlarge", 8, 4, 15, 40},
	{"4xlarge", 16, 8, 30, 60},
}

// familyRow describes one family: architecture, GiB of memory per vCPU and
// the us-east-1 Linux on-demand price of each size in standardSizes order.
type familyRow struct {
	family     string
	arch       string
	gibPerVCPU float64
	usdPerHour [4]float64
}

var standardFamilies = []familyRow{
	{"m5", "x86_64", 4, [4]float64{0.096, 0.192, 0.384, 0.768}},
	{"m6i", "x86_64", 4, [4]float64{0.096, 0.192, 0.384, 0.768}},
	{"m7i", "x86_64", 4, [4]float64{0.1008, 0.2016, 0.4032, 0.8064}},
	{"c6i", "x86_64", 2, [4]float64{0.085, 0.17, 0.34, 0.68}},
	{"c7i", "x86_64", 2, [4]float64{0.08925, 0.1785, 0.357, 0.714}},
	{"r6i", "x86_64", 8, [4]float64{0.126, 0.252, 0.504, 1.008}},
	{"m6g", "arm64", 4, [4]float64{0.077, 0.154, 0.308, 0.616}},
	{"m7g", "arm64", 4, [4]float64{0.0816, 0.1632, 0.3264, 0.6528}},
}

// ec2Row is one instance type with its us-east-1 on-demand price.
type ec2Row struct {
	typ        InstanceType
	usdPerHour float64 // us-east-1 Linux on-demand
}

// builtinEC2Rows returns the builtin instance types, each with its us-east-1
// Linux on-demand price.
func builtinEC2Rows() []ec2Row {
	var rows []ec2Row
	for _, f := range standardFamilies {
		for i, s := range standardSizes {
			rows = append(rows, ec2Row{
				typ: InstanceType{
					Name:       f.family + "." + s.suffix,
					Family:     f.family,
					VCPU:       s.vcpu,
					MemoryGiB:  float64(s.vcpu) * f.gibPerVCPU,
					Arch:       f.arch,
					MaxENIs:    s.maxENIs,
					IPv4PerENI: s.ipv4PerENI,
					TrunkENIs:  s.trunkENIs,
					Source:     srcSpecs + srcTrunk,
				},
				usdPerHour: f.usdPerHour[i],
			})
		}
	}
	// t3: burstable, no awsvpc trunking.
	t3 := []struct {
		suffix             string
		vcpu               int
		gib                float64
		maxENIs, ipv4PerEN int
		usd                float64
	}{
		{"large", 2, 8, 3, 12, 0.0832},
		{"xlarge", 4, 16, 4, 15, 0.1664},
		{"2xlarge", 8, 32, 4, 15, 0.3328},
	}
	for _, s := range t3 {
		rows = append(rows, ec2Row{
			typ: InstanceType{
				Name:       "t3." + s.suffix,
				Family:     "t3",
				VCPU:       s.vcpu,
				MemoryGiB:  s.gib,
				Arch:       "x86_64",
				MaxENIs:    s.maxENIs,
				IPv4PerENI: s.ipv4PerEN,
				TrunkENIs:  0,
				Source:     srcSpecs + srcNoTrunk,
			},
			usdPerHour: s.usd,
		})
	}
	return rows
}

// BuiltinInstanceTypeNames returns the names of the builtin catalog's
// instance types, sorted.
func BuiltinInstanceTypeNames() []string {
	names := make([]string, 0, 35)
	for _, t := range Builtin().InstanceTypes() {
		names = append(names, t.Name)
	}
	return names
}

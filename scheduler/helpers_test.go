package scheduler

import "fmt"

// instance type facts used by the tests: registered CPU units and MiB as
// the ECS agent reports them (memory below the EC2 figure by the OS share).
type itype struct {
	name     string
	cpu, mem int32
	enis     int32
}

var (
	m6iLarge   = itype{"m6i.large", 2048, 7680, 2}
	m6iXLarge  = itype{"m6i.xlarge", 4096, 15872, 3}
	m6i2XLarge = itype{"m6i.2xlarge", 8192, 31744, 3}
	c6iXLarge  = itype{"c6i.xlarge", 4096, 7680, 3}
	r6iLarge   = itype{"r6i.large", 2048, 15872, 2}
)

// spec builds an InstanceSpec of type it in az, pool 0.
func spec(it itype, az string, serial int) InstanceSpec {
	return InstanceSpec{
		Pool: 0, CPU: it.cpu, Memory: it.mem, TaskENIs: it.enis,
		Attributes: map[string]string{
			AttrAvailabilityZone: az,
			AttrInstanceType:     it.name,
			AttrCPUArchitecture:  "x86_64",
			AttrOSType:           "linux",
		},
		EC2InstanceID: fmt.Sprintf("i-%016x", serial),
	}
}

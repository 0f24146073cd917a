package workloads

import (
	"encoding/csv"
	"io"
	"math"
	"strings"
)

// OpenBStats counts what ReadAlibabaOpenB kept and skipped. Rows is the
// number of tasks returned; Skipped = SkippedGPU + SkippedUnscheduled, and
// Rows + Skipped is the number of pods in the file.
type OpenBStats struct {
	Rows, Skipped, SkippedGPU, SkippedUnscheduled int
}

// openBColumns are the columns ReadAlibabaOpenB reads; others are ignored.
var openBColumns = []string{"cpu_milli", "memory_mib", "num_gpu", "gpu_milli",
	"creation_time", "deletion_time", "scheduled_time"}

// cpuUnitsPerMilli converts Kubernetes milli-CPUs to ECS CPU units: 1000
// milli-CPU = 1 vCPU = 1024 units.
const cpuUnitsPerMilli = 1.024

// ReadAlibabaOpenB reads the pod list of Alibaba's cluster-trace-gpu-v2023
// ("OpenB", openb_pod_list_*.csv), whose header is
//
//	name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
//
// (columns are found by name; the seven used ones must be present). Each
// pod becomes a TaskRow (SCENARIO.md "[[jobs]]", format "alibaba-openb"):
// Submit = creation_time seconds from the scenario start, as given (not
// rebased); Duration = deletion_time − scheduled_time; CPU =
// round(cpu_milli × 1.024) units; Memory = round(memory_mib). A pod is
// skipped and counted as SkippedGPU when num_gpu > 0 or gpu_milli > 0, else
// as SkippedUnscheduled when scheduled_time is empty or 0 or deletion_time
// is empty. The rows are sorted by Submit, ties in file order. A malformed
// number or a deletion before scheduling is a *LineError.
//
// Model assumption: a scheduled_time of 0 means "never scheduled", as the
// brief for this reader says, although a pod created at 0 could have been
// scheduled at 0 (in openb_pod_list_default.csv the only such pod is a GPU
// pod). A pod still running when the trace ends carries the trace's end as
// deletion_time, so its duration is cut there.
func ReadAlibabaOpenB(r io.Reader) ([]TaskRow, OpenBStats, error) {
	var st OpenBStats
	cr := csv.NewReader(stripBOM(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, st, lineErrorf(1, 0, "empty file: want the OpenB pod list header")
	}
	if err != nil {
		return nil, st, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	idx := make([]int, len(openBColumns))
	for i, name := range openBColumns {
		j, ok := col[name]
		if !ok {
			return nil, st, lineErrorf(1, 0, "header: missing column %q", name)
		}
		idx[i] = j
	}
	var rows []TaskRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, st, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, st, lineErrorf(line, 0, "want %d fields as in the header, got %d", len(header), len(rec))
		}
		var v [7]float64
		var empty [7]bool
		for i, j := range idx {
			empty[i] = strings.TrimSpace(rec[j]) == ""
			if v[i], err = nonNegNumber(rec[j], openBColumns[i]); err != nil {
				_, c := cr.FieldPos(j)
				return nil, st, &LineError{Line: line, Column: c, Err: err}
			}
		}
		cpuMilli, memMiB, numGPU, gpuMilli := v[0], v[1], v[2], v[3]
		creation, deletion, scheduled := v[4], v[5], v[6]
		switch {
		case numGPU > 0 || gpuMilli > 0:
			st.SkippedGPU++
			continue
		case empty[6] || scheduled == 0 || empty[5]:
			st.SkippedUnscheduled++
			continue
		}
		if deletion < scheduled {
			return nil, st, lineErrorf(line, 0, "deletion_time %v is before scheduled_time %v", deletion, scheduled)
		}
		if creation > maxSeconds || deletion > maxSeconds {
			return nil, st, lineErrorf(line, 0, "time out of range")
		}
		cpu, mem := math.Round(cpuMilli*cpuUnitsPerMilli), math.Round(memMiB)
		if cpu > math.MaxInt32 || mem > math.MaxInt32 {
			return nil, st, lineErrorf(line, 0, "cpu_milli or memory_mib out of range")
		}
		rows = append(rows, TaskRow{
			Submit:   secondsToDuration(creation),
			Duration: secondsToDuration(deletion) - secondsToDuration(scheduled),
			CPU:      int(cpu),
			Memory:   int(mem),
		})
	}
	sortBySubmit(rows)
	st.Rows = len(rows)
	st.Skipped = st.SkippedGPU + st.SkippedUnscheduled
	return rows, st, nil
}

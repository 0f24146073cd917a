package workloads

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestReadJobTraceCSV(t *testing.T) {
	// Source: SCENARIO.md "[[jobs]]" (trace format csv): header
	// submit,duration,cpu,memory; seconds from start, seconds, CPU units,
	// MiB; 0 (or empty) means the task definition's size. Rows come back
	// sorted by submission, ties in file order.
	in := "submit,duration,cpu,memory\n" +
		"60,300,1024,2048\n" +
		"0.5,12.25,0,0\n" +
		"60,1,512,\n"
	rows, err := ReadJobTraceCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []TaskRow{
		{Submit: 500 * time.Millisecond, Duration: 12250 * time.Millisecond},
		{Submit: time.Minute, Duration: 5 * time.Minute, CPU: 1024, Memory: 2048},
		{Submit: time.Minute, Duration: time.Second, CPU: 512},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("got %+v\nwant %+v", rows, want)
	}
}

func TestReadJobTraceCSVErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"wrong header", "time,duration,cpu,memory\n", 1, "want exactly submit,duration,cpu,memory"},
		{"header order", "duration,submit,cpu,memory\n", 1, "want exactly"},
		{"no header", "0,1,2,3\n", 1, "want exactly"},
		{"empty file", "", 1, "empty file"},
		{"bad submit", "submit,duration,cpu,memory\n0,1,2,3\nsoon,1,2,3\n", 3, "submit"},
		{"negative duration", "submit,duration,cpu,memory\n0,-1,2,3\n", 2, "duration"},
		{"fractional cpu", "submit,duration,cpu,memory\n0,1,0.5,3\n", 2, "cpu"},
		{"negative memory", "submit,duration,cpu,memory\n0,1,2,-3\n", 2, "memory"},
		{"too few fields", "submit,duration,cpu,memory\n0,1,2\n", 2, "want 4 fields"},
	}
	for _, tc := range tests {
		_, err := ReadJobTraceCSV(strings.NewReader(tc.in))
		var le *LineError
		if !errors.As(err, &le) || le.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a LineError at line %d containing %q", tc.name, err, tc.line, tc.want)
		}
	}
}

const openBHeader = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"

func TestReadAlibabaOpenB(t *testing.T) {
	// Source: SCENARIO.md "[[jobs]]" (trace format alibaba-openb): arrival =
	// creation_time, duration = deletion_time − scheduled_time, CPU units =
	// cpu_milli × 1.024 (rounded), memory = memory_mib; GPU pods and pods
	// never scheduled are skipped and counted.
	in := openBHeader +
		"p0,4000,8192,0,0,,LS,Running,100,500,120\n" + // kept: 100 s, 380 s, 4096 units
		"p1,1000,1024,1,1000,,LS,Running,5,50,6\n" + // GPU (num_gpu)
		"p2,500,1024,0,200,,BE,Running,5,50,6\n" + // GPU (gpu_milli)
		"p3,2000,2048,0,0,,BE,Pending,50,60,\n" + // never scheduled (empty)
		"p4,3152,5600,0,0,,BE,Failed,10,40,0\n" + // never scheduled (0)
		"p5,2500,4096,0,0,,BE,Succeeded,10,,12\n" + // no deletion_time
		"p6,3152,5600,0,0,,BE,Failed,10,31,11\n" + // kept: 3152 × 1.024 = 3227.648 -> 3228
		"p7,1,2,1,0,,BE,Pending,1,,\n" // GPU and unscheduled: counted as GPU
	rows, st, err := ReadAlibabaOpenB(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []TaskRow{
		{Submit: 10 * time.Second, Duration: 20 * time.Second, CPU: 3228, Memory: 5600},
		{Submit: 100 * time.Second, Duration: 380 * time.Second, CPU: 4096, Memory: 8192},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows %+v\nwant %+v", rows, want)
	}
	wantSt := OpenBStats{Rows: 2, Skipped: 6, SkippedGPU: 3, SkippedUnscheduled: 3}
	if st != wantSt {
		t.Fatalf("stats %+v, want %+v", st, wantSt)
	}
}

func TestReadAlibabaOpenBErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"missing column", "name,cpu_milli,memory_mib\n", 1, `missing column "num_gpu"`},
		{"deleted before scheduled", openBHeader + "p,1000,1024,0,0,,LS,Running,10,11,20\n", 2, "before scheduled_time"},
		{"bad number", openBHeader + "p,1000,1024,0,0,,LS,Running,10,11,20\np,lots,1024,0,0,,LS,Running,10,30,20\n", 2, ""},
		{"field count", openBHeader + "p,1000,1024\n", 2, "fields"},
	}
	for _, tc := range tests {
		_, _, err := ReadAlibabaOpenB(strings.NewReader(tc.in))
		var le *LineError
		if !errors.As(err, &le) || le.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a LineError at line %d containing %q", tc.name, err, tc.line, tc.want)
		}
	}
}

func TestReadAlibabaOpenBDefaultTrace(t *testing.T) {
	// The real pod list shipped with the data set. Expected numbers were
	// computed independently with awk over the file (fields: $2 cpu_milli,
	// $3 memory_mib, $4 num_gpu, $5 gpu_milli, $10 deletion_time,
	// $11 scheduled_time):
	//
	//	awk -F, 'NR>1{n++; g=($4>0||$5>0); u=($11==""||$11==0||$10=="");
	//	  if(g)G++; else if(u)U++; else {K++; cpu+=int($2*1.024+0.5); mem+=$3; dur+=$10-$11}}
	//	  END{print n,G,U,K,cpu,mem,dur}' openb_pod_list_default.csv
	//
	// which prints 8152 7064 36 1052 19110552 51285470 18658665: 8,152 pods,
	// 7,064 asking for GPUs, 36 never scheduled, 1,052 kept, whose CPU
	// units sum to 19,110,552, memory to 51,285,470 MiB and run time to
	// 18,658,665 s. The first kept pod (the file is in creation order) is
	// openb-pod-0005: 20000 milli-CPU -> 20480 units, 65536 MiB, created at
	// 2759674 s, run 12902960 − 2759676 = 10143284 s.
	const path = "../../shared/data/traces/openb_pod_list_default.csv"
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("OpenB trace not available (%v): skipping the real-data check", err)
	}
	defer f.Close()
	rows, st, err := ReadAlibabaOpenB(f)
	if err != nil {
		t.Fatal(err)
	}
	want := OpenBStats{Rows: 1052, Skipped: 7100, SkippedGPU: 7064, SkippedUnscheduled: 36}
	if st != want {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	if st.Rows+st.Skipped != 8152 || len(rows) != st.Rows {
		t.Fatalf("rows %d + skipped %d != 8152 pods (len %d)", st.Rows, st.Skipped, len(rows))
	}
	var cpu, mem int
	var dur time.Duration
	for i, r := range rows {
		if i > 0 && r.Submit < rows[i-1].Submit {
			t.Fatalf("row %d not sorted by Submit", i)
		}
		cpu += r.CPU
		mem += r.Memory
		dur += r.Duration
	}
	if cpu != 19110552 || mem != 51285470 || dur != 18658665*time.Second {
		t.Errorf("sums cpu %d mem %d duration %v; want 19110552, 51285470, 18658665s", cpu, mem, dur)
	}
	first := TaskRow{Submit: 2759674 * time.Second, Duration: 10143284 * time.Second, CPU: 20480, Memory: 65536}
	if rows[0] != first {
		t.Errorf("first row %+v, want %+v", rows[0], first)
	}
}

func BenchmarkReadAlibabaOpenB(b *testing.B) {
	data, err := os.ReadFile("../../shared/data/traces/openb_pod_list_default.csv")
	if err != nil {
		b.Skipf("OpenB trace not available: %v", err)
	}
	for b.Loop() {
		if _, _, err := ReadAlibabaOpenB(strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(8152*float64(b.N)/b.Elapsed().Seconds(), "pods/s")
}

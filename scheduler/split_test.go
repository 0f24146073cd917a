package scheduler

import (
	"math/rand/v2"
	"testing"
)

func TestSplitBaseWeightExample(t *testing.T) {
	// [cluster-capacity-providers] base is filled first, then weights.
	// ECS-SEMANTICS.md §3: FARGATE base 2 weight 1, FARGATE_SPOT weight 3,
	// 18 tasks: FARGATE 2 + 4 = 6, FARGATE_SPOT 12.
	//
	// By hand, with E the tasks beyond base, N = 1 + ΣE, W = 4 and the
	// deficit D_i = N·w_i − E_i·W (largest wins, ties to FARGATE):
	//   tasks 1, 2: FARGATE (base)
	//   task 3: E=(0,0) N=1 D=(1,3)   -> SPOT
	//   task 4: E=(0,1) N=2 D=(2,2)   -> FARGATE (tie, strategy order)
	//   task 5: E=(1,1) N=3 D=(-1,5)  -> SPOT
	//   task 6: E=(1,2) N=4 D=(0,4)   -> SPOT
	//   task 7: E=(1,3) N=5 D=(1,3)   -> SPOT
	//   task 8: E=(1,4) N=6 D=(2,2)   -> FARGATE, and the cycle F S S S repeats
	// Tasks 4-15 are three cycles (3 F, 9 S), 16-18 are F S S: FARGATE 2 + 3 +
	// 1 = 6, SPOT 1 + 9 + 2 = 12.
	base, weight := []int{2, 0}, []int{1, 3}
	want := "FFSFSSSFSSSFSSSFSS"
	cur := []int{0, 0}
	got := ""
	for range 18 {
		i := NextProvider(base, weight, cur)
		cur[i]++
		got += string("FS"[i])
	}
	if got != want || cur[0] != 6 || cur[1] != 12 {
		t.Fatalf("sequence %s (FARGATE %d, SPOT %d), want %s (6, 12)", got, cur[0], cur[1], want)
	}
	// Scale-in walks the same path back (model assumption: ties to the later
	// provider): each VictimProvider is the provider the matching
	// NextProvider chose, down to the base, which goes last.
	for k := 17; k >= 0; k-- {
		i := VictimProvider(base, weight, cur)
		if string("FS"[i]) != want[k:k+1] {
			t.Fatalf("scale-in at %v: provider %d, want %s (task %d)", cur, i, want[k:k+1], k+1)
		}
		cur[i]--
	}
}

func TestSplitRules(t *testing.T) {
	// [cluster-capacity-providers] "weight 0 ... will not be used to place
	// tasks" beyond base; base first, in strategy order.
	tests := []struct {
		rule                  string
		base, weight, current []int
		next, victim          int
	}{
		{"base first", []int{0, 3}, []int{1, 1}, []int{5, 1}, 1, 0},
		{"weight 0 never gets a task beyond its base", []int{1, 0}, []int{0, 1}, []int{1, 7}, 1, 1},
		{"weight 0 fills its base", []int{1, 0}, []int{0, 1}, []int{0, 7}, 0, 1},
		{"equal weights alternate, ties to the first", []int{0, 0}, []int{1, 1}, []int{2, 2}, 0, 1},
		{"1:1 with one ahead", []int{0, 0}, []int{1, 1}, []int{3, 2}, 1, 0},
		// N=5, W=4: D = 5·(1,2,1) − 4·(1,2,1) = (1,2,1); after a removal n=3:
		// S = 4·(1,2,1) − 3·(1,2,1) = (1,2,1): the weight-2 provider both ways.
		{"three providers 1:2:1 holding 1:2:1", []int{0, 0, 0}, []int{1, 2, 1}, []int{1, 2, 1}, 1, 1},
		// Bases met, none beyond: D = (1,1), tie to the first; scale-in: no
		// provider above base, so the last with a task (0) loses one.
		{"no provider above base", []int{2, 0}, []int{1, 1}, []int{2, 0}, 0, 0},
	}
	for _, tc := range tests {
		if got := NextProvider(tc.base, tc.weight, tc.current); got != tc.next {
			t.Errorf("%s: NextProvider = %d, want %d", tc.rule, got, tc.next)
		}
		if got := VictimProvider(tc.base, tc.weight, tc.current); got != tc.victim {
			t.Errorf("%s: VictimProvider = %d, want %d", tc.rule, got, tc.victim)
		}
	}
}

func TestSplitLargestRemainder(t *testing.T) {
	// For any strategy, after n tasks placed from zero, each provider's count
	// beyond base is within one of its exact share n'·w_i/W (largest
	// remainder keeps every provider within one task of its share).
	rng := rand.New(rand.NewPCG(5, 5))
	for range 200 {
		k := 1 + rng.IntN(5)
		base, weight, cur := make([]int, k), make([]int, k), make([]int, k)
		w := 0
		for i := range k {
			weight[i] = rng.IntN(5)
			w += weight[i]
		}
		if w == 0 {
			weight[0], w = 1, 1
		}
		base[rng.IntN(k)] = rng.IntN(4)
		for n := 1; n <= 60; n++ {
			cur[NextProvider(base, weight, cur)]++
			beyond := 0
			for i := range k {
				beyond += max(0, cur[i]-base[i])
			}
			for i := range k {
				e := float64(max(0, cur[i]-base[i]))
				share := float64(beyond) * float64(weight[i]) / float64(w)
				if e-share >= 1 || share-e >= 1 {
					t.Fatalf("base %v weight %v after %d tasks: %v, provider %d has %.0f beyond base, share %.2f", base, weight, n, cur, i, e, share)
				}
			}
		}
	}
}

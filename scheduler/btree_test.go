package scheduler

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBtreeMatchesModel drives one btree through random inserts, removes and
// updates (enough entries for several levels, and enough removals to merge
// and even out nodes and shrink the root) and compares it after every
// operation with a plain list: same entries in (key, id) order, node
// summaries right (check), and first answering what a scan of the list
// answers.
func TestBtreeMatchesModel(t *testing.T) {
	type ent struct {
		key, val int32
		eni, in  bool
	}
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 0xb7ee))
		var tr btree
		root := int32(-1)
		const ids = 3000
		model := make([]ent, ids)
		keys := int32(8 + rng.IntN(4000)) // few keys: many ties broken by id
		present := 0
		var out []bentry
		for op := range 12000 {
			id := rng.Int32N(ids)
			e := &model[id]
			k, v, eni := rng.Int32N(keys), rng.Int32N(100), rng.IntN(3) == 0
			grow := op < 6000 || (op/1500)%2 == 0 // phases of growth and shrinkage
			switch {
			case !e.in && (grow || rng.IntN(4) == 0):
				root = tr.insert(root, k, id, v, eni)
				*e = ent{k, v, eni, true}
			case e.in && !grow && rng.IntN(3) != 0:
				root = tr.remove(root, e.key, id)
				e.in = false
			case e.in:
				root = tr.update(root, e.key, id, k, v, eni)
				*e = ent{k, v, eni, true}
			}
			if e.in {
				present++
			}
			if op%97 != 0 && op > 200 {
				continue
			}
			var want []bentry
			for x, m := range model {
				if m.in {
					want = append(want, bentry{m.key, int32(x), m.val, m.eni})
				}
			}
			slices.SortFunc(want, func(a, b bentry) int { return cmp.Compare(sortKey(a.key, a.id), sortKey(b.key, b.id)) })
			var n int
			var err error
			out, n, err = tr.check(root, out[:0])
			if err != nil {
				t.Fatalf("seed %d op %d: %v", seed, op, err)
			}
			if !slices.Equal(out, want) {
				t.Fatalf("seed %d op %d: tree holds %d entries, model %d (or they differ)", seed, op, len(out), len(want))
			}
			if n+len(tr.free) != len(tr.nodes) {
				t.Fatalf("seed %d op %d: %d nodes in the tree, %d free, %d in the pool", seed, op, n, len(tr.free), len(tr.nodes))
			}
			for range 20 {
				lk, lid, v, needENI := rng.Int32N(keys+1), rng.Int32N(ids), rng.Int32N(110), rng.IntN(2) == 0
				wantSK := int64(-1)
				for _, w := range want {
					if sk := sortKey(w.key, w.id); sk >= sortKey(lk, lid) && w.val >= v && (!needENI || w.eni) {
						wantSK = sk
						break
					}
				}
				if got := tr.first(root, lk, lid, v, needENI); got != wantSK {
					t.Fatalf("seed %d op %d: first(%d, %d, %d, %v) = %x, want %x", seed, op, lk, lid, v, needENI, got, wantSK)
				}
			}
		}
		if present == 0 {
			t.Fatal("generator never filled the tree")
		}
	}
}

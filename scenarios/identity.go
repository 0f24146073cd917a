package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// SHA256 returns the hex sha256 of the scenario's canonical JSON: the
// encoding/json form of s after defaults (map keys sorted by
// encoding/json; File and resolved references are not part of it). It is
// results.json's scenario.sha256.
func (s *Scenario) SHA256() string {
	b, err := json.Marshal(s)
	if err != nil {
		panic("scenarios: canonical JSON: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

# ecssim: the everyday commands. Needs only Go (modules download on first use).
#
#   make run     build, then simulate the embedded example into out/web-platform
#   make test    go vet, then the tests (with the race detector)
#   make bench   the headline benchmarks, one line each
#   make lint    gofmt and go vet
#   make large   the performance goal: a generated 30-day, 5,000-instance run
#   make sweep   the example study (scenarios/studies/spot-share.toml) into out/spot-share
#   make clean   remove bin/ and out/

GO      ?= go
BIN     := bin/ecssim
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# Packages tested under the race detector; the rest run without it.
RACE_PKGS ?= ./...

.PHONY: build run test bench bench-pack lint large sweep clean

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/ecssim

# Exit code 3 (an assertion of the example failed) still leaves a complete
# report folder, so it does not fail `make run`; the table shows which check.
run: build
	@mkdir -p out
	$(BIN) run --out out/web-platform || [ $$? -eq 3 ]
	@echo "report folder: out/web-platform (results.json, timeseries.csv)"

test:
	$(GO) vet ./...
	$(GO) test -race $(RACE_PKGS)
	@if [ "$(RACE_PKGS)" != "./..." ]; then echo "$(GO) test ./..."; $(GO) test ./...; fi

# The headline benchmarks of PERFORMANCE.md, one line each (name, then
# events/s or placements/s). A benchmark that does not exist yet prints
# nothing. The raw output stays in out/bench.txt for benchstat.
# Packing quality and speed on the public "New" vector bin packing
# instances in ../shared/data/vbp (skipped when absent): mean gap to the
# optimum by class, and fast-mode ms per 500-item instance.
bench-pack:
	$(GO) test -run XXX -bench 'BenchmarkPack' -benchtime 1x ./scheduler | grep -E '^Benchmark|gap|skip' || true

bench:
	@mkdir -p out
	$(GO) test -run XXX -bench 'BenchmarkEngineHold|BenchmarkRunLarge' -benchtime 2s -cpu 1 ./sim > out/bench.txt
	$(GO) test -run XXX -bench 'BenchmarkPlace' -benchtime 2s -cpu 1 ./scheduler >> out/bench.txt
	$(GO) test -run XXX -bench 'BenchmarkScalerEvaluate' -benchtime 1s -cpu 1 ./autoscaling >> out/bench.txt
	$(GO) test -run XXX -bench 'BenchmarkSweep' -benchtime 3x ./planner >> out/bench.txt
	@awk -f .ci/bench.awk out/bench.txt

sweep: build
	@mkdir -p out
	$(BIN) sweep scenarios/studies/spot-share.toml --out out/spot-share

lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# The 30-day run of 5,000 instances, 200 services and 100k job tasks
# (goal: under 20 s and 1 GiB). Prints wall time and maximum resident size.
large: build
	@mkdir -p out
	$(BIN) examples large > out/large.toml
	@if [ -x /usr/bin/time ]; then \
		/usr/bin/time -v -o out/large-time.txt $(BIN) run --quiet out/large.toml || [ $$? -eq 3 ]; \
		grep -E 'Elapsed \(wall clock\)|Maximum resident set size' out/large-time.txt; \
	else \
		echo "(GNU time is not installed: wall time only, no max RSS)"; \
		start=$$(date +%s.%N); $(BIN) run --quiet out/large.toml || [ $$? -eq 3 ]; \
		end=$$(date +%s.%N); echo "wall seconds: $$(echo "$$end - $$start" | bc 2>/dev/null || echo "$$start -> $$end")"; \
	fi

clean:
	rm -rf bin out

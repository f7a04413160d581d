# kelisim — one entry point for setting up, building, testing and the demo.
# `make demo` and `make test` work on a fresh Debian 12 machine: they install
# what is missing (apt-get, npm ci) first.
SHELL := /bin/bash
.DEFAULT_GOAL := build
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := cmake ninja-build g++ clang libclang-rt-14-dev emscripten nlohmann-json3-dev catch2 chromium firefox-esr webkit2gtk-driver xvfb
PORT ?= 8080
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 30
JOBS ?= $(shell nproc)
# The Chromium suites; engines.test.mjs runs the cross-engine scenarios on its own.
WEB_TESTS = $(filter-out web-test/engines.test.mjs,$(wildcard web-test/*.test.mjs))
# Chromium, Firefox and WebKit: every step by name, then one summary line per engine.
ENGINES_RUN = node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./web-test/engines/summary-reporter.mjs --test-reporter-destination=stdout web-test/engines.test.mjs

.PHONY: deps native wasm build test test-native test-wasm test-asan test-fuzz test-js test-web test-engines demo bench fuzz clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "== apt-get install$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@command -v node >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  echo "== npm ci"; npm ci --no-audit --no-fund --loglevel=error; fi

build/build.ninja:
	cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release

native: deps build/build.ninja
	cmake --build build -j $(JOBS)

build-wasm/build.ninja:
	emcmake cmake -S . -B build-wasm -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null

wasm: deps build-wasm/build.ninja
	cmake --build build-wasm -j $(JOBS)

build: wasm
	node js/build.mjs

# ctest's log, shortened to each runner's own summary line (all of it on failure).
define ctest_summary
cd $(1) && { ctest --output-on-failure -V > ctest.log 2>&1; s=$$?; \
  if [ $$s -ne 0 ]; then cat ctest.log; fi; grep -E "All tests passed|test cases:|tests passed" ctest.log; exit $$s; }
endef

test: deps native build
	@echo "== native (Catch2 via ctest)"
	@$(call ctest_summary,build)
	@echo "== wasm32 (the same Catch2 suite under node)"
	@$(call ctest_summary,build-wasm)
	@echo "== native under ASan + UBSan"
	@$(MAKE) --no-print-directory test-asan
	@echo "== fuzz smoke ($(FUZZ_SMOKE_SECONDS) s per target)"
	tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS)
	@echo "== js (node --test, real kelisim.wasm)"
	node --test js/test/
	@echo "== browser (Chromium)"
	node --test --test-concurrency=1 $(WEB_TESTS)
	@echo "== browser engines (Chromium, Firefox, WebKit)"
	$(ENGINES_RUN)

test-native: native
	@$(call ctest_summary,build)

test-wasm: wasm
	@$(call ctest_summary,build-wasm)

build-asan/build.ninja:
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKELISIM_SANITIZE=ON >/dev/null

test-asan: deps build-asan/build.ninja
	cmake --build build-asan -j $(JOBS)
	@$(call ctest_summary,build-asan)

test-fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS)

test-js: build
	node --test js/test/

test-web: build
	node --test --test-concurrency=1 $(WEB_TESTS)
	$(ENGINES_RUN)

# Only the cross-engine scenarios (ENGINES=firefox,webkit and SCENARIOS=gating,demo narrow them).
test-engines: build
	$(ENGINES_RUN)

build-bench/build.ninja:
	cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DKELISIM_BENCH=ON -DKELISIM_BUILD_TESTS=OFF >/dev/null

# Speed and size side by side with the peers (bench/RESULTS.md); never part of `make test`.
bench: build build-bench/build.ninja
	cmake --build build-bench -j $(JOBS) --target kelisim_engine_bench
	build-bench/kelisim_engine_bench build-bench/engine_bench.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	node bench/run.mjs
	node bench/wasm-size.mjs > /dev/null

demo: build
	PORT=$(PORT) node demo/server.mjs

fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf build build-wasm build-asan build-fuzz build-bench js/dist

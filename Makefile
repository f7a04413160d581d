# kelisim — one entry point for setting up, building, testing and the demo.
# `make demo` and `make test` work on a fresh Debian 12 machine: they install
# what is missing (apt-get, npm ci) first.
SHELL := /bin/bash
.DEFAULT_GOAL := build
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := cmake ninja-build g++ clang clang-format libclang-rt-14-dev emscripten nlohmann-json3-dev catch2 chromium firefox-esr webkit2gtk-driver xvfb
PORT ?= 8080
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 30
JOBS ?= $(shell nproc)
# The Chromium suites; engines.test.mjs runs the cross-engine scenarios on its own.
WEB_TESTS = $(filter-out web-test/engines.test.mjs,$(wildcard web-test/*.test.mjs))
# Chromium, Firefox and WebKit: every step by name, then one summary line per engine.
ENGINES_RUN = node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./web-test/engines/summary-reporter.mjs --test-reporter-destination=stdout web-test/engines.test.mjs

# Every build folder configured here turns compiler warnings into errors
# (CMake's own default for KELISIM_WERROR is off); a change to this file
# configures the folders again.
CMAKE_CONFIGURE := cmake -S . -G Ninja -DKELISIM_WERROR=ON

.PHONY: deps native wasm build format format-check test test-native test-wasm test-asan test-fuzz test-js test-web test-engines demo bench fuzz clean

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

# The native test build compiles the benchmark too (not run), so it cannot rot.
build/build.ninja: Makefile
	$(CMAKE_CONFIGURE) -B build -DCMAKE_BUILD_TYPE=Release -DKELISIM_BENCH=ON >/dev/null && touch $@

native: deps build/build.ninja
	cmake --build build -j $(JOBS)

build-wasm/build.ninja: Makefile
	emcmake $(CMAKE_CONFIGURE) -B build-wasm -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null && touch $@

wasm: deps build-wasm/build.ninja
	cmake --build build-wasm -j $(JOBS)

build: wasm
	node js/build.mjs

# ctest's log (in <folder>/ctest.log), shortened to the summary lines: ctest's
# count and, for the one-test wasm32 suite (run with -V), Catch2's own. On a
# failure: each failing case's name and output, and ctest's list of failures.
define ctest_summary
cd $(1) && { ctest -j $(JOBS) --output-on-failure $(2) > ctest.log 2>&1; s=$$?; \
  if [ $$s -ne 0 ]; then grep -vE '^ +Start +[0-9]+: |^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed +[0-9.]+ sec$$' ctest.log; \
  else grep -E 'test cases\)$$|tests passed, ' ctest.log; fi; exit $$s; }
endef

# Formatting: clang-format for C++ (.clang-format), Prettier for JavaScript,
# TypeScript, CSS and JSON (.prettierrc.json; what it leaves alone is in
# .prettierignore). `make format` rewrites, `make format-check` (the first step
# of `make test`) only checks.
CXX_SOURCES = $(shell find wasm tests bench -path '*/node_modules' -prune -o -type f \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
PRETTIER := node_modules/.bin/prettier

format: deps
	clang-format -i $(CXX_SOURCES)
	$(PRETTIER) --write --log-level warn .

format-check: deps
	@clang-format --dry-run -Werror $(CXX_SOURCES) || { echo "clang-format: run make format"; exit 1; }
	@$(PRETTIER) --check --log-level warn . || { echo "Prettier: run make format"; exit 1; }
	@echo "formatted: $(words $(CXX_SOURCES)) C++ files (clang-format), JavaScript, CSS and JSON (Prettier)"

test: deps
	@echo "== format (clang-format, Prettier)"
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory native build
	@echo "== native (Catch2 via ctest, one test per case)"
	@$(call ctest_summary,build)
	@echo "== wasm32 (the same Catch2 suite under node)"
	@$(call ctest_summary,build-wasm,-V)
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
	@$(call ctest_summary,build-wasm,-V)

build-asan/build.ninja: Makefile
	$(CMAKE_CONFIGURE) -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKELISIM_SANITIZE=ON >/dev/null && touch $@

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

build-bench/build.ninja: Makefile
	$(CMAKE_CONFIGURE) -B build-bench -DCMAKE_BUILD_TYPE=Release -DKELISIM_BENCH=ON -DKELISIM_BUILD_TESTS=OFF >/dev/null && touch $@

# Speed and size side by side with the peers (bench/RESULTS.md); never part of `make test`.
bench: build build-bench/build.ninja
	cmake --build build-bench -j $(JOBS) --target kelisim_engine_bench
	build-bench/kelisim_engine_bench build-bench/engine_bench.json
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	node bench/run.mjs
	node bench/guard-cost.mjs > /dev/null
	node bench/wasm-size.mjs > /dev/null

demo: build
	PORT=$(PORT) node demo/server.mjs

fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf build build-wasm build-asan build-fuzz build-bench js/dist

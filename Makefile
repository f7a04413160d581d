# kelisim — one entry point for setting up, building, testing and the demo.
# `make demo` and `make test` work on a fresh Debian 12 machine: they install
# what is missing (apt-get, npm ci) first.
SHELL := /bin/bash
.DEFAULT_GOAL := build
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_PACKAGES := cmake ninja-build g++ emscripten nlohmann-json3-dev catch2 chromium
PORT ?= 8080
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc)

.PHONY: deps native wasm build test test-native test-asan test-js test-web demo fuzz clean

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

test: deps native build
	@echo "== native (Catch2 via ctest)"
	@cd build && { ctest --output-on-failure -V > ctest.log 2>&1; s=$$?; \
	  if [ $$s -ne 0 ]; then cat ctest.log; fi; grep -E "All tests passed|test cases:|tests passed" ctest.log; exit $$s; }
	@echo "== js (node --test, real kelisim.wasm)"
	node --test js/test/
	@echo "== browser (Chromium)"
	node --test --test-concurrency=1 web-test/

test-native: native
	@cd build && { ctest --output-on-failure -V > ctest.log 2>&1; s=$$?; \
	  if [ $$s -ne 0 ]; then cat ctest.log; fi; grep -E "All tests passed|test cases:|tests passed" ctest.log; exit $$s; }

test-js: build
	node --test js/test/

test-web: build
	node --test --test-concurrency=1 web-test/

demo: build
	PORT=$(PORT) node demo/server.mjs

fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf build build-wasm build-asan build-fuzz js/dist

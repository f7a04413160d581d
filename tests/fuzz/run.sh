#!/usr/bin/env bash
# Builds the libFuzzer targets in build-fuzz/ and runs each for the given number
# of seconds from its committed seed corpus (copied to a temporary folder, so
# runs never dirty the repository). Prints each target's execution count;
# exits non-zero when any target crashes (its reproducer is kept in
# build-fuzz/artifacts/).
#
#   tests/fuzz/run.sh [seconds-per-target]     default 60
#   KELISIM_FUZZ_JOBS=n   targets run side by side (default: number of CPUs)
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$root/build-fuzz"
jobs="${KELISIM_FUZZ_JOBS:-$(nproc)}"
targets=(fuzz_config fuzz_decode fuzz_patterns fuzz_links fuzz_api fuzz_scan)

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKELISIM_FUZZ=ON -DKELISIM_BUILD_TESTS=OFF -DKELISIM_WERROR=ON >/dev/null
cmake --build "$build" --target "${targets[@]}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/artifacts"

run_one() {
  local t="$1" dir="$work/$1" dict=()
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp "$root/tests/fuzz/corpus/$t/"* "$dir/corpus/"
  case "$t" in fuzz_config | fuzz_api | fuzz_scan) dict=(-dict="$root/tests/fuzz/kelisim.dict") ;; esac
  local rc=0
  "$build/$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
for t in "${targets[@]}"; do
  dir="$work/$t"
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || echo '?')"
  corpus="$(find "$dir/corpus" -type f | wc -l)"
  if [ "$(cat "$dir/rc")" = 0 ]; then
    printf '%-14s %12s executions  %5s corpus files  ok\n' "$t" "$execs" "$corpus"
  else
    failed=1
    cp "$dir/artifacts/"* "$build/artifacts/" 2>/dev/null || true
    cp "$dir/log" "$build/artifacts/$t.log"
    printf '%-14s %12s executions  CRASH (see %s)\n' "$t" "$execs" "$build/artifacts/$t.log"
    grep -m1 -E 'ERROR: |runtime error|deadly signal' "$dir/log" || true
  fi
done
exit "$failed"

#!/usr/bin/env bash
# One command for the indicator benchmark: fetches TA-Lib's C sources (npm
# package talib, bench/talib) when missing, configures a Release build,
# builds indicators_bench and runs it. Arguments go to the benchmark:
#   bench/indicators/run.sh [--rounds N] [catalog ids...]
# Environment: BUILD_DIR (default build-rel), JOBS (ninja -j, default 2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BUILD_DIR:-build-rel}
case $build_dir in /*) ;; *) build_dir=$root/$build_dir ;; esac
jobs=${JOBS:-2}

run() {
  echo "+ $*" >&2
  "$@"
}

if [[ ! -f $root/bench/talib/node_modules/talib/src/lib/src/ta_func/ta_EMA.c ]]; then
  if command -v npm > /dev/null; then
    # --ignore-scripts: we only want the bundled C sources, not the Node addon.
    (cd "$root/bench/talib" && run npm ci --ignore-scripts --no-audit --no-fund)
  else
    echo "run.sh: npm not found; benchmarking without TA-Lib" >&2
  fi
fi

run cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
run ninja -C "$build_dir" -j "$jobs" indicators_bench
echo "+ uptime: $(uptime)" >&2
run "$build_dir/bench/indicators/indicators_bench" "$@"

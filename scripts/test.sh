#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test
# through CTest. VYX_SANITIZE=1 builds and tests with ASan + UBSan instead
# (in build-asan/). `--build-only` and `--test-only` run one half (.ci/run
# overlaps one configuration's build with the other's tests).
set -euo pipefail
cd "$(dirname "$0")/.."

phase=all
case "${1:-}" in
  "") ;;
  --build-only) phase=build ;;
  --test-only) phase=test ;;
  -h|--help)
    echo "usage: bash scripts/test.sh [--build-only | --test-only]   (VYX_SANITIZE=1: ASan + UBSan in build-asan/)"
    exit 0 ;;
  *) echo "test.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

bash scripts/setup.sh

if [[ "${VYX_SANITIZE:-0}" == 1 ]]; then
  build_dir=build-asan
  # -g1: line tables for reports, without the full debug info of clang's
  # headers that would double the build. -Og rather than -O1: GCC 12 with
  # both sanitizers compiles our Beast-heavy sources in about 60 % of -O1's
  # time (compiler/service/http_session.cpp: 55 s against 91 s, measured
  # one after the other), and this build is most of CI's time.
  cmake_args=(-DVYX_SANITIZE=ON -DVYX_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-Og -g1"
              "-DCMAKE_C_FLAGS_DEBUG=-Og -g1")
  # Leak checks stay on. allow_user_poisoning=0: LLVM's headers poison their
  # allocators' memory in our instrumented code while Debian's uninstrumented
  # libLLVM never unpoisons it, which ASan would report as use-after-poison.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allow_user_poisoning=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
else
  build_dir=build
  cmake_args=(-DCMAKE_BUILD_TYPE=Release -DVYX_BUILD_BENCH=ON)
fi

jobs=$(nproc)
if [[ $phase != test ]]; then
  cmake -S . -B "$build_dir" -G Ninja "${cmake_args[@]}" >/dev/null
  cmake --build "$build_dir" -j "$jobs"
fi
[[ $phase == build ]] && exit 0
# Tests labelled "wip" are written but not passing yet (tests/live_feed/CMakeLists.txt): left out, visibly.
wip=$(ctest --test-dir "$build_dir" -N -L wip | sed -n 's/^Total Tests: //p')
echo "test.sh: leaving out ${wip:-0} tests labelled wip (not passing yet; run them with ctest -L wip)"
left_out='^wip$'
if [[ "${VYX_SANITIZE:-0}" == 1 ]]; then
  # Go-only tests (tests/go_frontend/CMakeLists.txt) have nothing to instrument; the Release run has them.
  go_only=$(ctest --test-dir "$build_dir" -N -L go-only | sed -n 's/^Total Tests: //p')
  echo "test.sh: leaving out ${go_only:-0} tests labelled go-only (Go code only; they run in Release)"
  # Tests labelled "slow" restart whole processes (Postgres faults, provisioning) for
  # about a minute each; the Release run has them, and CI's time budget does not
  # hold them twice (tests/postgres/CMakeLists.txt).
  slow=$(ctest --test-dir "$build_dir" -N -L slow | sed -n 's/^Total Tests: //p')
  echo "test.sh: leaving out ${slow:-0} tests labelled slow (process restarts; they run in Release)"
  # The live feed's soak test runs two minutes of market at 100x (tests/live_feed/CMakeLists.txt): Release only.
  soak=$(ctest --test-dir "$build_dir" -N -L soak | sed -n 's/^Total Tests: //p')
  echo "test.sh: leaving out ${soak:-0} tests labelled soak (two minutes at 100x; they run in Release)"
  left_out='^(wip|go-only|slow|soak)$'
fi
# Twice as many tests as cores: most of them wait (servers starting, PostgreSQL
# restarting, deadlines running out) rather than compute.
ctest --test-dir "$build_dir" --output-on-failure -j "$((jobs * 2))" --timeout 600 -LE "$left_out"

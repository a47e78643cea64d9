#!/usr/bin/env bash
# The runtime benchmark of issue 4 in one run: the peers' harnesses and their
# reference signals (bench/peers/run_peers.sh), then our whole sandboxed path
# and the same plugins in-process (runtime_bench) on the same dataset with the
# sample traders T1..T5 built by the compiler from examples/traders/, our
# booleans against the peers' (peer-signals-check), and 100 traders x 500
# symbols, and each trader's own evaluation cost (trader_eval_bench).
#
#   bench/runtime/run.sh [BUILD_DIR]     (default build, a Release build: scripts/test.sh makes it)
#
# Knobs (environment): MIN_SECONDS [3] and PEERS ["cpp-O2 go-native go-yaegi
# node-1thread"] for the peers, TICKS [250], WORKERS [2], PAIRS [7] (Go / dialect
# pairs of separate sandboxed runs), PASSES [10] (of screening_pair_bench, whose
# tick-by-tick Go / dialect ratio is the figure); run_peers.sh's own
# knobs pass through (VERIFY_OFFSETS defaults to 0 here: the peers'
# cross-check of each other is theirs to run, the reference is always made;
# PEERS_RESULTS defaults to BUILD_DIR/bench/runtime/peers).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "${1:-$ROOT/build}"
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
export MIN_SECONDS=${MIN_SECONDS:-3}
export PEERS=${PEERS:-"cpp-O2 go-native go-yaegi go-yaegi-deployed node-1thread"}
export VERIFY_OFFSETS=${VERIFY_OFFSETS:-0}
# Our own results directory: run_peers.sh clears the one it writes to.
export PEERS_RESULTS=${PEERS_RESULTS:-$BUILD/bench/runtime/peers}
TICKS=${TICKS:-250}
WORKERS=${WORKERS:-2}

PEERS_SRC=${PEERS_SRC:-$ROOT/../shared/bench/peers}
if [[ ! -d $PEERS_SRC/go ]]; then
  echo "run.sh: the peers' benchmark sources are not at $PEERS_SRC: this benchmark needs their" >&2
  echo "  dataset generator and reference signals. They are optional and live outside the" >&2
  echo "  repository (bench/peers/README.md); set PEERS_SRC to a copy." >&2
  exit 3
fi
export PEERS_SRC

# Any earlier configuration of BUILD (the demo's, the tests') may have left the
# benchmarks out: turn them on; building only the targets below costs nothing else.
if [[ -f $BUILD/CMakeCache.txt ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DVYX_BUILD_BENCH=ON >/dev/null
else
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVYX_BUILD_BENCH=ON >/dev/null
fi
type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
[[ $type == Release ]] || echo "run.sh: warning: $BUILD is a '$type' build, the figures are for Release" >&2
ninja -C "$BUILD" -j2 runtime_bench screening_pair_bench trader_eval_bench go_kernels_bench \
  peer-signals-check >&2

echo "== machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
echo "== peers (bench/peers/run_peers.sh; each recomputes from the whole history per evaluation)"
RESULTS=$(S=200 B=500 SEED=42 "$ROOT/bench/peers/run_peers.sh" | tail -n1)
D200=$(jq -r .dataset "$RESULTS/meta.json")
D500=$(S=500 B=500 SEED=42 "$ROOT/bench/peers/run_peers.sh" --dataset-only 2>/dev/null | tail -n1)

T=$BUILD/bench/runtime/traders
TRADERS=(--trader "T1=$T/T1_rsi_oversold.so" --trader "T2=$T/T2_ema_crossdown_volume.so"
         --trader "T3=$T/T3_macd_hist_cross_rsi.so" --trader "T4=$T/T4_bollinger_squeeze.so"
         --trader "T5=$T/T5_mtf_ema_rsi_vwap.so")
# The respawn measurement's fault warnings (spdlog, on stdout) are expected.
quiet_faults() { grep -v -e '\[warning\] trader crash faulted on' || true; }

echo "== ours: 5 traders x 200 symbols (load average $(cut -d' ' -f1 /proc/loadavg))"
"$BUILD/bench/runtime/runtime_bench" --data "$D200" "${TRADERS[@]}" --ticks "$TICKS" --workers "$WORKERS" \
  --crash "$BUILD/bench/runtime/bench_crash_plugin.so" --peers "$RESULTS" | quiet_faults

G=$BUILD/bench/runtime/traders-go
GO_TRADERS=(--trader "T1=$G/T1_rsi_oversold.so" --trader "T2=$G/T2_ema_crossdown_volume.so"
            --trader "T3=$G/T3_macd_hist_cross_rsi.so" --trader "T4=$G/T4_bollinger_squeeze.so"
            --trader "T5=$G/T5_mtf_ema_rsi_vwap.so")
echo "== ours, Go: the same 5 traders as platform Go bodies (bench/go_frontend/traders), translated,"
echo "   each seeing the platform's 250-candle window and recomputing its indicators over it"
"$BUILD/bench/runtime/runtime_bench" --data "$D200" "${GO_TRADERS[@]}" --ticks "$TICKS" --workers "$WORKERS" \
  --crash "$BUILD/bench/runtime/bench_crash_plugin.so" --peers "$RESULTS" | quiet_faults | tee "$BUILD/bench/runtime/go.txt"
"$BUILD/bench/runtime/runtime_bench" --data "$D200" "${TRADERS[@]}" --ticks "$TICKS" --workers "$WORKERS" \
  > "$BUILD/bench/runtime/dialect.txt"
rate() { awk '$1 == "sandboxed" { print $3 }' "$1"; }
cpu() { awk '$1 == "in-process" { for (i = 1; i < NF; i++) if ($i == "cpu") print $(i + 1) }' "$1"; }
awk -v go="$(rate "$BUILD/bench/runtime/go.txt")" -v cpp="$(rate "$BUILD/bench/runtime/dialect.txt")" \
    -v go_cpu="$(cpu "$BUILD/bench/runtime/go.txt")" -v cpp_cpu="$(cpu "$BUILD/bench/runtime/dialect.txt")" \
  'BEGIN { printf "Go / dialect, the runs above: sandboxed %.0f vs %.0f evaluations/s = %.2fx; in-process CPU %.0f vs %.0f ns/eval = %.2fx\n", go, cpp, cpp / go, go_cpu, cpp_cpu, go_cpu / cpp_cpu }'
# One pair of sandboxed runs moves by a third with the machine's minute (the
# dialect's tick is 0.4 ms, so a worker's wake-up shows): the ratio that
# counts is the median of PAIRS pairs run back to back, Go first in odd pairs
# and the dialect first in even ones (so neither always runs on a machine the
# other just warmed or loaded).
PAIRS=${PAIRS:-7}
ratios=()
for ((pair = 1; pair <= PAIRS; pair++)); do
  for kind in $( ((pair % 2)) && echo "go dialect" || echo "dialect go"); do
    if [[ $kind == go ]]; then traders=("${GO_TRADERS[@]}"); else traders=("${TRADERS[@]}"); fi
    "$BUILD/bench/runtime/runtime_bench" --data "$D200" "${traders[@]}" --ticks "$TICKS" \
      --workers "$WORKERS" > "$BUILD/bench/runtime/$kind-pair.txt"
  done
  ratios+=("$(awk -v go="$(rate "$BUILD/bench/runtime/go-pair.txt")" \
                  -v cpp="$(rate "$BUILD/bench/runtime/dialect-pair.txt")" 'BEGIN { printf "%.2f", cpp / go }')")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk -v pairs="$PAIRS" '
  { r[NR] = $1; all = all (NR > 1 ? " " : "") $1 }
  END { printf "Go / dialect, separate runs: sandboxed, median of %d pairs %.2fx (sorted: %s)\n", pairs, r[int((NR + 1) / 2)], all }'
# The figure of the target: both sets in the same minutes, tick by tick, each
# in its own sandboxed pool (screening_pair_bench.cpp). The separate runs
# above drift with the machine between one run and the next.
PAIR_ARGS=()
for n in T1_rsi_oversold T2_ema_crossdown_volume T3_macd_hist_cross_rsi T4_bollinger_squeeze T5_mtf_ema_rsi_vwap; do
  PAIR_ARGS+=(--dialect "${n%%_*}=$T/$n.so" --go "${n%%_*}=$G/$n.so")
done
echo "== Go / dialect tick by tick: 5 traders x 200 symbols, each set in its own sandboxed pool"
"$BUILD/bench/runtime/screening_pair_bench" --data "$D200" "${PAIR_ARGS[@]}" --ticks "$TICKS" \
  --workers "$WORKERS" --passes "${PASSES:-10}"

echo "== each trader's own evaluation, in process without the pool (trader_eval_bench): Go with the"
echo "   host's shared window indicators (with, then without, the next symbols' chains computed at"
echo "   once), Go each computing its own, and the dialect"
"$BUILD/bench/runtime/trader_eval_bench" --data "$D200" "${GO_TRADERS[@]}" --ticks "$TICKS"
"$BUILD/bench/runtime/trader_eval_bench" --data "$D200" "${GO_TRADERS[@]}" --ticks "$TICKS" --no-lookahead
"$BUILD/bench/runtime/trader_eval_bench" --data "$D200" "${GO_TRADERS[@]}" --ticks "$TICKS" --no-shared-go
"$BUILD/bench/runtime/trader_eval_bench" --data "$D200" "${TRADERS[@]}" --ticks "$TICKS"
echo "== the chained Go kernels alone: the SDK's four lanes against the host's wide ones"
"$BUILD/bench/runtime/go_kernels_bench"

echo "== ours vs the peers' booleans: every (trader, symbol) at each of the last 299 bars, live-style"
"$BUILD/bench/peers/peer-signals-check" --data "$D200" --reference "$RESULTS/verify_ref.txt" \
  --unrounded "$RESULTS/verify_ref-unrounded.txt" "${TRADERS[@]}" --workers "$WORKERS" --list 10
echo "rounding alone flips (peers with vs without RSI rounding): $(cat "$RESULTS/rounding_flips.txt")"

echo "== ours: 100 traders (T1..T5 x 20) x 500 symbols (load average $(cut -d' ' -f1 /proc/loadavg))"
"$BUILD/bench/runtime/runtime_bench" --data "$D500" "${TRADERS[@]}" --replicate 20 --ticks 100 --workers "$WORKERS"
echo "== ours, Go: 100 traders (T1..T5 x 20) x 500 symbols, the window indicators shared (load average $(cut -d' ' -f1 /proc/loadavg))"
"$BUILD/bench/runtime/runtime_bench" --data "$D500" "${GO_TRADERS[@]}" --replicate 20 --ticks 100 --workers "$WORKERS"
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

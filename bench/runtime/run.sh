#!/usr/bin/env bash
# The runtime benchmark of issue 4 in one run: our whole sandboxed path and
# the same plugins in-process (runtime_bench), then the peers' harnesses
# (hand-written C++, native Go, Yaegi, Node) on the same generated dataset.
#
#   bench/runtime/run.sh [BUILD_DIR]        (default build-rtx; MIN_SECONDS=3)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build-rtx}
PEERS_SRC=$ROOT/../shared/bench/peers
OUT=$BUILD/peers
MIN_SECONDS=${MIN_SECONDS:-3}
mkdir -p "$OUT"
ninja -C "$BUILD" -j2 runtime_bench

# The peers' tree is copied: wrapgen writes generated Go into it.
rm -rf "$OUT/tree" && cp -r "$PEERS_SRC" "$OUT/tree"
cd "$OUT/tree"
export GOPATH=$PWD/go:/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE=${GOCACHE:-/tmp/vyx-bench-gocache}
go build -o "$OUT/gendata" perfbench/cmd/gendata
go build -o "$OUT/wrapgen" perfbench/cmd/wrapgen
mkdir -p go/src/perfbench/nativetraders
"$OUT/wrapgen" -traders traders/go -out go/src/perfbench/nativetraders/traders_gen.go
go build -o "$OUT/gobench" perfbench/cmd/gobench
g++ -O2 -std=c++17 -ffp-contract=off -o "$OUT/cppbench" cpp/bench.cpp
npm ci --no-audit --no-fund --cache "${npm_config_cache:-/tmp/vyx-bench-npm}" >/dev/null
"$OUT/gendata" -symbols 200 -bars 500 -seed 42 -out "$OUT/dataset_S200_B500.bin"
"$OUT/gendata" -symbols 500 -bars 500 -seed 42 -out "$OUT/dataset_S500_B500.bin"

T=$BUILD/bench/runtime/traders
TRADERS=(--trader T1=$T/t1_rsi_oversold.so --trader T2=$T/t2_ema_crossdown_volume.so
         --trader T3=$T/t3_macd_hist_cross_rsi.so --trader T4=$T/t4_bollinger_squeeze.so
         --trader T5=$T/t5_mtf_ema_rsi_vwap.so)
echo "== ours: 5 traders x 200 symbols"
"$BUILD/bench/runtime/runtime_bench" --data "$OUT/dataset_S200_B500.bin" "${TRADERS[@]}" --ticks 100 --workers 2 \
  --crash "$BUILD/bench/runtime/bench_crash_plugin.so" 2> >(grep -v '\[warning\]' >&2)
echo "== ours: 100 traders (T1..T5 x 20) x 500 symbols"
"$BUILD/bench/runtime/runtime_bench" --data "$OUT/dataset_S500_B500.bin" "${TRADERS[@]}" --replicate 20 --ticks 50 \
  --workers 2
echo "== peers (each recomputes from the whole history per evaluation)"
peer() { local name=$1; shift; printf '  %-22s ' "$name"
  /usr/bin/time -f '%M' -o "$OUT/$name.rss" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" || { echo FAILED; return; }
  printf '%s  peak RSS %s kB\n' "$(grep -o '"ns_per_eval":[0-9.]*' "$OUT/$name.out" | sed 's/"ns_per_eval":/ns\/eval /')" "$(cat "$OUT/$name.rss")"; }
D=$OUT/dataset_S200_B500.bin
peer cpp-O2 "$OUT/cppbench" --data "$D" --rounds 3 --min-seconds "$MIN_SECONDS"
peer go-native "$OUT/gobench" -data "$D" -mode native -rounds 3 -min-seconds "$MIN_SECONDS"
peer go-yaegi "$OUT/gobench" -data "$D" -mode yaegi -rounds 3 -min-seconds "$MIN_SECONDS"
peer node-1thread node js/bench.js --data "$D" --rounds 3 --min-seconds "$MIN_SECONDS"

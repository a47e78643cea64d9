#!/usr/bin/env bash
# Go / dialect screening of two builds in the same minutes: a change's effect
# on the ratio, which a single pair of runs cannot show on a shared machine
# (one pair moves by a third from one minute to the next).
#
#   bench/runtime/compare_builds.sh OLD_BUILD NEW_BUILD [ROUNDS]
#
# Each build is a configured and built tree (-DVYX_BUILD_BENCH=ON) with its
# own runtime_bench, vyx-worker and Go traders (traders-go/); the dialect
# traders are NEW_BUILD's for both. A round runs, per build, one sandboxed
# runtime_bench of the Go traders and one of the dialect traders; the order of
# the builds, and of Go and dialect, alternates between rounds. Where both
# builds have screening_pair_bench, a round is instead one run of each build's
# (PASSES [2] passes, Go and dialect tick by tick: far less noise than separate
# runs). Prints each round's ratio and each build's median. Needs the peers'
# dataset (bench/runtime/run.sh makes it in /tmp/vyx-peers).
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  sed -n '5,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
for dir in "$1" "$2"; do
  [[ -d $dir ]] || { echo "compare_builds: no build directory $dir" >&2; exit 2; }
done
old=$(cd "$1" && pwd)
new=$(cd "$2" && pwd)
rounds=${3:-10}
[[ $rounds =~ ^[1-9][0-9]*$ ]] ||
  { echo "compare_builds: ROUNDS wants a whole number of at least 1, not '$rounds'" >&2; exit 2; }
data=${VYX_PEERS:-/tmp/vyx-peers}/data/dataset_S200_B500_seed42.bin
[[ -f $data ]] || { echo "compare_builds: no dataset at $data (run bench/runtime/run.sh first)" >&2; exit 2; }
names=(T1_rsi_oversold T2_ema_crossdown_volume T3_macd_hist_cross_rsi T4_bollinger_squeeze T5_mtf_ema_rsi_vwap)
for build in "$old" "$new"; do
  for n in "${names[@]}"; do
    [[ -f $build/bench/runtime/traders-go/$n.so ]] ||
      { echo "compare_builds: $build has no traders-go/$n.so (build it whole)" >&2; exit 2; }
  done
done

traders() {
  local i=1
  for n in "${names[@]}"; do printf -- '--trader T%d=%s/%s.so ' "$i" "$1" "$n"; i=$((i + 1)); done
}
rate() {  # evaluations per second of one sandboxed run
  "$1/bench/runtime/runtime_bench" --data "$data" $2 --ticks 250 --workers 2 |
    awk '/^sandboxed/ { print $3 }'
}
paired=1
for build in "$old" "$new"; do
  [[ -x $build/bench/runtime/screening_pair_bench ]] || paired=0
done
((paired)) || echo "compare_builds: a build has no screening_pair_bench: separate runs (noisier)" >&2
passes=${PASSES:-2}
[[ $passes =~ ^[1-9][0-9]*$ ]] ||
  { echo "compare_builds: PASSES wants a whole number of at least 1, not '$passes'" >&2; exit 2; }
# One run of a build's screening_pair_bench: its Go traders against NEW's dialect ones.
pair_ratio() {
  local args=() n
  for n in "${names[@]}"; do
    args+=(--dialect "${n%%_*}=$new/bench/runtime/traders/$n.so" --go "${n%%_*}=$1/bench/runtime/traders-go/$n.so")
  done
  "$1/bench/runtime/screening_pair_bench" --data "$data" "${args[@]}" --passes "$passes" |
    awk '/^Go \/ dialect/ { for (i = 1; i < NF; i++) if ($(i + 1) == "over") { sub(/x$/, "", $i); print $i } }'
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((round = 1; round <= rounds; round++)); do
  if ((round % 2)); then order=(old new); else order=(new old); fi
  for label in "${order[@]}"; do
    if [[ $label == old ]]; then build=$old; else build=$new; fi
    if ((paired)); then
      ratio=$(pair_ratio "$build")
      echo "round $round $label: Go / dialect tick by tick ${ratio}x"
      echo "$label $ratio" >> "$results"
      continue
    fi
    go_traders=$(traders "$build/bench/runtime/traders-go")
    dialect_traders=$(traders "$new/bench/runtime/traders")
    if ((round % 2)); then
      go=$(rate "$build" "$go_traders"); dialect=$(rate "$build" "$dialect_traders")
    else
      dialect=$(rate "$build" "$dialect_traders"); go=$(rate "$build" "$go_traders")
    fi
    ratio=$(awk -v d="$dialect" -v g="$go" 'BEGIN { printf "%.2f", d / g }')
    echo "round $round $label: Go $go, dialect $dialect evaluations/s, Go / dialect ${ratio}x"
    echo "$label $ratio" >> "$results"
  done
done
for label in old new; do
  awk -v l="$label" '$1 == l { print $2 }' "$results" | sort -n | awk -v l="$label" '
    { r[NR] = $1; all = all (NR > 1 ? " " : "") $1 }
    END { printf "%s: median of %d rounds %.2fx (sorted: %s)\n", l, NR, r[int((NR + 1) / 2)], all }'
done
echo "command: $0 $1 $2 $rounds"

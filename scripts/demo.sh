#!/usr/bin/env bash
# The README's main job: build vyx (Release, build/), compile the sample
# traders in examples/traders/, generate the sample market (120 symbols x
# 1m/5m/15m/1h, deterministic), screen it with the defaults and print a summary.
#   scripts/demo.sh                 everything
#   DEMO_SYMBOLS=200 DEMO_DAYS=5 scripts/demo.sh   a bigger market
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
demo=$build/demo
symbols=${DEMO_SYMBOLS:-120}
days=${DEMO_DAYS:-3}
jobs=${JOBS:-2}

"$root/scripts/setup.sh"
echo "demo: building vyx (Release) in $build" >&2
# The same configuration as scripts/test.sh (benchmarks on), so the two commands
# share build/ in either order; only the targets below are built here.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVYX_BUILD_BENCH=ON >/dev/null
ninja -C "$build" -j"$jobs" vyx vyx-gen-market >/dev/null

# Generated at demo time (nothing large in git); regenerated only when its parameters change.
market=$demo/market
stamp="symbols=$symbols days=$days"
if [[ ! -f $market/.stamp || $(cat "$market/.stamp") != "$stamp" ]]; then
  rm -rf "$market"
  "$build/runtime/vyx-gen-market" --out "$market" --symbols "$symbols" --days "$days" >&2
  echo "$stamp" >"$market/.stamp"
fi

traders=()
sources=("$root"/examples/traders/*.cpp)
for source in "${sources[@]}"; do
  if [[ -f $source ]]; then traders+=(--trader "$source"); fi
done
if ((${#traders[@]} == 0)); then
  echo "demo: no sample traders in examples/traders/" >&2
  exit 1
fi

echo "demo: screening $symbols symbols x $days days with $((${#traders[@]} / 2)) traders (vyx compiles each source first)" >&2
rm -f "$demo/vyx.db" "$demo/signals.jsonl"
start=$(date +%s.%N)
"$build/runtime/vyx" backtest "${traders[@]}" --data "$market" \
  --signals "$demo/signals.jsonl" --summary "$demo/summary.txt" --db "$demo/vyx.db" --chart "$demo/report.html"
end=$(date +%s.%N)

echo
echo "=== vyx demo: $symbols symbols x 1m/5m/15m/1h, $days days ==="
cat "$demo/summary.txt"
echo
echo "signals: $(wc -l <"$demo/signals.jsonl") (JSON lines in $demo/signals.jsonl, SQLite in $demo/vyx.db)"
echo "most signalled symbols:"
grep -o '"symbol":"[^"]*"' "$demo/signals.jsonl" | cut -d'"' -f4 | sort | uniq -c | sort -rn | head -5 || true
echo "trader status: $build/runtime/vyx status --db $demo/vyx.db"
echo "report (charts, signal quality): file://$demo/report.html"
awk -v s="$start" -v e="$end" 'BEGIN { printf "wall time: %.1f s\n", e - s }'

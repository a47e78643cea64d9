#!/bin/sh
# bench/sdk/edit_loop.sh [BUILD_DIR] [EDITS]
# The edit loop of `vyx backtest --watch`, one step at a time: an edit of a
# dialect trader (so a fresh compile) to its new summary, on the compat
# dataset of tests/data (16 symbols, one day); then the same trader unchanged
# (a cached build). Prints each wall time and the command behind it.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
edits=${2:-3}
vyx=$build/runtime/vyx
data=$root/tests/data/compat/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# bench/sdk/edit_loop.sh $build $edits   ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
cp "$root/examples/traders/T1_rsi_oversold.cpp" "$work/t1.cpp"
run() {
  start=$(date +%s%N)
  "$vyx" backtest --trader "$work/t1.cpp" --data "$data" --signals /dev/null 2>/dev/null
  echo $(( ($(date +%s%N) - start) / 1000000 ))
}
i=1
while [ "$i" -le "$edits" ]; do
  sed -i "s/< [0-9.]*;/< 3$i.0;/" "$work/t1.cpp"
  echo "edit $i -> summary (fresh compile): $(run) ms"
  i=$((i + 1))
done
echo "unchanged -> summary (cached build): $(run) ms"
echo "command: $vyx backtest --trader t1.cpp --data $data --signals /dev/null, after each edit of t1.cpp"

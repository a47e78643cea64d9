#!/usr/bin/env bash
# Runs the peers' trader benchmark (../shared/bench/peers: Yaegi, native Go,
# Node.js, hand-written C++) from a scratch copy, because the shared folder is
# read-only, and leaves machine-readable results for bench/ to compare against.
#
#   bench/peers/run_peers.sh                  # build, generate data, verify, benchmark every peer
#   bench/peers/run_peers.sh --dataset-only   # build gendata, generate the dataset, print its path
#
# Environment knobs (defaults in brackets):
#   S, B, SEED          dataset shape and PRNG seed [200, 500, 42]
#   MIN_SECONDS         each timed harness runs rounds until this much time passed [8]
#   MIN_ROUNDS          ... and at least this many rounds [3]
#   VERIFY_OFFSETS      history cut-offs per (trader, symbol) in verify mode; 0 skips verification [50]
#   REF_OFFSETS         cut-offs of the reference verify output for our signals (cpp-O2 only) [B: every bar]
#   DEPLOYED_ROUNDS     rounds of the "fresh Yaegi interpreter per evaluation" harness [2]
#   PEERS               harnesses to run, space separated [all seven, see below]
#   PEERS_SRC           the peers' sources [<repo>/../shared/bench/peers]
#   PEERS_WORK          scratch dir: source copy, build, node_modules, Go cache, datasets [/tmp/vyx-peers]
#   PEERS_RESULTS       results dir [$PEERS_WORK/results]
#
# Results (PEERS_RESULTS), described in bench/peers/README.md:
#   peers.jsonl         one JSON object per harness: the harness's RESULT line plus peak_rss_kb and command
#   meta.json           dataset, knobs, tool versions, verification status, wall time of each step
#   verify_<harness>.txt  the harness's verify output ("<trader> <bits>", bits ordered by offset, then symbol)
#   verify.txt          the peers' cross-check of those files (their tools/compare.js)
#   verify_ref.txt      cpp-O2's verify output at REF_OFFSETS cut-offs: the reference for our signals
#   verify_ref-unrounded.txt  the same without the 2-decimal RSI rounding (as ours compute RSI);
#                       rounding_flips.txt counts, per trader, the cases where the two differ
#   table.md            the peers' own report table; <harness>.out/.err/.rss the raw outputs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
S=${S:-200}
B=${B:-500}
SEED=${SEED:-42}
MIN_SECONDS=${MIN_SECONDS:-8}
MIN_ROUNDS=${MIN_ROUNDS:-3}
VERIFY_OFFSETS=${VERIFY_OFFSETS:-50}
REF_OFFSETS=${REF_OFFSETS:-$B}
DEPLOYED_ROUNDS=${DEPLOYED_ROUNDS:-2}
all_peers="cpp-O2 go-native go-yaegi go-yaegi-deployed node-1thread node-1thread-numeric node-2workers"
PEERS=${PEERS:-$all_peers}
PEERS_SRC=${PEERS_SRC:-$repo/../shared/bench/peers}
PEERS_WORK=${PEERS_WORK:-/tmp/vyx-peers}
PEERS_RESULTS=${PEERS_RESULTS:-$PEERS_WORK/results}

if [[ ! -d $PEERS_SRC/go ]]; then
  echo "run_peers.sh: the peers' benchmark sources are not at $PEERS_SRC." >&2
  echo "  They are an optional folder outside this repository; point PEERS_SRC at a copy" >&2
  echo "  (bench/peers/README.md). Our own figures: bench/runtime/run.sh without the peers." >&2
  exit 3
fi

dataset_only=0
case "${1:-}" in
  "") ;;
  --dataset-only) dataset_only=1 ;;
  *) echo "usage: $0 [--dataset-only]" >&2; exit 2 ;;
esac

say() { printf '\n== %s\n' "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)

for peer in $PEERS; do
  [[ " $all_peers " == *" $peer "* ]] || { echo "run_peers: unknown peer '$peer' (known: $all_peers)" >&2; exit 2; }
done
[[ -f "$PEERS_SRC/run_all.sh" ]] || { echo "run_peers: no peers at $PEERS_SRC" >&2; exit 1; }

# ------------------------------------------------------------------ toolchain
# The same list as scripts/setup.sh; NodeSource's nodejs bundles npm.
yaegi_src=/usr/share/gocode/src/github.com/traefik/yaegi
missing=()
command -v go >/dev/null || missing+=(golang-go)
[[ -d "$yaegi_src/interp" ]] || missing+=(golang-github-traefik-yaegi-dev)
command -v g++ >/dev/null || missing+=(g++)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v jq >/dev/null || missing+=(jq)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) != 0 ]]; then
    echo "run_peers: missing ${missing[*]}: run scripts/setup.sh as root" >&2
    exit 1
  fi
  say "installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ------------------------------------------------------------------ scratch copy
# Copied over the previous copy so node_modules, build/ and datasets survive
# between runs; the copy is made writable because the shared files are not.
say "copying $PEERS_SRC to $PEERS_WORK/src"
src=$PEERS_WORK/src
mkdir -p "$src" "$PEERS_WORK/data" "$PEERS_RESULTS"
cp -rT "$PEERS_SRC" "$src"
chmod -R u+w "$src"
cd "$src"

export GOPATH=$src/go:/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE=$PEERS_WORK/gocache
export npm_config_cache=$PEERS_WORK/npm-cache
mkdir -p build

t_build=$(now)
say "build gendata"
go build -o build/gendata perfbench/cmd/gendata
dataset=$PEERS_WORK/data/dataset_S${S}_B${B}_seed${SEED}.bin
if [[ ! -s "$dataset" ]]; then  # deterministic in (S, B, SEED): generate once
  ./build/gendata -symbols "$S" -bars "$B" -seed "$SEED" -out "$dataset.tmp" >&2
  mv "$dataset.tmp" "$dataset"
fi
if ((dataset_only)); then
  echo "$dataset"
  exit 0
fi

if ! cmp -s package-lock.json node_modules/.vyx-package-lock.json; then
  say "npm ci (technicalindicators)"
  npm ci --no-audit --no-fund >&2
  cp package-lock.json node_modules/.vyx-package-lock.json
fi

say "build harnesses"
go build -o build/wrapgen perfbench/cmd/wrapgen
mkdir -p go/src/perfbench/nativetraders  # generated package; its folder is not in the shared tree
./build/wrapgen -traders traders/go -out go/src/perfbench/nativetraders/traders_gen.go
go build -o build/gobench perfbench/cmd/gobench
g++ -O2 -std=c++17 -ffp-contract=off -Wall -Wextra -o build/cppbench cpp/bench.cpp
# The same C++ without the 2-decimal RSI rounding, as our traders compute it:
# its verify output shows which cases the rounding alone flips.
rounded='return round2(100 - 100 / (1 + rs));'
grep -qF "$rounded" cpp/bench.cpp || { echo "run_peers: cpp/bench.cpp changed: no '$rounded'" >&2; exit 1; }
sed "s|$rounded|return 100 - 100 / (1 + rs);|" cpp/bench.cpp >build/bench_unrounded.cpp
g++ -O2 -std=c++17 -ffp-contract=off -Wall -Wextra -o build/cppbench-unrounded build/bench_unrounded.cpp
build_s=$(since "$t_build")

versions=$(cat <<EOF
{"go":"$(go version | awk '{print $3}')","yaegi":"$(dpkg-query -W -f='${Version}' golang-github-traefik-yaegi-dev 2>/dev/null || echo '?')","gxx":"$(g++ -dumpfullversion)","node":"$(node --version)","technicalindicators":"$(node -p "require('./node_modules/technicalindicators/package.json').version")"}
EOF
)

# ------------------------------------------------------------------ verify
# Cross-check: every harness with a verify mode at VERIFY_OFFSETS cut-offs
# (the deployed Yaegi one would take minutes; node-2workers runs node-1thread's code).
res=$PEERS_RESULTS
rm -f "$res"/*.out "$res"/*.err "$res"/*.rss "$res"/verify*.txt "$res"/rounding_flips.txt "$res"/peers.jsonl
t_verify=$(now)
verify_status=skipped
verify_files=()
if ((VERIFY_OFFSETS > 0)); then
  say "verify: 5 traders x $S symbols x $VERIFY_OFFSETS history cut-offs"
  for peer in $PEERS; do
    out=$res/verify_$peer.txt
    case $peer in
      cpp-O2) ./build/cppbench --data "$dataset" --verify "$VERIFY_OFFSETS" --verify-out "$out" >&2 ;;
      go-native) ./build/gobench -data "$dataset" -mode native -verify "$VERIFY_OFFSETS" -verify-out "$out" >&2 ;;
      go-yaegi) ./build/gobench -data "$dataset" -mode yaegi -verify "$VERIFY_OFFSETS" -verify-out "$out" | grep -v '^COMPILE' >&2 ;;
      node-1thread) node js/bench.js --data "$dataset" --verify "$VERIFY_OFFSETS" --verify-out "$out" >&2 ;;
      node-1thread-numeric) node js/bench.js --data "$dataset" --format numeric --verify "$VERIFY_OFFSETS" --verify-out "$out" >&2 ;;
      *) continue ;;
    esac
    verify_files+=("$out")
  done
  if ((${#verify_files[@]} > 0)); then
    if node tools/compare.js "$S" "${verify_files[@]}" >"$res/verify.txt"; then
      verify_status=OK
    else
      verify_status=FAILED
    fi
    cat "$res/verify.txt" >&2
  fi
fi
# The reference for our signals: the C++ harness (identical to the others
# above) at REF_OFFSETS cut-offs, every bar by default, so a replay of the
# whole dataset can be compared tick by tick; and the same without the
# 2-decimal RSI rounding, as our traders compute RSI.
if ((REF_OFFSETS > 0)); then
  say "reference: cpp-O2 with and without RSI rounding, $REF_OFFSETS cut-offs"
  ./build/cppbench --data "$dataset" --verify "$REF_OFFSETS" --verify-out "$res/verify_ref.txt" >&2
  ./build/cppbench-unrounded --data "$dataset" --verify "$REF_OFFSETS" --verify-out "$res/verify_ref-unrounded.txt" >&2
  awk 'NR == FNR { ref[$1] = $2; next }
       { n = 0; for (i = 1; i <= length($2); i++) n += substr($2, i, 1) != substr(ref[$1], i, 1)
         printf "%s%s:%d", sep, $1, n; sep = " "; total += n }
       END { printf " total:%d\n", total }' "$res/verify_ref.txt" "$res/verify_ref-unrounded.txt" \
    >"$res/rounding_flips.txt"
  echo "cases the RSI rounding alone flips: $(cat "$res/rounding_flips.txt")" >&2
fi
verify_s=$(since "$t_verify")

# ------------------------------------------------------------------ benchmark
t_bench=$(now)
say "benchmark (each harness: warm-up, then >= $MIN_ROUNDS rounds and >= ${MIN_SECONDS}s)"
for peer in $PEERS; do
  case $peer in
    cpp-O2) cmd=(./build/cppbench --data "$dataset" --rounds "$MIN_ROUNDS" --min-seconds "$MIN_SECONDS") ;;
    go-native) cmd=(./build/gobench -data "$dataset" -mode native -rounds "$MIN_ROUNDS" -min-seconds "$MIN_SECONDS") ;;
    go-yaegi) cmd=(./build/gobench -data "$dataset" -mode yaegi -rounds "$MIN_ROUNDS" -min-seconds "$MIN_SECONDS") ;;
    go-yaegi-deployed) cmd=(./build/gobench -data "$dataset" -mode yaegi-deployed -rounds "$DEPLOYED_ROUNDS" -min-seconds 0 -compile-reps 1) ;;
    node-1thread) cmd=(node js/bench.js --data "$dataset" --rounds "$MIN_ROUNDS" --min-seconds "$MIN_SECONDS") ;;
    node-1thread-numeric) cmd=(node js/bench.js --data "$dataset" --format numeric --rounds "$MIN_ROUNDS" --min-seconds "$MIN_SECONDS") ;;
    node-2workers) cmd=(node js/bench.js --data "$dataset" --workers 2 --rounds "$MIN_ROUNDS" --min-seconds "$MIN_SECONDS") ;;
  esac
  printf '  %-22s ' "$peer" >&2
  if /usr/bin/time -f '%M' -o "$res/$peer.rss" "${cmd[@]}" >"$res/$peer.out" 2>"$res/$peer.err"; then
    line=$(grep -m1 '^RESULT ' "$res/$peer.out" | sed 's/^RESULT //')
    rss_kb=$(tail -n1 "$res/$peer.rss")
    jq -c --argjson rss "$rss_kb" --arg cmd "cd $src && ${cmd[*]}" '. + {peak_rss_kb: $rss, command: $cmd}' \
      <<<"$line" >>"$res/peers.jsonl"
    jq -r '"\(.evals_per_s | floor) evals/s, \(.ns_per_eval | floor) ns/eval, peak RSS \(.peak_rss_kb / 1024 | floor) MB"' \
      <<<"$(tail -n1 "$res/peers.jsonl")" >&2
  else
    echo "FAILED (see $res/$peer.err)" >&2
  fi
done
bench_s=$(since "$t_bench")

# shellcheck disable=SC2086
node tools/report.js "$res" $PEERS >"$res/table.md"
jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg dataset "$dataset" --arg src "$src" \
  --argjson S "$S" --argjson B "$B" --argjson seed "$SEED" --argjson min_seconds "$MIN_SECONDS" \
  --argjson min_rounds "$MIN_ROUNDS" --argjson verify_offsets "$VERIFY_OFFSETS" --argjson ref_offsets "$REF_OFFSETS" \
  --arg verify_status "$verify_status" --arg peers "$PEERS" --argjson versions "$versions" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" --argjson cpus "$(nproc)" \
  --argjson build_s "$build_s" --argjson verify_s "$verify_s" --argjson bench_s "$bench_s" \
  --argjson total_s "$(since "$t_start")" \
  '{date: $date, symbols: $S, bars: $B, seed: $seed, dataset: $dataset, peers_copy: $src,
    min_seconds: $min_seconds, min_rounds: $min_rounds, verify_offsets: $verify_offsets,
    verify_status: $verify_status, ref_offsets: $ref_offsets,
    reference: (if $ref_offsets > 0 then {rounded: "verify_ref.txt", unrounded: "verify_ref-unrounded.txt"} else null end),
    peers: ($peers | split(" ")), cpu: $cpu, cpus: $cpus, versions: $versions,
    wall_seconds: {build: $build_s, verify: $verify_s, bench: $bench_s, total: $total_s}}' >"$res/meta.json"

say "results in $res (verification: $verify_status)"
cat "$res/table.md" >&2
echo "$res"
[[ $verify_status != FAILED ]]

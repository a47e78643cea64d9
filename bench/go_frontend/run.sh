#!/bin/sh
# bench/go_frontend/run.sh [BUILD_DIR] [RUNS]
# The Go front end's costs, printed with the command that reproduces them:
#  1. translation per body: the jailed helper process end to end (wall), and
#     in-process (Go benchmark, go test -bench);
#  2. cold compile of a Go trader vs its dialect twin (fresh artifact cache,
#     the precompiled SDK header already built: a one-time cost per SDK);
#  3. a cached build of the Go trader.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
runs=${2:-5}
vyxc=$build/compiler/vyxc
helper=$build/compiler/vyx-go-frontend
traders=$root/tests/data/compat/traders
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "# bench/go_frontend/run.sh $build $runs   ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"

python3 - "$helper" "$traders" "$runs" <<'PY'
import subprocess, sys, time, glob, os, statistics
helper, traders, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
print("translation, helper process (fork+exec+seccomp+translate+JSON), median of %d:" % runs)
for f in sorted(glob.glob(os.path.join(traders, "*.go"))):
    walls, cpus = [], []
    for _ in range(runs):
        t0 = time.perf_counter(); r0 = os.times()
        subprocess.run([helper, "json", f], stdout=subprocess.DEVNULL, check=True)
        walls.append((time.perf_counter() - t0) * 1e3)
        r1 = os.times(); cpus.append((r1.children_user + r1.children_system - r0.children_user - r0.children_system) * 1e3)
    print("  %-32s wall %6.2f ms  cpu %6.2f ms" % (os.path.basename(f), statistics.median(walls), statistics.median(cpus)))
PY

echo "translation in process (cd compiler/go && go test -run '^\$' -bench Translate -benchtime 200x):"
(cd "$root/compiler/go" && GOCACHE=$build/compiler/go-build/cache GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=0 \
	go test -run '^$' -bench Translate -benchtime 200x . 2>/dev/null | grep Benchmark | awk '{printf "  %-52s %8.3f ms\n", $1, $3/1e6}')

warm=$work/warm
"$vyxc" build "$here/P1_rsi_oversold_volume.cpp" -o "$work/x.so" --cache-dir "$warm" >/dev/null 2>&1  # builds the SDK header once
python3 - "$vyxc" "$warm" "$work" "$runs" "$traders/P1_rsi_oversold_volume.go" "$here/P1_rsi_oversold_volume.cpp" <<'PY'
import subprocess, sys, json, shutil, os, statistics, time
vyxc, warm, work, runs, go, cpp = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
def cold(src, i):
    d = os.path.join(work, "cold-%s-%d" % (os.path.basename(src), i))
    shutil.copytree(os.path.join(warm, "sdk"), os.path.join(d, "sdk"))
    t0 = time.perf_counter()
    out = subprocess.run([vyxc, "build", src, "-o", os.path.join(work, "o.so"), "--cache-dir", d, "--json"], capture_output=True, text=True)
    wall = (time.perf_counter() - t0) * 1e3
    j = json.loads(out.stdout)
    assert j["ok"], out.stdout
    return d, wall, j["timings"]["totalMs"] if "totalMs" in j["timings"] else wall
go_t, cpp_t, cached = [], [], []
for i in range(runs):
    d, w, _ = cold(go, i); go_t.append(w)
    t0 = time.perf_counter()
    out = subprocess.run([vyxc, "build", go, "-o", os.path.join(work, "o.so"), "--cache-dir", d, "--json"], capture_output=True, text=True)
    j = json.loads(out.stdout); assert j["cacheHit"]
    cached.append(j["timings"].get("totalMs", (time.perf_counter() - t0) * 1e3))
    _, w, _ = cold(cpp, i); cpp_t.append(w)
g, c = statistics.median(go_t), statistics.median(cpp_t)
print("cold compile, vyxc build wall, median of %d: Go P1 %.0f ms, dialect twin %.0f ms, ratio %.2fx" % (runs, g, c, g / c))
print("cached Go build (compiler's total, cache hit): median %.2f ms" % statistics.median(cached))
PY

#!/bin/sh
# Reruns the Yaegi oracle (../shared/bench/compat/run.sh, beside the checkout)
# on the checked-in sample bodies and compares it with the checked-in
# expected file. Skipped (exit 77) with a message when the oracle, go or
# Yaegi is absent. The only test that looks at ../shared.
# usage: oracle_rerun.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 build=$2
oracle=$src/../shared/bench/compat/run.sh
if [ ! -x "$oracle" ] && [ ! -f "$oracle" ]; then
	echo "SKIPPED: the oracle $oracle is absent" ; exit 77
fi
if ! command -v go >/dev/null 2>&1; then
	echo "SKIPPED: no Go toolchain (apt-get install golang-go)"; exit 77
fi
if [ ! -d /usr/share/gocode/src/github.com/traefik/yaegi ]; then
	echo "SKIPPED: Yaegi is not installed (apt-get install golang-github-traefik-yaegi-dev)"; exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
mkdir -p "$build/oracle"
# -timeout 60s: the oracle's 1 s per-evaluation timeout turns a slow
# evaluation on a loaded machine into an error line; no sample body loops.
ORACLE_FLAGS="-timeout 60s" COMPAT_BUILD="$build/oracle" GOCACHE="$build/oracle/gocache" sh "$oracle" "$src/tests/data/compat/traders" "$src/tests/data/compat/data" > "$out"
if ! diff -q "$out" "$src/tests/data/compat/expected/public.tsv" >/dev/null; then
	echo "the oracle's output differs from tests/data/compat/expected/public.tsv:" >&2
	diff "$out" "$src/tests/data/compat/expected/public.tsv" | head -20 >&2
	exit 1
fi
echo "oracle rerun: $(wc -l < "$out") lines, identical to the checked-in expected file"

#!/bin/sh
# bench/go_frontend/indicators_ab.sh [GIT_REV]   (default main)
# The Go compat indicators of the work tree against those of GIT_REV: bit for
# bit on many series (exit 1 on any difference), then ns per call, both built
# with the plugins' flags (compiler/CMakeLists.txt: -O2 -ffp-contract=off, the trapping
# sanitizers, no -march).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rev=${1:-main}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rename='s/namespace vyx::go::indicators/namespace vyx::go::old_indicators/'
git -C "$root" show "$rev:abi/include/vyx/sdk/go/indicators.hpp" | sed "$rename" > "$work/old_indicators.hpp"
# Since the functions moved out of the header (abi/src/go/indicators.cpp), a
# revision's definitions are in its .cpp; before, the header had them all.
sources="$here/indicators_ab.cpp $root/abi/src/go/indicators.cpp"
if git -C "$root" cat-file -e "$rev:abi/src/go/indicators.cpp" 2>/dev/null; then
	git -C "$root" show "$rev:abi/src/go/indicators.cpp" |
		sed -e "$rename" -e 's|"vyx/sdk/go/indicators.hpp"|"old_indicators.hpp"|' > "$work/old_indicators.cpp"
	sources="$sources $work/old_indicators.cpp"
fi
# shellcheck disable=SC2086 # $sources is a list of paths without spaces
clang++-16 -std=c++20 -O2 -fno-exceptions -fno-rtti -ffp-contract=off -fno-fast-math \
	-ftrivial-auto-var-init=zero -fsanitize=signed-integer-overflow,integer-divide-by-zero,float-cast-overflow,bounds \
	-fsanitize-trap=all -I"$root/abi/include" -I"$work" $sources -o "$work/ab"
echo "# indicators_ab.sh $rev   ($(date -u '+%F %H:%M'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
"$work/ab" timed

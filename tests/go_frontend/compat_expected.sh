#!/bin/sh
# vyx evaluate over the checked-in compat data must print exactly the
# checked-in oracle results (tests/data/compat/expected/public.tsv).
# usage: compat_expected.sh VYX DATA_DIR CACHE_DIR
set -eu
vyx=$1 data=$2
export XDG_CACHE_HOME=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# A generous per-evaluation timeout: a loaded CI machine must not turn a
# slow evaluation into an error line (no sample body loops).
"$vyx" evaluate --timeout-ms 30000 "$data/traders" "$data/data" | LC_ALL=C sort > "$out"
if ! diff "$out" "$data/expected/public.tsv" > "$out.diff"; then
	echo "vyx evaluate differs from expected/public.tsv:" >&2
	head -40 "$out.diff" >&2
	echo "$(grep -c '^[<>]' "$out.diff") differing lines" >&2
	rm -f "$out.diff"
	exit 1
fi
rm -f "$out.diff"
echo "vyx evaluate: $(wc -l < "$out") lines, identical to expected/public.tsv"

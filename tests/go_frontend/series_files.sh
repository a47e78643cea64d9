#!/bin/sh
# seriesCode from files: `vyxc check FILE.go --series SERIES.go` reports a
# series error at SERIES.go's own line and column and refuses --series for
# C++; in a trader folder NAME.series.go is NAME's seriesCode, not a trader.
# usage: series_files.sh VYXC VYX COMPAT_DATA_DIR CACHE_DIR
set -u
vyxc=$1 vyx=$2 data=$3
export XDG_CACHE_HOME=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "series_files: $*" >&2; exit 1; }

printf 'k := data.Klines["5m"]\nreturn len(k) > 0\n' > "$dir/body.go"
printf 'k := data.Klines["5m"]\nreturn map[string]interface{}{"n": []interface{}{map[string]interface{}{"x": 1, "y": len(k)}}}\n' > "$dir/good.go"
printf 'x := 1\ny := "a" + 1\nreturn nil\n' > "$dir/bad.go"
printf 'bool filter(const vyx::Market& m) { return m.klines("5m").size() > 0; }\n' > "$dir/t.cpp"

"$vyxc" check "$dir/body.go" --series "$dir/good.go" || fail "a good seriesCode is refused"
"$vyxc" check "$dir/body.go" --series "$dir/bad.go" 2> "$dir/err"
[ $? -eq 1 ] || fail "a bad seriesCode is not rejected with status 1"
grep -q "^$dir/bad.go:2:6: error: .*\[go-type-check\]" "$dir/err" || { cat "$dir/err" >&2; fail "the error is not at bad.go:2:6"; }
"$vyxc" check "$dir/t.cpp" --series "$dir/good.go" 2> "$dir/err"
[ $? -eq 2 ] || fail "--series with a C++ trader is not a usage error"
grep -q -- "--series" "$dir/err" || fail "the usage error does not name --series"

mkdir "$dir/traders" "$dir/data"
cp -r "$data/BTCUSDT" "$dir/data/"
cp "$dir/body.go" "$dir/traders/probe.go"
cp "$dir/good.go" "$dir/traders/probe.series.go"
"$vyx" evaluate "$dir/traders" "$dir/data" > "$dir/out" 2> "$dir/err" || { cat "$dir/err" >&2; fail "vyx evaluate failed"; }
grep -q "^probe	BTCUSDT	0	true$" "$dir/out" || { cat "$dir/out" "$dir/err" >&2; fail "probe did not run"; }
! grep -q "^probe.series" "$dir/out" || fail "probe.series.go was taken for a trader"
cp "$dir/bad.go" "$dir/traders/probe.series.go"
"$vyx" evaluate "$dir/traders" "$dir/data" > "$dir/out" 2> "$dir/err"
grep -q "probe.series.go:2:6: error:" "$dir/err" || { cat "$dir/err" >&2; fail "the folder's seriesCode was not compiled with probe"; }
grep -q "^probe	BTCUSDT	0	error$" "$dir/out" || fail "probe ran without its seriesCode"
echo "series_files: ok"

#!/usr/bin/env bash
# Regenerates the committed tiny dataset with the peers' own gendata and checks
# it is byte-identical, so a change of their format shows up here. Skips (77)
# without Go or without the peers' sources (an optional folder outside the
# repository: bench/peers/README.md).
#   gendata_matches_test.sh PEERS_DIR COMMITTED_FILE
set -euo pipefail
peers=$1 committed=$2
if [[ ! -d $peers/go ]]; then
  echo "SKIP: the peers' sources are not at $peers (optional; set VYX_PEERS_SRC_DIR)"
  exit 77
fi
if ! command -v go >/dev/null; then
  echo "SKIP: go is not installed (scripts/setup.sh installs golang-go)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$peers/go" "$work/go"
chmod -R u+w "$work"
export GOPATH=$work/go GO111MODULE=off GOFLAGS= GOCACHE=$work/gocache
(cd "$work" && go build -o gendata perfbench/cmd/gendata)
"$work/gendata" -symbols 2 -bars 8 -seed 42 -out "$work/tiny.bin" >/dev/null
cmp "$work/tiny.bin" "$committed"
echo "gendata output matches $committed"

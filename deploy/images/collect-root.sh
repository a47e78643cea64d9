#!/usr/bin/env bash
# Copies programs and exactly the shared libraries they load (their ldd
# closure, plus the dynamic loader) into a root filesystem folder, stripped:
# the whole runtime of an image that has no distribution underneath.
# Usage: collect-root.sh ROOT PROGRAM...    (programs land in ROOT/usr/local/bin)
set -euo pipefail
root=$1
shift
mkdir -p "$root/usr/local/bin" "$root/usr/lib/x86_64-linux-gnu" "$root/lib64"
for program in "$@"; do
  install -m 0755 "$program" "$root/usr/local/bin/"
  strip --strip-unneeded "$root/usr/local/bin/$(basename "$program")"
  # "libx.so.1 => /path/libx.so.1 (0x...)" and the loader's own line.
  ldd "$program" | awk '/=> \// { print $3 } /^\s*\/.*ld-linux/ { print $1 }' | while read -r library; do
    name=$(basename "$library")
    if [[ "$name" == ld-linux-* ]]; then
      target="$root/lib64/$name"
    else
      target="$root/usr/lib/x86_64-linux-gnu/$name"
    fi
    if [[ ! -e "$target" ]]; then
      cp -L "$library" "$target"
      strip --strip-unneeded "$target" 2>/dev/null || true
    fi
  done
done

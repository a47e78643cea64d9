#!/usr/bin/env bash
# Copies programs and exactly the shared libraries they load (their ldd
# closure, plus the dynamic loader) into a root filesystem folder, stripped:
# the whole runtime of an image that has no distribution underneath.
# Usage: collect-root.sh ROOT PROGRAM...    (programs land in ROOT/usr/local/bin)
# VYX_BASE_HAS_LIBC=1 leaves out what any Debian base already has (the
# loader, libc, libm, libgcc_s, libstdc++): for an image on a Debian base.
# VYX_STUB_DIR=DIR: libraries found there are taken instead of the system's,
# with their own (smaller) dependencies (libpq-stubs/README.md).
set -euo pipefail
root=$1
shift
mkdir -p "$root/usr/local/bin" "$root/usr/lib/x86_64-linux-gnu"
for program in "$@"; do
  # A library the build base lacks would be left out silently and the program
  # could not start in the image: stop here, naming it.
  libraries=$(LD_LIBRARY_PATH=${VYX_STUB_DIR:-} ldd "$program" || true)
  missing=$(awk '/=> not found/ { print $1 }' <<<"$libraries")
  if [[ -n "$missing" ]]; then
    echo "collect-root.sh: $program needs libraries this base does not have: $missing" >&2
    echo "  (add their -dev packages to make-base-images.sh and remake the bases with --force)" >&2
    exit 1
  fi
  install -m 0755 "$program" "$root/usr/local/bin/"
  strip --strip-unneeded "$root/usr/local/bin/$(basename "$program")"
  # "libx.so.1 => /path/libx.so.1 (0x...)" and the loader's own line.
  # (mawk: no \s in regular expressions)
  awk '/=> \// { print $3 } /^[ \t]*\/.*ld-linux/ { print $1 }' <<<"$libraries" | while read -r library; do
    name=$(basename "$library")
    case "$name" in
      ld-linux-*|libc.so.*|libm.so.*|libgcc_s.so.*|libstdc++.so.*)
        [[ -n "${VYX_BASE_HAS_LIBC:-}" ]] && continue ;;
    esac
    if [[ "$name" == ld-linux-* ]]; then
      target="$root/lib64/$name"
    else
      target="$root/usr/lib/x86_64-linux-gnu/$name"
    fi
    if [[ ! -e "$target" ]]; then
      mkdir -p "$(dirname "$target")"  # /lib64 only when the loader is copied
      cp -L "$library" "$target"
      # The loader and libc stay as Debian ships them.
      case "$name" in
        ld-linux-*|libc.so.*) ;;
        *) strip --strip-unneeded "$target" 2>/dev/null || true ;;
      esac
    fi
  done
done

#!/usr/bin/env bash
# Makes the two base images the Dockerfile builds on, from Debian packages
# alone (no registry): mmdebstrap writes a root filesystem as a tar, podman
# imports it.
#   localhost/vyx-build:bookworm   the build stage: compilers, LLVM 16, Boost...
#   localhost/vyx-debian:bookworm  the compiler image's base: minbase Debian
# Usage: deploy/images/make-base-images.sh [--force]   (root; downloads ~400 MB)
set -euo pipefail

mirror=${VYX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
force=${1:-}

# The build stage's packages: scripts/setup.sh's build list, without the
# test-only tools (postgres, chromium, benchmark...).
build_packages=(
  ca-certificates cmake ninja-build g++ pkg-config make
  clang-16 libclang-16-dev llvm-16-dev lld-16 liblld-16-dev
  libboost1.81-dev libboost-filesystem1.81-dev libboost-program-options1.81-dev
  libsimdjson-dev libpqxx-dev libspdlog-dev doctest-dev libseccomp-dev
  libsqlite3-dev libssl-dev libjwt-dev libbenchmark-dev golang-go binutils ccache
)

# Documentation, manuals and locales are never read in an image.
prune=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
       --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*'
       --dpkgopt='path-exclude=/usr/share/info/*')

make_image() {
  local name=$1
  shift
  if [[ -z "$force" ]] && podman image exists "$name"; then
    echo "make-base-images: $name exists (--force to remake it)"
    return
  fi
  echo "make-base-images: building $name"
  mmdebstrap --quiet --variant=minbase --components=main "${prune[@]}" "$@" \
    "$suite" - "deb $mirror $suite main" "deb $mirror-security $suite-security main" \
    | podman import --change 'CMD ["/bin/bash"]' - "$name"
}

make_image localhost/vyx-debian:bookworm --include=ca-certificates
make_image localhost/vyx-build:bookworm --include="$(IFS=,; echo "${build_packages[*]}")"
podman images --filter reference='localhost/vyx-*'

#!/usr/bin/env bash
# Installs the Debian packages the build, tests and demo need, and the npm
# package the backtest report inlines. Fast and silent when everything is
# already present; safe to run again.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config git
  clang-16 libclang-16-dev llvm-16-dev lld-16 liblld-16-dev
  libboost1.81-dev libboost-filesystem1.81-dev libboost-program-options1.81-dev
  libsimdjson-dev libpqxx-dev libspdlog-dev doctest-dev libseccomp-dev
  libsqlite3-dev libssl-dev libbenchmark-dev libjwt-dev
  postgresql pgbouncer chromium
  golang-go golang-github-traefik-yaegi-dev nodejs time jq
)
# The peers benchmark (bench/peers) needs npm; NodeSource's nodejs bundles it and conflicts with Debian's.
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) != 0 ]]; then
    echo "setup: missing packages: ${missing[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The backtest report's chart library (TradingView's lightweight-charts), at
# the version runtime/report/package-lock.json pins; the build compiles it into
# vyx. Again only when the lock file is newer than the installed tree.
report=$(cd "$(dirname "$0")/../runtime/report" && pwd)
if [[ ! -f $report/node_modules/.package-lock.json ||
      $report/package-lock.json -nt $report/node_modules/.package-lock.json ]]; then
  echo "setup: npm ci in $report" >&2
  (cd "$report" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi

#!/usr/bin/env bash
# Builds both images without a registry and checks them end to end on this
# machine: /health of each, a sample trader compiled through the compiler
# container, the demo market screened in the runtime container with the
# trader fetched from the compiler container, signed and verified.
# Downloads Debian packages and takes minutes: not part of scripts/test.sh.
# Usage (root): deploy/test-images.sh   [VYX_PREBUILT=1: use build/'s programs]  [VYX_KEEP=1]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
say() { echo "test-images: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# ---- tools ----
need=()
for tool in podman buildah mmdebstrap runc curl jq openssl; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
if ((${#need[@]})); then
  say "installing ${need[*]} (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    podman buildah mmdebstrap runc uidmap fuse-overlayfs curl jq openssl >/dev/null
fi

# ---- podman settings this kind of host needs ----
# Measured here (a root shell in a container without CAP_SYS_RESOURCE, cgroups
# v1/v2 hybrid): crun fails with "setrlimit RLIMIT_NPROC: Operation not
# permitted" (podman's default ulimits raise the limits) and then with
# "cgroups in hybrid mode not supported"; netavark is not installed with
# Debian's podman 4.3. runc, no default ulimits and the host network work.
scratch=$(mktemp -d /tmp/vyx-images-XXXXXX)
cat > "$scratch/containers.conf" <<'CONF'
[containers]
default_ulimits = []
netns = "host"
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$scratch/containers.conf
podman_flags=(--runtime runc)

cleanup() {
  podman rm -f -t 2 vyx-test-compiler vyx-test-runtime >/dev/null 2>&1 || true
  [[ -n "${VYX_KEEP:-}" ]] || rm -rf "$scratch"
}
trap cleanup EXIT

# ---- bases and images ----
bash deploy/images/make-base-images.sh
build_args=(--format docker --network host --runtime runc)
# VYX_PREBUILT=1: the programs of this checkout's Release build/ instead of
# compiling in the build stage (a loaded 2-core machine needs over an hour
# for the LLVM-heavy compile child). Else a shared ccache (same source path,
# same compiler) makes the in-image build cheaper.
if [[ -n "${VYX_PREBUILT:-}" ]]; then
  for program in build/runtime/machine/vyx build/runtime/worker/vyx-worker build/compiler/vyxc build/compiler/vyx-compile-child; do
    [[ -x $program ]] || fail "VYX_PREBUILT=1 needs $program (cmake --build build --target vyx-machine vyx-worker vyxc vyx-compile-child first)"
  done
  build_args+=(--ignorefile deploy/images/prebuilt.dockerignore --build-arg PREBUILT=1)
elif [[ -n "${CCACHE_DIR:-}" && -d "${CCACHE_DIR:-}" ]]; then
  build_args+=(--volume "$CCACHE_DIR:/ccache" --build-arg CCACHE_DIR=/ccache --build-arg "SRC_DIR=$repo")
fi
for target in build runtime compiler; do
  say "building target $target"
  start=$(date +%s)
  podman build "${build_args[@]}" --target "$target" -t "localhost/vyx-$target:test" . >"$scratch/build-$target.log" 2>&1 \
    || { tail -40 "$scratch/build-$target.log"; fail "podman build --target $target"; }
  say "target $target built in $(( $(date +%s) - start )) s"
done
runtime_size=$(podman image inspect --format '{{.Size}}' localhost/vyx-runtime:test)
compiler_size=$(podman image inspect --format '{{.Size}}' localhost/vyx-compiler:test)
say "image sizes (uncompressed): runtime $runtime_size bytes ($((runtime_size / 1000000)) MB), compiler $compiler_size bytes ($((compiler_size / 1000000)) MB)"

# ---- the runtime image has no shell and runs as non-root ----
podman run "${podman_flags[@]}" --rm --entrypoint /bin/sh localhost/vyx-runtime:test -c true >/dev/null 2>&1 \
  && fail "the runtime image has a shell"
[[ $(podman image inspect --format '{{.Config.User}}' localhost/vyx-runtime:test) == 1000:1000 ]] || fail "runtime user"
[[ $(podman image inspect --format '{{.Config.User}}' localhost/vyx-compiler:test) == 1000:1000 ]] || fail "compiler user"
podman run "${podman_flags[@]}" --rm localhost/vyx-runtime:test --version

# ---- the compile service, signing with a key made by openssl ----
openssl genpkey -algorithm ed25519 -out "$scratch/signing-key.pem" 2>/dev/null
public_key=$(openssl pkey -in "$scratch/signing-key.pem" -pubout -outform DER | tail -c 32 | base64)
token=$(openssl rand -hex 32)
compiler_port=18081
runtime_port=18080
podman run "${podman_flags[@]}" -d --name vyx-test-compiler \
  -e VYXC_TOKEN="$token" -e VYXC_SIGNING_KEY="$(cat "$scratch/signing-key.pem")" \
  localhost/vyx-compiler:test serve --host 127.0.0.1 --port "$compiler_port" --cache /var/cache/vyx >/dev/null
wait_health() {  # url, seconds
  for ((i = 0; i < $2 * 10; i++)); do
    curl -fsS "$1" >"$scratch/health.json" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
wait_health "http://127.0.0.1:$compiler_port/health" 60 || { podman logs vyx-test-compiler; fail "compiler /health"; }
say "compiler /health: $(cat "$scratch/health.json")"

jq -n --rawfile code examples/traders/T1_rsi_oversold.cpp '{language: "cpp", name: "pinned", code: $code}' >"$scratch/compile.json"
curl -fsS -X POST "http://127.0.0.1:$compiler_port/v1/compile" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' --data-binary @"$scratch/compile.json" >"$scratch/compiled.json"
[[ $(jq -r .ok "$scratch/compiled.json") == true ]] || { cat "$scratch/compiled.json"; fail "compile through the container"; }
hash=$(jq -r .hash "$scratch/compiled.json")
say "compiled T1_rsi_oversold (as pinned) in the container: $hash ($(jq -r .timings.compileMs "$scratch/compiled.json") ms)"
curl -fsS -D "$scratch/artifact.headers" -o /dev/null -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$compiler_port/v1/artifacts/$hash"
grep -qi '^x-vyx-signature:' "$scratch/artifact.headers" || fail "the artifact is not signed"

# ---- the demo market, made by the build stage's generator ----
mkdir -p "$scratch/market" "$scratch/traders"
podman run "${podman_flags[@]}" --rm -v "$scratch/market:/out" localhost/vyx-build:test \
  vyx-gen-market --out /out --symbols 20 --days 1 >/dev/null
cp examples/traders/*.cpp "$scratch/traders/"
echo "$hash" >"$scratch/traders/pinned.hash"
chmod -R a+rX "$scratch/market" "$scratch/traders"

# ---- the runtime: screen the demo market with traders from the compiler container ----
podman run "${podman_flags[@]}" -d --name vyx-test-runtime \
  -v "$scratch/market:/data/market:ro" -v "$scratch/traders:/data/traders:ro" \
  -e VYX_COMPILER_URL="http://127.0.0.1:$compiler_port" -e VYX_COMPILER_TOKEN="$token" \
  -e VYX_ARTIFACT_PUBLIC_KEY="$public_key" -e PORT="$runtime_port" -e USER_ID=test-user \
  localhost/vyx-runtime:test run --replay /data/market --traders /data/traders --speed 0 \
  --port "$runtime_port" --address 127.0.0.1 --jsonl /data/signals.jsonl >/dev/null
wait_health "http://127.0.0.1:$runtime_port/health" 120 || { podman logs vyx-test-runtime; fail "runtime /health"; }
say "runtime /health: $(cat "$scratch/health.json")"
# The image's own HEALTHCHECK (vyx healthcheck, no shell).
podman healthcheck run vyx-test-runtime && say "runtime HEALTHCHECK: healthy" || fail "runtime HEALTHCHECK"
for ((i = 0; i < 1200; i++)); do
  podman logs vyx-test-runtime 2>&1 | grep -q "replay ended" && break
  sleep 0.25
done
podman logs vyx-test-runtime 2>&1 | grep -q "replay ended" || { podman logs vyx-test-runtime | tail -20; fail "replay did not end"; }
# /health answers from the start ("starting", no traders yet): read it again now.
curl -fsS "http://127.0.0.1:$runtime_port/health" >"$scratch/health.json" || fail "runtime /health after the replay"
podman cp vyx-test-runtime:/data/signals.jsonl "$scratch/signals.jsonl"
count=$(wc -l <"$scratch/signals.jsonl")
verified=$(podman logs vyx-test-runtime 2>&1 | grep -c "fetched and verified" || true)
traders=$(jq -r .trader_count "$scratch/health.json")
say "runtime screened 20 symbols x 1 day: $traders traders ($verified artifacts fetched and verified), $count signals"
((count > 0)) || fail "no signals"
((traders == 7)) || fail "expected 7 traders (6 sources + 1 pinned hash), got $traders"
podman stop -t 10 vyx-test-runtime >/dev/null

# ---- libpq in the image (Kerberos and LDAP stand-ins): a real conversation ----
# A throw-away PostgreSQL on loopback (the host's Debian binaries, trust
# authentication, no schema): the machine's heartbeat connects (libpq's GSS
# probe included, gssencmode=prefer) and gets PostgreSQL's own error back.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -n "$pg_bin" && -x "$pg_bin/initdb" ]]; then
  pg_port=18432
  mkdir -p "$scratch/pg" "$scratch/empty-traders" && chown postgres "$scratch/pg" && chmod a+rx "$scratch"
  runuser -u postgres -- "$pg_bin/initdb" --no-sync -A trust -U postgres -D "$scratch/pg/data" >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -w -D "$scratch/pg/data" -l "$scratch/pg/log" \
    -o "-k $scratch/pg -c listen_addresses=127.0.0.1 -p $pg_port -c fsync=off" start >/dev/null
  chmod a+rwx "$scratch/empty-traders"
  podman run "${podman_flags[@]}" --rm -v "$scratch/market:/data/market:ro" -v "$scratch/empty-traders:/data/traders" \
    -e DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/postgres?gssencmode=prefer&sslmode=disable" \
    -e USER_ID=5f2b9c1e-8a47-4d3b-9e61-0c7a2d4f8b13 -e FLY_APP_NAME=vyx-user-test \
    localhost/vyx-runtime:test run --replay /data/market --traders /data/traders --speed 0 \
    --port 0 --address 127.0.0.1 --heartbeat-ms 200 --outbox /tmp/outbox.db --exit-at-end \
    >"$scratch/pg-run.log" 2>&1 && pg_status=0 || pg_status=$?
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$scratch/pg/data" -m immediate stop >/dev/null 2>&1 || true
  ((pg_status == 0)) || { tail -20 "$scratch/pg-run.log"; fail "vyx run with DATABASE_URL exited $pg_status"; }
  grep -q 'relation "public.user_fly_apps" does not exist\|relation "user_fly_apps" does not exist' "$scratch/pg-run.log" \
    || { tail -20 "$scratch/pg-run.log"; fail "no PostgreSQL answer through the image's libpq"; }
  say "libpq in the runtime image talked to PostgreSQL (its error came back; GSS probe passed)"
else
  say "no PostgreSQL server binaries here: the image's libpq conversation is not checked"
fi
say "OK: runtime $((runtime_size / 1000000)) MB, compiler $((compiler_size / 1000000)) MB"
echo "runtime_bytes=$runtime_size compiler_bytes=$compiler_size signals=$count"

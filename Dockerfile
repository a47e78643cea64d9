# Two images from one build (DESIGN.md, "Deploy"):
#   runtime   `vyx` + `vyx-worker` on an empty root: their shared libraries
#             only, CA certificates, non-root; fetches signed plugins from
#             the compile service (it has no compiler).
#   compiler  `vyxc serve` with the compile child, clang's resource headers,
#             the SDK and its precompiled header, non-root.
# The bases come by build argument; deploy/images/make-base-images.sh makes
# them from Debian packages without a registry:
#   podman build --format docker --target runtime  -t vyx-runtime  .
#   podman build --format docker --target compiler -t vyx-compiler .
# (--format docker keeps HEALTHCHECK; OCI images have no such field.)
ARG BUILD_IMAGE=localhost/vyx-build:bookworm
ARG BASE_IMAGE=localhost/vyx-debian:bookworm

# ---- build: everything compiled once, then each image's files collected ----
FROM ${BUILD_IMAGE} AS build
# A base that lacks some build package (e.g. plain debian:bookworm) gets it
# here; the locally made base already has them all, and this step is a no-op.
ARG BUILD_PACKAGES="ca-certificates cmake ninja-build g++ pkg-config binutils clang-16 \
  libclang-16-dev llvm-16-dev lld-16 liblld-16-dev libboost1.81-dev libboost-filesystem1.81-dev \
  libboost-program-options1.81-dev libsimdjson-dev libpqxx-dev libspdlog-dev doctest-dev \
  libseccomp-dev libsqlite3-dev libssl-dev libbenchmark-dev golang-go"
RUN missing=$(for p in $BUILD_PACKAGES; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null \
      | grep -q 'install ok installed' || echo "$p"; done); \
    if [ -n "$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends $missing && rm -rf /var/lib/apt/lists/*; fi
# CCACHE_DIR may name a compiler cache the build mounts (podman build -v
# HOST_CACHE:/ccache); with SRC_DIR equal to the host checkout's path, its
# entries hit. Without them the build is plain and self-contained.
ARG SRC_DIR=/src
ARG CCACHE_DIR=
ARG JOBS=2
WORKDIR ${SRC_DIR}
RUN if [ -n "$CCACHE_DIR" ] && ! command -v ccache >/dev/null; then apt-get update -qq && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ccache && \
      rm -rf /var/lib/apt/lists/*; fi
COPY . ${SRC_DIR}
# PREBUILT=1 takes the programs from a build/ in the context instead
# (deploy/images/prebuilt.dockerignore); the default compiles them here.
ARG PREBUILT=
RUN if [ -n "$PREBUILT" ]; then echo "using the prebuilt programs of build/"; else \
    if [ -n "$CCACHE_DIR" ]; then \
      export CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache CCACHE_DIR \
             CCACHE_BASEDIR=$(dirname "$SRC_DIR") CCACHE_NOHASHDIR=true \
             CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime; fi; \
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DVYX_BUILD_BENCH=OFF >/dev/null && \
    cmake --build build --parallel "$JOBS" --target vyx-machine vyx-worker vyx-gen-market vyxc vyx-compile-child \
      vyx_plugin_indicators; fi && \
    install -m 0755 build/runtime/vyx-gen-market /usr/local/bin/
# The runtime's root: the two programs, their libraries, certificates, a user.
# libpq's Kerberos and LDAP libraries (and GnuTLS, p11-kit... behind them) are
# replaced by failing stand-ins: a machine uses neither (deploy/images/libpq-stubs/).
RUN deploy/images/libpq-stubs/build.sh /out/stubs && \
    VYX_STUB_DIR=/out/stubs deploy/images/collect-root.sh /out/runtime build/runtime/machine/vyx \
      build/runtime/worker/vyx-worker && \
    mkdir -p /out/runtime/etc/ssl/certs /out/runtime/tmp /out/runtime-data && \
    cp /etc/ssl/certs/ca-certificates.crt /out/runtime/etc/ssl/certs/ && \
    chmod 1777 /out/runtime/tmp && \
    echo 'vyx:x:1000:1000:vyx:/data:/nonexistent' > /out/runtime/etc/passwd && \
    echo 'vyx:x:1000:' > /out/runtime/etc/group
# The compiler's files: programs (+ the Go front end's helper when it exists),
# libraries, clang's resource headers, and the SDK laid out for VYX_SDK_ROOT.
RUN helpers=$(find build/compiler -maxdepth 2 -type f -executable -name 'vyx-go*' | tr '\n' ' '); \
    VYX_BASE_HAS_LIBC=1 deploy/images/collect-root.sh /out/compiler build/compiler/vyxc \
      build/compiler/vyx-compile-child $helpers && \
    mkdir -p /out/compiler/usr/lib/llvm-16/lib/clang/16 /out/compiler/opt/vyx/sdk/include \
             /out/compiler/opt/vyx/sdk/lib && \
    cp -r /usr/lib/llvm-16/lib/clang/16/include /out/compiler/usr/lib/llvm-16/lib/clang/16/ && \
    cp -r abi/include/vyx indicators/include/vyx /out/compiler/opt/vyx/sdk/include/ && \
    cp build/compiler/sdk/libvyx_plugin_indicators.a /out/compiler/opt/vyx/sdk/lib/ && \
    cp examples/traders/T1_rsi_oversold.cpp /out/compiler/opt/vyx/sdk/warmup.cpp

# ---- runtime: no distribution, no shell ----
FROM scratch AS runtime
COPY --from=build /out/runtime/ /
COPY --from=build --chown=1000:1000 /out/runtime-data/ /data/
ENV PORT=8080 HOST=0.0.0.0 \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    VYX_ARTIFACT_CACHE=/data/artifacts
USER 1000:1000
WORKDIR /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["/usr/local/bin/vyx", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/vyx"]
CMD ["--help"]

# ---- compiler ----
FROM ${BASE_IMAGE} AS compiler
COPY --from=build /out/compiler/ /
# The SDK header includes a few C++ standard headers (<cstddef>...): the C and
# C++ headers of the build stage's compiler (same Debian release), and the GCC
# installation's start files, by which clang's driver finds GCC 12 and with it
# /usr/include/c++/12 (not the GCC programs).
COPY --from=build /usr/include/ /usr/include/
COPY --from=build /usr/lib/gcc/x86_64-linux-gnu/12/crtbegin.o /usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o \
     /usr/lib/gcc/x86_64-linux-gnu/12/crtend.o /usr/lib/gcc/x86_64-linux-gnu/12/crtendS.o \
     /usr/lib/gcc/x86_64-linux-gnu/12/
RUN groupadd --gid 1000 vyx && useradd --uid 1000 --gid 1000 --home-dir /var/cache/vyx \
      --no-create-home --shell /usr/sbin/nologin vyx && \
    mkdir -p /var/cache/vyx && chown vyx:vyx /var/cache/vyx
ENV VYX_SDK_ROOT=/opt/vyx/sdk XDG_CACHE_HOME=/var/cache PORT=8080
USER 1000:1000
# One compile at build time leaves the SDK's precompiled header in the cache,
# so the first user's compile does not pay for it.
RUN vyxc build /opt/vyx/sdk/warmup.cpp -o /tmp/warmup.so && rm /tmp/warmup.so && \
    ls /var/cache/vyx/sdk/*.pch
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["vyxc"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--cache", "/var/cache/vyx"]

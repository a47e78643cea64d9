#!/usr/bin/env bash
# The main job on bundled sample data (placeholder until the runtime demo
# lands): builds, then prints our indicator values for the sample candles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target vyx-ta
./build/indicators/vyx-ta examples/data/btcusdt_15m.json | head -c 2000

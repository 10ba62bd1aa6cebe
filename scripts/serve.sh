#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is missing, build, and run the
# embedded default (`image-resize serve`) on http://127.0.0.1:8080 with data under ./data.
# Extra arguments go to `image-resize serve` (see --help), e.g. ./scripts/serve.sh --port 9000
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh serve
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMAGE_RESIZE_TESTS=OFF
cmake --build build/release --target image-resize
exec ./build/release/src/app/image-resize serve "$@"

#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what is missing, build everything, and run
# every test (unit, contract, integration against the real binary, deployment, browser) with
# CTest, after the deployment checks and a short run of each fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh test
# The browser tests need the Node.js that tests/e2e/package.json names (playwright-core's).
NODE_NEEDED=$(sed -n 's/.*"node": *">=\([0-9]*\)".*/\1/p' tests/e2e/package.json)
if [[ $(node -p 'process.versions.node.split(".")[0]') -lt ${NODE_NEEDED} ]]; then
  echo "test.sh: the browser tests need Node.js ${NODE_NEEDED} or newer, and this is $(node --version)." >&2
  echo "  Debian 12's nodejs is 18: install Node.js ${NODE_NEEDED} (for example from the NodeSource" >&2
  echo "  packages), then run ./scripts/test.sh again." >&2
  exit 1
fi
./scripts/check-format.sh
# The browser tests' npm packages (playwright-core; the browser is Debian's chromium).
npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
# The S3 blob store tests' S3 server (s3rver, which checks SigV4 signatures) and fault proxy.
npm ci --prefix tests/s3 --no-audit --no-fund --loglevel=error
# The benchmark's peer: a Node + sharp server (bench/peer/), checked by a test.
npm ci --prefix bench/peer --no-audit --no-fund --loglevel=error
BUILD_DIR=${BUILD_DIR:-build/test}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMAGE_RESIZE_TESTS=ON
cmake --build "$BUILD_DIR"
# The deployment files: compose validates, the image's packages cover the binary, nginx -t.
IMAGE_RESIZE_BINARY="$BUILD_DIR/src/app/image-resize" ./scripts/check-deploy.sh
# The libFuzzer targets (clang build in build/fuzz), a fixed number of inputs each.
./scripts/fuzz.sh --runs 20000
ctest --test-dir "$BUILD_DIR" --output-on-failure --timeout 600 -j "$(nproc)"

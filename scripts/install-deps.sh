#!/usr/bin/env bash
# Installs the Debian 12 packages image-resize builds and tests with. Idempotent: does nothing
# when everything is already there. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl
  libvips-dev libvips-tools
  libboost1.81-dev libboost-program-options1.81-dev
  libsqlite3-dev libhiredis-dev nlohmann-json3-dev
  # native TLS (--tls-cert) and the tests' self-signed certificates
  libssl-dev
  libgtest-dev
  redis-server
  nginx docker-compose openssl
  # the benchmark (bench/run.sh): HTTP load on the status route, its report
  wrk jq
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # the browser tests (tests/e2e): Chromium driven by playwright-core from npm
  chromium chromium-driver
)
# Node.js for the browser tests: Debian's nodejs and npm, unless a Node.js is already there (a
# nodesource nodejs brings its own npm, which Debian's npm package would conflict with).
if ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}"
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs the Debian 12 packages image-resize needs, by profile. Idempotent: does nothing when
# everything is already there. Needs root (or sudo).
#   install-deps.sh serve   what building and running `image-resize` needs (scripts/serve.sh)
#   install-deps.sh test    that, and what the tests, fuzzers, benchmark and browser tests add
#                           (scripts/test.sh; the default)
set -euo pipefail
PROFILE=${1:-test}

# Building and running the service.
SERVE_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libvips-dev
  # the direct JPEG decoder beside libvips' (src/imaging/jpeg_direct.*); libvips-dev pulls it too
  libjpeg62-turbo-dev
  # telling sRGB colour profiles apart (src/imaging/srgb_profile.*); libvips-dev pulls it too
  liblcms2-dev
  # the direct PNG decoder's inflate (src/imaging/png_direct.*)
  libdeflate-dev
  # the still-WebP path beside libvips' (src/imaging/webp_direct.*); libvips-dev pulls it too
  libwebp-dev
  libboost1.81-dev libboost-program-options1.81-dev
  libsqlite3-dev libhiredis-dev nlohmann-json3-dev
  # native TLS (--tls-cert)
  libssl-dev
  # the S3 blob store's HTTP client (--blob-store s3://...); libcurl4 at run time
  libcurl4-openssl-dev
  # the ZIP of a batch's results (src/archive/); libzip4 at run time
  libzip-dev
)
# What the tests add.
TEST_PACKAGES=(
  curl libvips-tools libgtest-dev
  redis-server
  # the deployment checks, and the tests' self-signed certificates
  nginx docker-compose openssl
  # the benchmark (bench/run.sh): HTTP load on the status route, its report, counting the
  # tasks of a SQLite store (the scale section)
  wrk jq sqlite3
  # the example clients (examples/client.py), run by the tests; the autoscaling manifests' check
  python3 python3-yaml
  # the S3 blob store's tests: an S3 client that checks what the service wrote
  python3-boto3
  # the archive tests' second reader of the ZIPs src/archive/ writes (`unzip -t`)
  unzip
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizer runtimes; the format check
  clang libclang-rt-14-dev clang-format
  # the browser tests (tests/e2e): Chromium driven by playwright-core from npm
  chromium chromium-driver
)

case "$PROFILE" in
  serve) PACKAGES=("${SERVE_PACKAGES[@]}") ;;
  test)
    PACKAGES=("${SERVE_PACKAGES[@]}" "${TEST_PACKAGES[@]}")
    # Node.js for the browser tests: Debian's nodejs and npm, unless a Node.js is already there
    # (a nodesource nodejs brings its own npm, which Debian's npm package would conflict with).
    if ! command -v npm >/dev/null 2>&1; then
      PACKAGES+=(nodejs npm)
    fi
    ;;
  *)
    echo "usage: install-deps.sh [serve|test]" >&2
    exit 2
    ;;
esac

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

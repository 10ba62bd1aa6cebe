#!/usr/bin/env bash
# Installs the Debian 12 packages image-resize builds and tests with. Idempotent: does nothing
# when everything is already there. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git curl
  libvips-dev libvips-tools
  libboost1.81-dev libboost-program-options1.81-dev
  libsqlite3-dev libhiredis-dev nlohmann-json3-dev
  libgtest-dev
  redis-server
  nginx docker-compose openssl
)

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

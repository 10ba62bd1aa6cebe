#!/usr/bin/env bash
# Checks the deployment files on a Debian 12 machine without a Docker engine:
#   1. docker-compose.yml parses and validates (docker-compose 1.29 from Debian: `config -q`);
#   2. every package the Dockerfile's runtime stage installs exists, and every shared library the
#      image-resize binary (and libvips' loadable modules) loads comes from one of them or from
#      their dependencies: the image would not start otherwise, and no engine is here to try it;
#   3. deploy/nginx.conf, its TLS block uncommented, and the test template pass `nginx -t`;
#   4. deploy/kubernetes/*.yaml (KEDA, HPA) parse, and name only metrics the service exports.
# Installs docker-compose, nginx and openssl with apt when they are missing. Exits non-zero on any
# failure. The binary: $IMAGE_RESIZE_BINARY, else the first of the usual build dirs that has one.
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok:   $*"; }

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
apt_updated=0
ensure_tool() {  # ensure_tool COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 ]] && return 0
  echo "Installing $2"
  if [[ $apt_updated -eq 0 ]]; then $SUDO apt-get update -qq; apt_updated=1; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2"
}
ensure_tool docker-compose docker-compose
ensure_tool nginx nginx
ensure_tool openssl openssl
ensure_tool curl curl
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- 1. docker-compose.yml ----------------------------------------------------------------------
if docker-compose -f docker-compose.yml config -q; then
  ok "docker-compose.yml validates (docker-compose $(docker-compose version --short))"
else
  fail "docker-compose.yml does not validate"
fi
# Files the compose file mounts or reads (commented lines aside) must exist.
while read -r path; do
  [[ -e $path ]] && ok "compose references $path" || fail "docker-compose.yml references missing $path"
done < <(grep -v '^\s*#' docker-compose.yml | grep -oE '(\./)?deploy/[A-Za-z0-9._/-]+' | sort -u)

# ---- 2. Dockerfile runtime packages --------------------------------------------------------------
# The words after `apt-get install` in the last stage (continuation lines joined), options dropped.
DOCKERFILE=${DOCKERFILE:-Dockerfile}
mapfile -t packages < <(
  awk '/^FROM /{stage = ""} {stage = stage $0 "\n"} END {printf "%s", stage}' "$DOCKERFILE" |
    sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' |
    grep -oE 'apt-get install[^&;|]*' | tr -s ' \t' '\n' |
    grep -vE '^(apt-get|install|-.*)?$' || true)
if [[ ${#packages[@]} -eq 0 ]]; then
  fail "no 'apt-get install' found in the Dockerfile's runtime stage"
fi
for package in "${packages[@]}"; do
  if apt-cache show --no-all-versions "$package" >/dev/null 2>&1; then
    ok "runtime package $package exists in apt-cache"
  else
    fail "runtime package $package is not known to apt-cache"
  fi
done

# Everything the runtime stage ends up with: the packages and their dependencies, recursively.
declare -A closure=()
if [[ ${#packages[@]} -gt 0 ]]; then
  while read -r name; do closure[${name//[<>]/}]=1; done < <(
    apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
      --no-replaces --no-enhances "${packages[@]}" 2>/dev/null | grep -v '^ ' | sort -u)
fi

binary=${IMAGE_RESIZE_BINARY:-}
if [[ -z $binary ]]; then
  for candidate in build/test build/release build build-deploy; do
    if [[ -x $candidate/src/app/image-resize ]]; then binary=$candidate/src/app/image-resize; break; fi
  done
fi

if [[ -z $binary || ! -x $binary ]]; then
  fail "no image-resize binary to check (build it, or set IMAGE_RESIZE_BINARY)"
else
  # The binary, and the format modules (HEIF, JPEG XL, ...) libvips opens with dlopen, which ldd
  # cannot see from the binary.
  files=("$binary")
  mapfile -t -O 1 files < <(
    dpkg -L libvips42 2>/dev/null | grep -E '/vips-modules-[^/]+/[^/]+\.so$' || true)
  # "FILE<TAB>LIBRARY PATH" for every library each file loads.
  : >"$work/libraries"
  for file in "${files[@]}"; do
    if ! output=$(ldd "$file" 2>&1); then
      fail "ldd $file: $output"
      continue
    fi
    if grep -q 'not found' <<<"$output"; then
      fail "$(basename "$file") has unresolved libraries:"$'\n'"$(grep 'not found' <<<"$output")"
    fi
    awk -v file="$(basename "$file")" '
      $2 == "=>" && $3 ~ /^\// { print file "\t" $3 }
      $1 ~ /^\// { print file "\t" $1 }' <<<"$output" >>"$work/libraries"
  done
  # One dpkg -S for all of them (it is slow per call). usrmerge: ldd may print /lib/... for a file
  # dpkg registered as /usr/lib/..., or the other way round, or a symlink of it.
  declare -A owner=()
  mapfile -t paths < <(cut -f2 "$work/libraries" | sort -u)
  variants=()
  for path in "${paths[@]}"; do
    real=$(readlink -f "$path")
    variants+=("$path" "${path#/usr}" "/usr$path" "$real" "${real#/usr}" "/usr$real")
  done
  while IFS= read -r line; do
    # "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6"
    owner[${line#*: }]=${line%%:*}
  done < <(dpkg -S "${variants[@]}" 2>/dev/null | grep -v '^diversion' || true)

  failures_before=$failures
  declare -A used_packages=()
  while IFS=$'\t' read -r file path; do
    real=$(readlink -f "$path")
    package=""
    for variant in "$path" "${path#/usr}" "/usr$path" "$real" "${real#/usr}" "/usr$real"; do
      package=${owner[$variant]:-}
      [[ -n $package ]] && break
    done
    if [[ -z $package ]]; then
      fail "$file loads $path, which no Debian package provides"
    elif [[ -z ${closure[$package]:-} ]]; then
      fail "$file loads $path from $package, which the runtime stage does not install"
    else
      used_packages[$package]=1
    fi
  done <"$work/libraries"
  if [[ $failures -eq $failures_before ]]; then
    ok "all $(cut -f2 "$work/libraries" | sort -u | wc -l) libraries of $binary and libvips'" \
       "modules come from the runtime packages (${#used_packages[@]} packages)"
  fi
fi

# ---- 3. nginx -t -----------------------------------------------------------------------------------
# Tested on copies, because outside Docker: the upstream `api:8080 resolve` needs nginx >= 1.27.3
# (Debian 12 has 1.22) and a resolvable name (nginx resolves upstream names when it loads), so it
# becomes 127.0.0.1:8080; the include and certificate paths point into the repo and a scratch dir;
# and the TLS block is uncommented, with a throwaway self-signed certificate, minus `http2 on`
# (nginx >= 1.25.1). Every other line is tested as written.
mkdir -p "$work/certs" "$work/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/certs/privkey.pem" -out "$work/certs/fullchain.pem" >/dev/null 2>&1
temp_paths="client_body_temp_path $work/body; proxy_temp_path $work/proxy; \
fastcgi_temp_path $work/fastcgi; uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;"
sed -e "s#server api:8080 resolve;#server 127.0.0.1:8080;#" \
    -e "s#/etc/nginx/image-resize-proxy.conf#$PWD/deploy/nginx-proxy.conf#" \
    -e "s#/etc/nginx/certs/#$work/certs/#" \
    -e '/# ---- TLS/,/# ---- end TLS/{ /^ *# server {/,/^ *# }/ s/^\( *\)# /\1/ }' \
    -e '/^ *http2 on;/d' \
    -e "s#^http {#http { $temp_paths#" \
    deploy/nginx.conf >"$work/nginx.conf"

if grep -q 'resolve;' "$work/nginx.conf" || ! grep -qE '^ *listen 443 ssl;' "$work/nginx.conf"; then
  fail "deploy/nginx.conf changed shape: the upstream or TLS rewrite of this check no longer applies"
fi
nginx_test() {  # nginx_test NAME CONF
  local output
  if output=$("$NGINX" -t -p "$work" -c "$2" -g "pid $work/nginx.pid;" 2>&1); then
    ok "nginx -t: $1"
  else
    fail "nginx -t: $1"$'\n'"$output"
  fi
}
nginx_test "deploy/nginx.conf (TLS block enabled)" "$work/nginx.conf"

sed -e "s#@PREFIX@#$work#g" -e "s#@PORT@#18080#g" -e "s#@API_PORT_1@#18081#g" \
    -e "s#@API_PORT_2@#18082#g" -e "s#@PROXY_CONF@#$PWD/deploy/nginx-proxy.conf#g" \
    deploy/nginx-local.conf.template >"$work/nginx-local.conf"
if grep -v '^ *#' "$work/nginx-local.conf" | grep -q '@[A-Z_0-9]*@'; then
  fail "deploy/nginx-local.conf.template has a placeholder this check does not fill"
fi
nginx_test "deploy/nginx-local.conf.template" "$work/nginx-local.conf"

# ---- 4. Autoscaling manifests --------------------------------------------------------------------
# deploy/kubernetes/*.yaml parse, and every metric they scale on is one `serve` exports once a
# task has run (histograms appear with their first observation).
if [[ -n $binary && -x $binary ]]; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$binary" serve --host 127.0.0.1 --port "$port" --data-dir "$work/data" --log-level warn \
    >"$work/serve.log" 2>&1 &
  serve_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  task=$(curl -sf -F file=@tests/fixtures/images/photo.jpg -F width=10 "$base/api/v1/images/resize" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["task_id"])' || true)
  [[ -n $task ]] && curl -sf "$base/api/v1/status/$task?wait=10" >/dev/null
  curl -sf "$base/metrics" >"$work/metrics.txt" || true
  kill "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
  if python3 scripts/check_autoscaling.py "$work/metrics.txt" deploy/kubernetes/*.yaml; then
    ok "the autoscaling manifests name only metrics the service exports"
  else
    fail "the autoscaling manifests (serve log: $(tail -3 "$work/serve.log"))"
  fi
fi

if [[ $failures -gt 0 ]]; then
  echo "check-deploy: $failures failure(s)" >&2
  exit 1
fi
echo "check-deploy: all checks passed"

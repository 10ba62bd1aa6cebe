#!/usr/bin/env bash
# Runs the example clients (examples/client.py, examples/client.mjs) against the real binary:
# each uploads tests/fixtures/images/photo.jpg at 64x48, waits for the task and downloads the
# result, which must be a 64x48 JPEG. Needs IMAGE_RESIZE_BINARY, python3, node (18+) and
# vipsheader (libvips-tools). Prints "<n> passed, <m> failed"; exit 0 only if all passed.
set -u

binary=${IMAGE_RESIZE_BINARY:?set IMAGE_RESIZE_BINARY to the image-resize binary}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
input="$root/tests/fixtures/images/photo.jpg"
work=$(mktemp -d)
server_pid=""

cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Text logs so that the port can be read; no free-space floor, so a full /tmp cannot fail the
# clients; one worker thread, to leave the cores to other tests.
"$binary" serve --host 127.0.0.1 --port 0 --data-dir "$work/data" --log-format text \
  --min-free-space 0 --workers 1 >"$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's/.* listening .*port=\([0-9][0-9]*\).*/\1/p' "$work/server.log" | head -n 1)
  [[ -n $port ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 0.1
done
if [[ -z $port ]]; then
  echo "the server did not start; its log:" >&2
  cat "$work/server.log" >&2
  echo "0 passed, 2 failed"
  exit 1
fi
url="http://127.0.0.1:$port"

passed=0
failed=0

# check NAME OUTPUT COMMAND...: runs the client, then checks OUTPUT is a 64x48 JPEG.
check() {
  local name=$1 output=$2
  shift 2
  local problem="" code=0
  timeout 120 "$@" >"$work/$name.out" 2>&1 || code=$?
  if ((code != 0)); then
    problem="exit code $code"
  elif [[ ! -s $output ]]; then
    problem="no output file"
  else
    local loader width height
    loader=$(vipsheader -f vips-loader "$output" 2>&1)
    width=$(vipsheader -f width "$output" 2>&1)
    height=$(vipsheader -f height "$output" 2>&1)
    if [[ $loader != jpegload* || $width != 64 || $height != 48 ]]; then
      problem="expected a 64x48 JPEG, got loader=$loader width=$width height=$height"
    fi
  fi
  if [[ -z $problem ]]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name: $problem"
    sed 's/^/  | /' "$work/$name.out"
    failed=$((failed + 1))
  fi
}

check python "$work/python.jpg" \
  python3 "$root/examples/client.py" "$input" 64 48 "$work/python.jpg" --url "$url"
check node "$work/node.jpg" \
  node "$root/examples/client.mjs" "$input" 64 48 "$work/node.jpg" --url "$url"

if ((failed > 0)); then
  echo "server log:"
  sed 's/^/  | /' "$work/server.log"
fi
echo "$passed passed, $failed failed"
((failed == 0))

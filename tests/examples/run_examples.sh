#!/usr/bin/env bash
# Runs the example clients (examples/client.py, examples/client.mjs) against the real binary:
# each uploads tests/fixtures/images/photo.jpg at 64x48, waits for the task and downloads the
# result, which must be a 64x48 JPEG; run again with the same --idempotency-key, each gets its
# first run's task back, replayed. Then the example webhook receiver
# (examples/webhook_receiver.py): an upload with its callback_url must reach it, signed, and a
# forged delivery must be refused. Needs IMAGE_RESIZE_BINARY, python3, node (18+), curl and
# vipsheader (libvips-tools). Prints "<n> passed, <m> failed"; exit 0 only if all passed.
set -u

binary=${IMAGE_RESIZE_BINARY:?set IMAGE_RESIZE_BINARY to the image-resize binary}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
input="$root/tests/fixtures/images/photo.jpg"
work=$(mktemp -d)
server_pid=""
receiver_pid=""

cleanup() {
  for pid in $server_pid $receiver_pid; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Text logs so that the port can be read; no free-space floor, so a full /tmp cannot fail the
# clients; one worker thread, to leave the cores to other tests. Webhooks signed with a fresh
# secret, and allowed to reach the receiver on loopback.
head -c 48 /dev/urandom | base64 -w0 >"$work/webhook-secret"
"$binary" serve --host 127.0.0.1 --port 0 --data-dir "$work/data" --log-format text \
  --min-free-space 0 --workers 1 --webhook-secret "$work/webhook-secret" \
  --outbound-allow 127.0.0.1 >"$work/server.log" 2>&1 &
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
  echo "0 passed, 7 failed"
  exit 1
fi
url="http://127.0.0.1:$port"

passed=0
failed=0

# report NAME PROBLEM OUTPUT: a pass when PROBLEM is empty; else a failure, with OUTPUT shown.
report() {
  local name=$1 problem=$2 output=$3
  if [[ -z $problem ]]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name: $problem"
    sed 's/^/  | /' "$output"
    failed=$((failed + 1))
  fi
}

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
  report "$name" "$problem" "$work/$name.out"
}

check python "$work/python.jpg" \
  python3 "$root/examples/client.py" "$input" 64 48 "$work/python.jpg" --url "$url" \
  --idempotency-key example-python
check node "$work/node.jpg" \
  node "$root/examples/client.mjs" "$input" 64 48 "$work/node.jpg" --url "$url" \
  --idempotency-key example-node

# check_replayed NAME: run again with the same Idempotency-Key, the client gets the task of its
# first run, replayed, and a 64x48 JPEG again.
check_replayed() {
  local name=$1 first second problem=""
  first=$(sed -n 's/^accepted \([0-9a-f-]*\).*/\1/p' "$work/$name.out")
  check "$name-again" "$work/$name-again.jpg" "${@:2}" "$work/$name-again.jpg" --url "$url" \
    --idempotency-key "example-$name"
  second=$(sed -n 's/^accepted \([0-9a-f-]*\) (the earlier answer to this Idempotency-Key)$/\1/p' \
    "$work/$name-again.out")
  if [[ -z $first || $second != "$first" ]]; then
    problem="the second run was not given the first run's task ($first) as a replayed answer"
  fi
  report "$name-replayed" "$problem" "$work/$name-again.out"
}
check_replayed python python3 "$root/examples/client.py" "$input" 64 48
check_replayed node node "$root/examples/client.mjs" "$input" 64 48

# check_webhook: an upload with a callback_url reaches the example receiver, which checked its
# signature; a delivery signed with another secret gets 401 from it.
check_webhook() {
  local receiver_port problem="" task_id="" forged
  receiver_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  python3 "$root/examples/webhook_receiver.py" --port "$receiver_port" \
    --secret-file "$work/webhook-secret" >"$work/receiver.out" 2>&1 &
  receiver_pid=$!
  sleep 0.5
  task_id=$(curl -s -F "file=@$input" -F width=64 -F height=48 \
    -F "callback_url=http://127.0.0.1:$receiver_port/done" "$url/api/v1/images/resize" |
    python3 -c 'import json, sys; print(json.load(sys.stdin).get("task_id", ""))')
  for _ in $(seq 1 300); do
    grep -q "\"task_id\": \"$task_id\", \"status\": \"SUCCESS\"" "$work/receiver.out" && break
    sleep 0.1
  done
  forged=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Image-Resize-Signature: t=1,v1=00' \
    -d '{}' "http://127.0.0.1:$receiver_port/done")
  if [[ -z $task_id ]]; then
    problem="the upload was refused"
  elif ! grep -q "\"delivery\": \"$task_id\"" "$work/receiver.out"; then
    problem="no verified delivery of $task_id"
  elif [[ $forged != 401 ]]; then
    problem="a forged delivery got $forged, not 401"
  fi
  report webhook_receiver "$problem" "$work/receiver.out"
}
check_webhook

if ((failed > 0)); then
  echo "server log:"
  sed 's/^/  | /' "$work/server.log"
fi
echo "$passed passed, $failed failed"
((failed == 0))

#!/usr/bin/env bash
# The performance benchmark in one command (on 2 cores about 10 minutes, and 4 more for the scale
# section; plus the first build).
# Builds Release in build-bench, writes the deterministic workload, and for each workload runs
# the service (a fresh `image-resize serve` with default flags, driven over HTTP by bench-load)
# and the in-process baseline (bench-baseline, half its tasks before the service and half after)
# on the same tasks; then the creep run (RSS after 1k and 10k tasks), the status route's
# throughput with wrk beside nginx serving a static JSON file, and the blob stores: the large
# workload with --blob-store file: beside s3:// on s3rver (tests/s3, `npm ci --prefix tests/s3`),
# in alternating rounds; every workload beside the Node + sharp server of bench/peer/ (alternating
# rounds, with the SSIM of one output of each against a reference, bench-quality) and the JPEG
# ones in a bare libvips program (bench-baseline --floor); a batch (20 small photos × 3 variants
# in one upload, waited on as a batch) beside the same 60 tasks uploaded one by one, 8 at a time
# (bench-batch, alternating rounds); and the cost as the work grows: SQLite (`serve`) and Redis
# (`api` + `worker` on a redis-server it starts) with 0, 100,000 and 1,000,000 stored tasks, and
# a queue 10,000 deep (bench-preload fills the stores; needs redis-server, redis-cli and
# sqlite3). Prints a Markdown report and writes it to bench/results/latest.md (not committed).
#
#   bench/run.sh [--quick] [--no-build] [--jobs N] [--count N] [--only S] [--out FILE] [--keep]
#
#   --quick     small counts and short wrk runs: a smoke run of the whole script (~1 min); the
#               scale section grows its stores to 1,000 and 10,000 tasks, with a queue 500 deep;
#               the batch section runs 5 files × 3 variants, one round
#   --no-build  use the binaries already in build-bench
#   --jobs N    ninja's parallel jobs (default: all cores)
#   --count N   tasks per workload, per blob store, and per store size and deep-queue uploads
#               of the scale section (default 300, quick 20)
#   --only S    run one section: `main` (workloads, creep, status route), `stores` (file vs S3),
#               `peer` (every workload beside the Node + sharp server, and the floor), `batch`
#               (a batch beside its tasks one by one) or `scale` (the stores at 0, 100,000 and
#               1,000,000 tasks, and a queue 10,000 deep)
#   --out FILE  where the report goes (default bench/results/latest.md)
#   --keep      keep the temp dir (inputs, data dirs, server logs, JSON of every run)
#
# Every process it starts is stopped by PID when it ends, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=300 CONCURRENCY=8 CREEP_COUNT=10000 CREEP_CHECKPOINT=1000
# The scale section: store sizes (finished tasks preloaded), the deep queue, status reads by id.
SCALE_SIZES=(0 100000 1000000) SCALE_QUEUE=10000 SCALE_PROBES=2000
WRK_SECONDS=20 WRK_CONNECTIONS=32 WRK_THREADS=2
# The batch section: files of one upload, its variants (each file × each variant is a task).
BATCH_FILES=20 BATCH_ROUNDS=3
BATCH_VARIANTS='[{"name":"thumb","width":150,"height":150,"fit":"cover","format":"webp"},{"name":"card","width":600,"format":"jpeg"},{"name":"full","width":1200,"format":"webp"}]'
BUILD=1 JOBS=$(nproc) OUT=bench/results/latest.md KEEP=0 QUICK=0 MAIN=1 STORES=1 PEER=1 BATCH=1
SCALE=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --jobs) JOBS=$2; shift ;;
    --count) COUNT=$2; shift ;;
    --only)
      case $2 in
        main) STORES=0 PEER=0 BATCH=0 SCALE=0 ;;
        stores) MAIN=0 PEER=0 BATCH=0 SCALE=0 ;;
        peer) MAIN=0 STORES=0 BATCH=0 SCALE=0 ;;
        batch) MAIN=0 STORES=0 PEER=0 SCALE=0 ;;
        scale) MAIN=0 STORES=0 PEER=0 BATCH=0 ;;
        *) echo "run.sh: --only takes main, stores, peer, batch or scale, not $2" >&2; exit 2 ;;
      esac
      shift ;;
    --out) OUT=$2; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $QUICK -eq 1 ]]; then
  [[ $COUNT -eq 300 ]] && COUNT=20
  CREEP_COUNT=200 CREEP_CHECKPOINT=50 WRK_SECONDS=4
  SCALE_SIZES=(0 1000 10000) SCALE_QUEUE=500 SCALE_PROBES=200
  BATCH_FILES=5 BATCH_ROUNDS=1
fi

# Not build/bench: that is the bench module's folder inside the default build tree.
BUILD_DIR=build-bench
if [[ $BUILD -eq 1 ]]; then
  ./scripts/install-deps.sh
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMAGE_RESIZE_TESTS=ON \
    -DIMAGE_RESIZE_BENCH=ON >/dev/null
  ninja -C "$BUILD_DIR" -j "$JOBS" image-resize bench-workload bench-load bench-baseline \
    bench-quality bench-preload bench-batch
  # Only when missing: `npm ci` empties node_modules first, under any test using it.
  if [[ $STORES -eq 1 && ! -d tests/s3/node_modules/@20minutes/s3rver ]]; then
    npm ci --prefix tests/s3 --no-audit --no-fund --loglevel=error
  fi
  if [[ $PEER -eq 1 && ! -d bench/peer/node_modules/sharp ]]; then
    npm ci --prefix bench/peer --no-audit --no-fund --loglevel=error
  fi
fi
SERVER_BIN=$BUILD_DIR/src/app/image-resize
WORKLOAD_BIN=$BUILD_DIR/bench/bench-workload
LOAD_BIN=$BUILD_DIR/bench/bench-load
BASELINE_BIN=$BUILD_DIR/bench/bench-baseline
QUALITY_BIN=$BUILD_DIR/bench/bench-quality
PRELOAD_BIN=$BUILD_DIR/bench/bench-preload
BATCH_BIN=$BUILD_DIR/bench/bench-batch
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$SERVER_BIN" "$WORKLOAD_BIN" "$LOAD_BIN" "$BASELINE_BIN" "$QUALITY_BIN" "$PRELOAD_BIN" \
  "$BATCH_BIN" "$NGINX_BIN"; do
  [[ -x $tool ]] || { echo "run.sh: $tool is missing (build first, or drop --no-build)" >&2; exit 1; }
done
for tool in wrk jq curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
if [[ $SCALE -eq 1 ]]; then
  for tool in redis-server redis-cli sqlite3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
  done
fi
if [[ $STORES -eq 1 || $PEER -eq 1 ]]; then
  command -v node >/dev/null || { echo "run.sh: node is missing (scripts/install-deps.sh)" >&2; exit 1; }
fi
if [[ $STORES -eq 1 ]]; then
  [[ -d tests/s3/node_modules/@20minutes/s3rver ]] ||
    { echo "run.sh: s3rver is missing (npm ci --prefix tests/s3, or drop --no-build)" >&2; exit 1; }
fi
if [[ $PEER -eq 1 ]]; then
  [[ -d bench/peer/node_modules/sharp ]] ||
    { echo "run.sh: the peer is missing (npm ci --prefix bench/peer, or drop --no-build)" >&2; exit 1; }
fi

WORK=$(mktemp -d /tmp/image-resize-bench.XXXXXX)
RUNS=$WORK/runs
mkdir -p "$RUNS/halves" "$RUNS/stores/rounds" "$RUNS/peer/rounds" "$RUNS/peer/floor" \
  "$RUNS/scale" "$WORK/results"
STARTED_PIDS=()  # started and not yet stopped
forget_pid() {
  local pid rest=()
  for pid in "${STARTED_PIDS[@]}"; do [[ $pid == "$1" ]] || rest+=("$pid"); done
  STARTED_PIDS=("${rest[@]}")
}
# True while $1 runs as a child of this script (not exited, and not a reused pid).
running_child() {
  local state ppid
  read -r state ppid < <(awk '{ print $3, $4 }' "/proc/$1/stat" 2>/dev/null || echo "gone 0")
  [[ $state != Z && $state != gone && $ppid == "$$" ]]
}
stop_pid() {
  if running_child "$1"; then kill -TERM "$1"; fi
  wait "$1" 2>/dev/null || true
  forget_pid "$1"
}
cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  if [[ $KEEP -eq 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Prints the port process PID writes to FILE (the sed expression picks it out) once it appears;
# fails, showing the tail of LOG, when the process exits or TENTHS tenths of a second pass.
wait_for_port() {
  local pid=$1 file=$2 pattern=$3 log=$4 tenths=$5 what=$6 port
  for _ in $(seq "$tenths"); do
    port=$(sed -n "$pattern" "$file" | head -1)
    if [[ -n $port ]]; then
      echo "$port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: $what did not start:" >&2
  tail -20 "$log" >&2
  return 1
}

# --- the service -------------------------------------------------------------------------------
SERVER_PID='' SERVER_PORT=''
SERVER_ENV=()  # `env` arguments for the next start_server: what only that server may see
SERVER_MODE=serve  # or api (give --redis among the flags)
# A `serve` on a free loopback port with its own data dir (fresh unless a run of the same name
# left one); $1 names its dir under $WORK, any further arguments are more flags of `serve`.
start_server() {
  local dir=$WORK/$1
  shift
  mkdir -p "$dir"
  # Emptied here, not only by the redirection in the background child: the port must not be read
  # from the log of the run's previous server.
  : >"$dir/server.log"
  # Every workload uploads the same bytes again and again: without --reuse-results false most
  # tasks would be answered from earlier work, and the runs would measure no resizing.
  env "${SERVER_ENV[@]}" "$SERVER_BIN" "$SERVER_MODE" --host 127.0.0.1 --port 0 \
    --data-dir "$dir/data" --reuse-results false "$@" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  SERVER_PORT=$(wait_for_port "$SERVER_PID" "$dir/server.log" \
    's/.* info listening .*port=\([0-9]*\).*/\1/p' "$dir/server.log" 100 "the server") || exit 1
}

# Stops process $2 of run $1 (its log $3, its name $4); one that had already exited (a crash) is
# recorded with its log's tail, for the report.
stop_process() {
  local status=0
  if ! running_child "$2"; then
    wait "$2" 2>/dev/null || status=$?
    {
      echo "- $1: $4 exited during the run (exit status $status); its log ends:"
      tail -5 "$3" | sed 's/^/      /'
    } >>"$RUNS/crashes.txt"
    log "$1: $4 had exited (status $status)"
    forget_pid "$2"
  else
    stop_pid "$2"
  fi
}
stop_server() { stop_process "$1" "$SERVER_PID" "$WORK/$1/server.log" "the server"; }

# A finished server's data dir goes at once: the runs upload gigabytes.
drop_data() { [[ $KEEP -eq 1 ]] || rm -rf "${WORK:?}/$1/data"; }

# A tool's JSON line into $RUNS/$1.json; a stub with the error when the tool printed none.
run_json() {
  local name=$1
  shift
  "$@" >"$RUNS/$name.json" 2>"$RUNS/$name.err" || true
  if ! jq -e . "$RUNS/$name.json" >/dev/null 2>&1; then
    jq -n --arg e "$(tail -3 "$RUNS/$name.err")" '{ok: 0, errors: -1, error_samples: [$e]}' \
      >"$RUNS/$name.json"
  fi
}

# --- workloads ---------------------------------------------------------------------------------
# name | input | width | height | fit | format. "small" is the one the overhead target and the
# creep run use.
WORKLOADS=(
  "small|jpeg_1920x1080.jpg|100|100|fill|same"
  "large|jpeg_4000x3000.jpg|800|600|fill|same"
  "png|png_alpha_1920x1080.png|400|300|fill|same"
  "webp|webp_1920x1080.webp|400|300|fill|same"
  "tiny|jpeg_640x480.jpg|100|100|fill|same"
)
task_flags() {
  local name input width height fit format
  IFS='|' read -r name input width height fit format <<<"$1"
  echo "--name $name --input $WORK/inputs/$input --width $width --height $height --fit $fit --format $format"
}
# The workload named $1.
workload_named() {
  local workload
  for workload in "${WORKLOADS[@]}"; do
    [[ ${workload%%|*} == "$1" ]] && { echo "$workload"; return; }
  done
  echo "run.sh: no workload $1" >&2
  exit 1
}

# The baseline runs half its tasks before the service and half after, so a machine whose load
# drifts during the run weighs on both sides of the ratio alike.
merge_baselines() {  # $1: workload → $RUNS/$1.baseline.json from its two halves
  jq -s 'map(. + {ok: (.ok // 0), tasks: (.tasks // 0), seconds: (.seconds // 0),
                  cpu_ms_total: (.cpu_ms_total // 0), warmup_errors: (.warmup_errors // 0)})
    | {tool: "bench-baseline", workload: .[0].workload, input_bytes: .[0].input_bytes,
       threads: .[0].threads, tasks: (map(.tasks) | add), ok: (map(.ok) | add),
       errors: (map(.errors) | add), warmup_errors: (map(.warmup_errors) | add),
       error_samples: (map(.error_samples // []) | add | unique),
       seconds: (map(.seconds) | add), cpu_ms_total: (map(.cpu_ms_total) | add),
       peak_rss_mib: (map(.peak_rss_mib // 0) | max)}
    | . + {tasks_per_s: (if .seconds > 0 then .ok / .seconds else 0 end),
           cpu_ms_per_task: (if .tasks > 0 then .cpu_ms_total / .tasks else 0 end)}' \
    "$RUNS/halves/$1.baseline-1.json" "$RUNS/halves/$1.baseline-2.json" >"$RUNS/$1.baseline.json"
}

# The workloads, each through the service and in process.
run_workloads() {
  local workload name
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    # shellcheck disable=SC2046  # task_flags gives several words on purpose
    set -- $(task_flags "$workload")
    log "$name: baseline, $((COUNT / 2)) tasks"
    run_json "halves/$name.baseline-1" "$BASELINE_BIN" "$@" --count $((COUNT / 2))
    log "$name: service, $COUNT tasks at concurrency $CONCURRENCY"
    start_server "$name"
    run_json "$name.service" "$LOAD_BIN" "$@" --count "$COUNT" --concurrency "$CONCURRENCY" \
      --port "$SERVER_PORT" --server-pid "$SERVER_PID"
    stop_server "$name"
    drop_data "$name"
    log "$name: baseline, $((COUNT - COUNT / 2)) tasks"
    run_json "halves/$name.baseline-2" "$BASELINE_BIN" "$@" --count $((COUNT - COUNT / 2))
    merge_baselines "$name"
  done
}

run_creep() {
  log "creep: $CREEP_COUNT small tasks, RSS after $CREEP_CHECKPOINT and $CREEP_COUNT"
  # shellcheck disable=SC2046
  set -- $(task_flags "${WORKLOADS[0]}")
  start_server creep
  run_json creep "$LOAD_BIN" "$@" --count "$CREEP_COUNT" --concurrency "$CONCURRENCY" \
    --port "$SERVER_PORT" --server-pid "$SERVER_PID" --checkpoint "$CREEP_CHECKPOINT"
  stop_server creep
  drop_data creep
}

# --- status serving: wrk on keep-alive connections, the service beside nginx --------------------
# Both run at once and wrk alternates between them, two rounds each, for the same reason.
WRK_ROUND_SECONDS=$(( (WRK_SECONDS + 1) / 2 ))
wrk_run() {  # $1: URL, $2: run name → $RUNS/$2.wrk
  wrk -t "$WRK_THREADS" -c "$WRK_CONNECTIONS" -d "${WRK_ROUND_SECONDS}s" --latency "$1" \
    >"$RUNS/$2.wrk" 2>&1 || true
}
wrk_figures() {  # $1: target → mean requests/s of its rounds, and their non-2xx responses
  cat "$RUNS/$1".*.wrk | awk '
    /^Requests\/sec:/ { rate += $2; rounds++ }
    /Non-2xx or 3xx responses:/ { bad += $NF }
    END { printf "%.0f %d\n", rounds ? rate / rounds : 0, bad }'
}
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

run_status() {
  log "status: one task, then wrk against the service and nginx"
  start_server status
  # shellcheck disable=SC2046
  set -- $(task_flags "${WORKLOADS[0]}")
  run_json status.task "$LOAD_BIN" "$@" --count 1 --warmup 0 --concurrency 1 --port "$SERVER_PORT"
  TASK_ID=$(jq -r '.task_id // empty' "$RUNS/status.task.json")
  [[ -n $TASK_ID ]] || { echo "run.sh: no task for the status test" >&2; exit 1; }
  STATUS_URL="http://127.0.0.1:$SERVER_PORT/api/v1/status/$TASK_ID"
  mkdir -p "$WORK/nginx/www" "$WORK/nginx/logs"
  curl -fsS "$STATUS_URL" >"$WORK/nginx/www/status.json"  # the same bytes, as a static file

  NGINX_PORT=$(free_port)
  # As the service: keep-alive, 1000 requests per connection (nginx's default), as many workers
  # as the service has I/O threads; no access log.
  cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp-body;
  proxy_temp_path $WORK/nginx/tmp-proxy;
  fastcgi_temp_path $WORK/nginx/tmp-fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp-uwsgi;
  scgi_temp_path $WORK/nginx/tmp-scgi;
  default_type application/json;
  keepalive_requests 1000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/www;
  }
}
EOF
  # nginx's workers drop root for "nobody", which must be able to read the file.
  chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/www"
  chmod 644 "$WORK/nginx/www/status.json"
  "$NGINX_BIN" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
  NGINX_PID=$!
  STARTED_PIDS+=("$NGINX_PID")
  NGINX_URL="http://127.0.0.1:$NGINX_PORT/status.json"
  for _ in $(seq 100); do
    curl -fsS "$NGINX_URL" >/dev/null 2>&1 && break
    sleep 0.1
  done
  local round
  for round in 1 2; do
    wrk_run "$STATUS_URL" "status-service.$round"
    wrk_run "$NGINX_URL" "status-nginx.$round"
  done
  stop_pid "$NGINX_PID"
  stop_server status
}

# --- blob stores: files beside S3 ---------------------------------------------------------------
# One workload through `serve` with --blob-store file: and with s3:// on s3rver (tests/s3: a
# Node.js S3 server that checks signatures, not MinIO or AWS), in alternating rounds (files, S3,
# files, S3) so that a machine whose load drifts weighs on both alike; each round on a fresh
# server (and a fresh s3rver with an empty bucket), with the same client and tasks. The server's
# CPU (its process tree) and s3rver's are measured apart over the same tasks: s3rver shares the
# cores, and what it costs is the test server's, not the service's. The large workload: a camera
# photo resized for the web, the typical task, and the one that moves the most bytes through the
# store (the whole upload in and out of it, then the result).
STORE_WORKLOAD=large STORE_ROUNDS=2 STORE_BUCKET=images
S3_PID='' S3_PORT=''
# The key pair s3rver accepts and `serve` signs with, made up for this run (run_stores).
S3_ACCESS_KEY='' S3_SECRET_KEY=''

store_workload() { workload_named "$STORE_WORKLOAD"; }
store_input() {
  local name input rest
  IFS='|' read -r name input rest <<<"$(store_workload)"
  echo "$input"
}
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# s3rver on a free loopback port with an empty object dir, $WORK/$1/objects.
start_s3() {
  local dir=$WORK/$1
  mkdir -p "$dir"
  S3_TEST_ACCESS_KEY_ID=$S3_ACCESS_KEY S3_TEST_SECRET_ACCESS_KEY=$S3_SECRET_KEY \
    node tests/s3/s3_server.mjs --dir "$dir/objects" --port 0 --address 127.0.0.1 \
    --bucket "$STORE_BUCKET" >"$dir/s3.out" 2>"$dir/s3.log" &
  S3_PID=$!
  STARTED_PIDS+=("$S3_PID")
  S3_PORT=$(wait_for_port "$S3_PID" "$dir/s3.out" 's/^listening \([0-9]*\)$/\1/p' \
    "$dir/s3.log" 300 "s3rver") || exit 1
}
stop_s3() {  # $1: its run
  stop_process "$1" "$S3_PID" "$WORK/$1/s3.log" s3rver
  [[ $KEEP -eq 1 ]] || rm -rf "${WORK:?}/$1/objects"
}

# The rounds $2.* of section $1 → $RUNS/$1/$2.json: totals, throughput and CPU per task over
# all of them, latency percentiles (nearest rank) over all their tasks.
merge_rounds() {
  jq -s 'def pct($q): sort as $v | ($v | length) as $n
           | if $n == 0 then 0 else $v[([([($q * $n) | ceil, 1] | max), $n] | min) - 1] end;
    map(. + {ok: (.ok // 0), tasks: (.tasks // 0), seconds: (.seconds // 0),
             errors: ((.errors // 0) | if . < 0 then 1 else . end),
             warmup_errors: (.warmup_errors // 0)})
    | (map(.latencies_ms // []) | add) as $latencies
    | {workload: .[0].workload, input_bytes: .[0].input_bytes, rounds: length,
       tasks: (map(.tasks) | add), ok: (map(.ok) | add),
       errors: (map(.errors + .warmup_errors) | add),
       error_samples: (map(.error_samples // []) | add | unique),
       seconds: (map(.seconds) | add),
       server_cpu_ms: (map(.server.cpu_ms_total // 0) | add),
       store_cpu_ms: (if all(.[]; .store) then map(.store.cpu_ms_total) | add else null end),
       client_cpu_ms: (map((.client_cpu_ms_per_task // 0) * .tasks) | add),
       peak_pss_mib: (map(.server.peak_pss_mib // 0) | max),
       round_tasks_per_s: map(.tasks_per_s // 0),
       latency_ms: {p50: ($latencies | pct(0.50)), p95: ($latencies | pct(0.95)),
                    p99: ($latencies | pct(0.99))}}
    | . + {tasks_per_s: (if .seconds > 0 then .ok / .seconds else 0 end),
           server_cpu_ms_per_task: (if .tasks > 0 then .server_cpu_ms / .tasks else 0 end),
           store_cpu_ms_per_task:
             (if .store_cpu_ms == null then null
              elif .tasks > 0 then .store_cpu_ms / .tasks else 0 end),
           client_cpu_ms_per_task: (if .tasks > 0 then .client_cpu_ms / .tasks else 0 end)}' \
    "$RUNS/$1/rounds/$2".*.json >"$RUNS/$1/$2.json"
}

run_stores() {
  local round store run per_round=$((COUNT / STORE_ROUNDS))
  ((per_round > 0)) || per_round=1
  S3_ACCESS_KEY=bench$(random_hex 8) S3_SECRET_KEY=$(random_hex 20)
  # shellcheck disable=SC2046
  set -- $(task_flags "$(store_workload)")
  for round in $(seq "$STORE_ROUNDS"); do
    for store in file s3; do
      run=stores-$store-$round
      log "stores: $store, round $round of $STORE_ROUNDS: $per_round $STORE_WORKLOAD tasks at concurrency $CONCURRENCY"
      if [[ $store == s3 ]]; then
        start_s3 "$run"
        # Only this server sees the key pair (and no session token from this shell).
        SERVER_ENV=(-u AWS_SESSION_TOKEN "AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY"
          "AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY")
        start_server "$run" --blob-store "s3://$STORE_BUCKET" \
          --s3-endpoint "http://127.0.0.1:$S3_PORT"
        SERVER_ENV=()
        run_json "stores/rounds/$store.$round" "$LOAD_BIN" "$@" --count "$per_round" \
          --concurrency "$CONCURRENCY" --port "$SERVER_PORT" --server-pid "$SERVER_PID" \
          --store-pid "$S3_PID" --latencies
        stop_server "$run"
        stop_s3 "$run"
      else
        start_server "$run" --blob-store file:
        run_json "stores/rounds/$store.$round" "$LOAD_BIN" "$@" --count "$per_round" \
          --concurrency "$CONCURRENCY" --port "$SERVER_PORT" --server-pid "$SERVER_PID" \
          --latencies
        stop_server "$run"
      fi
      drop_data "$run"
    done
  done
  merge_rounds stores file
  merge_rounds stores s3
}

# --- the peer: a Node + sharp server --------------------------------------------------------------
# What users would otherwise run: bench/peer/server.mjs (Express + multer + sharp, sharp's
# defaults, results in memory). Every workload through the service (default flags) and through
# the peer, in alternating rounds on fresh servers, with the same client and tasks; the CPU of
# each server's process tree is measured over its tasks. Round 1 of each side keeps its first
# measured result, which bench-quality scores against a reference resize of the input.
PEER_ROUNDS=2

# The peer on a free loopback port; sets SERVER_PID and SERVER_PORT like start_server.
start_peer() {
  local dir=$WORK/$1
  mkdir -p "$dir"
  node bench/peer/server.mjs --port 0 >"$dir/peer.out" 2>"$dir/server.log" &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  SERVER_PORT=$(wait_for_port "$SERVER_PID" "$dir/peer.out" 's/^listening \([0-9]*\)$/\1/p' \
    "$dir/server.log" 300 "the peer") || exit 1
}

# The result side $2 of workload $1 (input file $3) kept for bench-quality.
kept_result() { echo "$WORK/results/$1-$2.${3##*.}"; }

# Both sides' kept results of workload $1 scored against the reference → $RUNS/peer/$1-quality.json.
run_quality() {
  local name input width height rest
  IFS='|' read -r name input width height rest <<<"$1"
  log "peer: $name, quality of one result of each side"
  run_json "peer/$name-quality" "$QUALITY_BIN" --input "$WORK/inputs/$input" --width "$width" \
    --height "$height" "$(kept_result "$name" service "$input")" \
    "$(kept_result "$name" peer "$input")"
}

run_peer() {
  local workload name input round side run keep per_round=$((COUNT / PEER_ROUNDS))
  ((per_round > 0)) || per_round=1
  for workload in "${WORKLOADS[@]}"; do
    IFS='|' read -r name input _ <<<"$workload"
    # shellcheck disable=SC2046
    set -- $(task_flags "$workload")
    for round in $(seq "$PEER_ROUNDS"); do
      for side in service peer; do
        run=peer-$name-$side-$round
        keep=()
        [[ $round -eq 1 ]] && keep=(--save-result "$(kept_result "$name" "$side" "$input")")
        log "peer: $name, $side, round $round of $PEER_ROUNDS: $per_round tasks at concurrency $CONCURRENCY"
        if [[ $side == peer ]]; then start_peer "$run"; else start_server "$run"; fi
        run_json "peer/rounds/$name-$side.$round" "$LOAD_BIN" "$@" --count "$per_round" \
          --concurrency "$CONCURRENCY" --port "$SERVER_PORT" --server-pid "$SERVER_PID" \
          --latencies "${keep[@]}"
        stop_process "$run" "$SERVER_PID" "$WORK/$run/server.log" "the $side"
        drop_data "$run"
      done
    done
    merge_rounds peer "$name-service"
    merge_rounds peer "$name-peer"
    run_quality "$workload"
  done
}

# --- the floor: a bare libvips program, in process -----------------------------------------------
# The least libvips needs for each JPEG workload (bench-baseline --floor: shrink-on-load, one
# reduce, encode), in process on the service's number of threads, after the peer section; the
# CPU per task of the service and of the peer are read against it.
FLOOR_WORKLOADS=(small large tiny)

run_floor() {
  local workload name round per_round=$((COUNT / PEER_ROUNDS))
  ((per_round > 0)) || per_round=1
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    [[ " ${FLOOR_WORKLOADS[*]} " == *" $name "* ]] || continue
    # shellcheck disable=SC2046
    set -- $(task_flags "$workload")
    for round in $(seq "$PEER_ROUNDS"); do
      log "floor: $name, round $round of $PEER_ROUNDS: $per_round tasks in process"
      run_json "peer/floor/$name.$round" "$BASELINE_BIN" "$@" --floor --count "$per_round"
    done
    jq -s '{workload: .[0].workload, tasks: (map(.tasks // 0) | add), ok: (map(.ok // 0) | add),
            errors: (map((.errors // 0) + (.warmup_errors // 0)) | add),
            cpu_ms_total: (map(.cpu_ms_total // 0) | add)}
           | . + {cpu_ms_per_task: (if .tasks > 0 then .cpu_ms_total / .tasks else 0 end)}' \
      "$RUNS/peer/floor/$name".*.json >"$RUNS/peer/$name-floor.json"
  done
}

# --- batches: one upload of many files and variants, beside its tasks one by one ----------------
# BATCH_FILES copies of the small workload's photo × the variants of BATCH_VARIANTS in one upload,
# waited on as a batch, beside the same tasks uploaded one by one (priority low, as a batch's
# tasks are), CONCURRENCY at a time; bench-batch alternates which goes first from round to round,
# on one fresh `image-resize serve` with default flags.
BATCH_WORKLOAD=small BATCH_LOAD_BEFORE='' BATCH_LOAD_AFTER=''

batch_input() { workload_named "$BATCH_WORKLOAD" | cut -d'|' -f2; }

run_batches() {
  log "batch: $BATCH_FILES files × $(jq length <<<"$BATCH_VARIANTS") variants, $BATCH_ROUNDS rounds, beside one by one at concurrency $CONCURRENCY"
  BATCH_LOAD_BEFORE=$(loadavg)
  start_server batch
  run_json batch "$BATCH_BIN" --port "$SERVER_PORT" --input "$WORK/inputs/$(batch_input)" \
    --files "$BATCH_FILES" --variants "$BATCH_VARIANTS" --concurrency "$CONCURRENCY" \
    --rounds "$BATCH_ROUNDS"
  stop_server batch
  drop_data batch
  BATCH_LOAD_AFTER=$(loadavg)
}

# --- cost as the work grows: stores of 0, 100,000 and 1,000,000 tasks, and a deep queue ---------
# One store per backend grows: SQLite under `serve`, and Redis under `api` + `worker` on a
# redis-server started here with the persistence docs/scaling.md asks for (appendonly,
# appendfsync always; no RDB snapshots, which would fork a copy of the store in the middle of a
# run). At each size the servers run the tiny workload (every step of a task timed apart), and
# then, freshly started so that no cache of theirs holds a task, read the status of stored tasks
# by id, each once; then the store's size is read. Between sizes bench-preload adds finished
# tasks with the servers stopped (Redis with appendfsync everysec meanwhile: the preload is not
# what is measured). Results are fetched only of the run's own tasks (the preloaded ones have
# none). Then the deep queue: SCALE_QUEUE tasks preloaded as queued (with their inputs) into a
# fresh store, the servers started, and the upload and status routes timed while the workers
# drain it.
SCALE_WORKLOAD=tiny
REDIS_PID='' REDIS_PORT='' WORKER_PID=''

start_redis() {  # $1: its dir under $WORK
  local dir=$WORK/$1
  mkdir -p "$dir"
  REDIS_PORT=$(free_port)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" --appendonly yes \
    --appendfsync always --save '' >"$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  STARTED_PIDS+=("$REDIS_PID")
  for _ in $(seq 100); do
    [[ $(rcli PING 2>/dev/null) == PONG ]] && return 0
    sleep 0.1
  done
  echo "run.sh: redis-server did not start:" >&2
  tail -20 "$dir/redis.log" >&2
  exit 1
}
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "${REDIS_DB:-0}" "$@"; }
redis_url() { echo "redis://127.0.0.1:$REDIS_PORT/${REDIS_DB:-0}"; }

# `worker` on run $1's data dir (any further arguments are its flags), once its workers run.
start_worker() {
  local dir=$WORK/$1
  shift
  : >"$dir/worker.log"  # as in start_server
  "$SERVER_BIN" worker --host 127.0.0.1 --data-dir "$dir/data" "$@" >"$dir/worker.log" 2>&1 &
  WORKER_PID=$!
  STARTED_PIDS+=("$WORKER_PID")
  wait_for_port "$WORKER_PID" "$dir/worker.log" 's/.* info workers started.*/up/p' \
    "$dir/worker.log" 100 "the worker" >/dev/null || exit 1
}

# The servers of backend $1 (sqlite or redis) on run $2's store; any further arguments are flags
# of the HTTP side (serve, or api).
scale_start() {
  local backend=$1 run=$2
  shift 2
  if [[ $backend == sqlite ]]; then
    start_server "$run" "$@"
  else
    SERVER_MODE=api start_server "$run" --redis "$(redis_url)" "$@"
    start_worker "$run" --redis "$(redis_url)"
  fi
}
scale_stop() {
  stop_server "$2"
  if [[ $1 == redis ]]; then stop_process "$2" "$WORKER_PID" "$WORK/$2/worker.log" "the worker"; fi
}

# Tasks in backend $1's store of run $2, and the bytes it takes: the SQLite files (database and
# WAL), or Redis' used_memory.
store_tasks() {
  if [[ $1 == sqlite ]]; then
    sqlite3 "$WORK/$2/data/tasks.db" 'SELECT count(*) FROM tasks'
  else
    rcli ZCARD image-resize:expiry
  fi
}
store_bytes() {
  if [[ $1 == sqlite ]]; then
    local file bytes=0
    for file in "$WORK/$2/data/tasks.db" "$WORK/$2/data/tasks.db-wal"; do
      [[ -f $file ]] && bytes=$((bytes + $(stat -c %s "$file")))
    done
    echo "$bytes"
  else
    rcli INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p'
  fi
}
queue_depth() {
  curl -fsS "http://127.0.0.1:$SERVER_PORT/metrics" |
    awk '/^image_resize_queue_depth/ { depth += $NF } END { print depth + 0 }'
}

# Status reads by id at concurrency C from the ids of file $2, each once: → $RUNS/scale/$1.json.
# Any further arguments are bench-load's.
status_reads() {
  local name=$1 ids=$2 reads
  shift 2
  reads=$(($(wc -l <"$ids") - CONCURRENCY))  # the warm-up reads take one id per client
  ((reads > SCALE_PROBES)) && reads=$SCALE_PROBES
  # shellcheck disable=SC2046
  run_json "scale/$name" "$LOAD_BIN" $(task_flags "$(scale_workload)") --mode status \
    --ids "$ids" --count "$reads" --concurrency "$CONCURRENCY" --port "$SERVER_PORT" "$@"
}
scale_workload() { workload_named "$SCALE_WORKLOAD"; }

# One size of backend $1's store (run $2): the workload, the status reads, the store's size.
scale_measure() {
  local backend=$1 run=$2 size=$3 name=$1-$3
  log "scale: $backend at $size preloaded tasks: $COUNT $SCALE_WORKLOAD tasks at concurrency $CONCURRENCY"
  scale_start "$backend" "$run"
  [[ -n ${EMPTY_BYTES[$backend]:-} ]] || EMPTY_BYTES[$backend]=$(store_bytes "$backend" "$run")
  # shellcheck disable=SC2046
  run_json "scale/$name.load" "$LOAD_BIN" $(task_flags "$(scale_workload)") --count "$COUNT" \
    --concurrency "$CONCURRENCY" --port "$SERVER_PORT" --ids-out "$WORK/$run/ids.run-$size"
  jq -n --argjson tasks "$(store_tasks "$backend" "$run")" \
    --argjson bytes "$(store_bytes "$backend" "$run")" --argjson empty "${EMPTY_BYTES[$backend]}" \
    '{tasks: $tasks, bytes: $bytes, empty_bytes: $empty}' >"$RUNS/scale/$name.store.json"
  scale_stop "$backend" "$run"
  log "scale: $backend at $size: status of stored tasks by id, from fresh servers"
  cat "$WORK/$run"/ids.* >"$WORK/$run/probe-ids"
  scale_start "$backend" "$run"
  status_reads "$name.status" "$WORK/$run/probe-ids" --expect SUCCESS
  scale_stop "$backend" "$run"
}

# Adds finished tasks to backend $1's store (run $2) until it holds $4 preloaded ($3 before).
scale_preload() {
  local backend=$1 run=$2 from=$3 to=$4 store
  log "scale: $backend: preloading $((to - from)) finished tasks"
  if [[ $backend == sqlite ]]; then
    store=(--data-dir "$WORK/$run/data")
  else
    store=(--redis "$(redis_url)")
    rcli CONFIG SET appendfsync everysec >/dev/null
  fi
  run_json "scale/$backend-$to.preload" "$PRELOAD_BIN" "${store[@]}" --count $((to - from)) \
    --ids-out "$WORK/$run/ids.preload-$to" --ids-sample "$SCALE_PROBES"
  if [[ $backend == redis ]]; then
    rcli CONFIG SET appendfsync always >/dev/null
    compact_aof
  fi
  # What the preload (and the rewrite) left to write back would slow the next run's syncs.
  sync -f "$WORK"
}

# The preload's burst of writes makes Redis rewrite its append-only file (a fork that copies
# the store), which would otherwise fall into the next measurement: rewrite it now and wait,
# so that the store is measured as a long-running one is most of the time.
compact_aof() {
  rcli BGREWRITEAOF >/dev/null 2>&1 || true  # one already running will do
  for _ in $(seq 3000); do
    rcli INFO persistence | grep -qE '^aof_rewrite_(in_progress|scheduled):1' || return 0
    sleep 0.2
  done
  log "scale: Redis was still rewriting its append-only file after 10 minutes"
}

# The deep queue of backend $1 on a fresh store: → $RUNS/scale/$1-queue.*.json.
scale_queue() {
  local backend=$1 run=scale-$1-queue input store started drained depth_before depth_after
  input=$WORK/inputs/$(scale_workload | cut -d'|' -f2)
  store=(--data-dir "$WORK/$run/data")
  [[ $backend == sqlite ]] || store+=(--redis "$(REDIS_DB=1 redis_url)")
  log "scale: $backend: $SCALE_QUEUE queued tasks, then the workers start"
  run_json "scale/$backend-queue.preload" "$PRELOAD_BIN" "${store[@]}" --state pending \
    --count "$SCALE_QUEUE" --input "$input" --ids-out "$WORK/$run/ids" --ids-sample "$SCALE_PROBES"
  started=$(date +%s.%N)
  # Above the queue: the default --max-queue (10,000) answers uploads 503 queue_full beyond it.
  REDIS_DB=1 scale_start "$backend" "$run" --max-queue $((2 * SCALE_QUEUE + COUNT))
  depth_before=$(queue_depth)
  # shellcheck disable=SC2046
  run_json "scale/$backend-queue.upload" "$LOAD_BIN" $(task_flags "$(scale_workload)") \
    --mode upload --count "$COUNT" --concurrency "$CONCURRENCY" --port "$SERVER_PORT"
  status_reads "$backend-queue.status" "$WORK/$run/ids"
  depth_after=$(queue_depth)
  for _ in $(seq 6000); do
    [[ $(queue_depth) -eq 0 ]] && break
    sleep 0.1
  done
  drained=$(date +%s.%N)
  jq -n --argjson queued "$SCALE_QUEUE" --argjson before "$depth_before" \
    --argjson after "$depth_after" --argjson left "$(queue_depth)" \
    --argjson uploads "$(jq '(.ok // 0) + (.warmup // 0)' "$RUNS/scale/$backend-queue.upload.json")" \
    --argjson seconds "$(awk -v a="$drained" -v b="$started" 'BEGIN { printf "%.2f", a - b }')" \
    '{queued: $queued, depth_before: $before, depth_after: $after, left: $left,
      drained: ($queued + $uploads - $left), seconds: $seconds}' >"$RUNS/scale/$backend-queue.json"
  REDIS_DB=1 scale_stop "$backend" "$run"
  drop_data "$run"
}

declare -A EMPTY_BYTES=()
run_scale() {
  local backend run i previous
  start_redis scale-redis-server
  for backend in sqlite redis; do
    run=scale-$backend
    previous=0
    for i in "${!SCALE_SIZES[@]}"; do
      if ((SCALE_SIZES[i] > previous)); then
        scale_preload "$backend" "$run" "$previous" "${SCALE_SIZES[i]}"
      fi
      scale_measure "$backend" "$run" "${SCALE_SIZES[i]}"
      previous=${SCALE_SIZES[i]}
    done
    drop_data "$run"
    scale_queue "$backend"
  done
  stop_pid "$REDIS_PID"
}

LOAD_BEFORE=$(loadavg)
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "load average before: $LOAD_BEFORE"
log "writing the workload"
if [[ $MAIN -eq 1 || $PEER -eq 1 ]]; then
  "$WORKLOAD_BIN" --out "$WORK/inputs" | tee "$WORK/inputs.txt" >&2
else
  if [[ $STORES -eq 1 ]]; then
    "$WORKLOAD_BIN" --out "$WORK/inputs" --only "$(store_input)" | tee -a "$WORK/inputs.txt" >&2
  fi
  if [[ $BATCH -eq 1 ]]; then
    "$WORKLOAD_BIN" --out "$WORK/inputs" --only "$(batch_input)" | tee -a "$WORK/inputs.txt" >&2
  fi
  if [[ $SCALE -eq 1 ]]; then
    "$WORKLOAD_BIN" --out "$WORK/inputs" --only "$(scale_workload | cut -d'|' -f2)" |
      tee -a "$WORK/inputs.txt" >&2
  fi
fi
if [[ $MAIN -eq 1 ]]; then
  run_workloads
  run_creep
  run_status
fi
if [[ $STORES -eq 1 ]]; then
  run_stores
fi
if [[ $PEER -eq 1 ]]; then
  run_peer
  run_floor
fi
if [[ $BATCH -eq 1 ]]; then
  run_batches
fi
if [[ $SCALE -eq 1 ]]; then
  run_scale
fi
LOAD_AFTER=$(loadavg)
log "load average after: $LOAD_AFTER"


# --- the report --------------------------------------------------------------------------------
num() { jq -r "$2 // 0" "$RUNS/$1.json"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }
# Baseline and service figures of workload $1, tab-separated, for awk.
figures() {
  jq -r -s '[.[0].tasks_per_s, .[1].tasks_per_s, .[1].latency_ms.p50, .[1].latency_ms.p95,
             .[1].latency_ms.p99, .[0].cpu_ms_per_task, .[1].server.cpu_ms_per_task,
             .[1].server.peak_rss_mib, .[0].errors + .[0].warmup_errors + .[1].errors +
             .[1].warmup_errors, .[0].peak_rss_mib, .[1].server.root_hwm_rss_mib,
             .[1].server.processes_max, .[1].client_cpu_ms_per_task, .[1].input_bytes,
             .[1].server.peak_pss_mib]
            | map(. // 0) | @tsv' "$RUNS/$1.baseline.json" "$RUNS/$1.service.json"
}
ratio_of() { figures "$1" | awk -F'\t' '{ printf "%.2f", $2 / ($1 + 1e-9) }'; }

# The JSON of every run whose tasks count (the baselines merged, the rounds one by one).
run_files() {
  local files
  shopt -s nullglob
  files=("$RUNS"/*.json "$RUNS"/stores/rounds/*.json "$RUNS"/peer/rounds/*.json
    "$RUNS"/peer/floor/*.json "$RUNS"/peer/*-quality.json "$RUNS"/scale/*.load.json
    "$RUNS"/scale/*.status.json "$RUNS"/scale/*.upload.json)
  shopt -u nullglob
  printf '%s\n' "${files[@]}"
}
failed_tasks() {
  local errors=0 run
  while read -r run; do
    errors=$((errors + $(jq -r '(.errors // 0) + (.warmup_errors // 0) | if . < 0 then 1 else . end' "$run")))
  done < <(run_files)
  echo "$errors"
}

main_report() {
  local workload name input width height fit format
  echo "$COUNT measured tasks per workload, after one warm-up task per client or thread. Service: \`image-resize serve\` (Release, default flags: $(num small.baseline .threads) worker threads), $CONCURRENCY tasks in flight. Baseline: the same resizes in process on $(num small.baseline .threads) threads."
  echo
  echo "| workload | baseline tasks/s | service tasks/s | ratio | p50 ms | p95 ms | p99 ms | baseline CPU ms/task | service CPU ms/task | overhead ms/task | service peak PSS MiB | service peak RSS MiB | errors |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  for workload in "${WORKLOADS[@]}"; do
    IFS='|' read -r name input width height fit format <<<"$workload"
    figures "$name" | awk -F'\t' -v w="$name: ${input%.*} → ${width}x${height} $fit" '{
      printf "| %s | %.1f | %.1f | %.2f | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.1f | %.1f | %d |\n",
        w, $1, $2, $2 / ($1 + 1e-9), $3, $4, $5, $6, $7, $7 - $6, $15, $8, $9 }'
  done
  echo
  echo "| workload | input bytes | baseline peak RSS MiB | server VmHWM MiB | server processes | client CPU ms/task | ratio ceiling |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    figures "$name" | awk -F'\t' -v w="$name" '{
      printf "| %s | %d | %.1f | %.1f | %d | %.2f | %.2f |\n", w, $14, $10, $11, $12, $13,
        $6 / ($6 + $13 + 1e-9) }'
  done
  echo
  local rss1 rss2 creep_growth svc_rate svc_bad ngx_rate ngx_bad status_ratio overhead large_rss
  local large_pss
  rss1=$(jq -r '.checkpoints[0].rss_mib // 0' "$RUNS/creep.json")
  rss2=$(jq -r '.checkpoints[-1].rss_mib // 0' "$RUNS/creep.json")
  creep_growth=$(calc %.1f "($rss2 - $rss1) * 100 / ($rss1 + 1e-9)")
  read -r svc_rate svc_bad <<<"$(wrk_figures status-service)"
  read -r ngx_rate ngx_bad <<<"$(wrk_figures status-nginx)"
  status_ratio=$(calc %.2f "$svc_rate / ($ngx_rate + 1e-9)")
  overhead=$(figures small | awk -F'\t' '{ printf "%.2f", $7 - $6 }')
  large_rss=$(num large.service .server.peak_rss_mib)
  large_pss=$(num large.service .server.peak_pss_mib)
  echo "| target | figure | goal | verdict |"
  echo "|---|--:|--:|---|"
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    echo "| throughput service/baseline, $name | $(ratio_of "$name") | ≥ 0.9 | $(verdict "$(ratio_of "$name") >= 0.9") |"
  done
  echo "| per-task overhead (server CPU − baseline CPU), small | $overhead ms | < 1 ms | $(verdict "$overhead < 1") |"
  echo "| peak memory of the service (sum of PSS over its processes), 4000×3000 at concurrency $CONCURRENCY | $large_pss MiB | ≤ 100 MiB | $(verdict "$large_pss <= 100") |"
  echo "| the same as a sum of RSS (shared libraries counted once per process) | $large_rss MiB | ≤ 100 MiB | $(verdict "$large_rss <= 100") |"
  echo "| RSS after $CREEP_COUNT vs after $CREEP_CHECKPOINT small tasks | $rss2 vs $rss1 MiB ($creep_growth %) | within 10 % | $(verdict "$creep_growth <= 10 && $creep_growth >= -10 && $rss1 > 0") |"
  echo "| status route vs nginx static JSON (wrk -t$WRK_THREADS -c$WRK_CONNECTIONS, 2 rounds of $WRK_ROUND_SECONDS s each) | $svc_rate vs $ngx_rate req/s = $status_ratio | ≥ 0.5 | $(verdict "$status_ratio >= 0.5 && $svc_bad == 0") |"
  echo
  local ratios=''
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    ratios+="$name $(ratio_of "$name"), "
  done
  echo "Summary: service/baseline throughput ${ratios}per-task overhead $overhead ms (small), peak memory $large_pss MiB PSS / $large_rss MiB RSS (4000×3000), creep $creep_growth % ($rss1 → $rss2 MiB), status route $status_ratio of nginx ($svc_rate vs $ngx_rate req/s; non-2xx: $svc_bad service, $ngx_bad nginx). Failed tasks: $(failed_tasks)."
}

# Store $1's merged figures, tab-separated: tasks/s, the rounds' tasks/s (space-separated),
# service CPU, s3rver CPU ("-" for none), p50, p95, p99, peak PSS, client CPU, errors.
store_figures() {
  jq -r '[.tasks_per_s, (.round_tasks_per_s | map(tostring) | join(" ")),
          .server_cpu_ms_per_task, (.store_cpu_ms_per_task // "-"), .latency_ms.p50,
          .latency_ms.p95, .latency_ms.p99, .peak_pss_mib, .client_cpu_ms_per_task, .errors]
         | map(. // 0) | @tsv' "$RUNS/stores/$1.json"
}

stores_report() {
  local name input width height fit format per_round=$((COUNT / STORE_ROUNDS))
  ((per_round > 0)) || per_round=1
  IFS='|' read -r name input width height fit format <<<"$(store_workload)"
  echo "## Blob stores: files beside S3"
  echo
  echo "Workload $name (${input%.*} → ${width}x${height} $fit, $(jq -r '.input_bytes // 0' "$RUNS/stores/file.json") input bytes): $per_round measured tasks per round, $STORE_ROUNDS rounds per store in turn (files, S3, files, S3, …), $CONCURRENCY in flight, after one warm-up task per client; a fresh \`image-resize serve\` per round, with \`--blob-store file:\` or \`--blob-store s3://$STORE_BUCKET --s3-endpoint http://127.0.0.1:PORT\` and default flags otherwise. S3 is s3rver $(jq -r .version tests/s3/node_modules/@20minutes/s3rver/package.json 2>/dev/null || echo '?') (tests/s3/s3_server.mjs, Node.js $(node --version)) on loopback, fresh per round: a test server, not MinIO or AWS."
  echo
  echo "| blob store | tasks/s | tasks/s per round | service CPU ms/task | s3rver CPU ms/task | service + s3rver CPU ms/task | p50 ms | p95 ms | p99 ms | service peak PSS MiB | client CPU ms/task | errors |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  paste <(store_figures file) <(store_figures s3) | awk -F'\t' '
    function rounds(list,   n, i, r, out) {
      n = split(list, r, " ")
      for (i = 1; i <= n; i++) out = out (i > 1 ? ", " : "") sprintf("%.1f", r[i])
      return out
    }
    function row(label, f, store) {
      printf "| %s | %.1f | %s | %.2f | %s | %.2f | %.0f | %.0f | %.0f | %.1f | %.2f | %d |\n",
        label, f[1], rounds(f[2]), f[3], store == "-" ? "–" : sprintf("%.2f", store),
        f[3] + (store == "-" ? 0 : store), f[5], f[6], f[7], f[8], f[9], f[10]
    }
    function ratio(a, b) { return sprintf("%.2f", a / (b + 1e-9)) }
    {
      for (i = 1; i <= 10; i++) { file[i] = $i; s3[i] = $(i + 10) }
      row("files (`file:`)", file, file[4])
      row("S3 on s3rver (`s3://`)", s3, s3[4])
      printf "| S3 ÷ files | %s | | %s | | %s | %s | %s | %s | | | |\n", ratio(s3[1], file[1]),
        ratio(s3[3], file[3]), ratio(s3[3] + (s3[4] == "-" ? 0 : s3[4]), file[3]),
        ratio(s3[5], file[5]), ratio(s3[6], file[6]), ratio(s3[7], file[7])
    }'
  echo
  echo "Columns: tasks/s = measured tasks ÷ wall time over all rounds (and per round); service CPU ms/task = user + system CPU of the server's process tree (the \`serve\` process and its imaging helpers; not s3rver) ÷ tasks; s3rver CPU ms/task = the same of the s3rver process, over the same tasks; p50/p95/p99 = latency from the start of the upload to the last byte of the result, over the tasks of all rounds; S3 ÷ files = the ratio of the two rows (below 1 for tasks/s, above 1 for CPU and latency: S3 costs more). s3rver runs on the same cores as the service and the client, so its CPU lowers the S3 row's throughput too."
}

peer_report() {
  local per_round=$((COUNT / PEER_ROUNDS))
  ((per_round > 0)) || per_round=1
  echo "## Beside a Node + sharp server"
  echo
  echo "Each workload through \`image-resize serve\` (default flags) and through bench/peer/server.mjs (Express + multer + sharp $(jq -r .version bench/peer/node_modules/sharp/package.json 2>/dev/null || echo '?'), sharp's defaults, results in memory; Node.js $(node --version)): $PEER_ROUNDS rounds each in turn, $per_round measured tasks per round, $CONCURRENCY in flight, a fresh server per round."
  echo
  echo "| workload | service tasks/s | sharp tasks/s | service ÷ sharp | service CPU ms/task | sharp CPU ms/task | service p50 / p99 ms | sharp p50 / p99 ms | service peak PSS MiB | sharp peak PSS MiB | errors |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  local workload name
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    jq -rs --arg name "$name" '.[0] as $s | .[1] as $p
      | "| \($name) | \($s.tasks_per_s | . * 10 | round / 10) | \($p.tasks_per_s | . * 10 | round / 10) | \(($s.tasks_per_s / ($p.tasks_per_s + 1e-9)) * 100 | round / 100) | \($s.server_cpu_ms_per_task | . * 10 | round / 10) | \($p.server_cpu_ms_per_task | . * 10 | round / 10) | \($s.latency_ms.p50 | round) / \($s.latency_ms.p99 | round) | \($p.latency_ms.p50 | round) / \($p.latency_ms.p99 | round) | \($s.peak_pss_mib | . * 10 | round / 10) | \($p.peak_pss_mib | . * 10 | round / 10) | \($s.errors + $p.errors) |"' \
      "$RUNS/peer/$name-service.json" "$RUNS/peer/$name-peer.json"
  done
  echo
  quality_table
  echo
  echo "The service stores every upload and result durably (fsync) and isolates decoding in helper processes; the peer keeps everything in memory. Output quality: one result of each side (the first measured task of its round 1) against a reference, the input decoded whole (no shrink-on-load), in sRGB, alpha over white, resized with Lanczos3 in float to exactly the size asked (fit fill), never encoded (bench-quality); SSIM is the mean over R, G and B (11×11 Gaussian window, σ 1.5), PSNR over all three; both outputs composited over white too. Goal: the service's SSIM no lower than sharp's."
}

# SSIM, PSNR and bytes of each side's kept result (run_quality); – where there is none.
quality_table() {
  echo "| workload | SSIM service | SSIM sharp | SSIM service − sharp | PSNR service / sharp dB | output bytes service | output bytes sharp | bytes service ÷ sharp | service ≥ sharp |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|---|"
  local workload name
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    jq -r --arg name "$name" '[$name] + (.outputs // [] | if length < 2 then [] else
        [.[0].ssim, .[1].ssim, (.[0].psnr_db // "∞"), (.[1].psnr_db // "∞"), .[0].bytes,
         .[1].bytes] end) | @tsv' "$RUNS/peer/$name-quality.json" | awk -F'\t' '
      NF < 7 { printf "| %s | – | – | – | – | – | – | – | FAIL |\n", $1; next }
      { printf "| %s | %.5f | %.5f | %+.5f | %s / %s | %d | %d | %.2f | %s |\n", $1, $2, $3,
          $2 - $3, $4, $5, $6, $7, $6 / ($7 + 1e-9), ($2 >= $3 ? "PASS" : "FAIL") }'
  done
}

floor_report() {
  echo "### Against the bare-libvips floor"
  echo
  echo "CPU per task of the service (its process tree, from the rounds above) beside a bare libvips program doing the same resize in process (bench-baseline --floor: shrink-on-load by the largest power of two that keeps the size, one lanczos3 reduce, encode at quality 80 with libvips' defaults; no limits, colour management, rotation or durable storage), $PEER_ROUNDS rounds of $((COUNT / PEER_ROUNDS)) tasks on the service's number of threads. Target on the large JPEG: service ≤ 1.10 × floor."
  echo
  echo "| workload | service CPU ms/task | sharp CPU ms/task | floor CPU ms/task | service ÷ floor | sharp ÷ floor | errors |"
  echo "|---|--:|--:|--:|--:|--:|--:|"
  local name
  for name in "${FLOOR_WORKLOADS[@]}"; do
    jq -rs --arg name "$name" '.[0] as $s | .[1] as $p | .[2] as $f
      | def r($x): $x * 10 | round / 10;
        def ratio($a; $b): ($a / ($b + 1e-9)) * 100 | round / 100;
      "| \($name) | \(r($s.server_cpu_ms_per_task)) | \(r($p.server_cpu_ms_per_task)) | \(r($f.cpu_ms_per_task)) | \(ratio($s.server_cpu_ms_per_task; $f.cpu_ms_per_task)) | \(ratio($p.server_cpu_ms_per_task; $f.cpu_ms_per_task)) | \($f.errors) |"' \
      "$RUNS/peer/$name-service.json" "$RUNS/peer/$name-peer.json" "$RUNS/peer/$name-floor.json"
  done
}

batch_report() {
  local input
  input=$(batch_input)
  echo "## Batches"
  echo
  echo "$(num batch .files) copies of the small workload's photo (${input%.*}, $(num batch .input_bytes) bytes) × $(num batch .variants) variants (\`$BATCH_VARIANTS\`) = $(num batch .batch.tasks) tasks, through one \`image-resize serve\` (default flags): as one batch (one upload with every file and the \`variants\` field, then \`GET /api/v1/batches/<id>?wait=30\` until done; timed from the start of the upload), and as single uploads with each variant's fields and \`priority=low\` (a batch's tasks' priority), $CONCURRENCY in flight, each waited on with \`GET /api/v1/status/<id>?wait=30\` (timed from the first upload to the last task's end). Rounds: $BATCH_ROUNDS, the two modes in turn (which goes first alternating). Load average (1/5/15 min) before the section: $BATCH_LOAD_BEFORE; after: $BATCH_LOAD_AFTER."
  echo
  echo "| mode | tasks | seconds per round | median s | tasks/s | errors |"
  echo "|---|--:|--:|--:|--:|--:|"
  jq -r '[["batch", .batch], ["one by one", .one_by_one]][]
    | "| \(.[0]) | \(.[1].tasks // 0) | \(.[1].rounds_s // [] | map(tostring) | join(", ")) | \(.[1].median_s // 0) | \(.[1].tasks_per_s // 0) | \(.[1].errors // 0) |"' \
    "$RUNS/batch.json"
  echo
  echo "Ratio (batch tasks/s ÷ one-by-one tasks/s, from the median rounds): $(num batch .ratio). Tasks/s = tasks ÷ the median round's seconds; every task must end in SUCCESS (errors otherwise)."
}

# The steps of backend $1, one JSON each ({load, status, store, preload}), in size order.
scale_steps() {
  local size
  for size in "${SCALE_SIZES[@]}"; do
    jq -n --slurpfile load "$RUNS/scale/$1-$size.load.json" \
      --slurpfile status "$RUNS/scale/$1-$size.status.json" \
      --slurpfile store "$RUNS/scale/$1-$size.store.json" \
      '{load: $load[0], status: $status[0], store: $store[0]}'
  done
}
# A row of backend $1's table: label $2, the figure $3 (a jq expression on a step) at each size
# with $4 decimals, and its growth: the last size's ÷ that of size number $5 (default the first;
# "none": no growth, for a figure that is not a cost).
scale_row() {
  scale_steps "$1" | jq -rs --arg name "$2" --argjson digits "$4" --arg base "${5:-0}" "
    def r: (. * pow(10; \$digits) | round) / pow(10; \$digits);
    map(($3) // 0) as \$v
    | (if \$base == \"none\" then 0 else \$v[\$base | tonumber] end) as \$b
    | \"| \(\$name) | \(\$v | map(r | tostring) | join(\" | \")) | \(
        if \$b > 0 then (\$v[-1] / \$b * 100 | round / 100 | tostring) + \"×\" else \"–\" end) |\""
}
scale_growth() {  # backend $1, the figure $2 → its growth, last size ÷ first
  scale_steps "$1" | jq -rs "map(($2) // 0) | if .[0] > 0 then .[-1] / .[0] else 0 end"
}
thousands() { sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$1"; }

scale_table() {  # $1: backend
  local sizes='' size per_task
  for size in "${SCALE_SIZES[@]}"; do sizes+=" $(thousands "$size") |"; done
  echo "| figure |$sizes growth (last ÷ first) |"
  echo "|---|$(printf -- '--:|%.0s' "${SCALE_SIZES[@]}")--:|"
  scale_row "$1" "tasks in the store" .store.tasks 0 none
  scale_row "$1" "throughput, tasks/s" .load.tasks_per_s 1
  scale_row "$1" "upload p50 ms" .load.steps_ms.upload.p50 2
  scale_row "$1" "upload p99 ms" .load.steps_ms.upload.p99 2
  scale_row "$1" "wait (status?wait=30 until SUCCESS) p50 ms" .load.steps_ms.wait.p50 2
  scale_row "$1" "wait p99 ms" .load.steps_ms.wait.p99 2
  scale_row "$1" "result p50 ms" .load.steps_ms.result.p50 2
  scale_row "$1" "result p99 ms" .load.steps_ms.result.p99 2
  scale_row "$1" "status of stored tasks by id p50 ms" .status.latency_ms.p50 2
  scale_row "$1" "status by id p99 ms" .status.latency_ms.p99 2
  scale_row "$1" "status by id, reads/s" .status.tasks_per_s 0
  if [[ $1 == sqlite ]]; then per_task="SQLite files (db + WAL)"; else per_task="Redis used_memory"; fi
  # Its growth from the second size: with the few tasks of the first, pages and buffers that
  # are not yet full weigh more than the tasks.
  scale_row "$1" "$per_task − empty store, bytes per task (growth: last ÷ second size)" \
    '(.store.bytes - .store.empty_bytes) / .store.tasks' 0 1
  scale_row "$1" "errors" \
    '.load.errors + .load.warmup_errors + .status.errors + .status.warmup_errors' 0 none
}

scale_queue_row() {  # $1: backend
  jq -rs --arg backend "$1" '.[0] as $q | .[1] as $u | .[2] as $s | .[3] as $p
    | "| \($backend) | \($q.queued) (\($p.tasks_per_s) tasks/s) | \($q.depth_before) → \($q.depth_after) | \($u.latency_ms.p50) / \($u.latency_ms.p99) | \($s.latency_ms.p50) / \($s.latency_ms.p99) | \($q.drained) in \($q.seconds) s = \($q.drained / $q.seconds * 10 | round / 10) | \($q.left) | \($u.errors + $s.errors) |"' \
    "$RUNS/scale/$1-queue.json" "$RUNS/scale/$1-queue.upload.json" \
    "$RUNS/scale/$1-queue.status.json" "$RUNS/scale/$1-queue.preload.json"
}

scale_report() {
  local backend label growth last=${SCALE_SIZES[-1]}
  echo "## Cost as the work grows"
  echo
  echo "Each backend's store grows through $(thousands "${SCALE_SIZES[*]}" | sed 's/ / → /g') preloaded finished tasks (bench-preload, through the store's own record code, expiring in ten years); at each size $COUNT $SCALE_WORKLOAD tasks at concurrency $CONCURRENCY (after one warm-up task per client), each step timed apart (upload = the POST; wait = status?wait=30 polls until SUCCESS, the resize included; result = the GET of the result, of these fresh tasks only: preloaded tasks have no result blob), then up to $SCALE_PROBES status reads of stored tasks by id (each id once, random over the preloaded and earlier tasks, from freshly started servers so that no cache of theirs answers). SQLite: \`image-resize serve\`. Redis: \`image-resize api\` + \`image-resize worker\` (default flags, \`--blob-store file:\` on a shared dir) on redis-server $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') with appendonly yes, appendfsync always (everysec during a preload, and the append-only file rewritten after it, before anything is timed)."
  for backend in sqlite redis; do
    echo
    if [[ $backend == sqlite ]]; then label="SQLite (\`serve\`)"; else label="Redis (\`api\` + \`worker\`)"; fi
    echo "### $label"
    echo
    scale_table "$backend"
  done
  echo
  echo "| target: with $(thousands "$last") stored tasks, p99 within 1.5× of the empty store | growth | verdict |"
  echo "|---|--:|---|"
  for backend in sqlite redis; do
    for label in upload status; do
      if [[ $label == upload ]]; then
        growth=$(scale_growth "$backend" .load.steps_ms.upload.p99)
      else
        growth=$(scale_growth "$backend" .status.latency_ms.p99)
      fi
      echo "| $backend: $label p99 | $(calc %.2f "$growth")× | $(verdict "$growth > 0 && $growth <= 1.5") |"
    done
  done
  echo
  echo "### A deep queue"
  echo
  echo "$(thousands "$SCALE_QUEUE") $SCALE_WORKLOAD tasks preloaded as queued, with their inputs, into a fresh store (the rate is bench-preload's, TaskStore::create with the input blob stored first, 8 threads); then the servers start (\`--max-queue $((2 * SCALE_QUEUE + COUNT))\`: the default 10,000 answers uploads beyond it with 503 queue_full), their workers drain the queue, and meanwhile $COUNT uploads (the POST only) and up to $SCALE_PROBES status reads of the queued tasks by id run at concurrency $CONCURRENCY. Drain rate = tasks run ÷ seconds from the servers' start to an empty queue (the timed requests share the cores)."
  echo
  echo "| backend | queued (preload rate) | depth while timed (start → end) | upload p50 / p99 ms | status p50 / p99 ms | drained tasks/s | left | errors |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|"
  for backend in sqlite redis; do scale_queue_row "$backend"; done
}

report() {
  echo "# image-resize benchmark"
  echo
  echo "$STARTED_AT, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (src modified)'), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)), Linux $(uname -r)."
  echo "Load average (1/5/15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
  if [[ $MAIN -eq 1 ]]; then
    main_report
  fi
  if [[ $STORES -eq 1 ]]; then
    echo
    stores_report
  fi
  if [[ $PEER -eq 1 ]]; then
    echo
    peer_report
    echo
    floor_report
  fi
  if [[ $BATCH -eq 1 ]]; then
    echo
    batch_report
  fi
  if [[ $SCALE -eq 1 ]]; then
    echo
    scale_report
  fi
  if [[ -f $RUNS/crashes.txt ]]; then
    echo
    echo "Crashes:"
    cat "$RUNS/crashes.txt"
  fi
  if [[ $(failed_tasks) -ne 0 ]]; then
    echo
    echo "Errors seen:"
    run_files | xargs jq -r '(.workload // "?") + ": " + ((.error_samples // []) | join("; "))' | grep -v ': $' | sed 's/^/- /'
  fi
  if [[ $MAIN -eq 1 ]]; then
    echo
    echo "Columns: tasks/s = measured tasks ÷ wall time; ratio = service ÷ baseline; p50/p95/p99 = service latency from the start of the upload to the last byte of the result (POST → GET status?wait=30 → GET result); CPU ms/task = user + system CPU during the measured tasks ÷ tasks, of the server's whole process tree (from /proc, exited children included) or of the baseline process (getrusage); overhead = service − baseline CPU per task; peak PSS / RSS = largest sum of PSS / RSS over the server's process tree, sampled every 20 ms (PSS every 250 ms; PSS shares each page among the processes that map it, so libraries mapped by every process count once: the tree's real footprint) (VmHWM: the kernel's peak of the main process); client CPU = bench-load's own CPU, which shares the cores with the server; ratio ceiling = baseline CPU ÷ (baseline CPU + client CPU), the ratio a server with no cost of its own would reach while the client takes its share of the same cores (both runs CPU-bound)."
  fi
}

mkdir -p "$(dirname "$OUT")"
report | tee "$OUT"
log "report written to $OUT"

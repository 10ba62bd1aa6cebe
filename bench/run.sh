#!/usr/bin/env bash
# The performance benchmark in one command (about 10 minutes on 2 cores, plus the first build).
# Builds Release in build-bench, writes the deterministic workload, and for each workload runs
# the service (a fresh `image-resize serve` with default flags, driven over HTTP by bench-load)
# and the in-process baseline (bench-baseline, half its tasks before the service and half after)
# on the same tasks; then the creep run (RSS after 1k and 10k tasks) and the status route's
# throughput with wrk beside nginx serving a static JSON file. Prints a Markdown report and
# writes it to bench/results/latest.md (not committed).
#
#   bench/run.sh [--quick] [--no-build] [--jobs N] [--count N] [--out FILE] [--keep]
#
#   --quick     small counts and short wrk runs: a smoke run of the whole script (~1 min)
#   --no-build  use the binaries already in build-bench
#   --jobs N    ninja's parallel jobs (default: all cores)
#   --count N   tasks per workload (default 300, quick 20)
#   --out FILE  where the report goes (default bench/results/latest.md)
#   --keep      keep the temp dir (inputs, data dirs, server logs, JSON of every run)
#
# Every process it starts is stopped by PID when it ends, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=300 CONCURRENCY=8 CREEP_COUNT=10000 CREEP_CHECKPOINT=1000
WRK_SECONDS=20 WRK_CONNECTIONS=32 WRK_THREADS=2
BUILD=1 JOBS=$(nproc) OUT=bench/results/latest.md KEEP=0 QUICK=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --jobs) JOBS=$2; shift ;;
    --count) COUNT=$2; shift ;;
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
fi

# Not build/bench: that is the bench module's folder inside the default build tree.
BUILD_DIR=build-bench
if [[ $BUILD -eq 1 ]]; then
  ./scripts/install-deps.sh
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIMAGE_RESIZE_TESTS=ON \
    -DIMAGE_RESIZE_BENCH=ON >/dev/null
  ninja -C "$BUILD_DIR" -j "$JOBS" image-resize bench-workload bench-load bench-baseline
fi
SERVER_BIN=$BUILD_DIR/src/app/image-resize
WORKLOAD_BIN=$BUILD_DIR/bench/bench-workload
LOAD_BIN=$BUILD_DIR/bench/bench-load
BASELINE_BIN=$BUILD_DIR/bench/bench-baseline
NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$SERVER_BIN" "$WORKLOAD_BIN" "$LOAD_BIN" "$BASELINE_BIN" "$NGINX_BIN"; do
  [[ -x $tool ]] || { echo "run.sh: $tool is missing (build first, or drop --no-build)" >&2; exit 1; }
done
for tool in wrk jq curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/image-resize-bench.XXXXXX)
RUNS=$WORK/runs
mkdir -p "$RUNS/halves"
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

# --- the service -------------------------------------------------------------------------------
SERVER_PID='' SERVER_PORT=''
# A fresh `serve` on a free loopback port with its own data dir; $1 names its dir under $WORK.
start_server() {
  local dir=$WORK/$1
  mkdir -p "$dir"
  "$SERVER_BIN" serve --host 127.0.0.1 --port 0 --data-dir "$dir/data" >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  SERVER_PORT=''
  for _ in $(seq 100); do
    SERVER_PORT=$(sed -n 's/.* info listening .*port=\([0-9]*\).*/\1/p' "$dir/server.log" | head -1)
    [[ -n $SERVER_PORT ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: the server did not start:" >&2
  tail -20 "$dir/server.log" >&2
  exit 1
}

# Stops the server of run $1; one that had already exited (a crash) is recorded with its log's
# tail, for the report.
stop_server() {
  local status=0
  if ! running_child "$SERVER_PID"; then
    wait "$SERVER_PID" 2>/dev/null || status=$?
    {
      echo "- $1: the server exited during the run (exit status $status); its log ends:"
      tail -5 "$WORK/$1/server.log" | sed 's/^/      /'
    } >>"$RUNS/crashes.txt"
    log "$1: the server had exited (status $status)"
    forget_pid "$SERVER_PID"
  else
    stop_pid "$SERVER_PID"
  fi
}

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

LOAD_BEFORE=$(loadavg)
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
log "load average before: $LOAD_BEFORE"
log "writing the workload"
"$WORKLOAD_BIN" --out "$WORK/inputs" | tee "$WORK/inputs.txt" >&2

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

log "creep: $CREEP_COUNT small tasks, RSS after $CREEP_CHECKPOINT and $CREEP_COUNT"
# shellcheck disable=SC2046
set -- $(task_flags "${WORKLOADS[0]}")
start_server creep
run_json creep "$LOAD_BIN" "$@" --count "$CREEP_COUNT" --concurrency "$CONCURRENCY" \
  --port "$SERVER_PORT" --server-pid "$SERVER_PID" --checkpoint "$CREEP_CHECKPOINT"
stop_server creep
drop_data creep

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
for round in 1 2; do
  wrk_run "$STATUS_URL" "status-service.$round"
  wrk_run "$NGINX_URL" "status-nginx.$round"
done
stop_pid "$NGINX_PID"
stop_server status
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

report() {
  local workload name input width height fit format
  echo "# image-resize benchmark"
  echo
  echo "$STARTED_AT, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (src modified)'), $(nproc) cores ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)), Linux $(uname -r)."
  echo "Load average (1/5/15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER."
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
  local errors=0 run ratios=''
  for run in "$RUNS"/*.json; do
    errors=$((errors + $(jq -r '(.errors // 0) + (.warmup_errors // 0) | if . < 0 then 1 else . end' "$run")))
  done
  for workload in "${WORKLOADS[@]}"; do
    name=${workload%%|*}
    ratios+="$name $(ratio_of "$name"), "
  done
  echo "Summary: service/baseline throughput ${ratios}per-task overhead $overhead ms (small), peak memory $large_pss MiB PSS / $large_rss MiB RSS (4000×3000), creep $creep_growth % ($rss1 → $rss2 MiB), status route $status_ratio of nginx ($svc_rate vs $ngx_rate req/s; non-2xx: $svc_bad service, $ngx_bad nginx). Failed tasks: $errors."
  if [[ -f $RUNS/crashes.txt ]]; then
    echo
    echo "Server crashes:"
    cat "$RUNS/crashes.txt"
  fi
  if [[ $errors -ne 0 ]]; then
    echo
    echo "Errors seen:"
    jq -r '(.workload // "?") + ": " + ((.error_samples // []) | join("; "))' "$RUNS"/*.json | grep -v ': $' | sed 's/^/- /'
  fi
  echo
  echo "Columns: tasks/s = measured tasks ÷ wall time; ratio = service ÷ baseline; p50/p95/p99 = service latency from the start of the upload to the last byte of the result (POST → GET status?wait=30 → GET result); CPU ms/task = user + system CPU during the measured tasks ÷ tasks, of the server's whole process tree (from /proc, exited children included) or of the baseline process (getrusage); overhead = service − baseline CPU per task; peak PSS / RSS = largest sum of PSS / RSS over the server's process tree, sampled every 20 ms (PSS every 250 ms; PSS shares each page among the processes that map it, so libraries mapped by every process count once: the tree's real footprint) (VmHWM: the kernel's peak of the main process); client CPU = bench-load's own CPU, which shares the cores with the server; ratio ceiling = baseline CPU ÷ (baseline CPU + client CPU), the ratio a server with no cost of its own would reach while the client takes its share of the same cores (both runs CPU-bound)."
}

mkdir -p "$(dirname "$OUT")"
report | tee "$OUT"
log "report written to $OUT"

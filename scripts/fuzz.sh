#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (ASan + UBSan) into build/fuzz, then runs each
# target in turn, one process each. Exits non-zero on any finding: a crash, a broken invariant,
# a sanitizer report, a leak, a timeout or running out of memory.
#
#   scripts/fuzz.sh [--runs N]     N inputs per target (default 20000): the CI check
#   scripts/fuzz.sh --seconds S    S seconds per target: a long run
#   --target NAME   only this target (repeatable): multipart_parser, resize_form, query,
#                   outbound_url, jpeg_direct, png_direct, webp_direct
#   --merge         afterwards, add the inputs that found new coverage to fuzz/corpus/<target>/
#
# New inputs are kept in build/fuzz/corpus/<target>/ (reused by the next run), findings in
# build/fuzz/findings/<target>/, full logs in build/fuzz/logs/. FUZZ_SEED fixes libFuzzer's
# seed, FUZZ_BUILD_JOBS the build's parallelism. Needs clang and libclang-rt-14-dev.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20000
seconds=""
merge=0
targets=()
while (($#)); do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; seconds=""; shift 2 ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --target) targets+=("${2:?--target needs a name}"); shift 2 ;;
    --merge) merge=1; shift ;;
    -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for number in "$runs" ${seconds:+"$seconds"}; do
  [[ $number =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: '$number' is not a number > 0" >&2; exit 2; }
done
((${#targets[@]})) || targets=(multipart_parser resize_form query outbound_url jpeg_direct png_direct webp_direct)
for target in "${targets[@]}"; do
  [[ -f fuzz/${target}_fuzzer.cpp ]] || { echo "fuzz.sh: no target '$target'" >&2; exit 2; }
done

build_dir=build/fuzz
started=$SECONDS
cmake -S fuzz -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++}" >/dev/null
cmake --build "$build_dir" -j "${FUZZ_BUILD_JOBS:-$(nproc)}" --target "${targets[@]/%/_fuzzer}"
echo "fuzz.sh: built in $((SECONDS - started)) s"

# UBSan aborts on its first report (-fno-sanitize-recover); libFuzzer then saves the input.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
limit=(-runs="$runs")
[[ -n $seconds ]] && limit=(-max_total_time="$seconds")
seed=()
[[ -n ${FUZZ_SEED:-} ]] && seed=(-seed="$FUZZ_SEED")
failed=()
for target in "${targets[@]}"; do
  fuzzer=$build_dir/${target}_fuzzer
  scratch=$build_dir/corpus/$target
  findings=$build_dir/findings/$target
  log=$build_dir/logs/$target.log
  mkdir -p "$scratch" "$findings" "$(dirname "$log")"
  target_started=$SECONDS
  status=0
  # New inputs go to the first directory only; the committed corpus is read, never written.
  "$fuzzer" "${limit[@]}" "${seed[@]}" -dict="fuzz/dict/$target.dict" -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$scratch" "fuzz/corpus/$target" \
    >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  coverage=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -n 1 || true)
  echo "fuzz.sh: $target: ${execs:-?} executions in $((SECONDS - target_started)) s," \
    "${coverage:-no coverage line}, $(grep -m1 -o 'Seed: [0-9]*' "$log" || echo 'seed ?')," \
    "$(find "$scratch" -type f | wc -l) inputs in $scratch"
  if ((status != 0)); then
    failed+=("$target")
    echo "fuzz.sh: $target FAILED (exit $status); the report, from $log:" >&2
    grep -E -A40 'ERROR: |==ERROR|runtime error|invariant violated|deadly signal' "$log" |
      head -n 60 >&2 || tail -n 40 "$log" >&2
    grep -o "Test unit written to .*" "$log" >&2 || true
  elif ((merge)); then
    before=$(find "fuzz/corpus/$target" -type f | wc -l)
    "$fuzzer" -merge=1 "fuzz/corpus/$target" "$scratch" >>"$log" 2>&1
    after=$(find "fuzz/corpus/$target" -type f | wc -l)
    echo "fuzz.sh: $target: merged $((after - before)) new inputs into fuzz/corpus/$target"
  fi
done

if ((${#failed[@]})); then
  echo "fuzz.sh: findings in: ${failed[*]} (inputs in $build_dir/findings/)" >&2
  exit 1
fi
echo "fuzz.sh: no findings in ${targets[*]}; $((SECONDS - started)) s in all"

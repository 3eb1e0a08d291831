#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs one libFuzzer harness: run.sh MODE HARNESS_BIN SRC_DIR NAME WORK_DIR
#   short        NSGNIC_FUZZ_RUNS (default: ~10 s worth, per harness) inputs, seed NSGNIC_FUZZ_SEED (default 1), from the
#                committed corpus corpus/NAME into a scratch corpus WORK_DIR/NAME.corpus
#   regressions  every input of regressions/NAME once (crashes found earlier: must pass)
#   long         NSGNIC_FUZZ_SECONDS (default 600) seconds; new crashes land in WORK_DIR/NAME.crashes
#   stats        NSGNIC_FUZZ_SECONDS (default 10): prints "fuzz_execs_per_sec_NAME: N execs/s"
set -eu
mode=$1 bin=$2 src=$3 name=$4 work=$5
if [ ! -x "$bin" ]; then
  echo "run.sh: $bin is missing (the clang fuzz build: cmake --build <build> --target nsgnic_fuzz)" >&2
  exit 1
fi
corpus=$src/corpus/$name
scratch=$work/$name.corpus
crashes=$work/$name.crashes
mkdir -p "$scratch" "$crashes"
maxlen=4096
[ "$name" = image ] && maxlen=65536 # the example's image is 29 KB
# the short run's inputs: about 10 s each on an idle core (execs/s: bench/run fuzz)
case $name in
  packet) runs=100000 ;; batch) runs=20000 ;; config) runs=10000 ;; mailbox) runs=5000 ;; *) runs=2000 ;;
esac
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
case $mode in
  short)
    exec "$bin" -seed="${NSGNIC_FUZZ_SEED:-1}" -runs="${NSGNIC_FUZZ_RUNS:-$runs}" -max_len=$maxlen -timeout=20 \
      -artifact_prefix="$crashes/" "$scratch" "$corpus" ;;
  regressions)
    set -- "$src"/regressions/"$name"/*
    if [ ! -e "$1" ]; then
      echo "no regression inputs for $name"; exit 0
    fi
    exec "$bin" -runs=1 "$@" ;;
  long)
    exec "$bin" -max_total_time="${NSGNIC_FUZZ_SECONDS:-600}" -max_len=$maxlen -timeout=20 -artifact_prefix="$crashes/" \
      -print_final_stats=1 "$scratch" "$corpus" ;;
  stats)
    secs=${NSGNIC_FUZZ_SECONDS:-10}
    log=$work/$name.stats.log
    "$bin" -seed="${NSGNIC_FUZZ_SEED:-1}" -max_total_time="$secs" -max_len=$maxlen -timeout=20 \
      -artifact_prefix="$crashes/" -print_final_stats=1 "$scratch" "$corpus" > "$log" 2>&1 || {
      tail -30 "$log" >&2; exit 1; }
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    t=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "fuzz_execs_per_sec_$name: ${t:-0} execs/s"
    echo "fuzz_execs_$name: ${runs:-0} execs" ;;
  *) echo "run.sh: unknown mode $mode" >&2; exit 64 ;;
esac

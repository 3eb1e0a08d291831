#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Firmware benchmark: image sizes of the product firmware (text/data/bss of nsgnic-fw.elf), and
# cycle figures of the firmware logic on the Verilated soft-core with the RAM HAL (the tables in
# data RAM, so the datapath's own table-write latency is not included). Each cycle figure is the
# difference of two runs of a benchmark image built with 1 and 2 units of work
# (firmware/src/bench_main.c), so boot and setup cancel out.
# Figures: `name: value unit`. Needs BUILD_DIR (set by bench/run).
set -euo pipefail
root="${NSGNIC_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
build="${BUILD_DIR:-$root/build}"
fw="$build/firmware/rv32"
sim="$build/sim/nsgnic-sim"
if [ ! -f "$fw/nsgnic-fw.elf" ]; then
  echo "bench/firmware.sh: $fw/nsgnic-fw.elf missing; build with NSGNIC_FIRMWARE=ON and riscv64-unknown-elf-gcc installed" >&2
  exit 2
fi

read -r text data bss _ < <(riscv64-unknown-elf-size --format=berkeley "$fw/nsgnic-fw.elf" | tail -1)
echo "firmware_text_bytes: $text bytes"
echo "firmware_data_bytes: $data bytes"
echo "firmware_bss_bytes: $bss bytes"

if [ ! -x "$sim" ]; then
  echo "bench/firmware.sh: $sim missing (NSGNIC_HDL=OFF?): no cycle figures" >&2
  exit 0
fi

# cycles ELF: total clock cycles of a passing run
cycles() {
  local out
  out=$("$sim" --run-elf "$1" --max-cycles 200000000) || { echo "bench/firmware.sh: $1 failed: $out" >&2; exit 1; }
  sed -n 's/^cycles: //p' <<<"$out"
}

# kind 1: 1024 TCAM_WRITE commands per unit
c1=$(cycles "$fw/nsgnic-fw-bench1-1.elf")
c2=$(cycles "$fw/nsgnic-fw-bench1-2.elf")
awk -v a="$c1" -v b="$c2" 'BEGIN {
  per = (b - a) / 1024
  printf "tcam_write_cmd_cycles: %.0f cycles/command (firmware only: ring, validation, shadow-bank check, RAM HAL)\n", per
  printf "tcam_writes_per_kcycle: %.2f writes/kcycle\n", 1000 / per
  printf "commit_1000_rules_cycles: %.0f cycles (1000 TCAM_WRITE + 1 COMMIT, firmware only)\n", 1001 * per
}'

# kind 2: 1024 more flow entries scanned per pass-set
c1=$(cycles "$fw/nsgnic-fw-bench2-1.elf")
c2=$(cycles "$fw/nsgnic-fw-bench2-2.elf")
awk -v a="$c1" -v b="$c2" 'BEGIN {
  printf "aging_cycles_per_flow: %.2f cycles/flow (marginal, valid non-idle entries, RAM HAL scan loop)\n", (b - a) / 1024
}'

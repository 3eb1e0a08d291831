#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CPU benchmark: cycles per instruction of representative firmware loops on the Verilated
# soft-core (tests/isa/bench_*.c, built by the normal build), the simulator's speed, and with
# a yosys synth_xilinx resource report of rv32_sys (~20 s; NSGNIC_BENCH_SYNTH=0 skips it).
# Figures: `name: value unit`. Needs BUILD_DIR (set by bench/run).
set -euo pipefail
root="${NSGNIC_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
build="${BUILD_DIR:-$root/build}"
sim="$build/sim/nsgnic-sim"
elfs="$build/tests/isa"
if [ ! -x "$sim" ] || [ ! -f "$elfs/bench_memcpy.elf" ]; then
  echo "bench/cpu.sh: $sim or $elfs/bench_*.elf missing; build with NSGNIC_HDL=ON and NSGNIC_FIRMWARE=ON" >&2
  exit 2
fi

# field NAME TEXT: the value of a `NAME: value` line
field() { sed -n "s/^$1: //p" <<<"$2"; }

# figure name : program
for pair in memcpy:bench_memcpy table_walk:bench_table mul:bench_mul div:bench_div; do
  name=${pair%%:*} prog=${pair#*:}
  out=$("$sim" --run-elf "$elfs/$prog.elf" --max-cycles 100000000)
  cycles=$(field cycles "$out") instret=$(field instret "$out")
  printf 'cpi_%s: %s cycles/instr (%s cycles, %s instructions)\n' "$name" \
    "$(awk -v c="$cycles" -v i="$instret" 'BEGIN { printf "%.3f", c / i }')" "$cycles" "$instret"
done

# The firmware's own self-test image, when the firmware was built (firmware/, cross build).
fw="$build/firmware/rv32/nsgnic-fw-selftest.elf"
if [ -f "$fw" ]; then
  out=$("$sim" --run-elf "$fw" --max-cycles 1000000000)
  cycles=$(field cycles "$out") instret=$(field instret "$out")
  printf 'cpi_firmware_selftest: %s cycles/instr (%s cycles, %s instructions)\n' \
    "$(awk -v c="$cycles" -v i="$instret" 'BEGIN { printf "%.3f", c / i }')" "$cycles" "$instret"
fi

# Simulator speed: a program that never ends, run for a fixed number of cycles.
n=5000000
t0=$(date +%s.%N)
"$sim" --run-elf "$elfs/spin.elf" --max-cycles "$n" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "cpu_sim_cycles_per_sec: %.0f cycles/s\n", n / (b - a) }'

if [ "${NSGNIC_BENCH_SYNTH:-1}" != 0 ] && command -v yosys >/dev/null; then
  rtl="$root/hdl/rtl"
  srcs="$build/hdl/gen/nsgnic_abi_pkg.sv $rtl/rv32_pkg.sv"
  for m in alu regfile muldiv csr core iram dram timer sys; do srcs="$srcs $rtl/rv32_$m.sv"; done
  stat=$(mktemp) log=$(mktemp)
  yosys -q -p "read_verilog -sv $srcs; synth_xilinx -top rv32_sys -flatten; tee -q -o $stat stat" \
    >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  # cell counts by kind (LUTs, flip-flops, block RAMs, DSPs) of the default configuration
  awk '/ LUT[1-6] /{l+=$2} / FD[CPRS]E? /{f+=$2} / RAM(32|64)[MX]/{r+=$2} / RAMB36E1 /{b+=$2}
       / RAMB18E1 /{b+=$2/2} / DSP48E1 /{d+=$2}
       END { printf "cpu_xilinx_luts: %d LUTs\ncpu_xilinx_lutram: %d RAM32M/RAM64M\ncpu_xilinx_ffs: %d FFs\ncpu_xilinx_bram36: %g RAMB36 (IRAM+DRAM 64 KiB each)\ncpu_xilinx_dsp: %d DSP48E1\n", l, r, f, b, d }' "$stat"
  rm -f "$stat" "$log"
fi

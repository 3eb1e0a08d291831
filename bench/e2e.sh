#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end figures of the co-simulated NIC (Verilated nsgnic_top + the product firmware):
# simulation speed, boot, mailbox round trip, table-load cost, packets through the whole path.
# Computed by tests/soc/bench_soc.c (see its header for each figure's definition).
# Figures: `name: value unit`. Needs BUILD_DIR (set by bench/run) with NSGNIC_HDL and the firmware.
set -euo pipefail
root="${NSGNIC_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
build="${BUILD_DIR:-$root/build}"
bench="$build/tests/soc/bench_soc"
fw="$build/firmware/rv32/nsgnic-fw.elf"
if [ ! -x "$bench" ] || [ ! -f "$fw" ]; then
  echo "bench/e2e.sh: $bench or $fw missing (build with NSGNIC_HDL=ON and the RV32 toolchain)" >&2
  exit 2
fi
"$bench" "$fw" "$root/examples/three-tier"

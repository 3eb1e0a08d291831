#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Label-stage figures (block-RAM longest-prefix match, hdl/rtl/lpm.sv; docs/datapath.md, Label
# stage): label_prefixes_{v4,v6}_capacity, label_bram36_per_1k_prefixes (+ _v6),
# label_update_writes_per_prefix (+ _v6) (bench/label_bench.c at the realistic geometry) and
# label_lookups_per_clock (the Verilated lpm, tb_lpm_b --bench). Run by bench/datapath.sh.
set -euo pipefail
B="${BUILD_DIR:-build}"
for t in bench/label_bench hdl/tb_lpm_b; do
  [ -x "$B/$t" ] || { echo "bench/label: $B/$t missing; build first (cmake --build build)" >&2; exit 2; }
done
"$B/bench/label_bench" "${LABEL_BENCH_UPDATES:-400}"
"$B/hdl/tb_lpm_b" 20000 21 --bench | grep -E '^label_lookups_per_clock'

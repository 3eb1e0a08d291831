#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Datapath figures (clock cycles of the Verilated model; see docs/datapath.md):
#   pkts_per_clock_{hit,miss_learn,mixed,backpressure}, latency_cycles, flow_cache_load_at_first_fail,
#   flow_cache_capacity_entries, aging_scan_cycles_per_flow, aging_1m_flows_ms_at_250mhz and
#   aging_expire_cycles_per_flow, aging_empty_pass_cycles_per_slot, aging_1m_empty_pass_ms_at_250mhz
#   (the DRAM tier's scan), aging_cache_scan_cycles_per_flow,
#   aging_cache_1m_flows_ms_at_250mhz (the on-chip cache's engine),
#   sim_cycles_per_sec, tcam_ternary_bits_per_lut (yosys synth_xilinx of a rule-TCAM slice);
#   the DRAM flow tier (flow_dram.sv on the DRAM model): flow_capacity_entries,
#   flow_load_at_first_fail, pkts_per_clock_cache_miss, pkts_per_clock_mixed_dram,
#   latency_cycles_cache_hit, latency_cycles_cache_miss; the on-chip cache alone:
#   flow_cache_load_at_first_fail, flow_cache_capacity_entries; max_lut_levels (hdl/tb/depth.sh:
#   the deepest LUT path of any module).
# Needs the build (tb_datapath, tb_datapath_bench, tb_datapath_dram_bench, tb_datapath_front_bench, tb_flow_cache_d,
# tb_flow_dram_bench); N packets
# per run (default 20000).
set -euo pipefail
B="${BUILD_DIR:-build}/hdl"
ROOT="${NSGNIC_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
N="${DP_BENCH_PACKETS:-20000}"
for t in tb_datapath tb_datapath_bench tb_datapath_dram_bench tb_datapath_front_bench tb_flow_cache_d tb_flow_dram_bench; do
  [ -x "$B/$t" ] || { echo "bench/datapath: $B/$t missing; build first (cmake --build build)" >&2; exit 2; }
done
hit="$("$B/tb_datapath" "$N" 11 --bench hit)"
grep -E '^(pkts_per_clock|latency_cycles)' <<< "$hit"
# a flow-cache hit takes the pipeline's latency (the DRAM tier is not on that path)
sed -n 's/^latency_cycles: \([0-9]*\).*/latency_cycles_cache_hit: \1 clocks (last beat -> verdict, flow found in the on-chip cache)/p' <<< "$hit"
# new flows into the 8192-entry cache (every one learned: stays below the first-failure load)
"$B/tb_datapath_bench" "$((N < 5000 ? N : 5000))" 12 --bench miss | grep -E '^(pkts_per_clock|sim_cycles)'
"$B/tb_datapath" "$N" 13 --bench mixed | grep -E '^pkts_per_clock'
"$B/tb_datapath" "$N" 14 --bench bp    | grep -E '^pkts_per_clock'
"$B/tb_datapath_bench" 0 15 --bench fill | sed -n 's/^flow_load_at_first_fail:/flow_cache_load_at_first_fail:/p'
# realistic on-chip capacity: the defaults of hdl/rtl/datapath.sv
rtl="$ROOT/hdl/rtl/datapath.sv"
par() { sed -n "s/^ *parameter int unsigned $1 *= *\([0-9]*\).*/\1/p" "$rtl"; }
echo "flow_cache_capacity_entries: $((4 * $(par FlowBuckets) * $(par FlowWays) + $(par FlowStash))) entries (4 x $(par FlowBuckets) buckets x $(par FlowWays) ways + $(par FlowStash) stash, on chip)"
# DRAM flow tier: capacity and load of the realistic table (4 x 8192 x 32, 31-bit signatures) from
# the reference model (equal to the hardware: dp_flow_dram_*; the Verilated bench model's own fill
# at 4 x 256 x 32 is the check), throughput and latency of the Verilated tier (4 x 256 x 32 slots,
# 512 requests in flight) on the DRAM model at 200 clocks latency, 256 bytes per clock
"$B/tb_flow_dram_bench" --ref-fill 8192 17
# the tier alone (flow_dram, request -> result): tier_* figures
"$B/tb_flow_dram_bench" --bench miss "$N" 18 | sed -n 's/^pkts_per_clock_cache_miss:/tier_pkts_per_clock_cache_miss:/p'
"$B/tb_flow_dram_bench" --bench mixed "$N" 19 | sed -n 's/^pkts_per_clock_mixed_dram:/tier_pkts_per_clock_mixed_dram:/p'
"$B/tb_flow_dram_bench" --bench latency 0 20 | sed -n 's/^latency_cycles_cache_miss:/tier_latency_cycles_cache_miss:/p'
# the tier in the datapath (FlowDram = 1: the cache does not learn, every looked-up packet is a
# DRAM lookup; 4 x 256 x 32 DRAM slots, 256 packets in flight, DRAM model at 200 clocks):
# known flows (learned in the warm-up) -> pkts_per_clock_cache_miss, latency_cycles_cache_miss;
# half known, a quarter new (learned), a quarter unparseable -> pkts_per_clock_mixed_dram
dh="$("$B/tb_datapath_dram_bench" "$N" 21 --bench hit --dram 200 200)"
sed -n 's/^pkts_per_clock_hit: \([0-9.]*\).*/pkts_per_clock_cache_miss: \1 packets\/clock (datapath, every packet a DRAM hit, DRAM latency 200 clocks)/p' <<< "$dh"
sed -n 's/^latency_cycles: \([0-9]*\).*/latency_cycles_cache_miss: \1 clocks (datapath: last beat -> verdict of a flow found in DRAM at 200 clocks latency)/p' <<< "$dh"
"$B/tb_datapath_dram_bench" "$N" 22 --bench mixed --dram 200 200 |
  sed -n 's/^pkts_per_clock_mixed: \([0-9.]*\).*/pkts_per_clock_mixed_dram: \1 packets\/clock (datapath: half DRAM hits, a quarter learned in DRAM, a quarter unparseable)/p'
# the cache in front of the tier (FlowFront = 1, the same geometry): the warm flows are learned in
# the cache, so a known flow's packet hits on chip with the tier on (no DRAM read, the in-order
# buffer's clock only); half known, a quarter new (learned in the cache), a quarter unparseable
fh="$("$B/tb_datapath_front_bench" "$N" 21 --bench hit --dram 200 200)"
sed -n 's/^latency_cycles: \([0-9]*\).*/latency_cycles_cache_hit_front: \1 clocks (datapath, the cache in front of the DRAM tier: last beat -> verdict of a learned flow found on chip)/p' <<< "$fh"
sed -n 's/^pkts_per_clock_hit: \([0-9.]*\).*/pkts_per_clock_hit_front: \1 packets\/clock (datapath, the cache in front: every packet a learned flow hit on chip)/p' <<< "$fh"
"$B/tb_datapath_front_bench" "$N" 22 --bench mixed --dram 200 200 |
  sed -n 's/^pkts_per_clock_mixed: \([0-9.]*\).*/pkts_per_clock_mixed_front: \1 packets\/clock (datapath, the cache in front: half hits, a quarter learned, a quarter unparseable)/p'
# aging engine: idle clocks of one pass over the bench geometry (4 x 256 x 8 + 32); the run also
# checks that every aging class saw an expiry, which seed 16 missed (no ICMP flow expired): seed 19
"$B/tb_flow_cache_d" 20000 19 | awk '
  /^aging:/ { for (i = 1; i <= NF; i++) if ($i == "clocks" && $(i+1) == "per" && $(i+2) == "pass") { c = $(i-2); n = $(i+4) }
              printf "aging_cache_scan_cycles_per_flow: %.3f clocks per flow (on-chip cache: %d idle clocks per pass over %d entries)\n", c / n, c, n
              printf "aging_cache_1m_flows_ms_at_250mhz: %.2f ms (the cache engine scaled to 1,048,576 entries, every slot idle; at most twice that at line rate)\n", c / n * 1048576 / 250e6 * 1e3 }'
# DRAM tier aging (flow_dram.sv's scan, the bench geometry 4 x 256 x 32, DRAM latency 200): one
# pass over a table filled to its first refusal, per flow held, and its 1M-slot scaling; then the
# clocks per flow to delete and report a whole table of expired flows; then one pass over the empty
# table (free ways and buckets skipped) per slot, and its 1M-slot scaling
"$B/tb_flow_dram_bench" --bench aging 0 1 | grep -E '^aging_(scan_cycles_per_flow|1m_flows_ms_at_250mhz|expire_cycles_per_flow|empty_pass_cycles_per_slot|1m_empty_pass_ms_at_250mhz):'
# TCAM density: one search port, rule-key width, TCAM_BENCH_ENTRIES entries (default 4,096: the
# realistic rule TCAM). yosys synthesizes the hierarchy without flattening (synth.sh xilinx_hier):
# one tcam_blk of 64 entries, counted 64 times, plus the top (management, encoder over the
# blocks); the cell counts are exact for that netlist (no optimization across the blocks' ports,
# none to be had: the blocks share only inputs). The statistics are cached by content in
# build/hdl/depth-cache (tcam-density-*.txt): a rerun without RTL changes costs nothing.
E="${TCAM_BENCH_ENTRIES:-4096}"; K=256
cache="$B/depth-cache"; mkdir -p "$cache"
key="$( (yosys -V; echo "tcam $E $K xilinx_hier"; cat "$ROOT/hdl/tb/synth.sh" "$B/gen/nsgnic_abi_pkg.sv" "$ROOT"/hdl/rtl/*.sv) | sha256sum | cut -c1-16)"
sf="$cache/tcam-density-$key.txt"
if [ ! -s "$sf" ]; then
  nice "$ROOT/hdl/tb/synth.sh" "$B/gen/nsgnic_abi_pkg.sv" "$ROOT/hdl/rtl" xilinx_hier tcam Entries "$E" KeyW $K Ports 1 ResW 32 > "$sf.tmp"
  grep -q '=== design hierarchy ===' "$sf.tmp" || { echo "bench/datapath: TCAM synthesis failed ($sf.tmp)" >&2; exit 1; }
  mv "$sf.tmp" "$sf"
fi
sed -n '/=== design hierarchy ===/,$p' "$sf" | awk -v bits=$((E * K)) -v e="$E" '
  $1 ~ /^LUT[1-6]$/ { lut += $2 }
  $1 == "RAM64M" || $1 == "RAM32M" { ram += 4 * $2 }
  $1 == "RAM32M16" { tt += 8 * $2 }
  $1 == "RAM64M8" { ram += 8 * $2 }
  $1 == "RAM64X1D" || $1 == "RAM32X1D" { ram += 2 * $2 }
  $1 == "RAM128X1D" { ram += 4 * $2 }
  $1 == "RAM64X1S" || $1 == "RAM32X1S" || $1 == "RAM128X1S" { ram += $2 }
  $1 ~ /^RAMB/ { bram += $2 }
  $1 == "CARRY8" { cy += $2 }
  END { printf "tcam_ternary_bits_per_lut: %.2f ternary bits per LUT6 (%d x 256-bit slice, one port: %d bits; %d truth-table LUTs (RAM32M16) + %d result LUTRAM LUTs + %d logic LUTs (%.1f per entry), %d CARRY8, %d block RAMs; LUTRAM TCAM reference ~6)\n", bits / (lut + ram + tt), e, bits, tt, ram, lut, lut / e, cy, bram }
'
# logic depth: the deepest LUT path between registers of any datapath module (hdl/tb/depth.sh all:
# synth_xilinx -family xcup per module, realistic sizes or documented slices; netlists cached in
# build/hdl/depth-cache, the first run takes a long time; DEPTH_SET=fast: the small ones only)
depth="$("$ROOT/hdl/tb/depth.sh" "$B/gen/nsgnic_abi_pkg.sv" "$ROOT" "${DEPTH_SET:-all}" || true)"
awk '/^worst: / { printf "max_lut_levels: %d levels (%s; target 6 per 322 MHz stage, docs/datapath.md Timing)\n", $2, substr($5, 2, length($5) - 2) }' <<< "$depth"
grep -q '^worst: ' <<< "$depth" || { echo "bench/datapath: hdl/tb/depth.sh failed" >&2; echo "$depth" >&2; exit 1; }
bash "$ROOT/bench/label.sh"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# yosys 0.23 reads and synthesizes every datapath module (generic `synth`, small configuration),
# and `synth_xilinx` gives resource estimates. Usage:
#   synth.sh <nsgnic_abi_pkg.sv> <hdl/rtl dir> [check|xilinx|xilinx_hier <top> <chparam args...>]
# check (default): every module through `synth -top`; fails on any yosys error.
# xilinx: `synth_xilinx` of one module with the given parameters; prints the cell statistics.
# xilinx_hier: the same without flattening: each distinct submodule (e.g. the TCAM's tcam_blk)
# is synthesized once and `stat -top` counts it once per instance (the totals follow the line
# `=== design hierarchy ===`); no optimization across module boundaries.
set -euo pipefail
pkg="$1"; rtl="$2"; mode="${3:-check}"
files="$pkg"
for m in prio_enc tcam_lutram wide_and tcam_blk tcam lpm parser binding_table verdict flow_cache lookup sync_fifo flow_dram flow_tier exc_queue counters csr_slave datapath; do
  files="$files $rtl/$m.sv"
done
defs=""; check="-check"
run() {  # top, chparams...
  local top="$1"; shift
  local ch=""
  while [ $# -gt 1 ]; do ch="$ch -chparam $1 $2"; shift 2; done
  echo "read_verilog -sv $defs $files; hierarchy $check -top $top $ch"
}
if [ "$mode" = xilinx_hier ]; then
  defs="-DNSGNIC_XILINX"; check=""
  top="$4"; shift 4
  yosys -q -p "$(run "$top" "$@"); synth_xilinx -family xcup -top $top; tee -o /dev/stdout stat -top $top" 2>&1
  exit 0
fi
if [ "$mode" = xilinx ]; then
  # explicit UltraScale+ primitives where a module has them (tcam_lutram: RAM32M16)
  # (they are known to synth_xilinx only: no -check before it)
  defs="-DNSGNIC_XILINX"; check=""
  top="$4"; shift 4
  yosys -q -p "$(run "$top" "$@"); synth_xilinx -family xcup -top $top -flatten; tee -o /dev/stdout stat" 2>&1
  exit 0
fi
rc=0
small="DataW 64 HdrBytes 64 MaxBeats 16 DataDepth 32 RuleEntries 16 LabelEntries 16 PlatformEntries 4 Vports 4 FlowBuckets 4 FlowWays 2 VqDepth 16 ExqDepth 2"
check() {
  if yosys -q -p "$(run "$@"); synth -top $1" > /tmp/synth.$$.log 2>&1; then
    echo "synth ok: $*"
  else
    echo "synth FAILED: $*"; grep -i error /tmp/synth.$$.log | head -5; rc=1
  fi
}
check prio_enc Width 16
check tcam Entries 16 KeyW 40 Ports 2
check tcam_lutram
check lpm KeyW 40 Fanout 4 Levels 3 LeafNodes 16 Results 16 ResW 8
check parser
check binding_table Vports 8
check verdict
check flow_cache Buckets 4 Ways 2
check flow_cache Buckets 4 Ways 2 TierFront 1
check sync_fifo
check flow_dram Buckets 4 Ways 4 SigW 3 Depth 8 Dbt 16 Vports 3 ScanMax 4
check flow_tier Buckets 4 Ways 4 SigW 3 Depth 8 Dbt 16 Vports 3
check flow_tier Buckets 4 Ways 4 SigW 3 Depth 8 Dbt 16 Vports 3 Front 1
check exc_queue Depth 2
check counters Count 39
check csr_slave
check lookup RuleEntries 16 LabelEntries 16 PlatformEntries 4 Vports 4 FlowBuckets 4 FlowWays 2
check lookup RuleEntries 16 LabelEntries 16 PlatformEntries 4 Vports 4 FlowBuckets 4 FlowWays 2 LabelLpm 1 LabelCtx 1 LpmFanout 4 LpmLevels 2 LpmCtxBits 9 Lpm4Leaves 4 Lpm6Leaves 4 Lpm4Results 8 Lpm6Results 8
# shellcheck disable=SC2086
check datapath $small
check datapath $small FlowDram 1 DramBuckets 4 DramWays 4 DramSigW 3 DramDepth 32 DramDbt 64 DramAddrW 16
# shellcheck disable=SC2086
check datapath $small FlowDram 1 FlowFront 1 DramBuckets 4 DramWays 4 DramSigW 3 DramDepth 32 DramDbt 64 DramAddrW 16
rm -f /tmp/synth.$$.log
exit $rc

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# verilator --lint-only -Wall on every datapath module, in a small and a realistic
# configuration. Usage: lint.sh <nsgnic_abi_pkg.sv> <hdl/rtl dir>. Waivers: tb/lint_waivers.vlt.
set -euo pipefail
pkg="$1"; rtl="$2"; here="$(cd "$(dirname "$0")" && pwd)"
files=("$pkg" "$rtl"/*.sv)
files=("${files[@]/*\/rv32_*/}")   # the CPU's modules are linted by their owner
rc=0
lint() {
  local top="$1"; shift
  if ! verilator --lint-only -Wall "$here/lint_waivers.vlt" "${files[@]}" --top-module "$top" "$@"; then
    echo "lint failed: $top $*" >&2; rc=1
  fi
}
lint prio_enc -GWidth=5
lint prio_enc -GWidth=4096
lint tcam_lutram
lint tcam_lutram -GAW=6 -GRPorts=3
lint tcam
lint tcam -GEntries=4096 -GKeyW=256 -GResW=32 -GPorts=2
lint tcam -GEntries=2048 -GKeyW=144 -GResW=80 -GPorts=2 -GChunkW=5
lint tcam -GEntries=64 -GKeyW=256 -GResW=32 -GPorts=2 +define+NSGNIC_TCAM_STRUCT
lint tcam -GEntries=16 -GKeyW=20 -GChunkW=6 +define+NSGNIC_TCAM_STRUCT
lint tcam -GEntries=4096 -GKeyW=256 -GResW=32 -GPorts=2 +define+NSGNIC_TCAM_STRUCT
lint tcam -GEntries=256 -GKeyW=40 -GPorts=2 -GBlkEntries=8 +define+NSGNIC_TCAM_STRUCT
lint tcam_blk
lint wide_and
lint wide_and -GWidth=1
lint lpm
lint lpm -GKeyW=43 -GFanout=8 -GLevels=6 -GLeafNodes=20480 -GResults=65536 -GResW=80
lint lpm -GKeyW=139 -GFanout=8 -GLevels=6 -GLeafNodes=5120 -GResults=16384 -GResW=80
lint parser
lint parser -GHdrBytes=64
lint binding_table
lint binding_table -GVports=256
lint verdict
lint flow_cache
lint flow_cache -GBuckets=1024 -GWays=16
lint flow_cache -GTierFront=1
lint sync_fifo
lint flow_dram
lint flow_dram -GBuckets=4 -GWays=4 -GSigW=3 -GDepth=8 -GDbt=16 -GVports=3 -GScanMax=4
lint flow_dram -GBuckets=8192 -GWays=32 -GDepth=512 -GDbt=1024
lint flow_dram -GBuckets=4 -GWays=4 -GSigW=3 -GDepth=8 -GDbt=16 -GVports=3 -GScanMax=4 -GFront=1
lint flow_dram -GBuckets=8192 -GWays=32 -GDepth=512 -GDbt=1024 -GFront=1
lint flow_tier
lint flow_tier -GBuckets=8192 -GWays=32 -GDepth=512 -GDbt=1024
lint flow_tier -GBuckets=8192 -GWays=32 -GDepth=512 -GDbt=1024 -GFront=1
lint lookup -GTierFront=1
lint exc_queue
lint counters -GCount=39
lint csr_slave
lint csr_slave -GLabelLpm=1
lint csr_slave -GLabelLpm=1 -GLabelCtx=1
lint lookup
lint lookup -GLabelLpm=1 -GLpmLevels=3 -GLpmFanout=4 -GLpm4Leaves=16 -GLpm6Leaves=8 -GLpm4Results=32 -GLpm6Results=16 -GLpmCtxBits=9
lint lookup -GLabelLpm=1
lint lookup -GLabelLpm=1 -GLabelCtx=1 -GLpmLevels=3 -GLpmFanout=4 -GLpm4Leaves=16 -GLpm6Leaves=8 -GLpm4Results=32 -GLpm6Results=16 -GLpmCtxBits=9
lint lookup -GLabelLpm=1 -GLabelCtx=1 -GLabelEntries=2048
small=(-GRuleEntries=64 -GLabelEntries=32 -GPlatformEntries=8 -GVports=16 -GFlowBuckets=16
       -GFlowWays=4 -GMaxBeats=4 -GDataDepth=16)
lint datapath "${small[@]}"
lint datapath "${small[@]}" -GDataW=64 -GHdrBytes=64 -GMaxBeats=16 -GDataDepth=32
lint datapath
lint datapath -GLabelLpm=1 -GVqDepth=32
lint datapath -GLabelLpm=1 -GLabelCtx=1 -GVqDepth=64
lint datapath "${small[@]}" -GFlowDram=1 -GDramBuckets=4 -GDramWays=4 -GDramSigW=8 -GDramDepth=64 -GDramDbt=128
lint datapath -GFlowDram=1 -GDramBuckets=8192 -GDramDepth=512 -GDramDbt=1024
lint datapath "${small[@]}" -GFlowDram=1 -GFlowFront=1 -GDramBuckets=4 -GDramWays=4 -GDramSigW=8 -GDramDepth=64 -GDramDbt=128
# (the realistic FlowFront datapath: soc_lint_nsgnic_top_real lints the realistic device with it)
[ "$rc" = 0 ] && echo "lint clean"
exit $rc

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
lint tcam
lint tcam -GEntries=4096 -GKeyW=256 -GResW=32 -GPorts=2
lint tcam -GEntries=2048 -GKeyW=144 -GResW=80 -GPorts=2 -GChunkW=5
lint parser
lint parser -GHdrBytes=64
[ -f "$rtl/datapath.sv" ] && lint datapath
[ "$rc" = 0 ] && echo "lint clean"
exit $rc

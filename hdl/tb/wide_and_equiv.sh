#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# wide_and's UltraScale+ cell form (NSGNIC_XILINX: LUT6 ANDs into a CARRY8 chain) equals the
# AND reduction: yosys reads the module with yosys' own Xilinx simulation models of the cells
# (+/xilinx/cells_sim.v), flattens it and proves out_o == &in_i for every input (SAT), at the
# widths given (default: 13, the first carry width; 53, the rule TCAM's chunks + valid; 64; 100,
# several CARRY8). Usage: wide_and_equiv.sh <hdl/rtl dir> [WIDTH...]
set -euo pipefail
rtl="$1"; shift
widths="${*:-13 53 64 100}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/chk.sv" <<'SV'
module wide_and_chk #(parameter int unsigned W = 53) (input logic [W-1:0] a, output logic ok);
  logic o;
  wide_and #(.Width(W)) u (.in_i(a), .out_o(o));
  assign ok = (o == &a);
endmodule
SV
rc=0
for w in $widths; do
  log="$tmp/w$w.log"
  if yosys -q -l "$log" -p "read_verilog -lib +/xilinx/cells_xtra.v; read_verilog +/xilinx/cells_sim.v;
      read_verilog -sv -DNSGNIC_XILINX $rtl/wide_and.sv $tmp/chk.sv;
      hierarchy -top wide_and_chk -chparam W $w; proc;
      select -assert-min 1 t:*CARRY8*; select -clear; flatten; opt_clean;
      sat -prove ok 1 -verify -show-inputs" >/dev/null 2>&1; then
    echo "wide_and $w: cell form == &in_i (proved)"
  else
    echo "wide_and $w: NOT proved"; grep -iE 'error|fail' "$log" | head -5; rc=1
  fi
done
exit $rc

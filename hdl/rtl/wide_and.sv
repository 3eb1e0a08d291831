// SPDX-License-Identifier: Apache-2.0
// Wide AND reduction: out_o = &in_i. The TCAM's per-entry match (one bit per key chunk and the
// valid bit: 53 inputs for a 256-bit key) is its largest logic.
// With NSGNIC_XILINX defined (bench/datapath.sh, hdl/tb/depth.sh) it is built from explicit
// UltraScale+ cells: one LUT6 per 6 inputs (6-input ANDs) whose outputs drive the select (S)
// inputs of a CARRY8 chain with DI = 0 and CI = 1, so that every carry stage passes its carry-in
// only when its S is 1: CO = AND of all S. A 53-input AND is 9 LUTs + 2 CARRY8 (abc maps it to
// 11-12 LUTs in 3 levels), and 2 levels (a LUT and one chain). yosys 0.23 does not infer this:
// it maps AND trees to LUTs only. Otherwise (simulation, generic synthesis) the behavioural &.
// `dp_wide_and_equiv` proves the cell form equal to &in_i with yosys' Xilinx cell models.
`default_nettype none

module wide_and #(
  parameter int unsigned Width = 53   // inputs, >= 1
) (
  input  logic [Width-1:0] in_i,
  output logic             out_o
);
  if (Width < 1) begin : g_bad_width
    $error("wide_and: Width must be at least 1");
  end

`ifdef NSGNIC_XILINX
  localparam bit UseCarry = (Width > 12);   // below: at most 2 LUT levels anyway
`else
  localparam bit UseCarry = 1'b0;
`endif

  if (UseCarry) begin : g_carry
`ifdef NSGNIC_XILINX
    localparam int unsigned G  = (Width + 5) / 6;   // LUT6 groups
    localparam int unsigned NC = (G + 7) / 8;       // CARRY8 cells
    logic [G*6-1:0]  in_pad;
    logic [NC*8-1:0] s, co;
    assign in_pad = {{(G*6-Width){1'b1}}, in_i};
    for (genvar g = 0; g < NC * 8; g++) begin : g_lut
      if (g < G) begin : g_and
        assign s[g] = &in_pad[6*g +: 6];
      end else begin : g_one
        assign s[g] = 1'b1;
      end
    end
    for (genvar k = 0; k < NC; k++) begin : g_chain
      logic ci;
      if (k == 0) begin : g_first
        assign ci = 1'b1;
      end else begin : g_next
        assign ci = co[8*k-1];
      end
      /* verilator lint_off PINCONNECTEMPTY */
      CARRY8 #(.CARRY_TYPE("SINGLE_CY8")) u_cy (
        .CO(co[8*k +: 8]), .O(), .CI(ci), .CI_TOP(1'b0), .DI(8'h00), .S(s[8*k +: 8]));
      /* verilator lint_on PINCONNECTEMPTY */
    end
    assign out_o = co[NC*8-1];
`endif
  end else begin : g_lut
    assign out_o = &in_i;
  end
endmodule

`default_nettype wire

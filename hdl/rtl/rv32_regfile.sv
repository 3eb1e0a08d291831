// SPDX-License-Identifier: Apache-2.0
// rv32_regfile: the 31 general-purpose registers x1..x31 (x0 reads as zero), two asynchronous
// read ports and one synchronous write port. A write and a read of the same register in one
// cycle return the old value; the core forwards the write-back value itself.
`default_nettype none

module rv32_regfile #(
  parameter int unsigned NumRegs = 32  // architectural registers: 32 (RV32I) or 16 (RV32E)
) (
  input  wire logic                       clk_i,
  input  wire logic [$clog2(NumRegs)-1:0] raddr_a_i,
  output logic [31:0]                     rdata_a_o,
  input  wire logic [$clog2(NumRegs)-1:0] raddr_b_i,
  output logic [31:0]                     rdata_b_o,
  input  wire logic                       we_i,
  input  wire logic [$clog2(NumRegs)-1:0] waddr_i,
  input  wire logic [31:0]                wdata_i
);
  localparam int unsigned Aw = $clog2(NumRegs);

  // Elaboration check: only the two register counts the ISA defines.
  if (NumRegs != 32 && NumRegs != 16) begin : gen_bad_numregs
    $error("rv32_regfile: NumRegs must be 32 or 16");
  end

  logic [31:0] regs_q [1:NumRegs-1];

  always_ff @(posedge clk_i) begin
    if (we_i && waddr_i != '0) begin
      regs_q[waddr_i] <= wdata_i;
    end
  end

  assign rdata_a_o = (raddr_a_i == Aw'(0)) ? 32'd0 : regs_q[raddr_a_i];
  assign rdata_b_o = (raddr_b_i == Aw'(0)) ? 32'd0 : regs_q[raddr_b_i];
endmodule

`default_nettype wire

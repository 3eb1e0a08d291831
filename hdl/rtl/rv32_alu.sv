// SPDX-License-Identifier: Apache-2.0
// rv32_alu: the RV32I integer operations (add/sub, shifts, compares, logic) and the branch
// condition, all combinational. rv32_core
// selects them from the instruction (rv32_pkg::Alu*).
`default_nettype none

module rv32_alu (
  input  wire logic [3:0]  op_i,        // rv32_pkg::Alu* operation
  input  wire logic [31:0] a_i,
  input  wire logic [31:0] b_i,
  output logic [31:0]      result_o,
  input  wire logic [2:0]  br_funct3_i, // branch funct3 (BEQ..BGEU)
  output logic             br_taken_o   // branch condition on a_i, b_i
);

  // One subtractor serves SUB, SLT(U) and all branch compares.
  logic [32:0] diff;
  logic        lt_s, lt_u, eq;
  assign diff = {1'b0, a_i} - {1'b0, b_i};
  assign lt_u = diff[32];
  assign lt_s = (a_i[31] != b_i[31]) ? a_i[31] : diff[31];
  assign eq   = (a_i == b_i);

  logic [4:0] shamt;
  assign shamt = b_i[4:0];

  always_comb begin
    unique case (op_i)
      rv32_pkg::AluAdd:   result_o = a_i + b_i;
      rv32_pkg::AluSub:   result_o = diff[31:0];
      rv32_pkg::AluSll:   result_o = a_i << shamt;
      rv32_pkg::AluSlt:   result_o = {31'd0, lt_s};
      rv32_pkg::AluSltu:  result_o = {31'd0, lt_u};
      rv32_pkg::AluXor:   result_o = a_i ^ b_i;
      rv32_pkg::AluSrl:   result_o = a_i >> shamt;
      rv32_pkg::AluSra:   result_o = $unsigned($signed(a_i) >>> shamt);
      rv32_pkg::AluOr:    result_o = a_i | b_i;
      rv32_pkg::AluAnd:   result_o = a_i & b_i;
      rv32_pkg::AluPassB: result_o = b_i;
      default:  result_o = 32'd0;
    endcase
  end

  always_comb begin
    unique case (br_funct3_i)
      3'b000:  br_taken_o = eq;      // BEQ
      3'b001:  br_taken_o = !eq;     // BNE
      3'b100:  br_taken_o = lt_s;    // BLT
      3'b101:  br_taken_o = !lt_s;   // BGE
      3'b110:  br_taken_o = lt_u;    // BLTU
      3'b111:  br_taken_o = !lt_u;   // BGEU
      default: br_taken_o = 1'b0;    // 010/011 are illegal; the decoder traps them
    endcase
  end
endmodule

`default_nettype wire

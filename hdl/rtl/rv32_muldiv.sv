// SPDX-License-Identifier: Apache-2.0
// rv32_muldiv: the M extension. MUL/MULH/MULHSU/MULHU are one combinational 33x33 signed
// product (one DSP cascade on an FPGA), so multiplies never stall. DIV/DIVU/REM/REMU run a
// restoring divider on the operand magnitudes, one quotient bit per cycle, then fix the signs.
// The dividend's leading zeros are skipped (it is pre-shifted and only its significant bits are
// iterated), so a divide is ready 1 + (32 - clz(|dividend|)) cycles after the start, 1 for a
// zero dividend. Division by zero answers in the first cycle (quotient all ones, remainder = the
// dividend); INT_MIN / -1 falls out of the magnitude algorithm (quotient INT_MIN, remainder 0).
//
// Divider handshake: div_start_i (one cycle, operands valid) starts it; div_valid_o then stays
// high with div_result_o until div_ack_i; a start while busy is ignored.
`default_nettype none

module rv32_muldiv (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic [2:0]  funct3_i,   // M-extension funct3: 0..3 multiply, 4..7 divide
  input  wire logic [31:0] a_i,        // rs1
  input  wire logic [31:0] b_i,        // rs2
  output logic [31:0]      mul_result_o,
  input  wire logic        div_start_i,
  input  wire logic        div_ack_i,
  output logic             div_valid_o,
  output logic [31:0]      div_result_o
);
  // ---- multiply ----------------------------------------------------------------------------
  logic        a_signed, b_signed;
  logic [32:0] a_ext, b_ext;
  logic [63:0] product;
  assign a_signed = (funct3_i == 3'b001) || (funct3_i == 3'b010);  // MULH, MULHSU
  assign b_signed = (funct3_i == 3'b001);                          // MULH
  assign a_ext = {a_signed & a_i[31], a_i};
  assign b_ext = {b_signed & b_i[31], b_i};
  assign product = 64'($signed(a_ext) * $signed(b_ext));
  assign mul_result_o = (funct3_i[1:0] == 2'b00) ? product[31:0] : product[63:32];

  // ---- divide ------------------------------------------------------------------------------
  typedef enum logic [1:0] {DivIdle, DivBusy, DivDone} div_state_e;
  div_state_e  state_q, state_d;
  logic [5:0]  count_q, count_d;      // quotient bits still to produce
  logic [31:0] rem_q, rem_d;          // partial remainder
  logic [31:0] quo_q, quo_d;          // dividend shifting out, quotient shifting in
  logic [31:0] divisor_q, divisor_d;  // |b|
  logic        neg_quo_q, neg_quo_d;  // negate the quotient at the end
  logic        neg_rem_q, neg_rem_d;  // negate the remainder at the end
  logic        want_rem_q, want_rem_d;
  logic [31:0] result_q, result_d;

  logic        div_signed;
  logic [31:0] a_mag, b_mag;
  assign div_signed = !funct3_i[0];   // DIV (100), REM (110)
  assign a_mag = (div_signed && a_i[31]) ? 32'(-a_i) : a_i;
  assign b_mag = (div_signed && b_i[31]) ? 32'(-b_i) : b_i;

  // leading zeros of |a| (32 when a is zero): that many quotient bits are known to be zero
  logic [5:0] a_lz;
  always_comb begin
    a_lz = 6'd32;
    for (int i = 0; i < 32; i++) begin
      if (a_mag[i]) begin
        a_lz = 6'(31 - i);
      end
    end
  end

  logic [32:0] rem_shift;
  logic        fits;               // the divisor fits into the shifted remainder
  logic [31:0] trial;
  assign rem_shift = {rem_q, quo_q[31]};
  assign fits  = (rem_shift >= {1'b0, divisor_q});
  assign trial = rem_shift[31:0] - divisor_q;  // < divisor when fits, so 32 bits suffice

  logic [31:0] quo_fixed, rem_fixed;
  assign quo_fixed = neg_quo_q ? 32'(-quo_q) : quo_q;
  assign rem_fixed = neg_rem_q ? 32'(-rem_q) : rem_q;

  always_comb begin
    state_d    = state_q;
    count_d    = count_q;
    rem_d      = rem_q;
    quo_d      = quo_q;
    divisor_d  = divisor_q;
    neg_quo_d  = neg_quo_q;
    neg_rem_d  = neg_rem_q;
    want_rem_d = want_rem_q;
    result_d   = result_q;
    unique case (state_q)
      DivIdle: begin
        if (div_start_i) begin
          want_rem_d = funct3_i[1];
          if (b_i == 32'd0) begin
            result_d = funct3_i[1] ? a_i : 32'hFFFF_FFFF;
            state_d  = DivDone;
          end else begin
            rem_d     = 32'd0;
            quo_d     = (a_lz == 6'd32) ? 32'd0 : (a_mag << a_lz[4:0]);
            divisor_d = b_mag;
            neg_quo_d = div_signed && (a_i[31] != b_i[31]);
            neg_rem_d = div_signed && a_i[31];
            count_d   = 6'd32 - a_lz;
            state_d   = (a_lz == 6'd32) ? DivDone : DivBusy;
          end
        end
      end
      DivBusy: begin
        if (fits) begin
          rem_d = trial;
          quo_d = {quo_q[30:0], 1'b1};
        end else begin
          rem_d = rem_shift[31:0];
          quo_d = {quo_q[30:0], 1'b0};
        end
        count_d = count_q - 6'd1;
        if (count_q == 6'd1) begin
          state_d = DivDone;
        end
      end
      DivDone: begin
        if (div_ack_i) begin
          state_d = DivIdle;
        end
      end
      default: state_d = DivIdle;
    endcase
  end

  // The DivBusy -> DivDone step leaves quo_q/rem_q final; the sign fix happens on the way out
  // unless the result was set directly (division by zero), which direct_q tells apart.
  logic direct_q, direct_d;
  assign direct_d = (state_q == DivIdle) ? (div_start_i && b_i == 32'd0) : direct_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q    <= DivIdle;
      count_q    <= 6'd0;
      rem_q      <= 32'd0;
      quo_q      <= 32'd0;
      divisor_q  <= 32'd0;
      neg_quo_q  <= 1'b0;
      neg_rem_q  <= 1'b0;
      want_rem_q <= 1'b0;
      result_q   <= 32'd0;
      direct_q   <= 1'b0;
    end else begin
      state_q    <= state_d;
      count_q    <= count_d;
      rem_q      <= rem_d;
      quo_q      <= quo_d;
      divisor_q  <= divisor_d;
      neg_quo_q  <= neg_quo_d;
      neg_rem_q  <= neg_rem_d;
      want_rem_q <= want_rem_d;
      result_q   <= result_d;
      direct_q   <= direct_d;
    end
  end

  assign div_valid_o  = (state_q == DivDone);
  assign div_result_o = direct_q ? result_q : (want_rem_q ? rem_fixed : quo_fixed);
endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// rv32_timer: the RISC-V machine timer. mtime counts clock cycles; the interrupt is pending
// while mtime >= mtimecmp (unsigned 64-bit compare); mtimecmp resets to all ones so no
// interrupt fires before firmware programs it. Both registers are readable and writable as two
// 32-bit halves (offsets nsgnic_abi_pkg::SOC_LOCAL_MTIME_LO..SOC_LOCAL_MTIMECMP_HI).
`default_nettype none

module rv32_timer (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic        req_i,     // register access this cycle
  input  wire logic        we_i,
  input  wire logic [3:0]  be_i,
  input  wire logic [1:0]  sel_i,     // word: 0 mtime lo, 1 mtime hi, 2 mtimecmp lo, 3 hi
  input  wire logic [31:0] wdata_i,
  output logic [31:0]      rdata_o,   // combinational read of the selected word
  output logic             irq_o      // machine timer interrupt (level)
);
  logic [63:0] mtime_q, mtimecmp_q;

  logic [31:0] cur, merged;
  always_comb begin
    unique case (sel_i)
      2'd0:    cur = mtime_q[31:0];
      2'd1:    cur = mtime_q[63:32];
      2'd2:    cur = mtimecmp_q[31:0];
      default: cur = mtimecmp_q[63:32];
    endcase
    for (int i = 0; i < 4; i++) begin
      merged[8*i +: 8] = be_i[i] ? wdata_i[8*i +: 8] : cur[8*i +: 8];
    end
  end
  assign rdata_o = cur;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mtime_q    <= 64'd0;
      mtimecmp_q <= '1;
    end else begin
      mtime_q <= mtime_q + 64'd1;
      if (req_i && we_i) begin
        unique case (sel_i)
          2'd0:    mtime_q[31:0]     <= merged;
          2'd1:    mtime_q[63:32]    <= merged;
          2'd2:    mtimecmp_q[31:0]  <= merged;
          default: mtimecmp_q[63:32] <= merged;
        endcase
      end
    end
  end

  assign irq_o = (mtime_q >= mtimecmp_q);
endmodule

`default_nettype wire

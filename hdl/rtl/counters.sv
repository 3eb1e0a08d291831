// SPDX-License-Identifier: Apache-2.0
// Statistics counters: Count 32-bit wrapping counters; counter i adds add_i[i] every clock;
// the CSR side reads any counter combinationally and clears one by writing it (a clear wins
// over the same clock's addition).
`default_nettype none

module counters #(
  parameter int unsigned Count = 8,   // counters, >= 1
  parameter int unsigned AddW  = 16,  // bits of each per-clock addend, 1..32
  localparam int unsigned IW   = (Count > 1) ? $clog2(Count) : 1
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic [Count*AddW-1:0] add_i,
  input  logic [IW-1:0]     rd_idx_i,
  output logic [31:0]       rd_data_o,
  input  logic              clr_i,
  input  logic [IW-1:0]     clr_idx_i
);
  if (Count < 1 || AddW < 1 || AddW > 32) begin : g_bad
    $error("counters: Count >= 1 and AddW 1..32 required");
  end

  logic [31:0] cnt_q [Count];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < Count; i++) cnt_q[i] <= '0;
    end else begin
      for (int unsigned i = 0; i < Count; i++) begin
        if (clr_i && 32'(clr_idx_i) == i) cnt_q[i] <= '0;
        else cnt_q[i] <= cnt_q[i] + 32'(add_i[i*AddW +: AddW]);
      end
    end
  end

  assign rd_data_o = (32'(rd_idx_i) < Count) ? cnt_q[rd_idx_i] : 32'd0;
endmodule

`default_nettype wire

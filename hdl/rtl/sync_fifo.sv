// SPDX-License-Identifier: Apache-2.0
// Synchronous FIFO, first-word fall-through: rdata_o shows the head while !empty_o.
// Push and pop in the same clock are allowed (also when full: the pop frees the slot).
`default_nettype none

module sync_fifo #(
  parameter int unsigned Width = 8,   // bits per entry, >= 1
  parameter int unsigned Depth = 16,  // entries, power of two, >= 2
  localparam int unsigned AW   = $clog2(Depth)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             push_i,
  input  logic [Width-1:0] wdata_i,
  input  logic             pop_i,
  output logic [Width-1:0] rdata_o,
  output logic             empty_o,
  output logic             full_o,
  output logic [AW:0]      count_o
);
  if (Depth < 2 || (Depth & (Depth - 1)) != 0) begin : g_bad_depth
    $error("sync_fifo: Depth must be a power of two >= 2");
  end

  logic [Width-1:0] mem [Depth];
  logic [AW:0]      wptr_q, rptr_q;
  logic             do_push, do_pop;

  assign count_o = wptr_q - rptr_q;
  assign empty_o = count_o == '0;
  assign full_o  = count_o == (AW+1)'(Depth);
  assign do_pop  = pop_i && !empty_o;
  assign do_push = push_i && (!full_o || do_pop);
  assign rdata_o = mem[rptr_q[AW-1:0]];

  always_ff @(posedge clk_i) begin
    if (do_push) mem[wptr_q[AW-1:0]] <= wdata_i;
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q <= '0;
      rptr_q <= '0;
    end else begin
      if (do_push) wptr_q <= wptr_q + 1'b1;
      if (do_pop)  rptr_q <= rptr_q + 1'b1;
    end
  end
endmodule

`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Exception queue: packets the datapath hands to the firmware/host (PUNT), each stored as its
// EXQ_META word and its first HdrBytes bytes. The CSR side reads the head's words and pops it.
// A push into a full queue is refused (full_o): the datapath then drops the packet and counts
// REASON_EXQ_FULL, so the queue never stalls traffic.
`default_nettype none

module exc_queue #(
  parameter int unsigned Depth    = 8,    // packets, power of two >= 2
  parameter int unsigned HdrBytes = 128,  // bytes kept per packet, multiple of 4
  localparam int unsigned Words   = HdrBytes / 4,
  localparam int unsigned WIW     = $clog2(Words),
  localparam int unsigned AW      = $clog2(Depth)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  push_i,
  input  logic [31:0]           meta_i,     // EXQ_META
  input  logic [HdrBytes*8-1:0] data_i,
  output logic                  full_o,
  input  logic                  pop_i,
  output logic [AW:0]           count_o,
  output logic [31:0]           meta_o,     // head (0 when empty)
  input  logic [WIW-1:0]        word_i,
  output logic [31:0]           word_o      // head data word word_i
);
  if (HdrBytes % 4 != 0 || HdrBytes < 8) begin : g_bad_hdr
    $error("exc_queue: HdrBytes must be a multiple of 4, >= 8");
  end

  logic [32+HdrBytes*8-1:0] head;
  logic                     empty;

  sync_fifo #(.Width(32 + HdrBytes*8), .Depth(Depth)) u_fifo (
    .clk_i, .rst_ni, .push_i, .wdata_i({data_i, meta_i}), .pop_i, .rdata_o(head),
    .empty_o(empty), .full_o, .count_o);

  assign meta_o = empty ? 32'd0 : head[31:0];
  assign word_o = empty ? 32'd0 : head[32 + word_i*32 +: 32];
endmodule

`default_nettype wire

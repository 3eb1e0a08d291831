// SPDX-License-Identifier: Apache-2.0
// axis_frame_sizer: store-and-forward of AXI4-Stream frames so that each frame leaves with its
// length in bytes on every beat (m_size_o), as shells that need the packet size up front want
// (OpenNIC's tuser_size: the QDMA C2H engine and the CMAC TX adapter read it on the first beat).
//
// Unit contract
//   Input beats go into a data FIFO of Depth beats; the bytes of a frame (sum of its tkeep bits;
//   tkeep must be contiguous from bit 0, as in packet streams) are counted, and at its tlast the
//   size and the frame's tuser go into a frame FIFO of FrameDepth entries. A frame leaves once it
//   is whole. s_axis_tready is low while either FIFO is full. A frame longer than Depth beats
//   would never be whole: the caller guarantees frames of at most Depth beats (the datapath cuts
//   at MaxBeats < its own DataDepth); elaboration checks Depth > 1. One beat per clock in and out
//   (the FIFOs read and write in the same clock); latency: the frame's length + 1 clock.
// Parameters
//   DataW  tdata bits (multiple of 8); UserW  tuser bits carried per frame (first beat's);
//   Depth  data FIFO beats, power of two; FrameDepth  frames in flight, power of two >= 2
`default_nettype none

module axis_frame_sizer #(
  parameter int unsigned DataW      = 512,
  parameter int unsigned UserW      = 9,
  parameter int unsigned Depth      = 256,
  parameter int unsigned FrameDepth = 8,
  localparam int unsigned KeepW     = DataW / 8,
  localparam int unsigned SizeW     = 16
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic [DataW-1:0] s_axis_tdata,
  input  wire logic [KeepW-1:0] s_axis_tkeep,
  input  wire logic             s_axis_tlast,
  input  wire logic [UserW-1:0] s_axis_tuser,
  input  wire logic             s_axis_tvalid,
  output logic                  s_axis_tready,
  output logic [DataW-1:0]      m_axis_tdata,
  output logic [KeepW-1:0]      m_axis_tkeep,
  output logic                  m_axis_tlast,
  output logic [UserW-1:0]      m_axis_tuser,
  output logic [SizeW-1:0]      m_size_o,
  output logic                  m_axis_tvalid,
  input  wire logic             m_axis_tready
);
  if (DataW < 8 || DataW % 8 != 0 || 64'(Depth) * 64'(KeepW) > 64'd65535) begin : g_bad
    $error("axis_frame_sizer: DataW must be a multiple of 8 and Depth * DataW/8 < 65536");
  end

  localparam int unsigned DW = DataW + KeepW + 1;
  localparam int unsigned FW = SizeW + UserW;

  logic            d_full, d_empty, f_full, f_empty, take, give;
  logic [DW-1:0]   d_head;
  logic [FW-1:0]   f_head;
  logic [SizeW-1:0] bytes_q, bytes_beat;
  logic [UserW-1:0] user_q;   // tuser of the frame being received (from its first beat)
  logic            first_q;
  logic [$clog2(Depth):0]      unused_d_count;
  logic [$clog2(FrameDepth):0] unused_f_count;

  assign s_axis_tready = !d_full && !f_full;
  assign take = s_axis_tvalid && s_axis_tready;

  always_comb begin
    bytes_beat = '0;
    for (int b = 0; b < int'(KeepW); b++) bytes_beat = bytes_beat + SizeW'(s_axis_tkeep[b]);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bytes_q <= '0;
      user_q  <= '0;
      first_q <= 1'b1;
    end else if (take) begin
      bytes_q <= s_axis_tlast ? '0 : bytes_q + bytes_beat;
      first_q <= s_axis_tlast;
      if (first_q) user_q <= s_axis_tuser;
    end
  end

  logic [UserW-1:0] frame_user;
  assign frame_user = first_q ? s_axis_tuser : user_q;

  sync_fifo #(.Width(DW), .Depth(Depth)) u_data (
    .clk_i, .rst_ni, .push_i(take), .wdata_i({s_axis_tlast, s_axis_tkeep, s_axis_tdata}),
    .pop_i(give), .rdata_o(d_head), .empty_o(d_empty), .full_o(d_full), .count_o(unused_d_count));
  sync_fifo #(.Width(FW), .Depth(FrameDepth)) u_frames (
    .clk_i, .rst_ni, .push_i(take && s_axis_tlast), .wdata_i({bytes_q + bytes_beat, frame_user}),
    .pop_i(give && m_axis_tlast), .rdata_o(f_head), .empty_o(f_empty), .full_o(f_full),
    .count_o(unused_f_count));

  assign m_axis_tvalid = !f_empty && !d_empty;
  assign give          = m_axis_tvalid && m_axis_tready;
  assign m_axis_tdata  = d_head[DataW-1:0];
  assign m_axis_tkeep  = d_head[DataW +: KeepW];
  assign m_axis_tlast  = d_head[DW-1];
  assign m_size_o      = f_head[FW-1 -: SizeW];
  assign m_axis_tuser  = f_head[UserW-1:0];
endmodule

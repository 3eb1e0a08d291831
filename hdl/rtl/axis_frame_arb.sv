// SPDX-License-Identifier: Apache-2.0
// axis_frame_arb: two AXI4-Stream inputs onto one output, a whole frame at a time.
//
// Unit contract
//   Between frames the arbiter picks an input with tvalid, round-robin (the input that did not
//   send the last frame goes first when both wait); the pick holds until that frame's tlast beat
//   is taken. Output = the picked input's beat (combinational), its tuser replaced by the input's
//   PortW-bit tag (s0_tag_i / s1_tag_i, sampled with each beat); tready is passed back only to
//   the picked input. No beat is stored: zero latency, no bubbles between frames of one input
//   when the other is idle.
// Parameters
//   DataW   tdata bits, multiple of 8; PortW  tag bits (the datapath's PORT: 9)
`default_nettype none

module axis_frame_arb #(
  parameter int unsigned DataW = 512,
  parameter int unsigned PortW = 9,
  localparam int unsigned KeepW = DataW / 8
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic [DataW-1:0] s0_axis_tdata,
  input  wire logic [KeepW-1:0] s0_axis_tkeep,
  input  wire logic             s0_axis_tlast,
  input  wire logic [PortW-1:0] s0_tag_i,
  input  wire logic             s0_axis_tvalid,
  output logic                  s0_axis_tready,
  input  wire logic [DataW-1:0] s1_axis_tdata,
  input  wire logic [KeepW-1:0] s1_axis_tkeep,
  input  wire logic             s1_axis_tlast,
  input  wire logic [PortW-1:0] s1_tag_i,
  input  wire logic             s1_axis_tvalid,
  output logic                  s1_axis_tready,
  output logic [DataW-1:0]      m_axis_tdata,
  output logic [KeepW-1:0]      m_axis_tkeep,
  output logic                  m_axis_tlast,
  output logic [PortW-1:0]      m_axis_tuser,
  output logic                  m_axis_tvalid,
  input  wire logic             m_axis_tready
);
  if (DataW < 8 || DataW % 8 != 0) begin : g_bad_w
    $error("axis_frame_arb: DataW must be a multiple of 8");
  end

  logic busy_q, sel_q, last_q;   // in a frame; its input; the input of the last frame
  logic sel;
  always_comb begin
    if (busy_q) sel = sel_q;
    else if (s0_axis_tvalid && s1_axis_tvalid) sel = !last_q;
    else sel = s1_axis_tvalid;
  end

  assign m_axis_tdata   = sel ? s1_axis_tdata : s0_axis_tdata;
  assign m_axis_tkeep   = sel ? s1_axis_tkeep : s0_axis_tkeep;
  assign m_axis_tlast   = sel ? s1_axis_tlast : s0_axis_tlast;
  assign m_axis_tuser   = sel ? s1_tag_i : s0_tag_i;
  assign m_axis_tvalid  = sel ? s1_axis_tvalid : s0_axis_tvalid;
  assign s0_axis_tready = !sel && m_axis_tready;
  assign s1_axis_tready = sel && m_axis_tready;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      sel_q  <= 1'b0;
      last_q <= 1'b1;
    end else if (m_axis_tvalid && m_axis_tready) begin
      busy_q <= !m_axis_tlast;
      sel_q  <= sel;
      if (m_axis_tlast) last_q <= sel;
    end
  end
endmodule

// SPDX-License-Identifier: Apache-2.0
// Exception queue with park slots: packets the datapath hands to the firmware/host (PUNT).
//
// Each punted frame is kept WHOLE in one of Depth park slots (MaxBeats beats each) until the
// firmware releases it; the firmware reads a queue of exceptions: per packet its EXQ_META word,
// its first HdrBytes bytes and its slot. Popping that queue does not free the slot: only a
// release does (CSR_EXQ_RELEASE, EXQ_REL fields), which either drops the frame (the slot is free
// the next clock) or forwards it: the frame is streamed out of the slot on m_rel_* (tuser = the
// release's PORT, tid = the slot) and the slot is free once its last beat has left.
//
//   write side (wr_*): the beats of one punted frame at a time, in order. A slot is taken at the
//     frame's first beat (lowest free slot, and only while the meta queue has room); with none,
//     full_o is 1 for every beat of that frame and nothing is stored (the datapath drops it as
//     REASON_EXQ_FULL). At the last beat the slot becomes "parked" and the meta is queued.
//   release (rel_*): a write naming a parked slot (and zero reserved bits) acts; any other is
//     ignored and reported on rel_bad_o. Forward requests queue (at most one per slot) and are
//     streamed one after the other; frames never interleave.
//   m_rel_*: AXI4-Stream-like; the beat register holds until tready (back-pressure).
//
// Storage: a frame RAM of Depth * MaxBeats beats (one write port, one read port with registered
// output: block RAM) plus the meta queue (sync_fifo of Depth entries: meta, head bytes, slot).
`default_nettype none

module exc_queue #(
  parameter int unsigned Depth    = 8,    // park slots = queued packets at most, power of two 2..32
  parameter int unsigned HdrBytes = 128,  // head bytes the CSR side reads per packet, multiple of 4, >= 8
  parameter int unsigned DataW    = 512,  // beat width in bits, multiple of 8
  parameter int unsigned MaxBeats = 4,    // beats per slot (the longest punted frame), >= 1
  localparam int unsigned KeepW   = DataW / 8,
  localparam int unsigned BeatW   = DataW + KeepW + 1,   // {last, keep, data}
  localparam int unsigned Words   = HdrBytes / 4,
  localparam int unsigned WIW     = $clog2(Words),
  localparam int unsigned AW      = $clog2(Depth),
  localparam int unsigned BW      = $clog2(MaxBeats + 1)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // write side: beats of the punted frame the datapath's output engine is consuming
  input  logic                  wr_valid_i,  // a beat this clock
  input  logic [BeatW-1:0]      wr_beat_i,   // {last, keep, data}; last ends the frame
  input  logic [31:0]           meta_i,      // EXQ_META, sampled with the last beat
  input  logic [HdrBytes*8-1:0] data_i,      // head bytes, sampled with the last beat
  output logic                  full_o,      // this frame has no slot (dropped)
  output logic [AW-1:0]         wr_slot_o,   // this frame's slot (when !full_o)
  // CSR side: the queue of exceptions
  input  logic                  pop_i,
  output logic [AW:0]           count_o,
  output logic [31:0]           meta_o,      // head (0 when empty)
  output logic [7:0]            slot_o,      // head's park slot (0 when empty)
  input  logic [WIW-1:0]        word_i,
  output logic [31:0]           word_o,      // head data word word_i
  output logic [31:0]           parked_o,    // bit n: slot n taken
  input  logic                  rel_i,       // CSR_EXQ_RELEASE write
  input  logic [31:0]           rel_data_i,  // EXQ_REL fields
  output logic                  rel_bad_o,   // that write was ignored
  output logic                  discard_o,   // that write dropped a parked frame
  // released frames out
  output logic [DataW-1:0]      m_rel_tdata,
  output logic [KeepW-1:0]      m_rel_tkeep,
  output logic                  m_rel_tlast,
  output logic [8:0]            m_rel_tuser,   // PORT of the release
  output logic [AW-1:0]         m_rel_tid,     // slot
  output logic                  m_rel_tvalid,
  input  logic                  m_rel_tready,
  output logic                  fwd_done_o     // a forwarded frame's last beat left
);
  if (HdrBytes % 4 != 0 || HdrBytes < 8) begin : g_bad_hdr
    $error("exc_queue: HdrBytes must be a multiple of 4, >= 8");
  end
  if (Depth < 2 || Depth > 32 || (Depth & (Depth - 1)) != 0) begin : g_bad_depth
    $error("exc_queue: Depth must be a power of two, 2..32");
  end
  if (MaxBeats < 1 || DataW % 8 != 0) begin : g_bad_beats
    $error("exc_queue: MaxBeats must be >= 1 and DataW a multiple of 8");
  end

  localparam int unsigned RamW = $clog2(Depth * MaxBeats);

  logic [Depth-1:0] taken_q, parked_q;
  logic [BW-1:0]    nbeats_q [Depth];    // beats of the frame in each slot

  // ---- write side ----------------------------------------------------------------------------
  logic          in_frame_q, wr_ok_q, wr_first, wr_last, have_free, wr_ok;
  logic [AW-1:0] wr_slot_q, free_slot, wr_slot;
  logic [BW-1:0] wr_cnt_q;
  logic          meta_full, push;

  always_comb begin
    free_slot = '0;
    have_free = 1'b0;
    for (int unsigned k = 0; k < Depth; k++) begin   // last assignment wins: the lowest free
      if (!taken_q[Depth - 1 - k]) begin
        free_slot = AW'(Depth - 1 - k);
        have_free = 1'b1;
      end
    end
  end
  assign wr_first = !in_frame_q;
  assign wr_last  = wr_beat_i[BeatW-1];
  assign wr_ok    = wr_first ? (have_free && !meta_full) : wr_ok_q;
  assign wr_slot  = wr_first ? free_slot : wr_slot_q;
  assign full_o   = !wr_ok;
  assign wr_slot_o = wr_slot;
  assign push     = wr_valid_i && wr_last && wr_ok;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_frame_q <= 1'b0;
      wr_ok_q    <= 1'b0;
      wr_slot_q  <= '0;
      wr_cnt_q   <= '0;
    end else if (wr_valid_i) begin
      in_frame_q <= !wr_last;
      wr_ok_q    <= wr_ok;
      wr_slot_q  <= wr_slot;
      wr_cnt_q   <= wr_last ? '0 : wr_cnt_q + 1'b1;
    end
  end

  // ---- frame RAM -----------------------------------------------------------------------------
  logic [BeatW-1:0] ram [Depth * MaxBeats];
  logic [RamW-1:0]  waddr, raddr;
  logic             ram_we, ram_re;
  logic [BeatW-1:0] ob_q;    // read port output register = the m_rel beat register
  assign waddr  = RamW'(32'(wr_slot) * MaxBeats + 32'(wr_cnt_q));
  assign ram_we = wr_valid_i && wr_ok && 32'(wr_cnt_q) < MaxBeats;
  always_ff @(posedge clk_i) begin
    if (ram_we) ram[waddr] <= wr_beat_i;
    if (ram_re) ob_q <= ram[raddr];
  end

  // ---- meta queue ----------------------------------------------------------------------------
  logic [AW+32+HdrBytes*8-1:0] head;
  logic                        empty;
  sync_fifo #(.Width(AW + 32 + HdrBytes*8), .Depth(Depth)) u_meta (
    .clk_i, .rst_ni, .push_i(push), .wdata_i({wr_slot, data_i, meta_i}), .pop_i, .rdata_o(head),
    .empty_o(empty), .full_o(meta_full), .count_o);
  assign meta_o = empty ? 32'd0 : head[31:0];
  assign word_o = empty ? 32'd0 : head[32 + word_i*32 +: 32];
  assign slot_o = empty ? 8'd0 : 8'(head[32 + HdrBytes*8 +: AW]);

  // ---- releases --------------------------------------------------------------------------------
  logic [7:0]    r_slot;
  logic [8:0]    r_port;
  logic          r_fwd, r_ok;
  logic [AW-1:0] r_idx;
  assign r_slot = rel_data_i[nsgnic_abi_pkg::EXQ_REL_SLOT_LSB +: 8];
  assign r_port = rel_data_i[nsgnic_abi_pkg::EXQ_REL_PORT_LSB +: 9];
  assign r_fwd  = rel_data_i[nsgnic_abi_pkg::EXQ_REL_FORWARD_LSB];
  assign r_idx  = r_slot[AW-1:0];
  assign r_ok   = 32'(r_slot) < Depth && parked_q[r_idx] &&
                  rel_data_i[nsgnic_abi_pkg::EXQ_REL_RESERVED_LSB +: nsgnic_abi_pkg::EXQ_REL_RESERVED_W] == '0;
  assign rel_bad_o = rel_i && !r_ok;
  assign discard_o = rel_i && r_ok && !r_fwd;

  // forward requests, streamed in order (at most one per slot, so the FIFO never overflows)
  logic [AW+9-1:0] fq_head;
  logic            fq_empty, fq_pop, unused_fq_full;
  logic [AW:0]     unused_fq_count;
  sync_fifo #(.Width(AW + 9), .Depth(Depth)) u_fwdq (
    .clk_i, .rst_ni, .push_i(rel_i && r_ok && r_fwd), .wdata_i({r_idx, r_port}), .pop_i(fq_pop),
    .rdata_o(fq_head), .empty_o(fq_empty), .full_o(unused_fq_full), .count_o(unused_fq_count));

  // reader: rd_active_q while beats of rd_slot_q remain to be read; ob_q/ob_valid_q is the beat
  // on m_rel_*, replaced only when it leaves (or is empty)
  logic          rd_active_q, ob_valid_q, ob_en, done;
  logic [AW-1:0] rd_slot_q, ob_slot_q;
  logic [8:0]    rd_port_q, ob_port_q;
  logic [BW-1:0] rd_cnt_q;
  assign ob_en  = !ob_valid_q || m_rel_tready;
  assign ram_re = ob_en && rd_active_q;
  assign raddr  = RamW'(32'(rd_slot_q) * MaxBeats + 32'(rd_cnt_q));
  assign fq_pop = !rd_active_q && !fq_empty;
  assign done   = ob_valid_q && m_rel_tready && ob_q[BeatW-1];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_active_q <= 1'b0;
      rd_slot_q   <= '0;
      rd_port_q   <= '0;
      rd_cnt_q    <= '0;
      ob_valid_q  <= 1'b0;
      ob_slot_q   <= '0;
      ob_port_q   <= '0;
    end else begin
      if (fq_pop) begin
        rd_active_q <= 1'b1;
        {rd_slot_q, rd_port_q} <= fq_head;
        rd_cnt_q    <= '0;
      end else if (ram_re) begin
        rd_cnt_q    <= rd_cnt_q + 1'b1;
        rd_active_q <= rd_cnt_q + 1'b1 < nbeats_q[rd_slot_q];
      end
      if (ob_en) begin
        ob_valid_q <= rd_active_q;
        ob_slot_q  <= rd_slot_q;
        ob_port_q  <= rd_port_q;
      end
    end
  end

  assign m_rel_tdata  = ob_q[DataW-1:0];
  assign m_rel_tkeep  = ob_q[DataW +: KeepW];
  assign m_rel_tlast  = ob_q[BeatW-1];
  assign m_rel_tuser  = ob_port_q;
  assign m_rel_tid    = ob_slot_q;
  assign m_rel_tvalid = ob_valid_q;
  assign fwd_done_o   = done;

  // ---- slot state ------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      taken_q  <= '0;
      parked_q <= '0;
      for (int i = 0; i < Depth; i++) nbeats_q[i] <= '0;
    end else begin
      for (int i = 0; i < Depth; i++) begin
        if (wr_valid_i && wr_first && wr_ok && wr_slot == AW'(i)) taken_q[i] <= 1'b1;
        if (push && wr_slot == AW'(i)) begin
          parked_q[i] <= 1'b1;
          nbeats_q[i] <= wr_cnt_q + 1'b1;
        end
        if (rel_i && r_ok && r_idx == AW'(i)) begin
          parked_q[i] <= 1'b0;
          if (!r_fwd) taken_q[i] <= 1'b0;
        end
        if (done && ob_slot_q == AW'(i)) taken_q[i] <= 1'b0;
      end
    end
  end
  assign parked_o = 32'(taken_q);
endmodule

`default_nettype wire
